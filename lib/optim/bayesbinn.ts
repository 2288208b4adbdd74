/**
 * BayesBiNN (Meng, Bachmann & Khan 2020) as coded in the BiMU repository
 * (`optimizers/bayesbinn.py`): a step on the natural parameters λ of Bernoulli weights driven by
 * the mean-parameter gradient `g_μ = ∂C/∂m` (m = tanh λ), with a pull towards the prior λ₀:
 *
 * `λ ← λ − lr·[g_μ + κ·(λ − λ₀)]`, λ₀ = 0 by default (κ = "prior strength").
 *
 * `g_μ` is what {@linkcode BernoulliMlp.lossAndGradient} returns with `gradient: "mean"`. Because
 * the step is not bounded, λ grows on long streams and the posterior saturates (p(w = +1) at 0
 * or 1), the behaviour BiMU is designed to avoid.
 *
 * `skipZeroGradients` gives the active-learning variant (`bayesbinn_al.py`): no step at all when
 * every gradient is zero. (The reference multiplies the update by the *sum* of |g|, which looks
 * like a slip; this option skips on exactly-zero gradients and otherwise applies the plain step.)
 *
 * @example
 * ```ts
 * import { bayesBiNN } from "./bayesbinn.ts";
 * const opt = bayesBiNN({ lr: 0.77, priorStrength: 1.25e-5 });
 * const lambda = [new Float32Array([0.5])];
 * const state = opt.init(lambda);
 * opt.step(lambda, [new Float32Array([0.1])], state); // λ = 0.5 − 0.77·(0.1 + 1.25e-5·0.5)
 * ```
 * @module
 */
import { checkShapes, type Optimizer } from "./types.ts";

/** Options of {@linkcode bayesBiNN}. */
export interface BayesBiNNOptions {
  /** Learning rate (default 1e-3, the reference default). */
  lr?: number;
  /** κ, the prior strength (default 1). */
  priorStrength?: number;
  /** Prior natural parameter λ₀ (default 0, i.e. p(w = +1) = ½). */
  priorLambda?: number;
  /** Skip the step when every gradient is zero (active learning). Default false. */
  skipZeroGradients?: boolean;
}

/** State of {@linkcode bayesBiNN}. */
export interface BayesBiNNState {
  /** Steps applied. */
  step: number;
}

/** The BayesBiNN optimizer over λ buffers, fed with mean-parameter gradients. */
export function bayesBiNN(options: BayesBiNNOptions = {}): Optimizer<BayesBiNNState> {
  const lr = options.lr ?? 1e-3;
  const kappa = options.priorStrength ?? 1;
  const l0 = options.priorLambda ?? 0;
  if (!Number.isFinite(lr) || !Number.isFinite(kappa) || !Number.isFinite(l0)) {
    throw new RangeError(
      `bayesBiNN: lr, priorStrength and priorLambda must be finite, got ${lr}, ${kappa}, ${l0}`,
    );
  }
  const skip = options.skipZeroGradients ?? false;
  return {
    name: "bayesbinn",
    init: () => ({ step: 0 }),
    step(params, grads, state) {
      checkShapes(params, grads);
      if (skip && grads.every((g) => g.every((v) => v === 0))) return;
      for (let p = 0; p < params.length; p++) {
        const lam = params[p], g = grads[p];
        for (let i = 0; i < lam.length; i++) {
          if (!Number.isFinite(g[i])) {
            throw new RangeError(
              `bayesBiNN: gradient ${g[i]} in buffer ${p} at ${i}; the loss diverged`,
            );
          }
          lam[i] -= lr * (g[i] + kappa * (lam[i] - l0));
        }
      }
      state.step++;
    },
  };
}
