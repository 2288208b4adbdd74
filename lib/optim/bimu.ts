/**
 * BiMU — Binary Metaplasticity from Uncertainty (Cottart et al. 2026), the update of the natural
 * parameters λ of mean-field Bernoulli weights (`q(w = +1) = sigmoid(2λ)`).
 *
 * With `g = κ_ℓ·∂C/∂λ` and `s = κ_KL·sech² λ`, elementwise:
 *
 * `Δλ = − [η·g + s·λ/N] / [s + 2·g·tanh λ + 2·|g| + 1/α_max]`
 *
 * - numerator: the data term and the relaxation towards the prior Bernoulli(½) at rate 1/N
 *   (`s·λ/N = (κ_KL/N)·∂KL(q_λ‖Bernoulli(½))/∂λ`, a bounded-memory window of N updates);
 * - denominator: the Bernoulli Fisher information `s` plus `2|g|(1 + sign(g)·tanh λ) ≥ 0` and the
 *   floor `1/α_max`, so every step is bounded. Steps that reinforce the current sign see almost
 *   no extra curvature (≈ `α_max·η·g`), steps towards a flip of a confident weight saturate at
 *   ≈ η/4 (metaplasticity).
 * - The step runs in WebAssembly SIMD in float32 where available (`simd`, default on), like the
 *   float32 JAX reference: there `tanh λ` rounds to 1 beyond |λ| ≈ 7.9, so `sech² λ = 1 − tanh² λ`
 *   and with it the relaxation vanish for such weights, as in the reference. The scalar loop
 *   (float64, `tanh` to float32 accuracy by {@linkcode tanhF32}) keeps `sech² λ` ≈ 5·10⁻⁷ there.
 * - The whole update, forgetting included, is skipped when every gradient is exactly zero (e.g.
 *   when active querying rejected the sample), as in the reference code.
 *
 * Parameters are the λ buffers of a {@linkcode BernoulliMlp} and the gradients `∂C/∂λ` its
 * `lossAndGradient` returns with `gradient: "lambda"`.
 *
 * @example
 * ```ts
 * import { bimu } from "./bimu.ts";
 * const opt = bimu({ lr: 4.9, likelihoodMultiplier: 161.3, klMultiplier: 3.76, lrMax: 0.0023, memory: 700 });
 * const lambda = [new Float32Array([0.5, -0.2])];
 * const state = opt.init(lambda);
 * opt.step(lambda, [new Float32Array([0.01, 0])], state); // state.step === 1
 * ```
 * @module
 */
import { tanhF32 } from "../fast_tanh.ts";
import { simdBimuStep } from "../backend/bernoulli_simd.ts";
import { checkShapes, type Optimizer } from "./types.ts";

/** Hyper-parameters of {@linkcode bimu} (names after the reference `optimizers/bimu.py`). */
export interface BimuOptions {
  /** η, the factor on the data term (`lr`). Default 1. */
  lr?: number;
  /** κ_ℓ, multiplies the gradient (`likelihood_multiplier`). Default 1. */
  likelihoodMultiplier?: number;
  /** κ_KL, multiplies sech² λ (`kl_multiplier`). Default 1. */
  klMultiplier?: number;
  /** α_max, the largest per-synapse learning rate (`lr_max`). Default 1. */
  lrMax?: number;
  /** N, the memory window in updates (`N`). Default 60 000. */
  memory?: number;
  /**
   * Run the update in WebAssembly SIMD, float32, where available (default true). Off, the
   * scalar float64 loop runs; the two agree to float32 rounding.
   */
  simd?: boolean;
}

/** State of {@linkcode bimu}: the number of updates made (skipped steps not counted). */
export interface BimuState {
  /** Updates applied so far. */
  step: number;
}

/** Resolved hyper-parameters. */
export interface BimuConfig {
  /** η. */
  lr: number;
  /** κ_ℓ. */
  likelihoodMultiplier: number;
  /** κ_KL. */
  klMultiplier: number;
  /** α_max. */
  lrMax: number;
  /** N. */
  memory: number;
}

