/**
 * Normalisation layers of the metaplastic BNN and a per-task store of their state.
 *
 * - {@linkcode BatchNorm}: PyTorch `BatchNorm1d`/`BatchNorm2d` semantics (biased batch variance
 *   for normalising, unbiased variance for the running estimate, `eps = 1e-5`, momentum 0.1),
 *   with or without affine γ/β and with or without running statistics. Without running
 *   statistics (`trackRunningStats: false`, the current reference code) the batch statistics are
 *   used at test time too, so the test batch size matters.
 * - {@linkcode InstanceNorm}: per-example normalisation without affine parameters (the CIFAR-100
 *   feature network of Laborieux et al. 2021).
 * - {@linkcode TaskNormStates}: snapshots of every normalisation layer taken at the end of each
 *   task and loaded when an earlier task is evaluated (scenario "task"); a task-agnostic run
 *   simply never loads one.
 *
 * Inputs are `[N, F]` (dense) or `[N, H, W, C]` (convolutional, channels last).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { BatchNorm, TaskNormStates } from "./norm.ts";
 * const bn = new BatchNorm({ features: 3 });
 * const y = bn.apply(tf.randomNormal([8, 3]), { training: true }); // zero mean, unit variance
 * const store = new TaskNormStates();
 * store.save(0, [bn]); // end of task 0
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../rng.ts";
import { ownedVariable } from "./binary_dense.ts";

/** Plain-data state of one normalisation layer: the values of its state variables, in order. */
export type NormLayerState = Float32Array[];

/** Plain-data state of a list of normalisation layers (one entry per layer). */
export type NormSnapshot = NormLayerState[];

/** A normalisation layer with (possibly empty) trainable parameters and a savable state. */
export interface NormLayer {
  /** Layer name, for tables and errors. */
  readonly name: string;
  /** Normalises `x` (`[N, F]` or `[N, H, W, C]`). Updates running statistics when training. */
  apply(x: tf.Tensor, options: { training: boolean }): tf.Tensor;
  /** Trainable variables (γ, β) in a fixed order, possibly none. */
  trainable(): tf.Variable[];
  /** Copy of the state (γ, β, running mean and variance, those that exist). */
  getState(): NormLayerState;
  /** Restores a state returned by {@linkcode NormLayer.getState}. */
  setState(state: NormLayerState): void;
  /** Frees the layer's variables. */
  dispose(): void;
}

/** Initial value of BatchNorm's γ. */
export type GammaInit = "ones" | "uniform";

/** Options of {@linkcode BatchNorm}. */
export interface BatchNormOptions {
  /** Number of features (dense) or channels (convolutional). */
  features: number;
  /** Learn γ and β (default true). */
  affine?: boolean;
  /**
   * Keep running mean/variance and use them when not training (default false, as in the
   * current Laborieux reference: batch statistics at train and test time).
   */
  trackRunningStats?: boolean;
  /** Running-statistics momentum, PyTorch convention (default 0.1). */
  momentum?: number;
  /** ε added to the variance (default 1e-5). */
  eps?: number;
  /**
   * γ start value: `"ones"` (PyTorch ≥ 1.2, default) or `"uniform"` U(0, 1) (PyTorch 1.1,
   * the original runs; needs `rng`).
   */
  gammaInit?: GammaInit;
  /** Random source for `gammaInit: "uniform"`. */
  rng?: Rng;
  /** Layer name (default `"bn"`). */
  name?: string;
}

/** Batch normalisation over the batch (and spatial) axes, PyTorch semantics. */
export class BatchNorm implements NormLayer {
  /** Layer name. */
  readonly name: string;
  /** Number of features/channels. */
  readonly features: number;
  /** Whether γ and β are learned. */
  readonly affine: boolean;
  /** Whether running statistics are kept and used when not training. */
  readonly trackRunningStats: boolean;
  /** Running-statistics momentum. */
  readonly momentum: number;
  /** Variance ε. */
  readonly eps: number;
  /** Scale γ (affine only). */
  readonly gamma: tf.Variable | null;
  /** Shift β (affine only). */
  readonly beta: tf.Variable | null;
  /** Running mean (tracking only). */
  readonly runningMean: tf.Variable | null;
  /** Running variance (tracking only). */
  readonly runningVar: tf.Variable | null;

