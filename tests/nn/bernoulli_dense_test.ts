import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import {
  BernoulliDense,
  fillSignedUniform,
  probPlus,
  relaxedWeight,
  relaxedWeightMean,
} from "../../lib/nn/bernoulli_dense.ts";
import { Rng } from "../../lib/rng.ts";

Deno.test("relaxed weight: the τ = 1 form (m + u)/(1 + m u) equals tanh(λ + ½ logit ε)", () => {
  for (const lambda of [-3, -0.7, 0, 0.2, 1.5]) {
    for (const eps of [1e-6, 0.1, 0.5, 0.77, 0.999]) {
      const u = 2 * eps - 1;
      const ref = Math.tanh(lambda + 0.5 * Math.log(eps / (1 - eps)));
      assertAlmostEquals(relaxedWeight(lambda, u), ref, 1e-12);
      assertAlmostEquals(
        relaxedWeight(lambda, u, { tau: 0.5 }),
        Math.tanh((lambda + 0.5 * Math.log(eps / (1 - eps))) / 0.5),
        1e-12,
      );
    }
  }
});

Deno.test("hard samples: P(w = +1) = sigmoid(2λ), entries ±1, both layouts agree in law", () => {
  const lambda = new Float32Array([-1, 0, 0.5, 2]);
  const layer = new BernoulliDense(2, 2, { lambda });
  const K = 20000;
  const w = layer.sampleHard(K, new Rng(4), { layout: "per-sample" });
  const plus = new Float64Array(4);
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < 4; j++) {
      const v = w[k * 4 + j];
      assert(v === 1 || v === -1);
      if (v === 1) plus[j]++;
    }
  }
  for (let j = 0; j < 4; j++) {
    const p = probPlus(lambda[j]);
    assertAlmostEquals(plus[j] / K, p, 4 * Math.sqrt(p * (1 - p) / K) + 1e-9);
  }
  // stacked layout: [i, k·out + o]
  const ws = layer.sampleHard(K, new Rng(4), { layout: "stacked" });
  let s = 0;
  for (let k = 0; k < K; k++) s += ws[1 * (K * 2) + k * 2 + 1]; // weight (i = 1, o = 1), λ = 2
  assertAlmostEquals(s / K, Math.tanh(2), 0.02);
});

Deno.test("relaxed samples: mean matches the closed form at τ = 1 and tends to tanh λ as τ → 0", () => {
  const lambda = new Float32Array([-1.5, 0, 0.4, 1]);
  const layer = new BernoulliDense(1, 4, { lambda });
  const K = 40000;
  const mean = (tau: number) => {
    const s = layer.sampleRelaxed(K, new Rng(9), { tau, layout: "per-sample" });
    const m = new Float64Array(4);
    for (let k = 0; k < K; k++) for (let j = 0; j < 4; j++) m[j] += s.w[k * 4 + j] / K;
    return m;
  };
  const m1 = mean(1);
  for (let j = 0; j < 4; j++) assertAlmostEquals(m1[j], relaxedWeightMean(lambda[j]), 0.01);
  assertAlmostEquals(
    relaxedWeightMean(1),
    (Math.tanh(1) - (1 - Math.tanh(1) ** 2)) / Math.tanh(1) ** 2,
    1e-12,
  );
  assertAlmostEquals(relaxedWeightMean(1e-6), (2 / 3) * 1e-6, 1e-12);
  const m0 = mean(0.01);
  for (let j = 0; j < 4; j++) assertAlmostEquals(m0[j], Math.tanh(lambda[j]), 0.015);
});

// Tiny problem: two weights, L(w) = (w1 + 2·w2 − 0.5)². The relaxed (reparameterised) estimator of
// ∂/∂λ is ∂L/∂w̃ · (1 − w̃²)/τ averaged over the noise.
function estimatorMean(lambda: Float32Array, tau: number, K: number, seed: number): number[] {
  const s = new BernoulliDense(2, 1, { lambda }).sampleRelaxed(K, new Rng(seed), {
    tau,
    layout: "per-sample",
  });
  let g0 = 0, g1 = 0;
  for (let k = 0; k < K; k++) {
    const a = s.w[2 * k], b = s.w[2 * k + 1];
    const d = 2 * (a + 2 * b - 0.5);
    g0 += (d * (1 - a * a)) / tau;
    g1 += (2 * d * (1 - b * b)) / tau;
  }
  return [g0 / K, g1 / K];
}

