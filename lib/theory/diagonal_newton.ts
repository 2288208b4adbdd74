/**
 * Diagonal-Newton helpers shared with the MESU work (mesu_bonnet2023_2025.md §4 and §8): the
 * precision recursion of MESU and its fixed point, the curvature that a σ implies, exact
 * diagonal Hessians of small models (central second differences; the closed form for a
 * softmax last layer) and correlation helpers to compare an optimizer's curvature estimate with
 * them.
 *
 * Derivation (mesu_bonnet2023_2025.md §4, derived): with ∂C/∂σ = σH (Stein's lemma) the MESU σ
 * step is Δσ = −½σ³H + σ(σ_p² − σ²)/(2Nσ_p²); to first order in precision P = 1/σ² this is
 * P_t = (1 − 1/N)·P_{t−1} + H_t + 1/(Nσ_p²), whose fixed point is P* = N·H̄ + 1/σ_p².
 *
 * @example
 * ```ts
 * import { precisionFixedPoint, precisionStep } from "./diagonal_newton.ts";
 * const opts = { memory: 100, priorSigma: 1 };
 * let p = 1; // σ = 1
 * for (let t = 0; t < 5000; t++) p = precisionStep(p, 2, opts);
 * // p ≈ precisionFixedPoint(2, opts) = 201
 * ```
 * @module
 */

/** Options of the MESU precision recursion. */
export interface PrecisionOptions {
  /** Memory window N, in updates (≥ 1; `Infinity` gives BGD, P_t = P_{t−1} + H_t). */
  memory: number;
  /** Prior standard deviation σ_p (> 0). */
  priorSigma: number;
}

function checkPrecisionOptions(options: PrecisionOptions): void {
  const { memory, priorSigma } = options;
  if (!(memory >= 1)) {
    throw new RangeError(`memory N must be >= 1 (updates; Infinity for BGD), got ${memory}`);
  }
  if (!(priorSigma > 0) || !Number.isFinite(priorSigma)) {
    throw new RangeError(`priorSigma must be a positive finite number, got ${priorSigma}`);
  }
}

/**
 * One step of the MESU precision recursion, P_t = (1 − 1/N)·P_{t−1} + H_t + 1/(N·σ_p²),
 * elementwise when `previous` or `hessian` is an array (a scalar broadcasts). Arrays are never
 * modified: a new Float32Array is returned.
 *
 * @example
 * ```ts
 * import { precisionStep } from "./diagonal_newton.ts";
 * precisionStep(4, 1, { memory: 2, priorSigma: 1 }); // 0.5·4 + 1 + 0.5 = 3.5
 * precisionStep(new Float32Array([4, 2]), 1, { memory: 2, priorSigma: 1 }); // [3.5, 2.5]
 * ```
 */
export function precisionStep(previous: number, hessian: number, options: PrecisionOptions): number;
/** Elementwise form: returns a new Float32Array. */
export function precisionStep(
  previous: number | Float32Array,
  hessian: number | Float32Array,
  options: PrecisionOptions,
): Float32Array;
/** Either form (the result is an array when either input is). */
export function precisionStep(
  previous: number | Float32Array,
  hessian: number | Float32Array,
  options: PrecisionOptions,
): number | Float32Array;
export function precisionStep(
  previous: number | Float32Array,
  hessian: number | Float32Array,
  options: PrecisionOptions,
): number | Float32Array {
  checkPrecisionOptions(options);
  const keep = 1 - 1 / options.memory;
  const floor = 1 / (options.memory * options.priorSigma * options.priorSigma);
  if (typeof previous === "number" && typeof hessian === "number") {
    const p = keep * previous + hessian + floor;
    if (Number.isNaN(p)) {
      throw new RangeError(`precisionStep got NaN (previous ${previous}, hessian ${hessian})`);
    }
    return p;
  }
  return precisionStepArray(previous, hessian, options);
}

/**
 * Array form of {@linkcode precisionStep}: P_t = (1 − 1/N)·P_{t−1} + H_t + 1/(N·σ_p²)
 * elementwise; `out` (optional) receives the result and may alias `previous` for an in-place
 * update.
 */
