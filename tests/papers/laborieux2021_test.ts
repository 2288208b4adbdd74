import { assert, assertEquals } from "../assert.ts";
import { paper } from "../../lib/papers/laborieux2021.ts";
import { assertAllRunAtSmoke } from "./harness.ts";
import { createRunContext } from "../../lib/runner/run.ts";
import type { RunContext } from "../../lib/runner/experiment.ts";

const ctx = (): RunContext => createRunContext({ quiet: true });

Deno.test("laborieux2021: every experiment runs at smoke scale with valid claims and tables", () =>
  assertAllRunAtSmoke(paper, ["fig1a", "fig2", "table1", "fig3", "fig4", "fig5a", "fig6ce"]));

Deno.test("laborieux2021: deterministic for a seed (fig6ce at smoke)", async () => {
  const exp = paper.experiments.find((e) => e.id === "fig6ce")!;
  const a = await exp.run(exp.configs.smoke, ctx());
  const b = await exp.run(exp.configs.smoke, ctx());
  assertEquals(a.tables, b.tables);
});

Deno.test("laborieux2021: missing USPS / CIFAR data give n/a claims, never numbers", async () => {
  const exp = paper.experiments.find((e) => e.id === "fig4")!;
  const res = await exp.run({ ...exp.configs.smoke, convSubstitute: false }, ctx());
  const na = res.claims.filter((c) => c.holds === null);
  assertEquals(na.map((c) => c.panel), ["Fig. 4c–d", "Fig. 4e–f", "Fig. 4g–h"]);
  assert(na.every((c) => c.ours.startsWith("not run")), "n/a claims must say what data to provide");
});
