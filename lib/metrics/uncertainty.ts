/**
 * Predictive, aleatoric and epistemic uncertainty of a Monte-Carlo ensemble of softmax outputs, in
 * bits (MESU and BiMU convention, `compute_uncertainty` of the MESU code).
 *
 * For K probability vectors p_k of one input: predictive (total) = H[mean_k p_k]; aleatoric =
 * mean_k H[p_k]; epistemic = predictive − aleatoric (the mutual information between the label and
 * the weights). Entropies use log2 with a 1e-12 guard inside the log, as coded by the papers.
 *
 * @example
 * ```ts
 * import { predictiveUncertainty } from "./uncertainty.ts";
 * // two samples, one input, two classes: confident but disagreeing samples
 * const u = predictiveUncertainty(new Float32Array([1, 0, 0, 1]), { samples: 2, n: 1, classes: 2 });
 * // u.total[0] ≈ 1 bit, u.aleatoric[0] ≈ 0, u.epistemic[0] ≈ 1
 * ```
 * @module
 */

/** Layout of a block of Monte-Carlo outputs: `samples × n × classes`, row-major. */
export interface McShape {
  /** Number of Monte-Carlo weight samples K. */
  samples: number;
  /** Number of inputs. */
  n: number;
  /** Number of classes. */
  classes: number;
}

/** Per-input uncertainties in bits. */
export interface Uncertainty {
  /** Predictive entropy H[p̄]. */
  total: Float32Array;
  /** Expected entropy mean_k H[p_k]. */
  aleatoric: Float32Array;
  /** Mutual information total − aleatoric. */
  epistemic: Float32Array;
}

const GUARD = 1e-12;

function checkShape(values: Float32Array, shape: McShape, what: string): void {
  const { samples, n, classes } = shape;
  for (const [k, v] of Object.entries(shape)) {
    if (!Number.isInteger(v) || v < 1) {
      throw new RangeError(`shape.${k} must be an integer >= 1, got ${v}`);
    }
  }
  if (values.length !== samples * n * classes) {
    throw new RangeError(
      `${what} has ${values.length} values but shape ${samples} samples × ${n} inputs × ${classes} ` +
        `classes needs ${samples * n * classes}`,
    );
  }
}

/**
 * Uncertainty decomposition from probabilities laid out `samples × n × classes`.
 *
 * @param probs softmax outputs (each row sums to 1).
 * @param shape the layout.
 * @returns total, aleatoric and epistemic uncertainty per input, in bits.
 */
export function predictiveUncertainty(probs: Float32Array, shape: McShape): Uncertainty {
  checkShape(probs, shape, "probs");
  const { samples: K, n, classes: C } = shape;
  const total = new Float32Array(n),
    aleatoric = new Float32Array(n),
    epistemic = new Float32Array(n);
  const mean = new Float64Array(C);
  for (let i = 0; i < n; i++) {
    mean.fill(0);
    let ale = 0;
    for (let k = 0; k < K; k++) {
      const o = (k * n + i) * C;
      for (let c = 0; c < C; c++) {
        const p = probs[o + c];
        if (Number.isNaN(p)) {
          throw new RangeError(`probs[${o + c}] is NaN (sample ${k}, input ${i})`);
        }
        mean[c] += p;
        ale -= p * Math.log2(p + GUARD);
      }
    }
    ale /= K;
    let tot = 0;
    for (let c = 0; c < C; c++) {
      const m = mean[c] / K;
      tot -= m * Math.log2(m + GUARD);
    }
    total[i] = tot;
    aleatoric[i] = ale;
    epistemic[i] = tot - ale;
  }
  return { total, aleatoric, epistemic };
}

/**
 * Row-wise softmax of logits laid out `rows × classes` (numerically stable), into a new array.
 *
 * @param logits row-major logits.
 * @param classes number of classes (row length).
 * @returns probabilities of the same layout.
 */
export function softmaxRows(logits: Float32Array, classes: number): Float32Array {
  if (!Number.isInteger(classes) || classes < 1 || logits.length % classes !== 0) {
    throw new RangeError(`${logits.length} logits do not split into rows of ${classes} classes`);
  }
  const out = new Float32Array(logits.length);
  for (let o = 0; o < logits.length; o += classes) {
    let m = -Infinity;
    for (let c = 0; c < classes; c++) m = Math.max(m, logits[o + c]);
    let s = 0;
    for (let c = 0; c < classes; c++) {
      const e = Math.exp(logits[o + c] - m);
      out[o + c] = e;
      s += e;
    }
    for (let c = 0; c < classes; c++) out[o + c] /= s;
  }
  return out;
}

/**
 * Uncertainty decomposition from logits laid out `samples × n × classes` (softmax first).
 *
 * @param logits Monte-Carlo logits.
 * @param shape the layout.
 * @returns total, aleatoric and epistemic uncertainty per input, in bits.
 */
export function uncertaintyFromLogits(logits: Float32Array, shape: McShape): Uncertainty {
  checkShape(logits, shape, "logits");
  return predictiveUncertainty(softmaxRows(logits, shape.classes), shape);
}

/**
 * Entropy in bits of each row of a `rows × classes` probability matrix (the uncertainty of a
 * deterministic network, counted as aleatoric by the papers).
 *
 * @param probs row-major probabilities.
 * @param classes number of classes.
 * @returns one entropy per row.
 */
export function entropyBits(probs: Float32Array, classes: number): Float32Array {
  if (!Number.isInteger(classes) || classes < 1 || probs.length % classes !== 0) {
    throw new RangeError(
      `${probs.length} probabilities do not split into rows of ${classes} classes`,
    );
  }
  const rows = probs.length / classes;
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let h = 0;
    for (let c = 0; c < classes; c++) {
      const p = probs[r * classes + c];
      h -= p * Math.log2(p + GUARD);
    }
    out[r] = h;
  }
  return out;
}
