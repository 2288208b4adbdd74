import {
  assert,
  assertAlmostEquals,
  assertArrayClose,
  assertEquals,
  assertThrows,
} from "../assert.ts";
import {
  compareCurvature,
  curvatureFromSigma,
  diagonalHessianFiniteDiff,
  pearson,
  precisionFixedPoint,
  precisionStep,
  precisionStepArray,
  ranks,
  sigmaStepFromCurvature,
  softmaxLastLayerHessianDiagonal,
  spearman,
} from "../../lib/theory/diagonal_newton.ts";
import { Rng } from "../../lib/rng.ts";

Deno.test("precisionStep: hand-computed scalar and array steps", () => {
  assertAlmostEquals(precisionStep(4, 1, { memory: 2, priorSigma: 1 }), 3.5, 1e-15);
  const a = precisionStep(new Float32Array([4, 2]), 1, { memory: 2, priorSigma: 1 });
  assertEquals(a, new Float32Array([3.5, 2.5]));
  const b = precisionStep(new Float32Array([4, 2]), new Float32Array([1, 3]), {
    memory: 4,
    priorSigma: 0.5,
  });
  assertArrayClose(b, [0.75 * 4 + 1 + 1, 0.75 * 2 + 3 + 1], 1e-7);
  // BGD: N = ∞ → P_t = P_{t−1} + H_t
  assertAlmostEquals(precisionStep(2, 0.5, { memory: Infinity, priorSigma: 1 }), 2.5, 1e-15);
  // in place
  const p = new Float32Array([1, 1]);
  precisionStepArray(p, 1, { memory: 2, priorSigma: 1, out: p });
  assertEquals(p, new Float32Array([2, 2]));
});

Deno.test("precision recursion converges geometrically to N·H + 1/σ_p²", () => {
  const opts = { memory: 50, priorSigma: 0.5 };
  const H = 0.3;
  const star = precisionFixedPoint(H, opts);
  assertAlmostEquals(star, 50 * 0.3 + 4, 1e-12);
  let p = 1;
  for (let t = 1; t <= 2000; t++) {
    p = precisionStep(p, H, opts);
    // exact transient: P_t − P* = (1 − 1/N)^t (P_0 − P*)
    if (t % 500 === 0) assertAlmostEquals(p - star, (1 - 1 / 50) ** t * (1 - star), 1e-9);
  }
  assertAlmostEquals(p, star, 1e-9);
  assertAlmostEquals(curvatureFromSigma(1 / Math.sqrt(star), opts), H, 1e-12);
});

Deno.test("first-order σ step keeps σ² near the fixed point of the precision recursion", () => {
  const opts = { memory: 1000, priorSigma: 1 };
  let s = 1;
  for (let t = 0; t < 20000; t++) s = sigmaStepFromCurvature(s, 0.01, opts);
  const star = 1 / precisionFixedPoint(0.01, opts);
  // the σ rule's exact fixed point satisfies σ²H·N = 1 − σ²/σ_p², i.e. the same relation
  assertAlmostEquals(s * s, star, 1e-9);
  assertThrows(() => sigmaStepFromCurvature(1, 3, opts), RangeError, "non-positive");
});

Deno.test("precision helpers reject bad options", () => {
  assertThrows(() => precisionStep(1, 1, { memory: 0.5, priorSigma: 1 }), RangeError, "memory");
  assertThrows(() => precisionStep(1, 1, { memory: 10, priorSigma: 0 }), RangeError, "priorSigma");
  assertThrows(() => precisionStep(1, NaN, { memory: 10, priorSigma: 1 }), RangeError, "NaN");
  assertThrows(
    () => precisionStep(new Float32Array(2), new Float32Array(3), { memory: 10, priorSigma: 1 }),
    RangeError,
    "entries",
  );
});

