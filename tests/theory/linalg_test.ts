import { assert, assertAlmostEquals, assertArrayClose, assertThrows } from "../assert.ts";
import {
  asymmetry,
  cholesky,
  haarOrthogonal,
  householder,
  householderSpd,
  identity,
  matMul,
  rotatedSpd,
  symmetricEigen,
} from "../../lib/theory/linalg.ts";
import { Rng } from "../../lib/rng.ts";

Deno.test("Householder reflection is symmetric orthogonal; householderSpd keeps the eigenvalues", () => {
  const rng = new Rng(11);
  const a = householder([1, 2, -0.5]);
  assertArrayClose(matMul(a, a), identity(3), 1e-12);
  const lambda = [5 * 0.3, 5 * 0.9];
  const h = householderSpd(lambda, rng);
  assert(asymmetry(h) === 0);
  cholesky(h);
  const e = symmetricEigen(h);
  assertArrayClose(e.values, [1.5, 4.5], 1e-12);
});

Deno.test("haarOrthogonal: RᵀR = I; rotatedSpd: symmetric, Cholesky succeeds, spectrum preserved", () => {
  const rng = new Rng(1);
  const d = 40;
  const r = haarOrthogonal(d, rng);
  assertArrayClose(matMul(r, r, { transposeA: true }), identity(d), 1e-12);
  const lambda = Float64Array.from({ length: d }, () => 20 + 19 * (rng.uniform() - 0.5));
  const h = rotatedSpd(lambda, rng);
  assert(asymmetry(h) === 0);
  cholesky(h);
  const e = symmetricEigen(h);
  assertArrayClose(e.values, Float64Array.from(lambda).sort(), 1e-10);
  let tr = 0;
  for (let i = 0; i < d; i++) tr += h[i * d + i];
  assertAlmostEquals(tr, lambda.reduce((x, y) => x + y, 0), 1e-9);
});

Deno.test("haarOrthogonal is Haar: trace moments E[tr R] = 0, E[tr² R] = 1 (fails without sign correction)", () => {
  const rng = new Rng(7);
  const d = 4, n = 3000;
  let t1 = 0, t2 = 0;
  for (let k = 0; k < n; k++) {
    const r = haarOrthogonal(d, rng);
    let tr = 0;
    for (let i = 0; i < d; i++) tr += r[i * d + i];
    t1 += tr;
    t2 += tr * tr;
  }
  // Haar O(d), d ≥ 4: tr R has mean 0, variance 1 and fourth moment 3 (uncorrected QR gives ≈ −1.6)
  assertAlmostEquals(t1 / n, 0, 4 / Math.sqrt(n));
  assertAlmostEquals(t2 / n, 1, 4 * Math.sqrt(2 / n));
});

Deno.test("cholesky rejects indefinite matrices; eigen rejects asymmetric ones", () => {
  assertThrows(() => cholesky(new Float64Array([1, 2, 2, 1])), RangeError, "positive-definite");
  assertThrows(() => symmetricEigen(new Float64Array([1, 2, 0, 1])), RangeError, "symmetric");
  assertThrows(() => rotatedSpd([1, -1], new Rng(0)), RangeError, "positive");
});
