import { assert, assertEquals } from "../assert.ts";
import { paper } from "../../lib/papers/mesu2023.ts";
import type { RunContext } from "../../lib/runner/experiment.ts";
import { createRunContext } from "../../lib/runner/run.ts";

Deno.test("mesu2023: pmnist100 runs at smoke scale with claims, deterministically", async () => {
  assertEquals(paper.key, "mesu2023");
  const mk = (): RunContext => createRunContext({ seed: 4, quiet: true });
  const exp = paper.experiments[0];
  const a = await exp.run(exp.configs.smoke, mk());
  assert(a.claims.length >= 2);
  assert(a.claims.some((c) => c.note?.includes("Fashion-MNIST")));
  const b = await exp.run(exp.configs.smoke, mk());
  assertEquals(a.tables, b.tables);
});
