/**
 * The supervised minibatch training loop shared by every minibatch paper: softmax
 * cross-entropy (mean over the batch), gradients with `tf.variableGrads`, then any
 * {@linkcode Optimizer} updates the variables' Float32Array buffers in place.
 *
 * Hooks let methods act around the optimizer without a second loop: `beforeStep` may add a
 * penalty gradient to `ctx.grads` (EWC, SI), `afterStep` sees the updated parameters (SI's path
 * integral, device populations). To route updates through something else (a device model),
 * wrap the optimizer: any object with `init`/`step` works.
 *
 * A non-finite loss or gradient stops training with an error naming the task, epoch, step and
 * value, before the parameters are touched.
 *
 * @example
 * ```ts ignore
 * import { trainEpoch } from "./loop.ts";
 * import { metaplasticAdam } from "../optim/metaplastic_adam.ts";
 * const optimizer = metaplasticAdam({ lr: 0.005, meta: 1.35, metaplastic: net.params.map((p) => p.kind === "weight") });
 * const learner = { model: net, optimizer, state: optimizer.init(paramBuffers(net)) };
 * const stats = await trainEpoch(learner, task.train, { batchSize: 100, rng });
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Dataset } from "../data/datasets.ts";
import { type Batch, batchCount, minibatches } from "../data/batches.ts";
import type { Model } from "../nn/model.ts";
import type { Optimizer } from "../optim/types.ts";
import type { Rng } from "../rng.ts";
import { commitVariable, variableData } from "../backend/storage.ts";

/** A model with its optimizer and the optimizer's current state (replace `state` to reset it). */
export interface Learner<S = unknown> {
  /** The model being trained. */
  model: Model;
  /** The optimizer applied to `model.params`. */
  optimizer: Optimizer<S>;
  /** The optimizer state (plain data). */
  state: S;
}

/**
 * Training data that yields its own minibatches (e.g. an interleaved union of permuted tasks
 * built on the fly, see `sources.ts`). {@linkcode trainEpoch} accepts it wherever it accepts a
 * {@linkcode Dataset}.
 */
export interface BatchSource {
  /** Name for tables and errors. */
  readonly name: string;
  /** Number of examples. */
  readonly n: number;
  /** Features per example. */
  readonly dim: number;
  /** Minibatches of one epoch (shuffled when `rng` is given). */
  batches(batchSize: number, options: { rng?: Rng; dropLast?: boolean }): Iterable<Batch>;
}

/** Minibatches of a dataset or a batch source. */
export function batchesOf(
  data: Dataset | BatchSource,
  batchSize: number,
  options: { rng?: Rng; dropLast?: boolean } = {},
): Iterable<Batch> {
  return "batches" in data
    ? data.batches(batchSize, options)
    : minibatches(data, batchSize, options);
}

/** What a step hook sees. */
export interface StepContext {
  /** Writable buffers of `model.params` (hidden weights, γ, β), in order. */
  params: Float32Array[];
  /**
   * Gradients of the mean data loss, one per parameter. Writable: `beforeStep` hooks add
   * penalty gradients here. They are only valid during the hook.
   */
  grads: Float32Array[];
  /** Mean data loss of the batch. */
  loss: number;
  /** Step index within the epoch, from 0. */
  step: number;
  /** The minibatch. */
  batch: Batch;
}

/** Options of {@linkcode trainEpoch}. */
export interface TrainOptions {
  /** Minibatch size. */
  batchSize: number;
  /** Shuffles the examples (absent: dataset order). */
  rng?: Rng;
  /** Drop a last incomplete batch (default false). */
  dropLast?: boolean;
  /** Called after the gradients, before the optimizer step. */
  beforeStep?: (ctx: StepContext) => void;
  /** Called after the optimizer step (parameters already updated). */
  afterStep?: (ctx: StepContext) => void;
  /** Progress sink, ticked once per step. */
  progress?: { tick(n?: number, status?: string): void };
  /** Labels for error messages (e.g. `{ task: 2, epoch: 3 }`). */
  where?: Record<string, string | number>;
}

/** Statistics of one epoch. */
export interface EpochStats {
  /** Mean over steps of the mean data loss. */
  loss: number;
  /** Optimizer steps taken. */
  steps: number;
  /** Examples seen. */
  examples: number;
  /** Wall-clock seconds. */
  seconds: number;
}

/** Writable buffers of every model parameter (on the cpu backend, the variables' own storage). */
export function paramBuffers(model: Model): Float32Array[] {
  return model.params.map((p) => variableData(p.variable));
}

