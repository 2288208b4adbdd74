/**
 * Metaplasticity for quantized weights (D'Agostino et al., AICAS 2023, reconstruction): the
 * binary rule of Laborieux et al. 2021 generalised to N quantization levels.
 *
 * A {@linkcode QuantGrid} holds N ascending levels Q₀ < … < Q_{N−1} (the values a device can
 * store) and the N − 1 decision boundaries bᵢ = (Qᵢ + Qᵢ₊₁)/2 between them. A hidden weight W_H
 * (unbounded, in digital memory) is quantized to the level of the cell it lies in; a weight
 * exactly on a boundary goes to the lower level (as `nearestLevel` of the device library).
 *
 * The meta-function ({@linkcode quantizedMeta}) scales an Adam step on W_H:
 *
 *     M = f_meta(m*, d/Δ) = 1 − tanh²(m*·d/Δ)
 *
 * when the step moves W_H towards the boundary b of its cell that the rule selects, with d the
 * distance |W_H − b| and Δ the distance from the cell's level to that boundary (half the level
 * spacing on a uniform grid); every other step is not attenuated (M = 1). Which boundary counts:
 *
 * - `"nearest"` (default): the nearest finite boundary of the cell. Read with the quantization
 *   intervals [Qᵢ, Qᵢ₊₁] of the paper's summary, this is the boundary inside the interval W_H
 *   lies in, so M is defined interval by interval. In an outermost cell it is the cell's only
 *   boundary, so the rule is the binary one (steps outwards free, steps inwards damped more the
 *   further W_H has accumulated beyond it). In an inner cell steps towards the level are free and
 *   steps away from it are damped, most at the level (M = 1 − tanh²(m*)) and less as the
 *   boundary comes closer: the weight sits in a well centred on its level.
 * - `"inward"`: only steps that decrease |W_H| are damped, by the distance to the next boundary
 *   towards zero (steps that increase |W_H| are always free, as in the binary rule). No wells:
 *   hidden weights accumulate freely outwards, and the protection restarts after each crossing.
 * - `"ahead"`: every step is damped by the distance to the boundary it would cross next (the
 *   paper brief's literal wording). In an inner cell a weight that has just crossed is nearly
 *   frozen (up to 1 − tanh²(2m*)) while the way back stays open.
 *
 * With two levels (±1, boundary 0, Δ = 1) both rules are exactly Laborieux's f_meta(m, W_h),
 * applied where sign(W_h)·M_Adam > 0; {@linkcode metaplasticQuantized} then runs metaplastic
 * Adam's own kernel, so a binary run is bit-identical to `metaplasticAdam`.
 *
 * @example
 * ```ts
 * import { metaplasticQuantized, uniformGrid } from "./quantized_metaplastic.ts";
 * const grid = uniformGrid(4); // levels −1, −1/3, 1/3, 1
 * const opt = metaplasticQuantized({ lr: 0.005, meta: 3, grid: [grid, null] });
 * const params = [new Float32Array([0.9, -0.1]), new Float32Array([1])]; // W_H, then a BN γ
 * const state = opt.init(params);
 * opt.step(params, [new Float32Array([1, 1]), new Float32Array([0.1])], state);
 * ```
 * @module
 */
import { adamStep, metaplasticAdamStep } from "../backend/fused.ts";
import { adamInit, type AdamOptions, type AdamState, checkAdamOptions } from "./adam.ts";
import { fMeta } from "./metaplastic_adam.ts";
import { checkShapes, type Optimizer } from "./types.ts";

/** Quantization levels and the decision boundaries between them. */
export interface QuantGrid {
  /** Levels, strictly ascending (normalised weight units). */
  readonly levels: Float64Array;
  /** Midpoints between consecutive levels (`levels.length − 1` values). */
  readonly boundaries: Float64Array;
}

/**
 * A grid on the given ascending levels (at least 2).
 *
 * @example
 * ```ts
 * import { quantGrid } from "./quantized_metaplastic.ts";
 * quantGrid([-1, 0, 1]).boundaries; // Float64Array [-0.5, 0.5]
 * ```
 */
export function quantGrid(levels: ArrayLike<number>): QuantGrid {
  const n = levels.length;
  if (n < 2) throw new RangeError(`a quantization grid needs at least 2 levels, got ${n}`);
  const l = Float64Array.from(levels as ArrayLike<number>);
  for (let k = 0; k < n; k++) {
    if (!Number.isFinite(l[k])) throw new RangeError(`quantization level ${k} is ${l[k]}`);
    if (k > 0 && !(l[k] > l[k - 1])) {
      throw new RangeError(`quantization levels must be strictly ascending, got [${[...l]}]`);
    }
  }
  const b = new Float64Array(n - 1);
  for (let k = 0; k < n - 1; k++) b[k] = (l[k] + l[k + 1]) / 2;
  return { levels: l, boundaries: b };
}