export function precisionStepArray(
  previous: number | Float32Array,
  hessian: number | Float32Array,
  options: PrecisionOptions & { out?: Float32Array },
): Float32Array {
  checkPrecisionOptions(options);
  const n = typeof previous === "number"
    ? (typeof hessian === "number" ? 1 : hessian.length)
    : previous.length;
  if (typeof previous !== "number" && typeof hessian !== "number" && hessian.length !== n) {
    throw new RangeError(`precisionStep: previous has ${n} entries, hessian ${hessian.length}`);
  }
  const out = options.out ?? new Float32Array(n);
  if (out.length !== n) {
    throw new RangeError(`precisionStep: out has ${out.length} entries, need ${n}`);
  }
  const keep = 1 - 1 / options.memory;
  const floor = 1 / (options.memory * options.priorSigma * options.priorSigma);
  let bad = false;
  for (let i = 0; i < n; i++) {
    const p = typeof previous === "number" ? previous : previous[i];
    const h = typeof hessian === "number" ? hessian : hessian[i];
    const v = keep * p + h + floor;
    if (v !== v) bad = true;
    out[i] = v;
  }
  if (bad) {
    throw new RangeError("precisionStep produced NaN: check the previous precision and hessian");
  }
  return out;
}

/**
 * Stationary precision of the recursion for a constant curvature H: P* = N·H + 1/σ_p²
 * (σ*² = 1/P*). With N = Infinity (BGD) it is Infinity for H > 0.
 *
 * @example
 * ```ts
 * import { precisionFixedPoint } from "./diagonal_newton.ts";
 * precisionFixedPoint(0.5, { memory: 1000, priorSigma: 0.1 }); // 500 + 100 = 600
 * ```
 */
export function precisionFixedPoint(hessian: number, options: PrecisionOptions): number {
  checkPrecisionOptions(options);
  if (!Number.isFinite(hessian)) throw new RangeError(`hessian must be finite, got ${hessian}`);
  if (!Number.isFinite(options.memory)) {
    return hessian > 0 ? Infinity : 1 / (options.priorSigma * options.priorSigma);
  }
  return options.memory * hessian + 1 / (options.priorSigma * options.priorSigma);
}

/**
 * The curvature implied by a MESU standard deviation, Ĥ = (1/σ² − 1/σ_p²)/N — the inverse of
 * the fixed point, used as MESU's Hessian estimate in Supp. Fig. 1 (elementwise on arrays).
 *
 * @example
 * ```ts
 * import { curvatureFromSigma } from "./diagonal_newton.ts";
 * curvatureFromSigma(0.1, { memory: 100, priorSigma: 1 }); // (100 − 1)/100 = 0.99
 * ```
 */
export function curvatureFromSigma(sigma: number, options: PrecisionOptions): number;
/** Elementwise form. */
export function curvatureFromSigma(sigma: Float32Array, options: PrecisionOptions): Float32Array;
export function curvatureFromSigma(
  sigma: number | Float32Array,
  options: PrecisionOptions,
): number | Float32Array {
  checkPrecisionOptions(options);
  const inv = 1 / (options.priorSigma * options.priorSigma);
  const f = (s: number) => {
    if (!(s > 0)) throw new RangeError(`sigma must be > 0, got ${s}`);
    return (1 / (s * s) - inv) / options.memory;
  };
  if (typeof sigma === "number") return f(sigma);
  const out = new Float32Array(sigma.length);
  for (let i = 0; i < sigma.length; i++) out[i] = f(sigma[i]);
  return out;
}

/**
 * The first-order MESU σ step written with the curvature (§4 step 2 of the MESU brief),
 * Δσ = −½σ³·H + σ(σ_p² − σ²)/(2Nσ_p²), returning the new σ. For theory checks of the
 * precision recursion only — the optimizer itself lives in the optimizer folder.
 */
