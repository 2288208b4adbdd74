import { assert, assertEquals } from "../assert.ts";
import { createRunContext } from "../../lib/runner/run.ts";
import { paper } from "../../lib/papers/misba2021.ts";
import { assertAllRunAtSmoke, assertResumeMatches } from "./harness.ts";

Deno.test("misba2021: every experiment runs at smoke scale with valid claims and figures", () =>
  assertAllRunAtSmoke(paper, ["state_statistics", "states", "margin", "spread"]));

// Dropping the ex-situ transfer units checks that the programmed devices are restored.
Deno.test("misba2021: deterministic, and a resumed run gives the same numbers", () =>
  assertResumeMatches(paper, "states", "transfer"));

Deno.test("misba2021: with several seeds the spread and state claims are judged on paired differences", async () => {
  const quiet = createRunContext({ quiet: true, seed: 3 });
  for (const id of ["spread", "states"]) {
    const exp = paper.experiments.find((e) => e.id === id)!;
    const res = await exp.run({ ...exp.configs.smoke, seeds: 2 }, quiet);
    const judged = res.claims.filter((c) => c.ours.includes("(s.e., 2 seeds)"));
    assert(judged.length > 0, `${id}: no claim reports the paired difference`);
    for (const c of judged) assertEquals(typeof c.holds, "boolean", c.quantity);
  }
  // one seed: no standard error, so the claim is not judged
  const spread = paper.experiments.find((e) => e.id === "spread")!;
  const one = await spread.run(spread.configs.smoke, quiet);
  assert(one.claims.every((c) => c.holds === null && !c.ours.includes("s.e.")));
});