/** A batch of rows as a tensor of shape `[size, ...model.inputShape]`. */
export function batchTensor(model: Model, x: Float32Array, size: number): tf.Tensor {
  const dim = model.inputShape.reduce((a, b) => a * b, 1);
  if (x.length !== size * dim) {
    throw new RangeError(
      `${model.name}: a batch of ${size} needs ${
        size * dim
      } values (${dim} per example), got ${x.length}`,
    );
  }
  return tf.tensor(x, [size, ...model.inputShape], "float32");
}

/** Mean softmax cross-entropy of logits `[N, C]` against integer labels. */
export function meanCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const oh = tf.oneHot(tf.cast(labels, "int32"), logits.shape[1]);
  return tf.neg(tf.mean(tf.sum(tf.mul(oh, tf.logSoftmax(logits)), 1)));
}

function describe(where: Record<string, string | number> | undefined, step: number): string {
  const parts = Object.entries(where ?? {}).map(([k, v]) => `${k} ${v}`);
  parts.push(`step ${step}`);
  return parts.join(", ");
}

/**
 * One optimizer step on a batch; returns the batch's mean loss. Throws on a non-finite loss
 * (before touching the parameters).
 */
export function trainStep<S>(
  learner: Learner<S>,
  batch: Batch,
  options: Omit<TrainOptions, "batchSize" | "rng" | "dropLast" | "progress"> & { step?: number } =
    {},
): number {
  const { model, optimizer } = learner;
  const step = options.step ?? 0;
  const vars = model.params.map((p) => p.variable);
  const params = paramBuffers(model);
  const { value, grads } = tf.tidy(() => {
    const x = batchTensor(model, batch.x, batch.size);
    const y = tf.tensor1d(batch.y, "int32");
    return tf.variableGrads(() => meanCrossEntropy(model.logits(x, { training: true }), y), vars);
  });
  try {
    const loss = (value.dataSync() as Float32Array)[0];
    if (!Number.isFinite(loss)) {
      throw new Error(
        `training diverged: loss is ${loss} at ${describe(options.where, step)} (${model.name}); ` +
          `lower the learning rate or check the inputs for NaN`,
      );
    }
    const g = vars.map((v, i) => {
      const t = grads[v.name];
      return t ? (t.dataSync() as Float32Array) : new Float32Array(params[i].length);
    });
    // A NaN input can vanish behind sign() (sign(NaN) = 0) while its gradient is NaN: check both.
    g.forEach((gi, i) => {
      let sum = 0;
      for (let k = 0; k < gi.length; k++) sum += gi[k];
      if (!Number.isFinite(sum)) {
        throw new Error(
          `training diverged: the gradient of ${model.params[i].name} has non-finite values at ` +
            `${
              describe(options.where, step)
            } (${model.name}, loss ${loss}); check the inputs for NaN or lower the learning rate`,
        );
      }
    });
    const ctx: StepContext = { params, grads: g, loss, step, batch };
    options.beforeStep?.(ctx);
    optimizer.step(params, g, learner.state);
    vars.forEach((v, i) => commitVariable(v, params[i]));
    options.afterStep?.(ctx);
    return loss;
  } finally {
    value.dispose();
    tf.dispose(Object.values(grads));
  }
}

/** One pass over `data` in minibatches; see {@linkcode TrainOptions}. */
export function trainEpoch<S>(
  learner: Learner<S>,
  data: Dataset | BatchSource,
  options: TrainOptions,
): Promise<EpochStats> {
  const dim = learner.model.inputShape.reduce((a, b) => a * b, 1);
  if (data.dim !== dim) {
    throw new RangeError(
      `${learner.model.name} takes ${dim} features per example, dataset ${data.name} has ${data.dim}`,
    );
  }
  const t0 = performance.now();
  let sum = 0, steps = 0, examples = 0;
  for (
    const batch of batchesOf(data, options.batchSize, {
      rng: options.rng,
      dropLast: options.dropLast,
    })
  ) {
    const loss = trainStep(learner, batch, { ...options, step: steps });
    sum += loss;
    steps++;
    examples += batch.size;
    options.progress?.tick(1, `loss ${loss.toFixed(3)}`);
  }
  return Promise.resolve({
    loss: steps ? sum / steps : NaN,
    steps,
    examples,
    seconds: (performance.now() - t0) / 1000,
  });
}

/** Number of steps {@linkcode trainEpoch} takes on `n` examples. */
export function stepsPerEpoch(n: number, batchSize: number, dropLast = false): number {
  return batchCount(n, batchSize, dropLast);
}