  /** Creates the layer; see {@linkcode BatchNormOptions}. */
  constructor(options: BatchNormOptions) {
    const f = options.features;
    if (!(Number.isInteger(f) && f >= 1)) {
      throw new RangeError(`BatchNorm: features must be a positive integer, got ${f}`);
    }
    this.features = f;
    this.name = options.name ?? "bn";
    this.affine = options.affine ?? true;
    this.trackRunningStats = options.trackRunningStats ?? false;
    this.momentum = options.momentum ?? 0.1;
    this.eps = options.eps ?? 1e-5;
    if (this.affine) {
      const init = options.gammaInit ?? "ones";
      let g: Float32Array;
      if (init === "uniform") {
        if (!options.rng) throw new RangeError('BatchNorm: gammaInit "uniform" needs an rng');
        g = options.rng.fillUniform(new Float32Array(f), 0, 1);
      } else if (init === "ones") {
        g = new Float32Array(f).fill(1);
      } else {
        throw new RangeError(`BatchNorm: unknown gammaInit "${init}" (use "ones" or "uniform")`);
      }
      this.gamma = ownedVariable(tf.tensor1d(g), true);
      this.beta = ownedVariable(tf.zeros([f]), true);
    } else {
      this.gamma = null;
      this.beta = null;
    }
    if (this.trackRunningStats) {
      this.runningMean = ownedVariable(tf.zeros([f]), false);
      this.runningVar = ownedVariable(tf.ones([f]), false);
    } else {
      this.runningMean = null;
      this.runningVar = null;
    }
  }

  /** Normalises `x`; in training with tracking, also updates the running statistics. */
  apply(x: tf.Tensor, options: { training: boolean }): tf.Tensor {
    const c = x.shape[x.shape.length - 1];
    if (c !== this.features) {
      throw new RangeError(
        `${this.name}: input has ${c} features/channels, expected ${this.features}`,
      );
    }
    const axes = x.rank === 2 ? [0] : x.rank === 4 ? [0, 1, 2] : null;
    if (!axes) {
      throw new RangeError(
        `${this.name}: input must be [N, F] or [N, H, W, C], got shape [${x.shape}]`,
      );
    }
    const useBatch = options.training || !this.trackRunningStats;
    let mean: tf.Tensor, variance: tf.Tensor;
    if (useBatch) {
      const mom = tf.moments(x, axes);
      mean = mom.mean;
      variance = mom.variance;
      if (options.training && this.trackRunningStats) {
        const count = x.size / c;
        if (count < 2) {
          throw new RangeError(
            `${this.name}: running statistics need more than 1 value per channel in training`,
          );
        }
        const unbiased = tf.mul(variance, count / (count - 1));
        const m = this.momentum;
        const rm = this.runningMean!, rv = this.runningVar!;
        const newMean = tf.add(tf.mul(rm, 1 - m), tf.mul(mean, m));
        const newVar = tf.add(tf.mul(rv, 1 - m), tf.mul(unbiased, m));
        rm.assign(newMean);
        rv.assign(newVar);
      }
    } else {
      mean = this.runningMean!;
      variance = this.runningVar!;
    }
    const scale = this.gamma
      ? tf.mul(tf.rsqrt(tf.add(variance, this.eps)), this.gamma)
      : tf.rsqrt(tf.add(variance, this.eps));
    const y = tf.mul(tf.sub(x, mean), scale);
    return this.beta ? tf.add(y, this.beta) : y;
  }

  /** γ and β when affine, else nothing. */
  trainable(): tf.Variable[] {
    return this.gamma && this.beta ? [this.gamma, this.beta] : [];
  }

  /** Copies of γ, β, running mean, running variance (those that exist, in that order). */
  getState(): NormLayerState {
    return this.stateVariables().map((v) => new Float32Array(v.dataSync() as Float32Array));
  }

  /** Restores a state from {@linkcode BatchNorm.getState}. */
  setState(state: NormLayerState): void {
    const vars = this.stateVariables();
    if (state.length !== vars.length) {
      throw new RangeError(
        `${this.name}: state has ${state.length} arrays, this layer needs ${vars.length}`,
      );
    }
    vars.forEach((v, i) => {
      if (state[i].length !== v.size) {
        throw new RangeError(
          `${this.name}: state array ${i} has ${state[i].length} values, expected ${v.size}`,
        );
      }
      const t = tf.tensor(state[i], v.shape, "float32");
      v.assign(t);
      t.dispose();
    });
  }

  /** Frees γ, β and the running statistics. */
  dispose(): void {
    for (const v of this.stateVariables()) v.dispose();
  }

  /** γ, β, running mean, running variance: those that exist. */
  private stateVariables(): tf.Variable[] {
    return [this.gamma, this.beta, this.runningMean, this.runningVar].filter((
      v,
    ): v is tf.Variable => v !== null);
  }
}

