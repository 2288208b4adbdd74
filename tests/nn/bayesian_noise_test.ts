import { assert, assertAlmostEquals, assertEquals } from "../assert.ts";
import { fillNormalZiggurat } from "../../lib/nn/bayesian_noise.ts";
import { Rng } from "../../lib/rng.ts";

function normalCdf(x: number): number {
  // Abramowitz–Stegun 7.1.26 on erf, |error| < 1.5e-7
  const t = 1 / (1 + 0.3275911 * Math.abs(x) / Math.SQRT2);
  const y = 1 -
    (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x / 2);
  return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

Deno.test("ziggurat: moments, tails and Kolmogorov–Smirnov distance of N(0, 1)", () => {
  const n = 400000;
  const z = fillNormalZiggurat(new Rng(11), new Float32Array(n));
  let m = 0, v = 0, k = 0, tail = 0;
  for (const x of z) {
    m += x;
    v += x * x;
    k += x ** 4;
    if (Math.abs(x) > 3) tail++;
  }
  m /= n;
  v /= n;
  k /= n;
  assertAlmostEquals(m, 0, 0.01);
  assertAlmostEquals(v, 1, 0.01);
  assertAlmostEquals(k, 3, 0.06);
  assertAlmostEquals(tail / n, 0.0026998, 0.0004);
  const s = Float64Array.from(z).sort();
  let d = 0;
  for (let i = 0; i < n; i += 7) d = Math.max(d, Math.abs(normalCdf(s[i]) - (i + 0.5) / n));
  assert(d < 0.004, `KS distance ${d}`);
});

Deno.test("ziggurat: deterministic for a seed, independent of buffer split", () => {
  const a = fillNormalZiggurat(new Rng(5), new Float32Array(1000));
  const r = new Rng(5);
  const b = new Float32Array(1000);
  fillNormalZiggurat(r, b.subarray(0, 400));
  fillNormalZiggurat(r, b.subarray(400));
  assertEquals(a, b);
});
