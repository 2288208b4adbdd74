import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import { Rng } from "../../lib/rng.ts";
import {
  cdf,
  type Distribution,
  drawParameter,
  normCdf,
  normIsf,
  normPpf,
  pdf,
  sampleTruncated,
  truncatedMoments,
  truncatedPpf,
} from "../../lib/devices/distributions.ts";
import { HfOxWeakReset2021 } from "../../lib/devices/hfox_weak_reset_2021.ts";

Deno.test("normCdf matches tabulated values, including the far tail", () => {
  assertAlmostEquals(normCdf(0), 0.5, 1e-15);
  assertAlmostEquals(normCdf(-1), 0.15865525393145707, 1e-15);
  assertAlmostEquals(normCdf(-3), 0.0013498980316301, 1e-15);
  assertAlmostEquals(normCdf(1.96), 0.9750021048517795, 1e-14);
  // relative accuracy in the tail
  assertAlmostEquals(normCdf(-5) / 2.866515718791939e-7, 1, 1e-10);
  assertAlmostEquals(normCdf(-10) / 7.619853024160527e-24, 1, 1e-10);
});

Deno.test("normPpf inverts normCdf to 1e-12 over 1e-12 … 1 − 1e-12", () => {
  for (const p of [1e-12, 1e-6, 0.001, 0.02425, 0.1, 0.3, 0.5, 0.7, 0.975, 0.999999]) {
    const x = normPpf(p);
    assertAlmostEquals(normCdf(x) / p, 1, 1e-11, `p=${p}`);
  }
  assertAlmostEquals(normPpf(0.975), 1.959963984540054, 1e-12);
  assertAlmostEquals(normIsf(1e-10), -normPpf(1e-10), 1e-12);
  assertThrows(() => normPpf(1.5), RangeError);
});

const families: Distribution[] = [
  { kind: "uniform", low: -2, high: 3 },
  { kind: "normal", mean: 1, sd: 2, truncate: [-1, 2] },
  { kind: "normal", mean: 0, sd: 1, truncate: [2.5, 4] }, // upper tail window
  { kind: "exponential", loc: 0.5, scale: 2, truncate: [1, 4] },
  { kind: "lognormal", shape: 0.8, loc: 1, scale: 3, truncate: [2, 20] },
  HfOxWeakReset2021.m1,
  HfOxWeakReset2021.tStar,
  HfOxWeakReset2021.c1,
  HfOxWeakReset2021.m2,
  HfOxWeakReset2021.r0,
];

Deno.test("truncated inverse-CDF samples stay in bounds and match closed-form moments", () => {
  const rng = new Rng(11);
  const n = 100_000;
  for (const d of families) {
    const x = sampleTruncated(d, n, rng);
    const [lo, hi] = d.kind === "uniform" ? [d.low, d.high] : d.truncate!;
    let m = 0;
    for (const v of x) {
      assert(v >= lo && v <= hi, `${d.kind}: ${v} outside [${lo}, ${hi}]`);
      m += v;
    }
    m /= n;
    let v2 = 0;
    for (const v of x) v2 += (v - m) ** 2;
    v2 /= n - 1;
    const th = truncatedMoments(d);
    const se = Math.sqrt(th.variance / n);
    assert(Math.abs(m - th.mean) < 5 * se, `${d.kind}: sample mean ${m} vs ${th.mean} (se ${se})`);
    assertAlmostEquals(v2 / th.variance, 1, 0.03, `${d.kind} variance`);
    const sorted = Float64Array.from(x).sort();
    const med = sorted[n / 2];
    // median: the empirical quantile's sd is ≈ 1/(2 f(m) √n)
    const f = pdf(d, th.median);
    assert(
      Math.abs(med - th.median) < 5 / (2 * f * Math.sqrt(n)),
      `${d.kind}: median ${med} vs ${th.median}`,
    );
  }
});

