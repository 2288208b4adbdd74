/**
 * BGD / FOO-VB diagonal (Zeno et al. 2018, 2021), the Bayesian baseline of the MESU papers, on the
 * (μ, σ) pairs of a Gaussian mean-field network:
 *
 * - μ ← μ − lr_μ·σ²·Ê[g]
 * - σ ← σ + lr_σ·[−½σ²·Ê[gε] + σ(√(1 + ¼σ²Ê[gε]²) − 1)]  (lr_σ = 1: σ√(1 + (½σÊ[gε])²) − ½σ²Ê[gε])
 *
 * with Ê[g] = ∂C/∂μ and Ê[gε] = ∂C/∂σ of the Monte-Carlo cost summed over the minibatch
 * (`BayesianMlp.lossAndGrad`). No forgetting: MESU with N → ∞ is its linearisation.
 *
 * `variant: "mesu-jax"` reproduces the MESU JAX reference (`foovbdiagonal.py`), whose square-root
 * term has the opposite sign: Δσ = −½σ²Ê[gε] − σ(√(1 + ¼σ²Ê[gε]²) − 1). The difference is
 * second order in σ²Ê[gε] (negligible at the papers' step sizes) but we keep both to be explicit.
 * The default (`"zeno"`) runs the fused kernel `bgdStep` of `lib/backend/fused.ts`.
 *
 * @example
 * ```ts
 * import { bgd } from "./bgd.ts";
 * const opt = bgd();
 * const params = [new Float32Array([0.1]), new Float32Array([0.05])]; // μ, σ
 * opt.step(params, [new Float32Array([2]), new Float32Array([0.5])], opt.init(params));
 * ```
 * @module
 */
import { bgdStep } from "../backend/fused.ts";
import { checkShapes, type Optimizer } from "./types.ts";

/** Options of {@linkcode bgd} (defaults: the BGD paper and the MESU configs, lr 1/1, no clamp). */
export interface BgdOptions {
  /** η on the μ step (default 1). */
  lrMu?: number;
  /** Factor on the σ step (default 1). */
  lrSigma?: number;
  /** Gradients clipped to ±c/σ before the step (0 = off, default). */
  clampGrad?: number;
  /** Steps clipped to ±r·σ after the rule (0 = off, default; a toolkit option for large batches). */
  ratioMax?: number;
  /** `"zeno"` (the paper's equation, default) or `"mesu-jax"` (the sign used by the MESU code). */
  variant?: "zeno" | "mesu-jax";
}

/** State of {@linkcode bgd}: steps taken. */
export interface BgdState {
  /** Steps taken. */
  step: number;
}

/** The BGD / FOO-VB diagonal optimizer; `params` are `[μ, σ]` pairs. */
export function bgd(options: BgdOptions = {}): Optimizer<BgdState> {
  const lrMu = options.lrMu ?? 1, lrSigma = options.lrSigma ?? 1;
  const clamp = options.clampGrad ?? 0, ratio = options.ratioMax ?? 0;
  const variant = options.variant ?? "zeno";
  if (variant !== "zeno" && variant !== "mesu-jax") {
    throw new RangeError(`variant must be "zeno" or "mesu-jax", got ${JSON.stringify(variant)}`);
  }
  if (!(clamp >= 0) || !(ratio >= 0)) {
    throw new RangeError("clampGrad and ratioMax must be >= 0 (0 = off)");
  }
  const sign = variant === "zeno" ? 1 : -1;
  return {
    name: "bgd",
    init(params) {
      if (params.length % 2 !== 0) {
        throw new RangeError(`bgd takes [μ, σ] pairs: got ${params.length} buffers (an odd count)`);
      }
      return { step: 0 };
    },
    step(params, grads, state) {
      checkShapes(params, grads);
      if (params.length % 2 !== 0) {
        throw new RangeError(`bgd takes [μ, σ] pairs, got ${params.length} buffers`);
      }
      for (let p = 0; p < params.length; p += 2) {
        const mu = params[p], sigma = params[p + 1], gm0 = grads[p], gs0 = grads[p + 1];
        if (mu.length !== sigma.length) {
          throw new RangeError(`bgd: μ ${p} and its σ differ in length`);
        }
        if (variant === "zeno" && ratio === 0) {
          bgdStep(mu, sigma, { gradMu: gm0, gradSigma: gs0 }, { lrMu, lrSigma, clampGrad: clamp });
          continue;
        }
        for (let i = 0; i < mu.length; i++) {
          const s = sigma[i];
          let gm = gm0[i], gs = gs0[i];
          if (clamp > 0) {
            const b = clamp / s;
            gm = gm > b ? b : gm < -b ? -b : gm;
            gs = gs > b ? b : gs < -b ? -b : gs;
          }
          const s2 = s * s;
          let dm = -lrMu * s2 * gm;
          let ds = lrSigma * (-0.5 * s2 * gs + sign * s * (Math.sqrt(1 + 0.25 * s2 * gs * gs) - 1));
          if (ratio > 0) {
            const b = ratio * s;
            dm = dm > b ? b : dm < -b ? -b : dm;
            ds = ds > b ? b : ds < -b ? -b : ds;
          }
          mu[i] += dm;
          sigma[i] = s + ds;
        }
      }
      state.step++;
    },
  };
}

/** Alias of {@linkcode bgd} under the name of the MESU configs. */
export const fooVbDiagonal: (options?: BgdOptions) => Optimizer<BgdState> = bgd;