/**
 * N evenly spaced levels on [−max, max] (default max 1): N = 2 gives ±1 (the BNN), N = 3 gives
 * −1, 0, 1, N = 4 gives ±1/3, ±1.
 */
export function uniformGrid(n: number, max = 1): QuantGrid {
  if (!(Number.isInteger(n) && n >= 2)) {
    throw new RangeError(`uniformGrid: number of levels must be an integer >= 2, got ${n}`);
  }
  if (!(max > 0 && Number.isFinite(max))) {
    throw new RangeError(`uniformGrid: max must be a finite number > 0, got ${max}`);
  }
  // −max + k·2max/(n−1), with the endpoints exact and the grid symmetric
  const levels = Array.from({ length: n }, (_, k) => (max * (2 * k - (n - 1))) / (n - 1));
  return quantGrid(levels);
}

/** Index of the cell (level) of `w`: the number of boundaries strictly below `w`. */
export function cellIndex(grid: QuantGrid, w: number): number {
  const b = grid.boundaries;
  let k = 0;
  while (k < b.length && w > b[k]) k++;
  return k;
}

/** Level index of every value (see {@linkcode cellIndex}); NaN is an error. */
export function levelIndices(
  values: ArrayLike<number>,
  grid: QuantGrid,
  out: Int32Array = new Int32Array(values.length),
): Int32Array {
  if (out.length !== values.length) {
    throw new RangeError(`levelIndices: output has ${out.length} values, input ${values.length}`);
  }
  for (let i = 0; i < values.length; i++) {
    const w = values[i];
    if (Number.isNaN(w)) {
      throw new RangeError(`levelIndices: value ${i} is NaN (diverged training?)`);
    }
    out[i] = cellIndex(grid, w);
  }
  return out;
}

/** The quantized weights W_Q = Q(W_H): each value replaced by the level of its cell. */
export function quantizeToGrid(
  values: ArrayLike<number>,
  grid: QuantGrid,
  out: Float32Array = new Float32Array(values.length),
): Float32Array {
  if (out.length !== values.length) {
    throw new RangeError(`quantizeToGrid: output has ${out.length} values, input ${values.length}`);
  }
  const L = grid.levels;
  for (let i = 0; i < values.length; i++) {
    const w = values[i];
    if (Number.isNaN(w)) {
      throw new RangeError(`quantizeToGrid: value ${i} is NaN (diverged training?)`);
    }
    out[i] = L[cellIndex(grid, w)];
  }
  return out;
}

/** Which boundary the meta-function measures the distance to (see the module docs). */
export type BoundaryRule = "inward" | "nearest" | "ahead";

/**
 * The attenuation factor M ∈ (0, 1] of a step that moves `w` in direction `direction`
 * (+1: increasing, −1: decreasing, 0: no step, M = 1), for metaplasticity coefficient `m` ≥ 0.
 * With `uniformGrid(2)` this is `fMeta(m, w)` for steps towards zero and 1 otherwise.
 *
 * @example
 * ```ts
 * import { quantizedMeta, uniformGrid } from "./quantized_metaplastic.ts";
 * import { fMeta } from "./metaplastic_adam.ts";
 * quantizedMeta(1.5, 0.8, -1, uniformGrid(2)) === fMeta(1.5, 0.8); // true
 * quantizedMeta(1.5, 0.8, 1, uniformGrid(2)); // 1: moving away from the boundary
 * ```
 */
export function quantizedMeta(
  m: number,
  w: number,
  direction: number,
  grid: QuantGrid,
  rule: BoundaryRule = "nearest",
): number {
  if (!(m >= 0)) throw new RangeError(`quantizedMeta: m must be >= 0, got ${m}`);
  return metaFactor(m, w, direction, grid.levels, grid.boundaries, ruleCode(rule));
}

const RULE_NEAREST = 0, RULE_AHEAD = 1, RULE_INWARD = 2;

/** Numeric code of a boundary rule (a clear error for an unknown one). */
function ruleCode(rule: BoundaryRule): number {
  if (rule === "nearest") return RULE_NEAREST;
  if (rule === "ahead") return RULE_AHEAD;
  if (rule === "inward") return RULE_INWARD;
  throw new RangeError(`boundary rule must be "inward", "nearest" or "ahead", got "${rule}"`);
}

