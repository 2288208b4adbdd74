/**
 * Minibatch iteration over a {@linkcode Dataset}, shuffled with a seeded {@linkcode Rng} or in
 * order.
 *
 * @example
 * ```ts
 * import { minibatches } from "./batches.ts";
 * const ds = { name: "toy", x: new Float32Array(6), y: new Int32Array(3), n: 3, dim: 2, classes: 2 };
 * for (const b of minibatches(ds, 2)) console.log(b.size); // 2, then 1
 * ```
 * @module
 */
import type { Dataset } from "./datasets.ts";
import type { Rng } from "../rng.ts";

/** One minibatch: `size` rows of features and labels (views reused between iterations). */
export interface Batch {
  /** Row-major features, `size × dim`. */
  x: Float32Array;
  /** Labels, length `size`. */
  y: Int32Array;
  /** Rows in this batch (the last batch may be smaller). */
  size: number;
}

/**
 * Yields minibatches of `batchSize` rows; shuffled when `rng` is given. The yielded arrays are
 * fresh for each batch, so they may be kept.
 */
export function* minibatches(
  ds: Dataset,
  batchSize: number,
  options: { rng?: Rng; dropLast?: boolean } = {},
): Generator<Batch> {
  if (!(batchSize >= 1)) throw new RangeError(`batchSize must be >= 1, got ${batchSize}`);
  const order = options.rng ? options.rng.permutation(ds.n) : null;
  const d = ds.dim;
  for (let start = 0; start < ds.n; start += batchSize) {
    const size = Math.min(batchSize, ds.n - start);
    if (options.dropLast && size < batchSize) return;
    if (!order) {
      yield {
        x: ds.x.subarray(start * d, (start + size) * d),
        y: ds.y.subarray(start, start + size),
        size,
      };
      continue;
    }
    const x = new Float32Array(size * d);
    const y = new Int32Array(size);
    for (let k = 0; k < size; k++) {
      const i = order[start + k];
      x.set(ds.x.subarray(i * d, (i + 1) * d), k * d);
      y[k] = ds.y[i];
    }
    yield { x, y, size };
  }
}

/** Number of minibatches {@linkcode minibatches} yields. */
export function batchCount(n: number, batchSize: number, dropLast = false): number {
  return dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
}