export function sigmaStepFromCurvature(
  sigma: number,
  hessian: number,
  options: PrecisionOptions,
): number {
  checkPrecisionOptions(options);
  const sp2 = options.priorSigma * options.priorSigma;
  const release = Number.isFinite(options.memory)
    ? sigma * (sp2 - sigma * sigma) / (2 * options.memory * sp2)
    : 0;
  const s = sigma - 0.5 * sigma * sigma * sigma * hessian + release;
  if (!(s > 0)) {
    throw new RangeError(
      `σ step made σ non-positive (σ ${sigma}, H ${hessian}): σ²H must stay well below 2`,
    );
  }
  return s;
}

/** Options of {@linkcode diagonalHessianFiniteDiff}. */
export interface FiniteDiffOptions {
  /**
   * Step of the central difference, relative to max(1, |w_i|). Default 1e-4 (≈ ε^{1/4} for
   * float64, the usual optimum for second differences).
   */
  h?: number;
}

/**
 * Diagonal of the Hessian of a small scalar function by central second differences,
 * H_ii ≈ (L(w + h e_i) − 2L(w) + L(w − h e_i))/h². Costs 2·dim + 1 evaluations; `w` is
 * restored on return. Meant as a reference for checks, not for training.
 *
 * @example
 * ```ts
 * import { diagonalHessianFiniteDiff } from "./diagonal_newton.ts";
 * const loss = (w: Float64Array) => 1.5 * w[0] ** 2 + w[0] * w[1] + 4 * w[1] ** 2;
 * diagonalHessianFiniteDiff(loss, new Float64Array([0.3, -1])); // ≈ [3, 8]
 * ```
 */
export function diagonalHessianFiniteDiff(
  loss: (w: Float64Array) => number,
  w: Float64Array,
  options: FiniteDiffOptions = {},
): Float64Array {
  const h0 = options.h ?? 1e-4;
  if (!(h0 > 0)) throw new RangeError(`h must be > 0, got ${h0}`);
  const f0 = loss(w);
  if (!Number.isFinite(f0)) throw new RangeError(`loss(w) is ${f0}: cannot differentiate`);
  const out = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const wi = w[i];
    const h = h0 * Math.max(1, Math.abs(wi));
    w[i] = wi + h;
    const fp = loss(w);
    w[i] = wi - h;
    const fm = loss(w);
    w[i] = wi;
    if (!Number.isFinite(fp) || !Number.isFinite(fm)) {
      throw new RangeError(`loss is not finite at w ± h·e_${i}: ${fp}, ${fm}`);
    }
    out[i] = (fp - 2 * f0 + fm) / (h * h);
  }
  return out;
}

/** Options of {@linkcode softmaxLastLayerHessianDiagonal}. */
export interface SoftmaxHessianOptions {
  /** Number of examples B (rows of `activations` and `logits`). */
  batch: number;
  /** Input width J of the last layer. */
  inputs: number;
  /** Number of classes C. */
  classes: number;
  /**
   * Layout of the returned weight diagonal: `"in_out"` (J×C row-major, z = a·W; default) or
   * `"out_in"` (C×J, z = W·a as in PyTorch's Linear).
   */
  layout?: "in_out" | "out_in";
}

/**
 * Exact diagonal Hessian of the batch-summed softmax cross-entropy with respect to the last
 * layer's weights (derived, MESU brief §8): ∂²/∂W_jc² = Σ_b p_bc(1 − p_bc)·a_bj². It does not
 * depend on the labels. `activations` is B×J, `logits` B×C (any bias already added).
 *
 * @example
 * ```ts
 * import { softmaxLastLayerHessianDiagonal } from "./diagonal_newton.ts";
 * const a = new Float64Array([1, 2]); // one example, two inputs
 * const z = new Float64Array([0, 0]); // two classes, p = (½, ½)
 * softmaxLastLayerHessianDiagonal(a, z, { batch: 1, inputs: 2, classes: 2 }); // [.25,.25,1,1]
 * ```
 */
