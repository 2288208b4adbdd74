/**
 * Test-set evaluation in minibatches: accuracy and mean cross-entropy, optionally with a stored
 * normalisation state loaded for the duration (per-task BatchNorm of Laborieux et al. 2021).
 *
 * With batch-statistics BatchNorm the batch size changes the result (the reference uses 1000
 * for permuted MNIST and 100 for MNIST/Fashion-MNIST): pass the protocol's value.
 *
 * @example
 * ```ts ignore
 * import { evaluate } from "./evaluate.ts";
 * const { accuracy } = evaluate(net, task.test, { batchSize: 1000, norms: store.get(0) });
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Dataset } from "../data/datasets.ts";
import { minibatches } from "../data/batches.ts";
import type { Model } from "../nn/model.ts";
import { type NormSnapshot, withNormState } from "../nn/norm.ts";
import { batchTensor } from "./loop.ts";

/** Options of {@linkcode evaluate}. */
export interface EvalOptions {
  /** Evaluation batch size. */
  batchSize: number;
  /** Normalisation state to load while evaluating (the live state is restored afterwards). */
  norms?: NormSnapshot;
}

/** Result of {@linkcode evaluate}. */
export interface EvalResult {
  /** Fraction correct in [0, 1]. */
  accuracy: number;
  /** Mean cross-entropy per example. */
  loss: number;
  /** Examples evaluated. */
  n: number;
}

/** Accuracy and loss of `model` on `data` (no training-mode side effects). */
export function evaluate(model: Model, data: Dataset, options: EvalOptions): EvalResult {
  if (data.n === 0) throw new RangeError(`cannot evaluate on the empty dataset ${data.name}`);
  return withNormState(model.norms, options.norms, () => {
    let correct = 0, lossSum = 0;
    for (const b of minibatches(data, options.batchSize)) {
      const [lossT, predT] = tf.tidy(() => {
        const logits = model.logits(batchTensor(model, b.x, b.size), { training: false });
        const oh = tf.oneHot(tf.tensor1d(b.y, "int32"), logits.shape[1]);
        const loss = tf.neg(tf.sum(tf.mul(oh, tf.logSoftmax(logits))));
        return [loss, tf.argMax(logits, 1)];
      });
      lossSum += (lossT.dataSync() as Float32Array)[0];
      const pred = predT.dataSync() as Int32Array;
      for (let i = 0; i < b.size; i++) if (pred[i] === b.y[i]) correct++;
      tf.dispose([lossT, predT]);
    }
    return { accuracy: correct / data.n, loss: lossSum / data.n, n: data.n };
  });
}

/**
 * Logits of `model` on every example of `data` (row-major `n × classes`), computed in
 * minibatches of `batchSize` at inference (with `norms` loaded, as {@linkcode evaluate}).
 *
 * @example
 * ```ts ignore
 * import { predictLogits } from "./evaluate.ts";
 * const logits = predictLogits(net, task.test, { batchSize: 1000 }); // n × 10
 * ```
 */
export function predictLogits(model: Model, data: Dataset, options: EvalOptions): Float32Array {
  if (data.n === 0) throw new RangeError(`cannot predict on the empty dataset ${data.name}`);
  return withNormState(model.norms, options.norms, () => {
    const out = new Float32Array(data.n * model.classes);
    let row = 0;
    for (const b of minibatches(data, options.batchSize)) {
      const t = tf.tidy(() => model.logits(batchTensor(model, b.x, b.size), { training: false }));
      out.set(t.dataSync() as Float32Array, row * model.classes);
      t.dispose();
      row += b.size;
    }
    return out;
  });
}
