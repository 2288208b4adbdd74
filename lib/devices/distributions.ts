/**
 * Truncated probability distributions for device-to-device (D2D) parameter draws, written in
 * scipy's parametrisation so that a paper's fitted parameter table can be entered as printed
 * (`scipy.stats.expon(loc, scale)`, `lognorm(s, loc, scale)`, `norm(loc, scale)`, `uniform`).
 *
 * Sampling is by inverse CDF: `u ~ U(F(a), F(b))`, `x = F⁻¹(u)`, which is exact for any
 * truncation window (the upper tail uses the survival function so windows far in the tail keep
 * their precision). Closed-form truncated moments are provided for checks and documentation.
 *
 * @example
 * ```ts
 * import { sampleTruncated, truncatedMoments } from "./distributions.ts";
 * import { Rng } from "../rng.ts";
 * const m1 = { kind: "exponential", loc: 3.7416e-5, scale: 6.5647e-4, truncate: [3.74e-5, 7.6e-3] } as const;
 * const x = sampleTruncated(m1, 1000, new Rng(1)); // Float64Array of 1000 slopes
 * truncatedMoments(m1).mean; // ≈ 6.97e-4
 * ```
 * @module
 */
import type { Rng } from "../rng.ts";

/** Truncation window `[low, high]` (inclusive), in the parameter's unit. */
export type Truncation = readonly [number, number];

/** Fields shared by every distribution. */
export interface DistributionBase {
  /** Optional truncation window; defaults to the distribution's support. */
  truncate?: Truncation;
}

/** A fixed value (no D2D spread). */
export interface ConstantDistribution extends DistributionBase {
  /** Discriminant. */
  kind: "constant";
  /** The value. */
  value: number;
}

/** Uniform on `[low, high]` (scipy `uniform(loc=low, scale=high-low)`). */
export interface UniformDistribution extends DistributionBase {
  /** Discriminant. */
  kind: "uniform";
  /** Lower end. */
  low: number;
  /** Upper end. */
  high: number;
}

/** Normal (scipy `norm(loc=mean, scale=sd)`). */
export interface NormalDistribution extends DistributionBase {
  /** Discriminant. */
  kind: "normal";
  /** Mean before truncation. */
  mean: number;
  /** Standard deviation before truncation (> 0). */
  sd: number;
}

/** Log-normal, scipy `lognorm(s=shape, loc, scale)`: `x = loc + scale·exp(shape·Z)`. */
export interface LognormalDistribution extends DistributionBase {
  /** Discriminant. */
  kind: "lognormal";
  /** scipy `s`: standard deviation of `ln(x − loc)` (> 0). */
  shape: number;
  /** scipy `loc` (default 0). */
  loc?: number;
  /** scipy `scale` = `exp(μ)`, the median of `x − loc` (> 0). */
  scale: number;
}

/** Exponential, scipy `expon(loc, scale)`: `x = loc + scale·E`, `E ~ Exp(1)`. */
export interface ExponentialDistribution extends DistributionBase {
  /** Discriminant. */
  kind: "exponential";
  /** scipy `loc` (default 0). */
  loc?: number;
  /** scipy `scale` = mean of `x − loc` (> 0). */
  scale: number;
}

/** Any supported distribution. */
export type Distribution =
  | ConstantDistribution
  | UniformDistribution
  | NormalDistribution
  | LognormalDistribution
  | ExponentialDistribution;

/** How a population draws a parameter: sampled per device, or every device at the median/mean. */
export type D2DMode = "sampled" | "median" | "mean";

/** Closed-form moments of a truncated distribution. */
export interface Moments {
  /** Mean. */
  mean: number;
  /** Variance. */
  variance: number;
  /** Median. */
  median: number;
}

// ---------------------------------------------------------------------------------------------
// Standard normal special functions (double precision)

const SQRT2PI = Math.sqrt(2 * Math.PI);

/** Standard normal density φ(x). */
export function normPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT2PI;
}

/** Upper tail Q(x) = 1 − Φ(x) for x ≥ 0, accurate in relative terms far into the tail. */
function upperTail(x: number): number {
  if (x < 3) {
    // Marsaglia (2004) Taylor series for Φ(x) − 1/2; absolute error ~1e-16.
    let s = x, t = x;
    const x2 = x * x;
    for (let i = 3; i < 200; i += 2) {
      t *= x2 / i;
      const ns = s + t;
      if (ns === s) break;
      s = ns;
    }
    return 0.5 - s * normPdf(x);
  }
  // Continued fraction for the Mills ratio R(x) = Q(x)/φ(x), evaluated backwards.
  let f = x;
  for (let k = 120; k >= 1; k--) f = x + k / f;
  return normPdf(x) / f;
}