/** Options of {@linkcode InstanceNorm}. */
export interface InstanceNormOptions {
  /** ε added to the variance (default 1e-5). */
  eps?: number;
  /** Layer name (default `"in"`). */
  name?: string;
}

/**
 * Instance normalisation without affine parameters: each example is normalised over its own
 * features (`[N, F]`, the reference's `InstanceNorm1d` on a one-channel view) or over its spatial
 * positions per channel (`[N, H, W, C]`, `InstanceNorm2d`). No state, so nothing per task.
 */
export class InstanceNorm implements NormLayer {
  /** Layer name. */
  readonly name: string;
  /** Variance ε. */
  readonly eps: number;

  /** Creates the layer. */
  constructor(options: InstanceNormOptions = {}) {
    this.name = options.name ?? "in";
    this.eps = options.eps ?? 1e-5;
  }

  /** Normalises every example independently. */
  apply(x: tf.Tensor, _options: { training: boolean }): tf.Tensor {
    const axes = x.rank === 2 ? [1] : x.rank === 4 ? [1, 2] : null;
    if (!axes) {
      throw new RangeError(
        `${this.name}: input must be [N, F] or [N, H, W, C], got shape [${x.shape}]`,
      );
    }
    const { mean, variance } = tf.moments(x, axes, true);
    return tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.eps)));
  }

  /** No trainable parameters. */
  trainable(): tf.Variable[] {
    return [];
  }

  /** Empty state. */
  getState(): NormLayerState {
    return [];
  }

  /** Accepts only the empty state. */
  setState(state: NormLayerState): void {
    if (state.length !== 0) {
      throw new RangeError(`${this.name}: instance norm has no state, got ${state.length} arrays`);
    }
  }

  /** Nothing to free. */
  dispose(): void {}
}

/** Copies the state of every layer in `layers`. */
export function snapshotNorms(layers: readonly NormLayer[]): NormSnapshot {
  return layers.map((l) => l.getState());
}

/** Loads a snapshot from {@linkcode snapshotNorms} into `layers`. */
export function loadNorms(layers: readonly NormLayer[], snapshot: NormSnapshot): void {
  if (snapshot.length !== layers.length) {
    throw new RangeError(
      `norm snapshot has ${snapshot.length} layers, the model has ${layers.length}`,
    );
  }
  layers.forEach((l, i) => l.setState(snapshot[i]));
}

/**
 * Runs `fn` with `snapshot` loaded into `layers` and restores the live state afterwards (also on
 * error). With `snapshot` undefined, just runs `fn`.
 */
export function withNormState<T>(
  layers: readonly NormLayer[],
  snapshot: NormSnapshot | undefined,
  fn: () => T,
): T {
  if (!snapshot) return fn();
  const live = snapshotNorms(layers);
  loadNorms(layers, snapshot);
  try {
    return fn();
  } finally {
    loadNorms(layers, live);
  }
}

/**
 * Per-task store of normalisation states (Laborieux scenario "task"): `save(task, layers)` at the
 * end of a task, `get(task)` when evaluating it later. The store is plain data
 * (`toJSON`/`fromJSON`) so it can be checkpointed.
 */
export class TaskNormStates {
  private readonly states = new Map<number, NormSnapshot>();

  /** Stores a snapshot of `layers` for `task` (overwrites an earlier one). */
  save(task: number, layers: readonly NormLayer[]): void {
    this.states.set(task, snapshotNorms(layers));
  }

  /** Whether `task` has a stored state. */
  has(task: number): boolean {
    return this.states.has(task);
  }

  /** The stored snapshot of `task`, or undefined. */
  get(task: number): NormSnapshot | undefined {
    return this.states.get(task);
  }

  /** Loads the state of `task` into `layers`; throws when none was saved. */
  load(task: number, layers: readonly NormLayer[]): void {
    const s = this.states.get(task);
    if (!s) {
      throw new RangeError(
        `no normalisation state saved for task ${task}; saved: [${[...this.states.keys()]}]`,
      );
    }
    loadNorms(layers, s);
  }

  /** Tasks with a stored state, ascending. */
  tasks(): number[] {
    return [...this.states.keys()].sort((a, b) => a - b);
  }

  /** Plain data for checkpoints. */
  toJSON(): { task: number; state: NormSnapshot }[] {
    return this.tasks().map((task) => ({ task, state: this.states.get(task)! }));
  }

  /** Rebuilds a store from {@linkcode TaskNormStates.toJSON}. */
  static fromJSON(data: readonly { task: number; state: NormSnapshot }[]): TaskNormStates {
    const s = new TaskNormStates();
    for (const { task, state } of data) s.states.set(task, state);
    return s;
  }
}
