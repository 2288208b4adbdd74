/**
 * Batch sources that build minibatches on the fly instead of materialising a dataset, for
 * training sets too large to hold as one Float32Array (the interleaved training set of
 * Laborieux Fig. 3c–d is 10 permuted copies of MNIST: 600 k × 784 floats, 1.9 GB).
 *
 * @example
 * ```ts ignore
 * import { permutedUnion } from "./sources.ts";
 * const interleaved = permutedUnion(mnist.train, perms, "pMNIST ×10 interleaved");
 * await trainEpoch(learner, interleaved, { batchSize: 100, rng });
 * ```
 * @module
 */
import type { Dataset } from "../data/datasets.ts";
import type { Batch } from "../data/batches.ts";
import type { Rng } from "../rng.ts";
import type { BatchSource } from "./loop.ts";

/**
 * The union of `perms.length` feature-permuted copies of `base` (example k is row
 * `k mod base.n` of copy `⌊k / base.n⌋`), shuffled across copies when an `rng` is given.
 */
export function permutedUnion(
  base: Dataset,
  perms: readonly Int32Array[],
  name: string,
): BatchSource {
  const d = base.dim;
  for (const [t, p] of perms.entries()) {
    if (p.length !== d) {
      throw new RangeError(
        `permutation ${t} has ${p.length} entries, the dataset has ${d} features`,
      );
    }
  }
  if (perms.length === 0) throw new RangeError("permutedUnion needs at least one permutation");
  const n = base.n * perms.length;
  return {
    name,
    n,
    dim: d,
    *batches(batchSize: number, options: { rng?: Rng; dropLast?: boolean }): Generator<Batch> {
      if (!(batchSize >= 1)) throw new RangeError(`batchSize must be >= 1, got ${batchSize}`);
      const order = options.rng ? options.rng.permutation(n) : null;
      for (let start = 0; start < n; start += batchSize) {
        const size = Math.min(batchSize, n - start);
        if (options.dropLast && size < batchSize) return;
        const x = new Float32Array(size * d), y = new Int32Array(size);
        for (let k = 0; k < size; k++) {
          const idx = order ? order[start + k] : start + k;
          const t = Math.floor(idx / base.n), i = idx - t * base.n;
          const p = perms[t], o = i * d, out = k * d;
          for (let j = 0; j < d; j++) x[out + j] = base.x[o + p[j]];
          y[k] = base.y[i];
        }
        yield { x, y, size };
      }
    },
  };
}