/** Standard normal CDF Φ(x). */
export function normCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  return x >= 0 ? 1 - upperTail(x) : upperTail(-x);
}

/** Standard normal survival function 1 − Φ(x), accurate for large x. */
export function normSf(x: number): number {
  return normCdf(-x);
}

// Acklam's rational approximation, refined by one Halley step on the accurate CDF.
const A = [
  -3.969683028665376e+01,
  2.209460984245205e+02,
  -2.759285104469687e+02,
  1.383577518672690e+02,
  -3.066479806614716e+01,
  2.506628277459239e+00,
];
const B = [
  -5.447609879822406e+01,
  1.615858368580409e+02,
  -1.556989798598866e+02,
  6.680131188771972e+01,
  -1.328068155288572e+01,
];
const C = [
  -7.784894002430293e-03,
  -3.223964580411365e-01,
  -2.400758277161838e+00,
  -2.549732539343734e+00,
  4.374664141464968e+00,
  2.938163982698783e+00,
];
const D = [
  7.784695709041462e-03,
  3.224671290700398e-01,
  2.445134137142996e+00,
  3.754408661907416e+00,
];

function lowerPpf(p: number): number {
  // p in (0, 0.5]
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
      ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  } else {
    const q = p - 0.5, r = q * q;
    x = (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q /
      (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
  }
  for (let it = 0; it < 2; it++) {
    const e = normCdf(x) - p;
    const u = e * SQRT2PI * Math.exp(0.5 * x * x);
    x = x - u / (1 + 0.5 * x * u);
  }
  return x;
}

/** Inverse standard normal CDF Φ⁻¹(p), p ∈ [0, 1]. */
export function normPpf(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`normPpf needs p in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  return p <= 0.5 ? lowerPpf(p) : -lowerPpf(1 - p);
}

/** Inverse survival function: x with 1 − Φ(x) = q, accurate for tiny q. */
export function normIsf(q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`normIsf needs q in [0, 1], got ${q}`);
  if (q === 0) return Infinity;
  if (q === 1) return -Infinity;
  return q <= 0.5 ? -lowerPpf(q) : lowerPpf(1 - q);
}

// ---------------------------------------------------------------------------------------------
// Per-distribution CDF / SF / PPF / ISF / PDF

/** Checks a distribution's parameters; throws a clear error when they are invalid. */
export function validateDistribution(d: Distribution, name = "distribution"): void {
  const bad = (msg: string) => {
    throw new RangeError(`${name}: ${msg} (got ${JSON.stringify(d)})`);
  };
  switch (d.kind) {
    case "constant":
      if (!Number.isFinite(d.value)) bad("constant value must be finite");
      break;
    case "uniform":
      if (!(d.high > d.low)) bad("uniform needs high > low");
      break;
    case "normal":
      if (!Number.isFinite(d.mean) || !(d.sd > 0)) bad("normal needs a finite mean and sd > 0");
      break;
    case "lognormal":
      if (!(d.shape > 0) || !(d.scale > 0)) bad("lognormal needs shape > 0 and scale > 0");
      break;
    case "exponential":
      if (!(d.scale > 0)) bad("exponential needs scale > 0");
      break;
    default:
      throw new TypeError(
        `${name}: unknown distribution kind "${(d as { kind: string }).kind}"; ` +
          `use constant, uniform, normal, lognormal or exponential`,
      );
  }
  if (d.truncate) {
    const [lo, hi] = d.truncate;
    if (!(hi >= lo)) bad(`truncation needs high >= low`);
    if (d.kind !== "constant" && !(cdf(d, hi) > cdf(d, lo) || sf(d, lo) > sf(d, hi))) {
      bad(`truncation window [${lo}, ${hi}] has zero probability`);
    }
  }
}

/** Support of the untruncated distribution. */
function support(d: Distribution): [number, number] {
  switch (d.kind) {
    case "constant":
      return [d.value, d.value];
    case "uniform":
      return [d.low, d.high];
    case "normal":
      return [-Infinity, Infinity];
    case "lognormal":
      return [d.loc ?? 0, Infinity];
    case "exponential":
      return [d.loc ?? 0, Infinity];
  }
}

/** Effective window: the truncation intersected with the support. */
export function effectiveWindow(d: Distribution): [number, number] {
  const [s0, s1] = support(d);
  if (!d.truncate) return [s0, s1];
  return [Math.max(s0, d.truncate[0]), Math.min(s1, d.truncate[1])];
}

/** CDF of the untruncated distribution. */
export function cdf(d: Distribution, x: number): number {
  switch (d.kind) {
    case "constant":
      return x >= d.value ? 1 : 0;
    case "uniform":
      return x <= d.low ? 0 : x >= d.high ? 1 : (x - d.low) / (d.high - d.low);
    case "normal":
      return normCdf((x - d.mean) / d.sd);
    case "lognormal": {
      const y = x - (d.loc ?? 0);
      return y <= 0 ? 0 : normCdf(Math.log(y / d.scale) / d.shape);
    }
    case "exponential": {
      const y = x - (d.loc ?? 0);
      return y <= 0 ? 0 : -Math.expm1(-y / d.scale);
    }
  }
}

/** Survival function 1 − CDF of the untruncated distribution (precise in the upper tail). */
export function sf(d: Distribution, x: number): number {
  switch (d.kind) {
    case "constant":
    case "uniform":
      return 1 - cdf(d, x);
    case "normal":
      return normSf((x - d.mean) / d.sd);
    case "lognormal": {
      const y = x - (d.loc ?? 0);
      return y <= 0 ? 1 : normSf(Math.log(y / d.scale) / d.shape);
    }
    case "exponential": {
      const y = x - (d.loc ?? 0);
      return y <= 0 ? 1 : Math.exp(-y / d.scale);
    }
  }
}

/** Inverse CDF of the untruncated distribution. */
export function ppf(d: Distribution, u: number): number {
  switch (d.kind) {
    case "constant":
      return d.value;
    case "uniform":
      return d.low + u * (d.high - d.low);
    case "normal":
      return d.mean + d.sd * normPpf(u);
    case "lognormal":
      return (d.loc ?? 0) + d.scale * Math.exp(d.shape * normPpf(u));
    case "exponential":
      return (d.loc ?? 0) - d.scale * Math.log1p(-u);
  }
}

/** Inverse survival function of the untruncated distribution. */
export function isf(d: Distribution, q: number): number {
  switch (d.kind) {
    case "constant":
      return d.value;
    case "uniform":
      return d.high - q * (d.high - d.low);
    case "normal":
      return d.mean + d.sd * normIsf(q);
    case "lognormal":
      return (d.loc ?? 0) + d.scale * Math.exp(d.shape * normIsf(q));
    case "exponential":
      return (d.loc ?? 0) - d.scale * Math.log(q);
  }
}

/** Density of the truncated distribution (0 outside the window; NaN for `constant`). */
export function pdf(d: Distribution, x: number): number {
  const [a, b] = effectiveWindow(d);
  if (x < a || x > b) return 0;
  const z = mass(d);
  switch (d.kind) {
    case "constant":
      return NaN;
    case "uniform":
      return 1 / (b - a);
    case "normal":
      return normPdf((x - d.mean) / d.sd) / d.sd / z;
    case "lognormal": {
      const y = x - (d.loc ?? 0);
      return y <= 0 ? 0 : normPdf(Math.log(y / d.scale) / d.shape) / (y * d.shape) / z;
    }
    case "exponential": {
      const y = x - (d.loc ?? 0);
      return y < 0 ? 0 : Math.exp(-y / d.scale) / d.scale / z;
    }
  }
}

/** Probability mass of the truncation window under the untruncated distribution. */
function mass(d: Distribution): number {
  const [a, b] = effectiveWindow(d);
  const lower = cdf(d, a);
  return lower > 0.5 ? sf(d, a) - sf(d, b) : cdf(d, b) - lower;
}

/** Inverse CDF of the truncated distribution: the `u`-quantile, u ∈ [0, 1]. */
export function truncatedPpf(d: Distribution, u: number): number {
  if (!(u >= 0 && u <= 1)) throw new RangeError(`quantile level must be in [0, 1], got ${u}`);
  const [a, b] = effectiveWindow(d);
  if (d.kind === "constant") return d.value;
  let x: number;
  const fa = cdf(d, a);
  if (fa > 0.5) {
    // Both ends in the upper tail: interpolate survival probabilities instead.
    const sa = sf(d, a), sb = sf(d, b);
    x = isf(d, sa - u * (sa - sb));
  } else {
    const fb = cdf(d, b);
    x = ppf(d, fa + u * (fb - fa));
  }
  return Math.min(b, Math.max(a, x));
}

/**
 * Draws `n` values from the truncated distribution by inverse-CDF sampling.
 * Returns a Float64Array (convert to Float32Array where memory matters).
 */
export function sampleTruncated(d: Distribution, n: number, rng: Rng): Float64Array {
  validateDistribution(d);
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`n must be an integer >= 0, got ${n}`);
  const out = new Float64Array(n);
  if (d.kind === "constant") return out.fill(d.value);
  const [a, b] = effectiveWindow(d);
  const fa = cdf(d, a);
  if (fa > 0.5) {
    const sa = sf(d, a), sb = sf(d, b);
    for (let i = 0; i < n; i++) {
      out[i] = Math.min(b, Math.max(a, isf(d, sa - rng.uniform() * (sa - sb))));
    }
  } else {
    const fb = cdf(d, b);
    for (let i = 0; i < n; i++) {
      out[i] = Math.min(b, Math.max(a, ppf(d, fa + rng.uniform() * (fb - fa))));
    }
  }
  return out;
}

/**
 * Fills `out` with a parameter drawn per device (`"sampled"`), or with every device at the
 * truncated median or mean (`"median"` / `"mean"`, the no-D2D ablation). Draws nothing from
 * `rng` unless sampling.
 */
export function drawParameter(
  d: Distribution,
  out: Float32Array,
  options: { rng: Rng; mode?: D2DMode },
): Float32Array {
  const mode = options.mode ?? "sampled";
  if (mode === "sampled") {
    const x = sampleTruncated(d, out.length, options.rng);
    for (let i = 0; i < out.length; i++) out[i] = x[i];
    return out;
  }
  validateDistribution(d);
  const m = truncatedMoments(d);
  return out.fill(mode === "median" ? m.median : m.mean);
}

/** Closed-form mean, variance and median of the truncated distribution. */
export function truncatedMoments(d: Distribution): Moments {
  validateDistribution(d);
  const [a, b] = effectiveWindow(d);
  const median = truncatedPpf(d, 0.5);
  switch (d.kind) {
    case "constant":
      return { mean: d.value, variance: 0, median: d.value };
    case "uniform":
      return { mean: (a + b) / 2, variance: (b - a) ** 2 / 12, median };
    case "normal": {
      const al = (a - d.mean) / d.sd, be = (b - d.mean) / d.sd;
      const z = mass(d);
      const pa = Number.isFinite(al) ? normPdf(al) : 0, pb = Number.isFinite(be) ? normPdf(be) : 0;
      const ta = Number.isFinite(al) ? al * pa : 0, tb = Number.isFinite(be) ? be * pb : 0;
      const r = (pa - pb) / z;
      return {
        mean: d.mean + d.sd * r,
        variance: d.sd * d.sd * (1 + (ta - tb) / z - r * r),
        median,
      };
    }
    case "lognormal": {
      const loc = d.loc ?? 0, s = d.shape;
      const za = a <= loc ? -Infinity : Math.log((a - loc) / d.scale) / s;
      const zb = b === Infinity ? Infinity : Math.log((b - loc) / d.scale) / s;
      const phiWin = (lo: number, hi: number) => {
        const c = normCdf(lo);
        return c > 0.5 ? normSf(lo) - normSf(hi) : normCdf(hi) - c;
      };
      const z = phiWin(za, zb);
      // E[e^{k s Z} | Z ∈ [za, zb]] = e^{k² s²/2} (Φ(zb − k s) − Φ(za − k s)) / Z
      const mk = (k: number) => Math.exp(0.5 * k * k * s * s) * phiWin(za - k * s, zb - k * s) / z;
      const m1 = mk(1), m2 = mk(2);
      return { mean: loc + d.scale * m1, variance: d.scale * d.scale * (m2 - m1 * m1), median };
    }
    case "exponential": {
      const s = d.scale, c = b - a;
      if (c === Infinity) return { mean: a + s, variance: s * s, median };
      const e = Math.exp(-c / s), den = -Math.expm1(-c / s);
      const ey = s - c * e / den;
      const ey2 = (2 * s * s - e * (c * c + 2 * s * c + 2 * s * s)) / den;
      return { mean: a + ey, variance: ey2 - ey * ey, median };
    }
  }
}

/** Shorthand: a normal distribution with the given mean and sd, optionally truncated. */
export function normal(mean: number, sd: number, truncate?: Truncation): NormalDistribution {
  return truncate ? { kind: "normal", mean, sd, truncate } : { kind: "normal", mean, sd };
}

/** Shorthand: a constant (no D2D spread). */
export function constant(value: number): ConstantDistribution {
  return { kind: "constant", value };
}

/** Shorthand: uniform on `[low, high]`. */
export function uniform(low: number, high: number): UniformDistribution {
  return { kind: "uniform", low, high };
}

/**
 * aihwkit-style relative spread: normal with mean `mean` and sd `relSd·|mean|`, truncated to
 * keep the sign of `mean` (a step size never changes direction). `relSd = 0` gives a constant.
 */
export function relativeNormal(mean: number, relSd: number): Distribution {
  if (!(relSd >= 0)) throw new RangeError(`relative sd must be >= 0, got ${relSd}`);
  if (relSd === 0 || mean === 0) return constant(mean);
  const sd = relSd * Math.abs(mean);
  return normal(mean, sd, mean > 0 ? [0, Infinity] : [-Infinity, 0]);
}