Deno.test("estimator: at τ = 1 its expectation is the gradient of the relaxed objective (quadrature)", () => {
  const lambda = new Float32Array([0.7, -0.4]);
  // E[w̃] and E[w̃²] under u ~ U(−1, 1) by midpoint quadrature, then central differences in λ.
  const moments = (l: number) => {
    const M = 200000;
    let m1 = 0, m2 = 0;
    for (let i = 0; i < M; i++) {
      const w = relaxedWeight(l, -1 + (2 * (i + 0.5)) / M);
      m1 += w / M;
      m2 += (w * w) / M;
    }
    return [m1, m2];
  };
  // E[L] = E[w̃1²] + 4E[w̃1]E[w̃2] + 4E[w̃2²] − E[w̃1] − 2E[w̃2] + 0.25 (independent weights)
  const objective = (l0: number, l1: number) => {
    const [a1, a2] = moments(l0), [b1, b2] = moments(l1);
    return a2 + 4 * a1 * b1 + 4 * b2 - a1 - 2 * b1 + 0.25;
  };
  const h = 1e-3;
  const exact = [
    (objective(0.7 + h, -0.4) - objective(0.7 - h, -0.4)) / (2 * h),
    (objective(0.7, -0.4 + h) - objective(0.7, -0.4 - h)) / (2 * h),
  ];
  const est = estimatorMean(lambda, 1, 200000, 3);
  assertAlmostEquals(est[0], exact[0], 0.015); // MC standard error ≈ 0.004
  assertAlmostEquals(est[1], exact[1], 0.015);
});

Deno.test("estimator: as τ → 0 its expectation approaches the exact Bernoulli gradient", () => {
  const lambda = new Float32Array([0.7, -0.4]);
  const L = (w1: number, w2: number) => (w1 + 2 * w2 - 0.5) ** 2;
  // ∂/∂λ_i E_q[L] by enumeration, with ∂q(w_i)/∂λ_i = 2 w_i q(w_i)(1 − q(w_i))
  const exact = [0, 0];
  for (const w1 of [-1, 1]) {
    for (const w2 of [-1, 1]) {
      const q1 = probPlus(w1 * lambda[0]), q2 = probPlus(w2 * lambda[1]);
      exact[0] += L(w1, w2) * 2 * w1 * q1 * (1 - q1) * q2;
      exact[1] += L(w1, w2) * 2 * w2 * q2 * (1 - q2) * q1;
    }
  }
  const err = [1, 0.3, 0.05].map((tau) => {
    const g = estimatorMean(lambda, tau, 200000, 11);
    return Math.hypot(g[0] - exact[0], g[1] - exact[1]);
  });
  assert(err[0] > err[1] && err[1] > err[2], `bias should shrink with τ: ${err}`);
  assert(err[2] < 0.25, `τ = 0.05 bias ${err[2]}`);
  assert(err[0] > 1, `τ = 1 is a biased estimator of the Bernoulli gradient (${err[0]})`);
});

Deno.test("BernoulliDense: init, footprint, noise range and errors", () => {
  const l = new BernoulliDense(100, 10, { rng: new Rng(1) });
  assert(l.lambda.every((v) => Math.abs(v) <= 0.1));
  assertEquals(l.footprintBytes(), 4000);
  assertEquals(new BernoulliDense(3, 2, { init: "zero" }).lambda, new Float32Array(6));
  const u = fillSignedUniform(new Rng(2), new Float32Array(10000));
  assert(u.every((v) => v > -1 && v < 1));
  assertThrows(() => new BernoulliDense(3, 2));
  assertThrows(() => new BernoulliDense(0, 2, { init: "zero" }));
  assertThrows(() => new BernoulliDense(2, 2, { lambda: new Float32Array(3) }));
  assertThrows(() => l.sampleRelaxed(2, new Rng(0), { tau: 0 }));
});

Deno.test("relaxedForward: same noise as sampleRelaxed, z = x·w̃_k and slope = 1 − w̃²", () => {
  const layer = new BernoulliDense(7, 5, { rng: new Rng(4) });
  const x = new Rng(5).fillNormal(new Float32Array(7));
  const K = 3;
  const { w } = layer.sampleRelaxed(K, new Rng(6)); // stacked 7 × (3·5)
  const rng = new Rng(6);
  const fwd = layer.relaxedForward(x, K, rng);
  assertEquals(
    rng.getState(),
    (() => {
      const r = new Rng(6);
      layer.sampleRelaxed(K, r);
      return r.getState();
    })(),
  );
  for (let k = 0; k < K; k++) {
    for (let o = 0; o < 5; o++) {
      let z = 0;
      for (let i = 0; i < 7; i++) z += x[i] * w[i * K * 5 + k * 5 + o];
      assertAlmostEquals(fwd.z[k * 5 + o], z, 1e-5);
    }
  }
  for (let j = 0; j < w.length; j++) assertAlmostEquals(fwd.slope[j], 1 - w[j] * w[j], 1e-6);
  assertThrows(() => layer.relaxedForward(new Float32Array(6), K, rng), RangeError, "expected 7");
});
