/**
 * Layer normalisation without affine parameters (Equinox `LayerNorm(use_weight=False,
 * use_bias=False)`), forward and backward on Float32Array rows.
 *
 * Each row is standardised with its own mean and biased variance:
 * `y = (x − mean) / sqrt(var + eps)`. The binary Bayesian networks of BiMU (Cottart et al. 2026)
 * put it after every linear layer, the last one included.
 *
 * @example
 * ```ts
 * import { layerNorm, layerNormBackward } from "./layer_norm.ts";
 * const ln = layerNorm(new Float32Array([1, 2, 3, 4]), { rows: 1, dim: 4 });
 * // ln.y ≈ [-1.342, -0.447, 0.447, 1.342]
 * const dx = layerNormBackward(new Float32Array([1, 0, 0, 0]), ln);
 * ```
 * @module
 */

/** Shape and options of {@linkcode layerNorm}. */
export interface LayerNormOptions {
  /** Number of rows (each normalised independently). */
  rows: number;
  /** Features per row. */
  dim: number;
  /** Added to the variance (Equinox default 1e-5). */
  eps?: number;
  /** Output buffer (`rows × dim`); may be the input itself. */
  out?: Float32Array;
}

/** What the backward pass needs: the normalised rows and each row's `1/sqrt(var + eps)`. */
export interface LayerNormCache {
  /** Normalised output, `rows × dim`. */
  y: Float32Array;
  /** Inverse standard deviation of each row. */
  invStd: Float32Array;
  /** Number of rows. */
  rows: number;
  /** Features per row. */
  dim: number;
}

function checkShape(length: number, rows: number, dim: number, what: string): void {
  if (!(Number.isInteger(rows) && rows >= 1 && Number.isInteger(dim) && dim >= 1)) {
    throw new RangeError(`layerNorm needs positive integer rows and dim, got ${rows} × ${dim}`);
  }
  if (length !== rows * dim) {
    throw new RangeError(`${what} has ${length} values, expected rows × dim = ${rows} × ${dim}`);
  }
}

/** Normalises every row of `x` (`rows × dim`) to zero mean and unit (biased) variance. */
export function layerNorm(x: Float32Array, options: LayerNormOptions): LayerNormCache {
  const { rows, dim } = options;
  const eps = options.eps ?? 1e-5;
  checkShape(x.length, rows, dim, "layerNorm input");
  const y = options.out ?? new Float32Array(rows * dim);
  checkShape(y.length, rows, dim, "layerNorm output");
  const invStd = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * dim;
    let s = 0;
    for (let j = 0; j < dim; j++) s += x[o + j];
    const mu = s / dim;
    let v = 0;
    for (let j = 0; j < dim; j++) {
      const d = x[o + j] - mu;
      v += d * d;
    }
    const inv = 1 / Math.sqrt(v / dim + eps);
    invStd[r] = inv;
    for (let j = 0; j < dim; j++) y[o + j] = (x[o + j] - mu) * inv;
  }
  return { y, invStd, rows, dim };
}

/**
 * Gradient with respect to the input of {@linkcode layerNorm}:
 * `dx = invStd · (dy − mean(dy) − y · mean(dy ⊙ y))` row by row.
 */
export function layerNormBackward(
  dy: Float32Array,
  cache: LayerNormCache,
  options: { out?: Float32Array } = {},
): Float32Array {
  const { y, invStd, rows, dim } = cache;
  checkShape(dy.length, rows, dim, "layerNormBackward gradient");
  const dx = options.out ?? new Float32Array(rows * dim);
  checkShape(dx.length, rows, dim, "layerNormBackward output");
  for (let r = 0; r < rows; r++) {
    const o = r * dim;
    let sg = 0, sgy = 0;
    for (let j = 0; j < dim; j++) {
      sg += dy[o + j];
      sgy += dy[o + j] * y[o + j];
    }
    const mg = sg / dim, mgy = sgy / dim, inv = invStd[r];
    for (let j = 0; j < dim; j++) dx[o + j] = inv * (dy[o + j] - mg - y[o + j] * mgy);
  }
  return dx;
}