Deno.test("closed-form truncated moments agree with numerical integration of the pdf", () => {
  for (const d of families) {
    const [a, b] = d.kind === "uniform" ? [d.low, d.high] : d.truncate!;
    const lo = Math.max(a, d.kind === "exponential" ? (d.loc ?? 0) : -Infinity);
    const N = 200_000, h = (b - lo) / N;
    let z = 0, m1 = 0, m2 = 0;
    for (let k = 0; k <= N; k++) {
      const x = lo + k * h, w = (k === 0 || k === N ? 0.5 : 1) * h;
      const p = pdf(d, x);
      z += w * p;
      m1 += w * p * x;
      m2 += w * p * x * x;
    }
    const th = truncatedMoments(d);
    assertAlmostEquals(z, 1, 1e-4, `${d.kind} normalisation`);
    assertAlmostEquals(m1 / th.mean, 1, 1e-4, `${d.kind} mean`);
    assertAlmostEquals((m2 - m1 * m1) / th.variance, 1, 2e-3, `${d.kind} variance`);
  }
});

Deno.test("HfOx D2D table: truncated means and medians match the brief's derived values", () => {
  const p = HfOxWeakReset2021;
  // brief §4 table (derived values, rounded): m1 mean 6.97e-4 (closed form 6.94e-4), t* mean 627,
  // median 516, m2 mean 2.7e-5, R0 mean ≈ 7.0 kΩ.
  assertAlmostEquals(truncatedMoments(p.m1).mean, 6.97e-4, 0.01 * 6.97e-4);
  assertAlmostEquals(truncatedMoments(p.m1).median, 4.97e-4, 0.015 * 4.97e-4);
  assertAlmostEquals(truncatedMoments(p.tStar).mean, 627, 0.01 * 627);
  assertAlmostEquals(truncatedMoments(p.tStar).median, 516, 0.01 * 516);
  assertAlmostEquals(truncatedMoments(p.m2).mean, 2.7e-5, 0.02 * 2.7e-5);
  assertAlmostEquals(truncatedMoments(p.c1).mean, 0.005, 0.001);
  assertAlmostEquals(Math.sqrt(truncatedMoments(p.c1).variance), 0.052, 0.001);
  assertAlmostEquals(truncatedMoments(p.r0).mean, 7000, 10);
  // the untruncated exponential mean loc + scale (the cut at 7.6e-3 removes ~e^-11.5 of the mass)
  assertAlmostEquals(truncatedMoments(p.m1).mean, 3.7416e-5 + 6.5647e-4, 2e-7);
});

Deno.test("truncatedPpf and drawParameter median/mean modes", () => {
  const d: Distribution = { kind: "normal", mean: 0, sd: 1, truncate: [0, Infinity] };
  assertAlmostEquals(truncatedPpf(d, 0.5), normPpf(0.75), 1e-12);
  assertAlmostEquals(cdf(d, truncatedPpf(d, 0.5)), 0.75, 1e-12);
  const rng = new Rng(1);
  const before = rng.getState();
  const out = drawParameter(d, new Float32Array(5), { rng, mode: "median" });
  assertEquals(rng.getState(), before, "median mode draws nothing");
  for (const v of out) assertAlmostEquals(v, normPpf(0.75), 1e-6);
  const mean = drawParameter(d, new Float32Array(2), { rng, mode: "mean" });
  assertAlmostEquals(mean[0], Math.sqrt(2 / Math.PI), 1e-6);
});

Deno.test("sampling is deterministic for a seed and rejects invalid parameters", () => {
  const a = sampleTruncated(HfOxWeakReset2021.tStar, 100, new Rng(5));
  const b = sampleTruncated(HfOxWeakReset2021.tStar, 100, new Rng(5));
  assertEquals(a, b);
  assertThrows(
    () => sampleTruncated({ kind: "normal", mean: 0, sd: -1 }, 3, new Rng(0)),
    RangeError,
  );
  assertThrows(
    () => sampleTruncated({ kind: "uniform", low: 1, high: 0 }, 3, new Rng(0)),
    RangeError,
  );
  assertThrows(
    () => sampleTruncated({ kind: "exponential", scale: 1, truncate: [-5, -1] }, 3, new Rng(0)),
    RangeError,
  );
  assertThrows(
    () => sampleTruncated({ kind: "gamma" } as unknown as Distribution, 3, new Rng(0)),
    TypeError,
  );
});
