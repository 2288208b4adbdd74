import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import { bimu, bimuConfig, bimuDelta, bimuEffectiveLearningRate } from "../../lib/optim/bimu.ts";
import { Rng } from "../../lib/rng.ts";

const PAPER = {
  lr: 4.9,
  likelihoodMultiplier: 161.3,
  klMultiplier: 3.76,
  lrMax: 0.0023,
  memory: 700,
};

Deno.test("bimu: one step against hand-computed values (1000-task PMNIST settings)", () => {
  // Δλ = −(η g' + s λ/N)/(s + 2 g' tanh λ + 2|g'| + 1/α_max), g' = κ_ℓ g, s = κ_KL sech² λ,
  // evaluated independently in float64 (python):
  //   λ = 0.5,  g = 0.01  → −0.017868001053425075
  //   λ = −1.2, g = 0.003 → −0.005432689029438725
  //   λ = 2,    g = 0     → −1.7446150129528356e-06 (forgetting only)
  //   λ = 0,    g = −0.02 → +0.035522677558575216
  const opt = bimu(PAPER);
  const lam = [new Float32Array([0.5, -1.2]), new Float32Array([2, 0])];
  const grads = [new Float32Array([0.01, 0.003]), new Float32Array([0, -0.02])];
  const state = opt.init(lam);
  opt.step(lam, grads, state);
  const expected = [
    0.5 - 0.017868001053425075,
    -1.2 - 0.005432689029438725,
    2 - 1.7446150129528356e-06,
    0.035522677558575216,
  ];
  const got = [lam[0][0], lam[0][1], lam[1][0], lam[1][1]];
  for (let i = 0; i < 4; i++) assertAlmostEquals(got[i], expected[i], 2e-7);
  assertEquals(state.step, 1);
  // the scalar helper is the same rule
  const c = bimuConfig(PAPER);
  assertAlmostEquals(bimuDelta(0.5, 0.01, c), -0.017868001053425075, 1e-12);
});

Deno.test("bimu: skips the whole update (forgetting included) when every gradient is zero", () => {
  const opt = bimu(PAPER);
  const lam = [new Float32Array([0.5, -3]), new Float32Array([2])];
  const before = lam.map((l) => l.slice());
  const state = opt.init(lam);
  opt.step(lam, [new Float32Array(2), new Float32Array(1)], state);
  assertEquals(lam, before);
  assertEquals(state.step, 0);
});

Deno.test("bimu: with g = 0 and s ≫ 1/α_max the weight relaxes by ≈ λ/N per update", () => {
  const N = 50;
  const opt = bimu({ lr: 1, klMultiplier: 1, lrMax: 1e9, memory: N });
  const lam = [new Float32Array([0.3, 0]), new Float32Array([1])];
  const state = opt.init(lam);
  // a nonzero gradient elsewhere keeps the step from being skipped
  opt.step(lam, [new Float32Array([0, 0]), new Float32Array([0.5])], state);
  assertAlmostEquals(lam[0][0], 0.3 * (1 - 1 / N), 1e-6);
  assertEquals(lam[0][1], 0);
});

Deno.test("bimu: reinforcing steps are ≈ α_max·η·g, flipping steps of confident weights ≈ η/4", () => {
  const c = bimuConfig({
    lr: 1,
    likelihoodMultiplier: 1,
    klMultiplier: 1,
    lrMax: 0.01,
    memory: 1e12,
  });
  // λ = 4 (confident +1): g < 0 reinforces (Δλ > 0), g > 0 pushes towards a flip
  const reinf = bimuDelta(4, -1e-3, c);
  assertAlmostEquals(reinf, 0.01 * 1e-3, 1e-7);
  const flip = bimuDelta(4, 1e5, c); // |g| ≫ 1/α_max: saturates at η/4 in λ units
  assertAlmostEquals(flip, -0.25, 5e-3);
  // no step is larger than α_max·η·|g'|
  for (const l of [-5, -1, 0, 0.3, 2, 6]) {
    for (const g of [-3, -0.1, 0.02, 1]) {
      assert(Math.abs(bimuDelta(l, g, c)) <= 0.01 * Math.abs(g) + 1e-12);
    }
  }
});

Deno.test("bimu: effective learning rate map of main-learning-rate.ipynb (α_max = 1)", () => {
  assertAlmostEquals(bimuEffectiveLearningRate(0, 0), 0.5, 1e-12);
  // reinforcing quadrant (λ > 0, g < 0): ≈ 1
  assertAlmostEquals(
    bimuEffectiveLearningRate(5, -0.5),
    1 / (1 + 1 + (1 - Math.tanh(5) ** 2) - Math.tanh(5)),
    1e-12,
  );
  assert(bimuEffectiveLearningRate(5, -0.5) > 0.99);
  // flipping quadrant: ≈ 1/3 at |g| = 0.5
  assertAlmostEquals(bimuEffectiveLearningRate(5, 0.5), 1 / 3, 1e-3);
  assertAlmostEquals(bimuEffectiveLearningRate(-5, -0.5), 1 / 3, 1e-3);
});

Deno.test("bimu: rejects bad hyper-parameters and non-finite gradients", () => {
  assertThrows(() => bimu({ lrMax: 0 }));
  assertThrows(() => bimu({ memory: -1 }));
  assertThrows(() => bimu({ lr: NaN }));
  const opt = bimu();
  const lam = [new Float32Array([0])];
  assertThrows(() => opt.step(lam, [new Float32Array([NaN])], opt.init(lam)));
  assertThrows(() => opt.step(lam, [new Float32Array(2)], opt.init(lam)));
});

Deno.test("bimu: the SIMD float32 step agrees with the scalar loop over chunks and a ragged tail", () => {
  const o = {
    lr: 4.9,
    likelihoodMultiplier: 161.3,
    klMultiplier: 3.76,
    lrMax: 0.0023,
    memory: 700,
  };
  const rng = new Rng(9);
  const n = 16384 + 1003; // more than one chunk, length not a multiple of 4
  const lam = rng.fillUniform(new Float32Array(n), -6, 6);
  const g = rng.fillNormal(new Float32Array(n), 0, 0.01);
  const [a, b] = [true, false].map((simd) => {
    const p = [Float32Array.from(lam), Float32Array.from(lam.subarray(0, 10))];
    const opt = bimu({ ...o, simd });
    opt.step(p, [g, g.subarray(0, 10)], opt.init(p));
    return p;
  });
  a.forEach((buf, p) =>
    buf.forEach((v, i) => assertAlmostEquals(v, b[p][i], 2e-6 * (1 + Math.abs(v)), `${p}:${i}`))
  );
  assert(a[0].some((v, i) => v !== lam[i]), "the step moved λ");
});
