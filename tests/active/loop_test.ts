import { assert, assertEquals, assertThrows } from "../assert.ts";
import { type ActiveLearner, activePass, bernoulliActiveLearner } from "../../lib/active/loop.ts";
import { ActiveQuerier } from "../../lib/active/querier.ts";
import { BernoulliLearner } from "../../lib/nn/bernoulli_learner.ts";
import { Rng } from "../../lib/rng.ts";

function toy(n: number) {
  const x = new Float32Array(n * 2), y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    x[2 * i] = i;
  }
  return { name: "toy", x, y, n, dim: 2, classes: 3 };
}

Deno.test("activePass: updates exactly the queried samples and counts them", () => {
  // a fake learner whose K = 4 samples disagree on every third input (VR = 0.5), agree otherwise
  const updated: number[] = [];
  const learner: ActiveLearner = {
    classes: 3,
    querySamples: 4,
    sampleProbs(x) {
      const i = x[0];
      const votes = i % 3 === 0 ? [0, 0, 1, 1] : [2, 2, 2, 2];
      const p = new Float32Array(12);
      votes.forEach((c, k) => (p[k * 3 + c] = 1));
      return p;
    },
    update(x, y) {
      updated.push(x[0]);
      assertEquals(y.length, 1);
    },
  };
  const q = new ActiveQuerier({ threshold: 0.5 });
  const c = activePass(learner, toy(9), { querier: q });
  assertEquals(updated, [0, 3, 6]);
  assertEquals([c.seen, c.labels, c.updates], [9, 3, 3]);
  // counters accumulate over passes; τ = 0.6 queries nothing
  const q2 = new ActiveQuerier({ threshold: 0.6 });
  activePass(learner, toy(9), { querier: q2 });
  assertEquals(q2.counts().updates, 0);
  // "none" needs random querying or τ ≤ 0
  assertThrows(() =>
    activePass(learner, toy(3), { querier: new ActiveQuerier({ threshold: 0.5 }), score: "none" })
  );
  const all = activePass(learner, toy(3), {
    querier: new ActiveQuerier({ threshold: 0 }),
    score: "none",
  });
  assertEquals(all.updates, 3);
});

Deno.test("activePass with a BiMU learner: skipped samples leave λ untouched", () => {
  // inputs away from 0 (an all-zero input has an all-zero gradient, which BiMU skips too)
  const data = toy(20);
  for (let i = 0; i < 20; i++) data.x[2 * i + 1] = 1;
  const learner = new BernoulliLearner({ method: "bimu", sizes: [2, 6, 3], rng: new Rng(0) });
  const before = learner.net.getState();
  const active = bernoulliActiveLearner(learner, { rng: new Rng(1), querySamples: 10 });
  const never = new ActiveQuerier({ threshold: 2 }); // VR ≤ 1 < 2: nothing queried
  activePass(active, data, { querier: never });
  assertEquals(learner.net.getState(), before);
  assertEquals(learner.steps, 0);
  const always = new ActiveQuerier({ threshold: 0 });
  const c = activePass(active, data, { querier: always });
  assertEquals(c.updates, 20);
  assertEquals(learner.steps, 20);
  // an all-zero input gives an all-zero gradient: BiMU skips it and the querier does not count it
  const zero = { ...toy(1), x: new Float32Array(2) };
  const c0 = activePass(active, zero, { querier: new ActiveQuerier({ threshold: 0 }) });
  assertEquals([c0.labels, c0.updates], [1, 0]);
  assert(learner.net.getState()[0].some((v, i) => v !== before[0][i]));
});
