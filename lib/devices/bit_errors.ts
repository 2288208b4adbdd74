/**
 * Bit-error injection into stored binary weights (Hirtzlin et al. 2019): each stored bit is
 * flipped independently with probability `ber`, i.e. a write error of a memory without error
 * correction. Flips the *stored* binary weights (sign flips of ±1 values), never latent weights.
 *
 * Sampling skips between flips with geometric gaps, so the cost is proportional to the number of
 * flips (a 10⁻⁵ BER on a million weights draws about ten numbers) and the result is exactly
 * i.i.d. Bernoulli(ber).
 *
 * @example
 * ```ts
 * import { flipBits } from "./bit_errors.ts";
 * import { Rng } from "../rng.ts";
 * const w = new Float32Array(1000).fill(1);
 * const flipped = flipBits(w, 0.01, new Rng(3)); // ≈ 10 entries of w are now −1
 * ```
 * @module
 */
import type { Rng } from "../rng.ts";

/** Options of {@linkcode flipBits}. */
export interface FlipOptions {
  /** Write the result here instead of in place (same length as the weights). */
  out?: Float32Array;
  /** Record the flipped indices here (a plain array the function appends to). */
  indices?: number[];
}

/**
 * Flips the sign of each entry of `weights` independently with probability `ber` (in place,
 * or into `options.out`). Returns the number of flips. Throws on a BER outside [0, 1].
 */
export function flipBits(
  weights: Float32Array,
  ber: number,
  rng: Rng,
  options: FlipOptions = {},
): number {
  if (!(ber >= 0 && ber <= 1)) throw new RangeError(`bit error rate must be in [0, 1], got ${ber}`);
  const out = options.out ?? weights;
  if (out.length !== weights.length) {
    throw new RangeError(`out has ${out.length} entries for ${weights.length} weights`);
  }
  if (out !== weights) out.set(weights);
  const n = weights.length;
  if (ber === 0 || n === 0) return 0;
  let flips = 0;
  if (ber === 1) {
    for (let i = 0; i < n; i++) out[i] = -out[i];
    options.indices?.push(...Array.from({ length: n }, (_, i) => i));
    return n;
  }
  const logq = Math.log1p(-ber);
  // Gap to the next flip: Geometric(ber) on {0, 1, …}, by inversion.
  let i = Math.floor(Math.log(1 - rng.uniform()) / logq);
  while (i < n) {
    out[i] = -out[i];
    options.indices?.push(i);
    flips++;
    i += 1 + Math.floor(Math.log(1 - rng.uniform()) / logq);
  }
  return flips;
}

/** The sign of each weight as ±1 (0 maps to +1, the convention of a binary memory cell). */
export function binarize(
  weights: ArrayLike<number>,
  out: Float32Array = new Float32Array(weights.length),
): Float32Array {
  for (let i = 0; i < weights.length; i++) out[i] = weights[i] < 0 ? -1 : 1;
  return out;
}