/** Fills in the defaults of {@linkcode BimuOptions} and checks them. */
export function bimuConfig(options: BimuOptions = {}): BimuConfig {
  const c: BimuConfig = {
    lr: options.lr ?? 1,
    likelihoodMultiplier: options.likelihoodMultiplier ?? 1,
    klMultiplier: options.klMultiplier ?? 1,
    lrMax: options.lrMax ?? 1,
    memory: options.memory ?? 60000,
  };
  for (const [k, v] of Object.entries(c)) {
    if (!(Number.isFinite(v) || (k === "memory" && v === Infinity))) {
      throw new RangeError(`bimu: ${k} must be a finite number, got ${v}`);
    }
  }
  if (!(c.lrMax > 0)) throw new RangeError(`bimu: lrMax must be > 0, got ${c.lrMax}`);
  if (!(c.memory > 0)) throw new RangeError(`bimu: memory (N) must be > 0, got ${c.memory}`);
  if (!(c.klMultiplier >= 0)) {
    throw new RangeError(`bimu: klMultiplier must be >= 0, got ${c.klMultiplier}`);
  }
  return c;
}

/**
 * The BiMU increment for one weight: λ, raw gradient ∂C/∂λ → Δλ (the elementwise rule above).
 */
export function bimuDelta(lambda: number, grad: number, config: BimuConfig): number {
  const t = tanhF32(lambda);
  const s = config.klMultiplier * (1 - t * t);
  const g = config.likelihoodMultiplier * grad;
  const denom = s + 2 * g * t + 2 * Math.abs(g) + 1 / config.lrMax;
  return -(config.lr * g + (s * lambda) / config.memory) / denom;
}

/**
 * The effective per-synapse learning rate `1/(2|g| + 1/α_max + sech² λ + 2·tanh λ·g)` that the
 * authors' `main-learning-rate.ipynb` plots (κ_KL = 1 there); `klMultiplier` generalises it.
 */
export function bimuEffectiveLearningRate(
  lambda: number,
  grad: number,
  options: { lrMax?: number; klMultiplier?: number } = {},
): number {
  const t = Math.tanh(lambda);
  const lrMax = options.lrMax ?? 1;
  return 1 /
    (2 * Math.abs(grad) + 1 / lrMax + (options.klMultiplier ?? 1) * (1 - t * t) + 2 * t * grad);
}

/** The BiMU optimizer over λ buffers. */
export function bimu(options: BimuOptions = {}): Optimizer<BimuState> {
  const c = bimuConfig(options);
  const { lr, likelihoodMultiplier: kl, klMultiplier: kkl, memory: N } = c;
  const floor = 1 / c.lrMax;
  const useSimd = options.simd ?? true;
  const simdConstants = {
    lr,
    likelihoodMultiplier: kl,
    klMultiplier: kkl,
    invMemory: 1 / N,
    floor,
  };
  return {
    name: "bimu",
    init: () => ({ step: 0 }),
    step(params, grads, state) {
      checkShapes(params, grads);
      let any = false;
      grads.forEach((g, p) => {
        for (let i = 0; i < g.length; i++) {
          const v = g[i];
          if (v !== 0) any = true;
          if (!Number.isFinite(v)) {
            throw new RangeError(`bimu: gradient ${v} in buffer ${p} at ${i}; the loss diverged`);
          }
        }
      });
      if (!any) return; // skipped entirely, forgetting included
      const simd = useSimd &&
        params.every((lam, p) => simdBimuStep(lam, grads[p], simdConstants));
      if (simd) {
        state.step++;
        return;
      }
      for (let p = 0; p < params.length; p++) {
        const lam = params[p], gr = grads[p];
        for (let i = 0; i < lam.length; i++) {
          const l = lam[i];
          const t = tanhF32(l);
          const s = kkl * (1 - t * t);
          const g = kl * gr[i];
          lam[i] = l - (lr * g + (s * l) / N) / (s + 2 * g * t + 2 * Math.abs(g) + floor);
        }
      }
      state.step++;
    },
  };
}
