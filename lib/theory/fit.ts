/**
 * Least-squares line fits used to characterise decay laws: a power law is a line in
 * (log t, log y), an exponential a line in (t, log y).
 *
 * @example
 * ```ts
 * import { decayFits } from "./fit.ts";
 * const t = [1, 2, 4, 8], y = t.map((x) => 3 / x);
 * decayFits(t, y).powerExponent; // −1
 * ```
 * @module
 */

/** A fitted line y ≈ slope·x + intercept with its coefficient of determination. */
export interface LineFit {
  /** Slope. */
  slope: number;
  /** Intercept. */
  intercept: number;
  /** R² of the fit (1 = perfect). */
  r2: number;
  /** Number of points used. */
  n: number;
}

/** Ordinary least-squares line through (x, y). Needs ≥ 2 points with distinct x. */
export function linearFit(x: ArrayLike<number>, y: ArrayLike<number>): LineFit {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`linearFit: ${n} x values for ${y.length} y values`);
  if (n < 2) throw new RangeError(`linearFit needs at least 2 points, got ${n}`);
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) {
      throw new RangeError(`linearFit: non-finite point ${i} (${x[i]}, ${y[i]})`);
    }
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0, sxy = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - mx) ** 2;
    sxy += (x[i] - mx) * (y[i] - my);
    syy += (y[i] - my) ** 2;
  }
  if (sxx === 0) throw new RangeError("linearFit: all x values are equal");
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (y[i] - slope * x[i] - intercept) ** 2;
  return { slope, intercept, r2: syy === 0 ? 1 : 1 - sse / syy, n };
}

/** Power-law and exponential fits of a positive decaying curve y(t). */
export interface DecayFits {
  /** Exponent a of y ∝ t^a (slope in log–log). */
  powerExponent: number;
  /** R² of the log–log line. */
  powerR2: number;
  /** Rate k of y ∝ e^{kt} (slope of log y vs t). */
  expRate: number;
  /** R² of the log-linear line. */
  expR2: number;
  /** Points used (those with t > 0 and y > 0). */
  n: number;
}

/** Fits y(t) both as a power law and as an exponential, over the points with t > 0, y > 0. */
export function decayFits(t: ArrayLike<number>, y: ArrayLike<number>): DecayFits {
  if (t.length !== y.length) {
    throw new RangeError(`decayFits: ${t.length} times for ${y.length} values`);
  }
  const lt: number[] = [], tt: number[] = [], ly: number[] = [];
  for (let i = 0; i < t.length; i++) {
    if (t[i] > 0 && y[i] > 0) {
      lt.push(Math.log(t[i]));
      tt.push(t[i]);
      ly.push(Math.log(y[i]));
    }
  }
  const p = linearFit(lt, ly), e = linearFit(tt, ly);
  return { powerExponent: p.slope, powerR2: p.r2, expRate: e.slope, expR2: e.r2, n: lt.length };
}