/** The meta-function on raw arrays (the optimizer's inner loop). */
function metaFactor(
  m: number,
  w: number,
  direction: number,
  levels: Float64Array,
  bounds: Float64Array,
  rule: number,
): number {
  if (direction === 0 || m === 0) return 1;
  const nb = bounds.length;
  let k = 0;
  while (k < nb && w > bounds[k]) k++;
  const lower = k > 0 ? bounds[k - 1] : -Infinity;
  const upper = k < nb ? bounds[k] : Infinity;
  let b: number;
  if (rule === RULE_INWARD) {
    if (direction * w >= 0) return 1; // |W_H| grows (or W_H = 0): never damped
    b = direction > 0 ? upper : lower; // the boundary ahead, towards zero
    if (!(b * w >= 0)) return 1; // none before zero (the cell of a zero level)
  } else if (rule === RULE_AHEAD) {
    b = direction > 0 ? upper : lower;
  } else {
    // nearest finite boundary of the cell (an outer cell has one)
    b = upper - w <= w - lower ? upper : lower;
    if (direction > 0 !== b > w && b !== w) return 1; // moving away from it
  }
  if (!Number.isFinite(b)) return 1; // outwards in an outer cell: nothing to cross
  const delta = b > levels[k] ? b - levels[k] : levels[k] - b;
  const d = b > w ? b - w : w - b;
  return fMeta(m, d / delta);
}

/** Options of {@linkcode metaplasticQuantized}. */
export interface MetaplasticQuantizedOptions extends AdamOptions {
  /** Consolidation parameter m* ≥ 0: one value, or one per parameter (0 = plain Adam). */
  meta: number | readonly number[];
  /**
   * Quantization grid of each parameter (`null`: not quantized, plain Adam, e.g. BatchNorm γ/β),
   * or one grid for every parameter.
   */
  grid: QuantGrid | readonly (QuantGrid | null)[];
  /** Boundary rule of the meta-function (default `"nearest"`; see the module docs). */
  rule?: BoundaryRule;
}

/** Resolved per-parameter settings. */
interface ParamRule {
  meta: number;
  grid: QuantGrid | null;
  binary: boolean;
}

/** True when the grid is exactly the BNN's ±1 with boundary 0. */
function isBinaryGrid(g: QuantGrid): boolean {
  return g.levels.length === 2 && g.levels[0] === -1 && g.levels[1] === 1;
}

/**
 * Metaplastic Adam over quantization intervals: Adam (PyTorch-1.1 conventions as in
 * `metaplasticAdam`: coupled L2 decay, ε on the uncorrected √V) on the hidden weights, each
 * step multiplied by {@linkcode quantizedMeta} of the weight before the step, the direction
 * taken from Adam's first moment. Hidden weights are never clipped. Parameters with a `null`
 * grid or meta 0 get plain Adam with the same α_t. On `uniformGrid(2)` the step is metaplastic
 * Adam's fused kernel (bit-identical to `metaplasticAdam`).
 *
 * State is `AdamState` (plain data); call `init` again for a fresh state at a task boundary.
 */
export function metaplasticQuantized(options: MetaplasticQuantizedOptions): Optimizer<AdamState> {
  checkAdamOptions(options);
  if (options.decoupled) {
    throw new RangeError(
      "metaplasticQuantized: decoupled weight decay is not part of the rule (λ·W_H is added to the gradient); leave decoupled unset",
    );
  }
  const rule = options.rule ?? "nearest";
  ruleCode(rule);
  const resolve = (n: number): ParamRule[] => {
    const { meta, grid } = options;
    const metas = typeof meta === "number" ? new Array<number>(n).fill(meta) : meta.slice();
    if (metas.length !== n) {
      throw new RangeError(
        `metaplasticQuantized: meta has ${metas.length} values for ${n} parameters`,
      );
    }
    const grids = Array.isArray(grid)
      ? (grid as readonly (QuantGrid | null)[]).slice()
      : new Array(n).fill(grid);
    if (grids.length !== n) {
      throw new RangeError(
        `metaplasticQuantized: grid has ${grids.length} entries for ${n} parameters`,
      );
    }
    return metas.map((m, i) => {
      if (!(m >= 0) || !Number.isFinite(m)) {
        throw new RangeError(
          `metaplasticQuantized: meta must be finite and >= 0, got ${m} for parameter ${i}`,
        );
      }
      const g = grids[i] as QuantGrid | null;
      return { meta: g ? m : 0, grid: g, binary: g !== null && isBinaryGrid(g) };
    });
  };
  const adamOpts = { ...options, epsMode: options.epsMode ?? "uncorrected" } as const;
  let cached: ParamRule[] | null = null;
  return {
    name: "metaplasticQuantized",
    init(params) {
      cached = resolve(params.length);
      return adamInit(params);
    },
    step(params, grads, state) {
      checkShapes(params, grads);
      if (state.m.length !== params.length) {
        throw new RangeError(
          `metaplasticQuantized: state has ${state.m.length} buffers for ${params.length} parameters; re-run init`,
        );
      }
      if (!cached || cached.length !== params.length) cached = resolve(params.length);
      state.t += 1;
      for (let i = 0; i < params.length; i++) {
        const r = cached[i];
        const o = { ...adamOpts, m: state.m[i], v: state.v[i], t: state.t };
        if (r.meta === 0 || !r.grid) adamStep(params[i], grads[i], o);
        else if (r.binary) metaplasticAdamStep(params[i], grads[i], { ...o, meta: r.meta });
        else quantizedAdamStep(params[i], grads[i], { ...o, meta: r.meta, grid: r.grid, rule });
      }
    },
  };
}