Deno.test("diagonalHessianFiniteDiff matches analytic second derivatives", () => {
  const loss = (w: Float64Array) => 1.5 * w[0] ** 2 + w[0] * w[1] + 4 * w[1] ** 2 + Math.exp(w[2]);
  const w = new Float64Array([0.3, -1, 0.7]);
  const h = diagonalHessianFiniteDiff(loss, w);
  assertArrayClose(h, [3, 8, Math.exp(0.7)], 1e-6);
  assertEquals(w, new Float64Array([0.3, -1, 0.7])); // restored
  assertThrows(() => diagonalHessianFiniteDiff(() => NaN, w), RangeError, "not");
});

Deno.test("softmax last-layer Hessian diagonal equals finite differences of the summed NLL", () => {
  const rng = new Rng(5);
  const B = 4, J = 3, C = 3;
  const a = Float64Array.from({ length: B * J }, () => rng.normal());
  const bias = Float64Array.from({ length: C }, () => rng.normal());
  const labels = [0, 2, 1, 2];
  const w0 = Float64Array.from({ length: J * C }, () => 0.5 * rng.normal()); // in_out: J×C
  const logits = (w: Float64Array) => {
    const z = new Float64Array(B * C);
    for (let b = 0; b < B; b++) {
      for (let c = 0; c < C; c++) {
        let s = bias[c];
        for (let j = 0; j < J; j++) s += a[b * J + j] * w[j * C + c];
        z[b * C + c] = s;
      }
    }
    return z;
  };
  const nll = (w: Float64Array) => {
    const z = logits(w);
    let l = 0;
    for (let b = 0; b < B; b++) {
      let m = -Infinity;
      for (let c = 0; c < C; c++) m = Math.max(m, z[b * C + c]);
      let s = 0;
      for (let c = 0; c < C; c++) s += Math.exp(z[b * C + c] - m);
      l += m + Math.log(s) - z[b * C + labels[b]];
    }
    return l;
  };
  const exact = softmaxLastLayerHessianDiagonal(a, logits(w0), { batch: B, inputs: J, classes: C });
  const fd = diagonalHessianFiniteDiff(nll, w0);
  assertArrayClose(exact, fd, 1e-5);
  // the transposed layout holds the same numbers
  const t = softmaxLastLayerHessianDiagonal(a, logits(w0), {
    batch: B,
    inputs: J,
    classes: C,
    layout: "out_in",
  });
  for (let j = 0; j < J; j++) {
    for (let c = 0; c < C; c++) assertEquals(t[c * J + j], exact[j * C + c]);
  }
  assertThrows(
    () => softmaxLastLayerHessianDiagonal(a, logits(w0), { batch: B, inputs: 2, classes: C }),
    RangeError,
  );
});

Deno.test("pearson and spearman: hand values, ties, invariances", () => {
  assertAlmostEquals(pearson([1, 2, 3], [2, 4, 6]), 1, 1e-15);
  assertAlmostEquals(pearson([1, 2, 3], [3, 2, 1]), -1, 1e-15);
  // hand-computed: x = (1,2,3,4), y = (1,3,2,4): cov 1.25·... → r = 0.8
  assertAlmostEquals(pearson([1, 2, 3, 4], [1, 3, 2, 4]), 0.8, 1e-12);
  assertAlmostEquals(spearman([1, 2, 3, 4], [1, 10, 100, 1000]), 1, 1e-15);
  assertEquals(ranks([10, 20, 20, 5]), new Float64Array([2, 3.5, 3.5, 1]));
  assert(Number.isNaN(pearson([1, 1, 1], [1, 2, 3])));
  assertThrows(() => pearson([1], [1]), RangeError);
  assertThrows(() => pearson([1, 2], [1, NaN]), RangeError, "non-finite");
  const c = compareCurvature([1, 2, 3, 4], [2, 4, 6, 8]);
  assertAlmostEquals(c.scale, 2, 1e-12);
  assertAlmostEquals(c.pearson, 1, 1e-12);
});
