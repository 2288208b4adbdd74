/**
 * The tractable quadratic binary task of Laborieux et al. 2021 (Fig. 6a–b;
 * theory_synaptic_models.md §1): minimise L(W) = ½(W − W*)ᵀH(W − W*) over binary vectors
 * W_b = sign(W_h), training the hidden vector BNN-style with the gradient taken at the binary
 * point, W_h ← W_h − η·H·(sign(W_h) − W*).
 *
 * Closed form (derived): flipping binary weight i, b → b − 2b_i e_i, changes the loss by
 * ΔL_i = 2H_ii − 2b_i[H(b − W*)]_i; at a stable corner (b_i[H(b − W*)]_i < 0 for all i) this is
 * 2H_ii + (2/η)|dW_h,i/dt|, and since |W_h,i| grows linearly there, ΔL rises affinely with |W_h|.
 *
 * @example
 * ```ts
 * import { fig6aTask, flipLossIncrease, trainBinaryQuadratic } from "./quadratic_binary_task.ts";
 * const task = fig6aTask();
 * const run = trainBinaryQuadratic(task, { lr: 0.35, steps: 500, init: [0.01, 0.02] });
 * const dL = flipLossIncrease(task, run.binary); // loss increase of flipping each weight
 * ```
 * @module
 */
import type { Rng } from "../rng.ts";
import { matVec, rotatedSpd } from "./linalg.ts";

/** A quadratic task: d, the SPD Hessian H (d×d row-major) and the real-valued optimum W*. */
export interface QuadraticTask {
  /** Dimension d. */
  d: number;
  /** Hessian H, row-major d×d, symmetric positive-definite. */
  hessian: Float64Array;
  /** Optimum W* (length d). */
  target: Float64Array;
}

/** Builds a task, checking shapes and finiteness. */
export function quadraticTask(
  hessian: ArrayLike<number>,
  target: ArrayLike<number>,
): QuadraticTask {
  const d = target.length;
  if (hessian.length !== d * d) {
    throw new RangeError(
      `hessian has ${hessian.length} entries; a target of length ${d} needs ${d * d}`,
    );
  }
  const h = Float64Array.from(hessian), t = Float64Array.from(target);
  for (let i = 0; i < h.length; i++) {
    if (!Number.isFinite(h[i])) throw new RangeError(`hessian[${i}] is ${h[i]}`);
  }
  for (let i = 0; i < d; i++) {
    if (!Number.isFinite(t[i])) throw new RangeError(`target[${i}] is ${t[i]}`);
  }
  return { d, hessian: h, target: t };
}

/**
 * The Fig. 6a task (d = 2): the Hessian printed by the authors' notebook (torch seed 11; its
 * random stream cannot be replicated) and W* = (1.5, 0.5).
 */
export function fig6aTask(): QuadraticTask {
  return quadraticTask([2.4047, 0.2158, 0.2158, 0.7733], [1.5, 0.5]);
}

/** Options of {@linkcode fig6bTask}. */
export interface Fig6bOptions {
  /** Dimension (paper: 500). */
  d?: number;
  /** Mean eigenvalue (paper: 20). */
  eigenMean?: number;
  /** Eigenvalue spread: λ = mean + spread·(U − ½) (paper: 19). */
  eigenSpread?: number;
  /** W* ~ U(−targetRange, targetRange) (paper: 4). */
  targetRange?: number;
}

/**
 * A Fig. 6b task: H = RᵀDR with R Haar-random orthogonal, λ = 20 + 19·(U(0,1) − ½) ∈ [10.5, 29.5],
 * W* ~ U(−4, 4) (our Rng stands in for torch seed 1).
 */
export function fig6bTask(rng: Rng, options: Fig6bOptions = {}): QuadraticTask {
  const d = options.d ?? 500;
  const mean = options.eigenMean ?? 20, spread = options.eigenSpread ?? 19;
  const range = options.targetRange ?? 4;
  const lambda = new Float64Array(d);
  for (let i = 0; i < d; i++) lambda[i] = mean + spread * (rng.uniform() - 0.5);
  const hessian = rotatedSpd(lambda, rng);
  const target = new Float64Array(d);
  for (let i = 0; i < d; i++) target[i] = range * (2 * rng.uniform() - 1);
  return { d, hessian, target };
}

