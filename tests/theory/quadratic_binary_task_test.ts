import {
  assert,
  assertAlmostEquals,
  assertArrayClose,
  assertEquals,
  assertThrows,
} from "../assert.ts";
import {
  binByMagnitude,
  cornerDrift,
  cornerStability,
  fig6aTask,
  fig6bTask,
  flipLossIncrease,
  flipLossIncreaseBruteForce,
  quadraticLoss,
  quadraticTask,
  trainBinaryQuadratic,
} from "../../lib/theory/quadratic_binary_task.ts";
import { pearson } from "../../lib/theory/diagonal_newton.ts";
import { Rng } from "../../lib/rng.ts";

Deno.test("closed-form flip loss equals brute force to machine precision (d = 150)", () => {
  const rng = new Rng(3);
  const task = fig6bTask(rng, { d: 150 });
  const b = Float64Array.from({ length: 150 }, () => (rng.uniform() < 0.5 ? -1 : 1));
  const closed = flipLossIncrease(task, b);
  const brute = flipLossIncreaseBruteForce(task, b);
  let maxAbs = 0;
  for (const v of brute) maxAbs = Math.max(maxAbs, Math.abs(v));
  for (let i = 0; i < 150; i++) {
    assert(Math.abs(closed[i] - brute[i]) <= 1e-11 * maxAbs, `flip ${i}`);
  }
});

Deno.test("Fig. 6a: hand-computed loss and drift; W_h,1 drifts linearly, W_h,2 oscillates", () => {
  const task = fig6aTask();
  // L(1,1) = ½·(−0.5, 0.5) H (−0.5, 0.5)ᵀ = ½·0.25·(2.4047 − 2·0.2158 + 0.7733)
  assertAlmostEquals(quadraticLoss(task, [1, 1]), 0.125 * (2.4047 - 0.4316 + 0.7733), 1e-12);
  const drift = cornerDrift(task, [1, 1], { lr: 0.35 });
  assertArrayClose(drift, [
    0.35 * (2.4047 * 0.5 - 0.2158 * 0.5),
    -0.35 * (0.2158 * -0.5 + 0.7733 * 0.5),
  ], 1e-12);
  assertEquals(cornerStability(task, [1, 1]).unstable, [1]);
  const run = trainBinaryQuadratic(task, {
    lr: 0.35,
    steps: 500,
    init: [0.01, 0.02],
    recordTrajectory: true,
  });
  assert(run.hidden[0] > 100, "W_h,1 leaves the cube");
  assert(Math.abs(run.hidden[1]) < 1, "W_h,2 stays near zero");
  // ΔL_i = 2H_ii − 2b_i g_i = 2H_ii + (2/η)|drift_i| at a stable component
  const dl = flipLossIncrease(task, [1, 1]);
  assertAlmostEquals(dl[0], 2 * 2.4047 + (2 / 0.35) * Math.abs(drift[0]), 1e-12);
});

Deno.test("Fig. 6b-style run: stable hidden weights drift linearly and ΔL correlates with |W_h|", () => {
  const rng = new Rng(1);
  const d = 100;
  const task = fig6bTask(rng, { d });
  const init = Float64Array.from({ length: d }, () => 0.01 * rng.normal());
  const a = trainBinaryQuadratic(task, { lr: 0.01, steps: 600, init });
  const b = trainBinaryQuadratic(task, { lr: 0.01, steps: 601, init });
  // one more step at a stable corner adds exactly the drift
  const st = cornerStability(task, a.binary);
  const drift = cornerDrift(task, a.binary, { lr: 0.01 });
  let checked = 0;
  for (let i = 0; i < d; i++) {
    if (st.unstable.includes(i)) continue;
    assertAlmostEquals(b.hidden[i] - a.hidden[i], drift[i], 1e-9);
    checked++;
  }
  assert(checked > d / 2, `${checked} stable weights`);
  const dl = flipLossIncrease(task, a.binary);
  const r = pearson(Array.from(a.hidden, Math.abs), dl);
  assert(r > 0.8, `Pearson ${r}`);
});

Deno.test("binByMagnitude: bins, means and population std", () => {
  const bins = binByMagnitude([1, 3, 10, 20], [0.1, -0.2, 0.9, 1.0], { bins: 2 });
  assertEquals(bins.map((x) => x.count), [2, 2]);
  assertAlmostEquals(bins[0].mean, 2, 1e-15);
  assertAlmostEquals(bins[0].std, 1, 1e-15);
  assertAlmostEquals(bins[1].mean, 15, 1e-15);
  assertThrows(() => binByMagnitude([1], [0]), RangeError, "zero");
});

Deno.test("deterministic for a seed; input checks", () => {
  const a = fig6bTask(new Rng(9), { d: 20 });
  const b = fig6bTask(new Rng(9), { d: 20 });
  assertEquals(a.hessian, b.hessian);
  assertEquals(a.target, b.target);
  assertThrows(() => quadraticTask([1, 2, 3], [1, 2]), RangeError, "hessian");
  assertThrows(() => flipLossIncrease(a, new Float64Array(20)), RangeError, "±1");
  assertThrows(() => trainBinaryQuadratic(a, { lr: 0.1, steps: 5, init: [0] }), RangeError, "init");
});
