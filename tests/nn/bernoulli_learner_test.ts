import { assert, assertEquals, assertThrows } from "../assert.ts";
import { BernoulliLearner, evaluateBernoulli } from "../../lib/nn/bernoulli_learner.ts";
import { Rng } from "../../lib/rng.ts";

function toy(n: number, seed: number) {
  const rng = new Rng(seed), d = 12;
  const proto = new Rng(99).fillNormal(new Float32Array(4 * d));
  const x = rng.fillNormal(new Float32Array(n * d)), y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rng.int(4);
    for (let j = 0; j < d; j++) x[i * d + j] = proto[y[i] * d + j] + 0.7 * x[i * d + j];
  }
  return { name: "toy", x, y, n, dim: d, classes: 4 };
}

Deno.test("BernoulliLearner: BiMU and BayesBiNN learn a toy task; state round trip is exact", () => {
  for (const method of ["bimu", "bayesbinn"] as const) {
    const learner = new BernoulliLearner({ method, sizes: [12, 48, 4], rng: new Rng(1) });
    if (method === "bayesbinn") assert(learner.net.layers[0].lambda.every((v) => v === 0)); // reference init
    learner.trainOn(toy(1500, 2), { batchSize: 1 });
    const ev = evaluateBernoulli(learner.net, toy(300, 3), { samples: 5, rng: new Rng(4) });
    assert(ev.accuracy > 0.85, `${method} accuracy ${ev.accuracy}`);
    assertEquals(ev.score, ev.epistemic);
    // resuming from a state gives the same numbers as continuing
    const s = learner.getState();
    const more = toy(50, 5);
    learner.trainOn(more, { batchSize: 1 });
    const a = learner.net.getState();
    const again = new BernoulliLearner({ method, sizes: [12, 48, 4], rng: new Rng(7) });
    again.setState(s);
    again.trainOn(more, { batchSize: 1 });
    assertEquals(again.net.getState(), a);
    assertEquals(again.steps, learner.steps);
    const p = learner.probPlus();
    assertEquals(p.length, 12 * 48 + 48 * 4);
    assert(p.every((v) => v >= 0 && v <= 1));
  }
  assertThrows(() =>
    new BernoulliLearner({ method: "ste" as "bimu", sizes: [2, 2], rng: new Rng(0) })
  );
});