/** L(w) = ½(w − W*)ᵀH(w − W*). */
export function quadraticLoss(task: QuadraticTask, w: ArrayLike<number>): number {
  const { d, hessian, target } = task;
  if (w.length !== d) throw new RangeError(`w has length ${w.length}, task dimension is ${d}`);
  let s = 0;
  for (let i = 0; i < d; i++) {
    const ei = w[i] - target[i];
    let row = 0;
    const o = i * d;
    for (let j = 0; j < d; j++) row += hessian[o + j] * (w[j] - target[j]);
    s += ei * row;
  }
  return 0.5 * s;
}

/** The gradient H·(w − W*). */
export function quadraticGradient(task: QuadraticTask, w: ArrayLike<number>): Float64Array {
  const e = new Float64Array(task.d);
  for (let i = 0; i < task.d; i++) e[i] = w[i] - task.target[i];
  return matVec(task.hessian, e);
}

/** sign with sign(0) = +1, so binary weights are always ±1. */
export function binarize(hidden: ArrayLike<number>): Float64Array {
  const b = new Float64Array(hidden.length);
  for (let i = 0; i < hidden.length; i++) b[i] = hidden[i] < 0 ? -1 : 1;
  return b;
}

/** Options of {@linkcode trainBinaryQuadratic}. */
export interface TrainBinaryOptions {
  /** Learning rate η (Fig. 6a: 0.35; Fig. 6b: 0.01). */
  lr: number;
  /** Number of steps (Fig. 6a: 500; Fig. 6b: 1000). */
  steps: number;
  /** Initial hidden vector W_h(0). */
  init: ArrayLike<number>;
  /** Keep the whole hidden trajectory ((steps+1)×d) — for small d only. Default false. */
  recordTrajectory?: boolean;
}

/** Result of {@linkcode trainBinaryQuadratic}. */
export interface BinaryTrainResult {
  /** Final hidden vector W_h(T). */
  hidden: Float64Array;
  /** Final binary vector sign(W_h(T)). */
  binary: Float64Array;
  /** L(sign(W_h(t))) for t = 0..T. */
  binaryLoss: Float64Array;
  /** Number of steps at which the binary vector changed. */
  flips: Int32Array;
  /** Hidden trajectory ((steps+1)×d row-major) when requested. */
  trajectory?: Float64Array;
}

/**
 * BNN-style training: W_h(t+1) = W_h(t) − η·H·(sign(W_h(t)) − W*). Typed-array loop, O(d²) per
 * step.
 */
export function trainBinaryQuadratic(
  task: QuadraticTask,
  options: TrainBinaryOptions,
): BinaryTrainResult {
  const { d } = task;
  const { lr, steps } = options;
  if (!(lr > 0)) throw new RangeError(`lr must be > 0, got ${lr}`);
  if (!Number.isInteger(steps) || steps < 0) {
    throw new RangeError(`steps must be an integer >= 0, got ${steps}`);
  }
  if (options.init.length !== d) {
    throw new RangeError(`init has length ${options.init.length}, task dimension is ${d}`);
  }
  const w = Float64Array.from(options.init);
  const traj = options.recordTrajectory ? new Float64Array((steps + 1) * d) : undefined;
  const binaryLoss = new Float64Array(steps + 1);
  const flips = new Int32Array(steps);
  let b = binarize(w);
  if (traj) traj.set(w, 0);
  binaryLoss[0] = quadraticLoss(task, b);
  for (let t = 0; t < steps; t++) {
    const g = quadraticGradient(task, b);
    for (let i = 0; i < d; i++) w[i] -= lr * g[i];
    const nb = binarize(w);
    let changed = 0;
    for (let i = 0; i < d; i++) if (nb[i] !== b[i]) changed++;
    flips[t] = changed;
    b = nb;
    binaryLoss[t + 1] = quadraticLoss(task, b);
    if (traj) traj.set(w, (t + 1) * d);
  }
  if (!Number.isFinite(binaryLoss[steps])) {
    throw new RangeError("training diverged (non-finite loss)");
  }
  return { hidden: w, binary: b, binaryLoss, flips, trajectory: traj };
}

function checkBinary(task: QuadraticTask, b: ArrayLike<number>): void {
  if (b.length !== task.d) {
    throw new RangeError(`binary vector has length ${b.length}, task needs ${task.d}`);
  }
  for (let i = 0; i < b.length; i++) {
    if (b[i] !== 1 && b[i] !== -1) throw new RangeError(`binary[${i}] is ${b[i]}: expected ±1`);
  }
}

