/**
 * Sign-switch experiment of Laborieux et al. 2021 (Fig. 6c–e; reference
 * `switch_sign_induced_loss_increase`): the hidden weights of one layer are split into bins of
 * |W_h|/max|W_h|; in each bin a random sample of binary weights is flipped and the rise of the
 * mean per-example training loss, divided by the number of flipped weights, is recorded; this
 * is repeated over several random draws. The metaplasticity theory predicts that the increase
 * grows with |W_h|.
 *
 * Flipping `W_b[i, j]` changes the layer's pre-activation by `−2·x_i·W_b[i, j]` in column j, so
 * only the rest of the network is recomputed for each draw (normalisation with the same rule as
 * in evaluation: batch statistics for the BNN).
 *
 * @example
 * ```ts ignore
 * import { signSwitchLossIncrease } from "./sign_switch.ts";
 * const res = signSwitchLossIncrease(net, mnistTrainSubset, { layer: 0, sample: 1000, rng });
 * res.bins.map((b) => [b.magnitude, b.mean]);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Dataset } from "../data/datasets.ts";
import type { Rng } from "../rng.ts";
import type { Mlp } from "./mlp.ts";

/** Options of {@linkcode signSwitchLossIncrease}. */
export interface SignSwitchOptions {
  /** Dense layer index, from 0. */
  layer: number;
  /** Binary weights flipped per draw (reference: 1000, 2000, 100 for layers 1–3). */
  sample: number;
  /** Random source of the draws. */
  rng: Rng;
  /** Magnitude bins (default 15). */
  bins?: number;
  /** Random draws per bin (default 100 in the paper; default here 10). */
  draws?: number;
  /** Batch size of the loss evaluation (default 100, the reference's training batch). */
  batchSize?: number;
}

/** Result for one magnitude bin. */
export interface SignSwitchBin {
  /** Bin index k (|W_h| in (k/bins, (k+1)/bins)·max). */
  bin: number;
  /** Candidate weights in the bin. */
  candidates: number;
  /** Mean over draws of the mean |W_h|/max|W_h| of the flipped weights. */
  magnitude: number;
  /** Mean over draws of the loss increase per flipped weight. */
  mean: number;
  /** Standard deviation over draws. */
  std: number;
  /** Loss increase per flipped weight of each draw. */
  values: number[];
}

/** Result of {@linkcode signSwitchLossIncrease}. */
export interface SignSwitchResult {
  /** Layer index. */
  layer: number;
  /** max |W_h| of the layer. */
  maxMagnitude: number;
  /** Mean per-example loss before any flip. */
  baseLoss: number;
  /** Bins that had at least `sample` candidates, in order. */
  bins: SignSwitchBin[];
  /** Candidates per bin, for all bins (including skipped ones). */
  candidatesPerBin: number[];
}

/** Runs the sign-switch experiment on one layer; see the module docs. */
export function signSwitchLossIncrease(
  model: Mlp,
  data: Dataset,
  options: SignSwitchOptions,
): SignSwitchResult {
  const { layer, sample, rng } = options;
  const bins = options.bins ?? 15, draws = options.draws ?? 10, bs = options.batchSize ?? 100;
  if (!(Number.isInteger(layer) && layer >= 0 && layer < model.layers.length)) {
    throw new RangeError(
      `signSwitchLossIncrease: layer ${layer} outside 0..${model.layers.length - 1}`,
    );
  }
  if (!(sample >= 1)) {
    throw new RangeError(`signSwitchLossIncrease: sample must be >= 1, got ${sample}`);
  }
  if (data.dim !== model.sizes[0]) {
    throw new RangeError(`dataset has ${data.dim} features, model expects ${model.sizes[0]}`);
  }
  const dense = model.layers[layer];
  const W = dense.hidden.dataSync() as Float32Array;
  const nOut = dense.outFeatures, nIn = dense.inFeatures;
  let max = 0;
  for (let i = 0; i < W.length; i++) max = Math.max(max, Math.abs(W[i]));

  // Per batch: the layer's input, pre-activation and the base per-example losses.
  const batches: {
    x: Float32Array;
    z: Float32Array;
    y: Int32Array;
    size: number;
    base: Float32Array;
  }[] = [];
  let baseSum = 0;
  for (let s = 0; s < data.n; s += bs) {
    const size = Math.min(bs, data.n - s);
    const y = data.y.slice(s, s + size);
    const out = tf.tidy(() => {
      const xt = tf.tensor2d(data.x.subarray(s * data.dim, (s + size) * data.dim), [
        size,
        data.dim,
      ]);
      const tr = model.forwardDetailed(xt, { training: false });
      return [tr.inputs[layer], tr.pre[layer], perExampleLoss(tr.logits, y, model.classes)];
    });
    const [xi, zi, li] = out.map((t) => new Float32Array(t.dataSync() as Float32Array));
    tf.dispose(out);
    batches.push({ x: xi, z: zi, y, size, base: li });
    for (const v of li) baseSum += v;
  }

  const candidatesPerBin: number[] = [];
  const result: SignSwitchBin[] = [];
  for (let k = 0; k < bins; k++) {
    const lo = (k / bins) * max, hi = ((k + 1) / bins) * max;
    const cand: number[] = [];
    for (let i = 0; i < W.length; i++) {
      const a = Math.abs(W[i]);
      if (a > lo && a < hi) cand.push(i);
    }
    candidatesPerBin.push(cand.length);
    if (cand.length < sample) continue;
    const values: number[] = [];
    const mags: number[] = [];
    for (let r = 0; r < draws; r++) {
      // Partial Fisher–Yates: `sample` distinct candidates.
      const pool = cand.slice();
      for (let i = 0; i < sample; i++) {
        const j = i + rng.int(pool.length - i);
        const t = pool[i];
        pool[i] = pool[j];
        pool[j] = t;
      }
      const flips = pool.slice(0, sample);
      let magSum = 0;
      for (const idx of flips) magSum += Math.abs(W[idx]);
      mags.push(magSum / sample / max);
      let inc = 0;
      for (const b of batches) {
        const z = b.z.slice();
        for (const idx of flips) {
          const i = Math.floor(idx / nOut), j = idx % nOut;
          const d = -2 * Math.sign(W[idx]);
          for (let n = 0; n < b.size; n++) z[n * nOut + j] += d * b.x[n * nIn + i];
        }
        const loss = tf.tidy(() => {
          const logits = model.forwardFrom(layer, tf.tensor2d(z, [b.size, nOut]), {
            training: false,
          });
          return perExampleLoss(logits, b.y, model.classes);
        });
        const lv = loss.dataSync() as Float32Array;
        loss.dispose();
        for (let n = 0; n < b.size; n++) inc += lv[n] - b.base[n];
      }
      values.push(inc / data.n / sample);
    }
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = values.length > 1
      ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1))
      : 0;
    result.push({
      bin: k,
      candidates: cand.length,
      magnitude: mags.reduce((a, b) => a + b, 0) / mags.length,
      mean,
      std,
      values,
    });
  }
  return { layer, maxMagnitude: max, baseLoss: baseSum / data.n, bins: result, candidatesPerBin };
}

function perExampleLoss(logits: tf.Tensor2D, y: Int32Array, classes: number): tf.Tensor1D {
  const oh = tf.oneHot(tf.tensor1d(y, "int32"), classes);
  return tf.neg(tf.sum(tf.mul(oh, tf.logSoftmax(logits)), 1)) as tf.Tensor1D;
}
