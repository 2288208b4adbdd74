/**
 * Monte-Carlo disagreement scores for active querying (BiMU, Cottart et al. 2026,
 * `utils/uncertaintyFunctions.py`).
 *
 * Variation ratio (VR) of one input classified by K sampled networks: one minus the share of the
 * networks whose predicted class agrees with the class predicted by their averaged output. It is 0
 * when all samples agree and at most `1 − 1/K`-ish when they scatter. "VR-true" measures the
 * disagreement with the ground-truth label instead: an oracle that cannot be deployed, kept for
 * comparison.
 *
 * Inputs are probabilities laid out `samples × n × classes` (the layout of
 * `predictiveUncertainty`); the averaged output is the mean of the K softmax vectors. (The
 * reference applies softmax twice before averaging; the sample argmaxes are unchanged by that and
 * the argmax of the average can only differ in near-ties.)
 *
 * @example
 * ```ts
 * import { variationRatio } from "./variation_ratio.ts";
 * // 4 samples, 1 input, 2 classes: three vote for class 0, one for class 1
 * const p = new Float32Array([0.9, 0.1, 0.8, 0.2, 0.7, 0.3, 0.2, 0.8]);
 * variationRatio(p, { samples: 4, n: 1, classes: 2 }); // [0.25]
 * ```
 * @module
 */
import type { McShape } from "../metrics/uncertainty.ts";

function check(probs: Float32Array, shape: McShape): void {
  const { samples, n, classes } = shape;
  for (const [k, v] of Object.entries(shape)) {
    if (!Number.isInteger(v) || v < 1) {
      throw new RangeError(`shape.${k} must be an integer >= 1, got ${v}`);
    }
  }
  if (probs.length !== samples * n * classes) {
    throw new RangeError(
      `probs has ${probs.length} values, expected ${samples} samples × ${n} inputs × ${classes} classes`,
    );
  }
}

function argmaxAt(p: Float32Array, o: number, C: number): number {
  let best = 0, bv = p[o];
  for (let c = 1; c < C; c++) {
    if (p[o + c] > bv) {
      bv = p[o + c];
      best = c;
    }
  }
  return best;
}

/** Variation ratio of each input: `1 − mean_k [argmax p_k = argmax mean_k p_k]`. */
export function variationRatio(probs: Float32Array, shape: McShape): Float32Array {
  check(probs, shape);
  const { samples: K, n, classes: C } = shape;
  const out = new Float32Array(n);
  const mean = new Float64Array(C);
  for (let i = 0; i < n; i++) {
    mean.fill(0);
    for (let k = 0; k < K; k++) {
      const o = (k * n + i) * C;
      for (let c = 0; c < C; c++) {
        if (Number.isNaN(probs[o + c])) {
          throw new RangeError(`probs is NaN at sample ${k}, input ${i}`);
        }
        mean[c] += probs[o + c];
      }
    }
    let avg = 0;
    for (let c = 1; c < C; c++) if (mean[c] > mean[avg]) avg = c;
    let agree = 0;
    for (let k = 0; k < K; k++) if (argmaxAt(probs, (k * n + i) * C, C) === avg) agree++;
    out[i] = 1 - agree / K;
  }
  return out;
}

/** "VR-true" oracle: `1 − mean_k [argmax p_k = label]` (needs the label, so not deployable). */
export function variationRatioWithLabel(
  probs: Float32Array,
  labels: ArrayLike<number>,
  shape: McShape,
): Float32Array {
  check(probs, shape);
  const { samples: K, n, classes: C } = shape;
  if (labels.length !== n) throw new RangeError(`${labels.length} labels for ${n} inputs`);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let agree = 0;
    for (let k = 0; k < K; k++) if (argmaxAt(probs, (k * n + i) * C, C) === labels[i]) agree++;
    out[i] = 1 - agree / K;
  }
  return out;
}