/**
 * Closed-form loss increase of flipping each binary weight individually:
 * ΔL_i = 2H_ii − 2b_i[H(b − W*)]_i (O(d²) for all i).
 */
export function flipLossIncrease(task: QuadraticTask, binary: ArrayLike<number>): Float64Array {
  checkBinary(task, binary);
  const g = quadraticGradient(task, binary);
  const out = new Float64Array(task.d);
  for (let i = 0; i < task.d; i++) out[i] = 2 * task.hessian[i * task.d + i] - 2 * binary[i] * g[i];
  return out;
}

/** The same by brute force: L(b with b_i flipped) − L(b) for each i (O(d³); a check). */
export function flipLossIncreaseBruteForce(
  task: QuadraticTask,
  binary: ArrayLike<number>,
): Float64Array {
  checkBinary(task, binary);
  const b = Float64Array.from(binary);
  const l0 = quadraticLoss(task, b);
  const out = new Float64Array(task.d);
  for (let i = 0; i < task.d; i++) {
    b[i] = -b[i];
    out[i] = quadraticLoss(task, b) - l0;
    b[i] = -b[i];
  }
  return out;
}

/**
 * Drift velocity of the hidden weights while the binary vector sits on corner b:
 * dW_h/dt = −η·H(b − W*) (per step).
 */
export function cornerDrift(
  task: QuadraticTask,
  binary: ArrayLike<number>,
  options: { lr: number },
): Float64Array {
  checkBinary(task, binary);
  const g = quadraticGradient(task, binary);
  for (let i = 0; i < g.length; i++) g[i] *= -options.lr;
  return g;
}

/**
 * Whether corner b is stable: b_i·[H(b − W*)]_i < 0 for every i (each hidden weight moves away
 * from zero in the direction of its sign). Returns the unstable indices too.
 */
export function cornerStability(
  task: QuadraticTask,
  binary: ArrayLike<number>,
): { stable: boolean; unstable: number[] } {
  checkBinary(task, binary);
  const g = quadraticGradient(task, binary);
  const unstable: number[] = [];
  for (let i = 0; i < task.d; i++) if (!(binary[i] * g[i] < 0)) unstable.push(i);
  return { stable: unstable.length === 0, unstable };
}

/** One bin of {@linkcode binByMagnitude}. */
export interface MagnitudeBin {
  /** Bin centre in normalised magnitude |W_h|/max|W_h|. */
  center: number;
  /** Lower and upper edges. */
  lo: number;
  /** Upper edge. */
  hi: number;
  /** Number of weights in the bin. */
  count: number;
  /** Mean of the values in the bin (NaN when empty). */
  mean: number;
  /** Population standard deviation (NaN when empty). */
  std: number;
}

/**
 * Groups `values[i]` by the normalised magnitude |hidden_i|/max|hidden| into `bins` equal bins
 * of [0, 1] (Fig. 6b uses 15), returning mean ± std per bin.
 */
export function binByMagnitude(
  values: ArrayLike<number>,
  hidden: ArrayLike<number>,
  options: { bins?: number } = {},
): MagnitudeBin[] {
  const nb = options.bins ?? 15;
  if (!Number.isInteger(nb) || nb < 1) {
    throw new RangeError(`bins must be a positive integer, got ${nb}`);
  }
  if (values.length !== hidden.length) {
    throw new RangeError(`${values.length} values for ${hidden.length} hidden weights`);
  }
  let max = 0;
  for (let i = 0; i < hidden.length; i++) max = Math.max(max, Math.abs(hidden[i]));
  if (!(max > 0)) {
    throw new RangeError("all hidden weights are zero: magnitudes cannot be normalised");
  }
  const sum = new Float64Array(nb), sum2 = new Float64Array(nb), count = new Int32Array(nb);
  for (let i = 0; i < values.length; i++) {
    const k = Math.min(nb - 1, Math.floor((Math.abs(hidden[i]) / max) * nb));
    sum[k] += values[i];
    sum2[k] += values[i] * values[i];
    count[k]++;
  }
  return Array.from({ length: nb }, (_, k) => {
    const m = count[k] ? sum[k] / count[k] : NaN;
    const v = count[k] ? Math.max(0, sum2[k] / count[k] - m * m) : NaN;
    return {
      center: (k + 0.5) / nb,
      lo: k / nb,
      hi: (k + 1) / nb,
      count: count[k],
      mean: m,
      std: Math.sqrt(v),
    };
  });
}
