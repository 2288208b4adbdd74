/**
 * `tanh` to float32 accuracy without `exp`, for the hot loops of the Bernoulli networks.
 *
 * V8's `Math.tanh` is correctly rounded in float64 and costs about 15–20 ns; the binary Bayesian
 * networks call it once per weight per update, which made it a third of a batch-1 update. This is
 * the odd/even rational approximation of Eigen's and XLA's float32 `tanh` (so also what the JAX
 * reference of BiMU computes on CPU), with `tanh x = x` below |x| = 4·10⁻⁴, evaluated in float64
 * and clamped at |x| = 7.905 (Eigen's bound; XLA clamps at 9, where in float32 both give 1).
 * Its largest error is 2.6·10⁻⁷ absolute and relative (2 float32 ulps), at the clamp.
 *
 * @example
 * ```ts
 * import { tanhF32 } from "./fast_tanh.ts";
 * Math.abs(tanhF32(0.5) - Math.tanh(0.5)) < 3e-7; // true
 * ```
 * @module
 */

/** Where the rational form reaches 1 in float32; inputs are clamped there. */
const CLAMP = 7.90531110763549805;

/** `tanh x` to 2.6·10⁻⁷ (absolute and relative); NaN stays NaN. */
export function tanhF32(x: number): number {
  const c = x > CLAMP ? CLAMP : x < -CLAMP ? -CLAMP : x;
  if (c < 4e-4 && c > -4e-4) return c; // also returns NaN unchanged
  const x2 = c * c;
  // odd numerator and even denominator in x², Horner form
  const p = c * (4.89352455891786e-3 +
    x2 * (6.37261928875436e-4 +
        x2 * (1.48572235717979e-5 +
            x2 * (5.12229709037114e-8 +
                x2 *
                  (-8.60467152213735e-11 +
                    x2 * (2.00018790482477e-13 + x2 * -2.76076847742355e-16))))));
  const q = 4.89352518554385e-3 +
    x2 * (2.268434632439e-3 + x2 * (1.18534705686654e-4 + x2 * 1.19825839466702e-6));
  return p / q;
}