export function softmaxLastLayerHessianDiagonal(
  activations: ArrayLike<number>,
  logits: ArrayLike<number>,
  options: SoftmaxHessianOptions,
): Float64Array {
  const { batch: b, inputs: j, classes: c } = options;
  const layout = options.layout ?? "in_out";
  if (activations.length !== b * j) {
    throw new RangeError(`activations has ${activations.length} entries, expected ${b}×${j}`);
  }
  if (logits.length !== b * c) {
    throw new RangeError(`logits has ${logits.length} entries, expected ${b}×${c}`);
  }
  const out = new Float64Array(j * c);
  const p = new Float64Array(c);
  for (let n = 0; n < b; n++) {
    let max = -Infinity;
    for (let k = 0; k < c; k++) max = Math.max(max, logits[n * c + k]);
    if (!Number.isFinite(max)) throw new RangeError(`logits of example ${n} are not finite`);
    let s = 0;
    for (let k = 0; k < c; k++) s += p[k] = Math.exp(logits[n * c + k] - max);
    for (let k = 0; k < c; k++) {
      const pk = p[k] / s;
      p[k] = pk * (1 - pk);
    }
    for (let i = 0; i < j; i++) {
      const a2 = activations[n * j + i] ** 2;
      for (let k = 0; k < c; k++) {
        out[layout === "in_out" ? i * c + k : k * j + i] += p[k] * a2;
      }
    }
  }
  return out;
}

function checkPair(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  if (a.length !== b.length) {
    throw new RangeError(`${what}: lengths differ (${a.length} vs ${b.length})`);
  }
  if (a.length < 2) throw new RangeError(`${what} needs at least 2 pairs, got ${a.length}`);
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i]) || !Number.isFinite(b[i])) {
      throw new RangeError(`${what}: non-finite value at index ${i} (${a[i]}, ${b[i]})`);
    }
  }
}

/**
 * Pearson correlation coefficient of two equally long samples (NaN when one is constant).
 *
 * @example
 * ```ts
 * import { pearson } from "./diagonal_newton.ts";
 * pearson([1, 2, 3], [2, 4, 7]); // ≈ 0.993
 * ```
 */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkPair(a, b, "pearson");
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i] - ma, y = b[i] - mb;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  return saa === 0 || sbb === 0 ? NaN : sab / Math.sqrt(saa * sbb);
}

/** Ranks 1..n with ties given their average rank. */
export function ranks(a: ArrayLike<number>): Float64Array {
  const n = a.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i] - a[j]);
  const r = new Float64Array(n);
  for (let s = 0; s < n;) {
    let e = s;
    while (e + 1 < n && a[idx[e + 1]] === a[idx[s]]) e++;
    const avg = (s + e) / 2 + 1;
    for (let k = s; k <= e; k++) r[idx[k]] = avg;
    s = e + 1;
  }
  return r;
}

/**
 * Spearman rank correlation (Pearson correlation of average ranks, so ties are handled).
 *
 * @example
 * ```ts
 * import { spearman } from "./diagonal_newton.ts";
 * spearman([1, 2, 3, 4], [1, 10, 100, 1000]); // 1
 * ```
 */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkPair(a, b, "spearman");
  return pearson(ranks(a), ranks(b));
}

/** Result of {@linkcode compareCurvature}. */
export interface CurvatureComparison {
  /** Number of entries compared. */
  n: number;
  /** Pearson correlation of estimate vs exact. */
  pearson: number;
  /** Spearman rank correlation. */
  spearman: number;
  /** Least-squares scale s minimising ‖exact − s·estimate‖² (estimates are often off by a constant). */
  scale: number;
}

/**
 * Compares an optimizer's curvature estimate with an exact diagonal Hessian: Pearson and
 * Spearman correlations (scale-free, as in MESU Supp. Fig. 1) and the best-fitting scale.
 */
export function compareCurvature(
  estimate: ArrayLike<number>,
  exact: ArrayLike<number>,
): CurvatureComparison {
  checkPair(estimate, exact, "compareCurvature");
  let se = 0, ee = 0;
  for (let i = 0; i < exact.length; i++) {
    se += estimate[i] * exact[i];
    ee += estimate[i] * estimate[i];
  }
  return {
    n: exact.length,
    pearson: pearson(estimate, exact),
    spearman: spearman(estimate, exact),
    scale: ee === 0 ? NaN : se / ee,
  };
}
