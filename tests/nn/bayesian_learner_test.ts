import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import { ContinualLearner, evaluate, METHODS } from "../../lib/nn/bayesian_learner.ts";
import { Rng } from "../../lib/rng.ts";
import type { Dataset } from "../../lib/data/datasets.ts";
import type { EwcState } from "../../lib/optim/ewc.ts";

function toy(n: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const x = rng.fillNormal(new Float32Array(n * 6));
  const y = Int32Array.from(
    { length: n },
    (_, i) => (x[i * 6] > 0 ? 1 : 0) + (x[i * 6 + 1] > 0 ? 1 : 0),
  );
  return { name: "toy", x, y, n, dim: 6, classes: 3 };
}

Deno.test("every method trains, and a restored state continues identically", () => {
  const ds = toy(64, 1);
  for (const method of METHODS) {
    const mk = () =>
      new ContinualLearner({
        method,
        sizes: [6, 8, 3],
        rng: new Rng(2),
        trainSamples: 2,
        lr: 0.05,
        sigmaInit: 0.1,
        mesu: { sigmaPrior: 1, memory: 50 },
      });
    const a = mk();
    const before = a.net.params().map((p) => p.slice());
    a.trainOn(ds, { batchSize: 8 });
    a.endTask(ds);
    assert(
      a.net.params().some((p, i) => p.some((v, j) => v !== before[i][j])),
      `${method} did not move`,
    );
    const saved = a.getState();
    a.trainOn(ds, { batchSize: 8 });
    const b = mk();
    b.setState(structuredClone(saved));
    b.trainOn(ds, { batchSize: 8 });
    a.net.params().forEach((p, i) => assertEquals(p, b.net.params()[i], `${method} param ${i}`));
    assertEquals(a.steps, 16);
  }
  assertThrows(() =>
    new ContinualLearner({ method: "adam" as "sgd", sizes: [2, 2], rng: new Rng(0) })
  );
});

Deno.test("online EWC consolidates the mean squared per-example gradient at the task end", () => {
  const ds = toy(10, 3);
  const l = new ContinualLearner({
    method: "online-ewc",
    sizes: [6, 4, 3],
    rng: new Rng(4),
    ewcLambda: 2,
    ewcGamma: 0.2,
  });
  l.endTask(ds, { batchSize: 4 });
  const ref = l.net.params().map((p) => new Float32Array(p.length));
  for (let r = 0; r < 10; r++) {
    const g =
      l.net.lossAndGrad(ds.x.subarray(r * 6, r * 6 + 6), ds.y.subarray(r, r + 1), { samples: 1 })
        .grads;
    g.forEach((b, i) => b.forEach((v, j) => ref[i][j] += v * v / 10));
  }
  const st = l.penalty as EwcState;
  assertEquals(st.terms.length, 1);
  st.terms[0].fisher.forEach((f, i) => f.forEach((v, j) => assertAlmostEquals(v, ref[i][j], 1e-5)));
});

Deno.test("stream EWC per-sample mode adds mean_b ∂ℓ_b² after a step", () => {
  const ds = toy(8, 5);
  const l = new ContinualLearner({
    method: "stream-ewc",
    sizes: [6, 4, 3],
    rng: new Rng(6),
    streamFisher: "per-sample",
    ewcGamma: 0.5,
  });
  const sq = l.net.squaredSampleGrads(ds.x, ds.y);
  l.step(ds.x, ds.y);
  const st = l.penalty as EwcState;
  st.terms[0].fisher.forEach((f, i) =>
    f.forEach((v, j) => assertAlmostEquals(v, sq[i][j] / 8, 1e-5))
  );
});

Deno.test("evaluate: deterministic nets have zero epistemic uncertainty; Bayesian nets score by it", () => {
  const ds = toy(50, 7);
  const det = new ContinualLearner({ method: "sgd", sizes: [6, 8, 3], rng: new Rng(8) });
  const e = evaluate(det.net, ds, { samples: 4, rng: new Rng(1) });
  assert(e.epistemic.every((v) => v === 0));
  assertEquals(e.score, e.total);
  const bay = new ContinualLearner({ method: "mesu", sizes: [6, 8, 3], rng: new Rng(8) });
  const b = evaluate(bay.net, ds, { samples: 4, rng: new Rng(1), limit: 20 });
  assertEquals(b.score.length, 20);
  assert(b.epistemic.some((v) => v > 1e-4));
  assertEquals(b.score, b.epistemic);
});
