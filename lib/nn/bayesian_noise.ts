/**
 * Fast standard-normal noise for Monte-Carlo weight sampling: a 128-layer ziggurat
 * (Marsaglia & Tsang 2000) fed by an {@linkcode Rng}'s 32-bit output.
 *
 * Sampling 40 k weights per Monte-Carlo draw is the hot loop of a Bayesian network once the matrix
 * products run on BLAS; the ziggurat needs one 32-bit draw per normal almost always (the polar
 * method of `Rng.normal` needs ≈ 1.27 plus a log and a square root). The index of the layer comes
 * from the low 7 bits and the signed abscissa from the high 25 bits of the same draw, so the two
 * are independent (the original algorithm reuses bits, a known flaw). Results are deterministic
 * for a given generator state but differ from `Rng.fillNormal`.
 *
 * @example
 * ```ts
 * import { fillNormalZiggurat } from "./bayesian_noise.ts";
 * import { Rng } from "../rng.ts";
 * const eps = fillNormalZiggurat(new Rng(0), new Float32Array(1000)); // N(0, 1) samples
 * ```
 * @module
 */
import type { Rng } from "../rng.ts";

const LAYERS = 128;
const SCALE = 16777216; // 2^24: |abscissa| of the 25-bit signed draw
const R = 3.442619855899;
const KN = new Float64Array(LAYERS);
const WN = new Float64Array(LAYERS);
const FN = new Float64Array(LAYERS);

(() => {
  const vn = 9.91256303526217e-3;
  let dn = R, tn = dn;
  const q = vn / Math.exp(-0.5 * dn * dn);
  KN[0] = (dn / q) * SCALE;
  KN[1] = 0;
  WN[0] = q / SCALE;
  WN[LAYERS - 1] = dn / SCALE;
  FN[0] = 1;
  FN[LAYERS - 1] = Math.exp(-0.5 * dn * dn);
  for (let i = LAYERS - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    KN[i + 1] = (dn / tn) * SCALE;
    tn = dn;
    FN[i] = Math.exp(-0.5 * dn * dn);
    WN[i] = dn / SCALE;
  }
})();

/** Uniform in (0, 1], never 0 (safe inside a log). */
function uniformOpen(rng: Rng): number {
  return (rng.nextU32() + 1) / 4294967296;
}

/** The slow path of the ziggurat: the wedges and the tail. */
function slow(rng: Rng, hz: number, iz: number): number {
  for (;;) {
    const x = hz * WN[iz];
    if (iz === 0) {
      let xt = 0, y = 0;
      do {
        xt = -Math.log(uniformOpen(rng)) / R;
        y = -Math.log(uniformOpen(rng));
      } while (y + y < xt * xt);
      return hz > 0 ? R + xt : -R - xt;
    }
    if (FN[iz] + uniformOpen(rng) * (FN[iz - 1] - FN[iz]) < Math.exp(-0.5 * x * x)) return x;
    const u = rng.nextU32();
    iz = u & 127;
    hz = (u | 0) >> 7;
    if (Math.abs(hz) < KN[iz]) return hz * WN[iz];
  }
}

/**
 * Fills `out` with independent N(0, 1) samples (ziggurat) and returns it.
 *
 * @param rng the generator (advanced).
 * @param out the buffer to fill.
 */
export function fillNormalZiggurat(rng: Rng, out: Float32Array): Float32Array {
  for (let i = 0; i < out.length; i++) {
    const u = rng.nextU32();
    const iz = u & 127;
    const hz = (u | 0) >> 7;
    out[i] = (hz < 0 ? -hz : hz) < KN[iz] ? hz * WN[iz] : slow(rng, hz, iz);
  }
  return out;
}