/** Options of {@linkcode quantizedAdamStep}. */
export interface QuantizedAdamStepOptions {
  /** First moments (updated in place). */
  m: Float32Array;
  /** Second moments (updated in place). */
  v: Float32Array;
  /** Learning rate η. */
  lr: number;
  /** 1-based step index. */
  t: number;
  /** Consolidation parameter m* ≥ 0. */
  meta: number;
  /** Quantization grid. */
  grid: QuantGrid;
  /** Boundary rule (default `"nearest"`). */
  rule?: BoundaryRule;
  /** β1 (default 0.9). */
  beta1?: number;
  /** β2 (default 0.999). */
  beta2?: number;
  /** ε (default 1e-8). */
  eps?: number;
  /** Coupled L2 coefficient λ (default 0). */
  weightDecay?: number;
  /** ε placement (default `"uncorrected"`, as metaplastic Adam). */
  epsMode?: "corrected" | "uncorrected";
}

/**
 * One quantized-metaplastic Adam step on one tensor, in place (the general kernel behind
 * {@linkcode metaplasticQuantized}; on `uniformGrid(2)` it agrees with `metaplasticAdamStep` to
 * float precision).
 */
export function quantizedAdamStep(
  params: Float32Array,
  grads: Float32Array,
  opts: QuantizedAdamStepOptions,
): void {
  const { m, v, lr, t, meta, grid } = opts;
  const n = params.length;
  for (const [k, b] of [["grads", grads], ["m", m], ["v", v]] as const) {
    if (b.length !== n) {
      throw new RangeError(`quantizedAdamStep: ${k} has ${b.length} values, expected ${n}`);
    }
  }
  if (!Number.isInteger(t) || t < 1) {
    throw new RangeError(`quantizedAdamStep: t must be the 1-based step count, got ${t}`);
  }
  if (!(meta >= 0)) throw new RangeError(`quantizedAdamStep: meta must be >= 0, got ${meta}`);
  const b1 = opts.beta1 ?? 0.9, b2 = opts.beta2 ?? 0.999, eps = opts.eps ?? 1e-8;
  const wd = opts.weightDecay ?? 0;
  const bc1 = 1 - Math.pow(b1, t), sqrtBc2 = Math.sqrt(1 - Math.pow(b2, t));
  const a = (lr * sqrtBc2) / bc1;
  const e = (opts.epsMode ?? "uncorrected") === "corrected" ? eps * sqrtBc2 : eps;
  const rule = ruleCode(opts.rule ?? "nearest");
  const levels = grid.levels, bounds = grid.boundaries;
  for (let i = 0; i < n; i++) {
    const w = params[i];
    const g = grads[i] + wd * w;
    const mi = b1 * m[i] + (1 - b1) * g;
    const vi = b2 * v[i] + (1 - b2) * g * g;
    m[i] = mi;
    v[i] = vi;
    const u = (a * mi) / (Math.sqrt(vi) + e); // the step is −u
    if (u === 0) continue;
    params[i] = w - u * metaFactor(meta, w, u > 0 ? -1 : 1, levels, bounds, rule);
  }
}

/**
 * Number of values whose level changed between two hidden-weight arrays (the device writes a
 * hybrid memory would issue), optionally accumulated per weight into `perWeight`.
 */
export function countLevelChanges(
  before: ArrayLike<number>,
  after: ArrayLike<number>,
  grid: QuantGrid,
  perWeight?: Uint32Array,
): number {
  if (before.length !== after.length) {
    throw new RangeError(
      `countLevelChanges: arrays of ${before.length} and ${after.length} values`,
    );
  }
  if (perWeight && perWeight.length !== before.length) {
    throw new RangeError(
      `countLevelChanges: perWeight has ${perWeight.length} values, expected ${before.length}`,
    );
  }
  let c = 0;
  for (let i = 0; i < before.length; i++) {
    if (cellIndex(grid, before[i]) !== cellIndex(grid, after[i])) {
      c++;
      if (perWeight) perWeight[i]++;
    }
  }
  return c;
}
