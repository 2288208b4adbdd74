import { paper, softmaxRegression } from "../../lib/papers/demo.ts";
import { createRunContext, validateResult } from "../../lib/runner/run.ts";
import type { Experiment } from "../../lib/runner/experiment.ts";
import { assert, assertEquals } from "../assert.ts";

Deno.test("demo: smoke run learns MNIST above chance, deterministically", async () => {
  assertEquals(paper.experiments.map((e) => e.id), ["softmax_regression"]);
  const run = () =>
    softmaxRegression.run(
      softmaxRegression.configs.smoke,
      createRunContext({ seed: 2, quiet: true }),
    );
  const a = await run(), b = await run();
  validateResult(softmaxRegression as unknown as Experiment, a);
  assertEquals(a.tables, b.tables);
  const acc = a.tables.curve.at(-1)!.testAccuracy as number;
  assert(acc > 0.8, `smoke accuracy ${acc}`);
});
