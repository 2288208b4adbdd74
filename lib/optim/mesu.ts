/**
 * MESU — Metaplasticity from Synaptic Uncertainty (Bonnet et al. 2023, 2025), an optimizer on the
 * (μ, σ) pairs of a Gaussian mean-field network.
 *
 * 2025 rule (JAX reference `optimizers/mesu.py`, every right-hand quantity at step t−1):
 *
 * - Δμ = lr_μ·[−σ²·∂C/∂μ + σ²(μ_p − μ)/(N σ_p²)]
 * - Δσ = lr_σ·½·[−σ²·∂C/∂σ + σ(σ_p² − σ²)/(N σ_p²)]
 *
 * with C the Monte-Carlo NLL **summed** over the minibatch. The first terms are linearised BGD, the
 * second ones release the posterior towards the prior at rate 1/N per update (N, the memory, is
 * counted in updates). The 2023 variant (`variant: "2023"`, reconstructed from the authors' code
 * of that period, unverified as the paper's) has no ½ on the σ step and no μ-prior term.
 *
 * Options as in the references: `clampGrad` c clips both gradients to ±c/σ (JAX); `ratioMax` r
 * clips |Δμ|, |Δσ| to r·σ (PyTorch); `sigmaMin`/`sigmaMax` clamp σ (PyTorch). The 2025 variant
 * runs the fused kernel `mesuStep` of `lib/backend/fused.ts`.
 *
 * Parameters and gradients come as consecutive pairs `[μ₁, σ₁, μ₂, σ₂, …]` (the order of
 * `BayesianMlp.params()`), gradients `[∂C/∂μ₁, ∂C/∂σ₁, …]`.
 *
 * @example
 * ```ts
 * import { mesu } from "./mesu.ts";
 * const opt = mesu({ sigmaPrior: 1, memory: 3e5 });
 * const params = [new Float32Array([0.1]), new Float32Array([0.05])]; // μ, σ
 * const state = opt.init(params);
 * opt.step(params, [new Float32Array([2]), new Float32Array([0.5])], state);
 * ```
 * @module
 */
import { mesuStep } from "../backend/fused.ts";
import { checkShapes, type Optimizer } from "./types.ts";

/** Options of {@linkcode mesu}; defaults are the JAX function defaults. */
export interface MesuOptions {
  /** Prior standard deviation σ_p (default 0.2). */
  sigmaPrior?: number;
  /** Prior mean μ_p (default 0). */
  muPrior?: number;
  /** Memory N in updates (default 1e5; 1e15 ≈ no forgetting, i.e. linearised BGD). */
  memory?: number;
  /** Memory used in the σ rule, when it differs from the μ one (2023 code: N_σ). Default `memory`. */
  memorySigma?: number;
  /** Learning-rate factor on the μ step (default 1). */
  lrMu?: number;
  /** Learning-rate factor on the σ step (default 1). */
  lrSigma?: number;
  /** JAX `clamp_grad` c: gradients clipped to ±c/σ (0 = off, default). */
  clampGrad?: number;
  /** PyTorch `ratio_max` r: steps clipped to ±r·σ (0 = off, default). */
  ratioMax?: number;
  /** Lower clamp on σ after each step (default 0 = none). */
  sigmaMin?: number;
  /** Upper clamp on σ after each step (default Infinity = none). */
  sigmaMax?: number;
  /** `"2025"` (default, the ½ and the μ-prior term) or `"2023"` (neither; unverified). */
  variant?: "2025" | "2023";
  /** Overrides the variant: keep the ½ on the σ step. */
  halfSigmaStep?: boolean;
  /** Overrides the variant: keep the μ-prior term σ²(μ_p − μ)/(Nσ_p²). */
  muPriorTerm?: boolean;
}

/** State of {@linkcode mesu}: the number of steps taken (the rule itself is stateless). */
export interface MesuState {
  /** Steps taken. */
  step: number;
}

/** Resolved hyperparameters of a {@linkcode mesu} optimizer. */
export interface MesuHyper {
  /** σ_p. */
  sigmaPrior: number;
  /** μ_p. */
  muPrior: number;
  /** N (μ rule). */
  memory: number;
  /** N (σ rule). */
  memorySigma: number;
  /** lr_μ. */
  lrMu: number;
  /** lr_σ. */
  lrSigma: number;
  /** c. */
  clampGrad: number;
  /** r. */
  ratioMax: number;
  /** σ lower clamp. */
  sigmaMin: number;
  /** σ upper clamp. */
  sigmaMax: number;
  /** ½ on the σ step. */
  halfSigmaStep: boolean;
  /** μ-prior term. */
  muPriorTerm: boolean;
}

/** Resolves {@linkcode MesuOptions} to explicit values, validating them. */
export function mesuHyper(options: MesuOptions = {}): MesuHyper {
  const variant = options.variant ?? "2025";
  if (variant !== "2025" && variant !== "2023") {
    throw new RangeError(`variant must be "2025" or "2023", got ${JSON.stringify(variant)}`);
  }
  const h: MesuHyper = {
    sigmaPrior: options.sigmaPrior ?? 0.2,
    muPrior: options.muPrior ?? 0,
    memory: options.memory ?? 1e5,
    memorySigma: options.memorySigma ?? options.memory ?? 1e5,
    lrMu: options.lrMu ?? 1,
    lrSigma: options.lrSigma ?? 1,
    clampGrad: options.clampGrad ?? 0,
    ratioMax: options.ratioMax ?? 0,
    sigmaMin: options.sigmaMin ?? 0,
    sigmaMax: options.sigmaMax ?? Infinity,
    halfSigmaStep: options.halfSigmaStep ?? variant === "2025",
    muPriorTerm: options.muPriorTerm ?? variant === "2025",
  };
  if (!(h.sigmaPrior > 0)) throw new RangeError(`sigmaPrior must be > 0, got ${h.sigmaPrior}`);
  if (!(h.memory > 0) || !(h.memorySigma > 0)) {
    throw new RangeError(`memory N must be > 0 (in updates), got ${h.memory} / ${h.memorySigma}`);
  }
  if (!(h.clampGrad >= 0) || !(h.ratioMax >= 0)) {
    throw new RangeError(
      `clampGrad and ratioMax must be >= 0 (0 = off), got ${h.clampGrad}, ${h.ratioMax}`,
    );
  }
  if (!(h.sigmaMin >= 0) || !(h.sigmaMax > h.sigmaMin)) {
    throw new RangeError(`need 0 <= sigmaMin < sigmaMax, got ${h.sigmaMin}, ${h.sigmaMax}`);
  }
  return h;
}

function checkPairs(name: string, params: readonly Float32Array[]): void {
  if (params.length % 2 !== 0) {
    throw new RangeError(`${name} takes [μ, σ] pairs: got ${params.length} buffers (an odd count)`);
  }
  for (let i = 0; i < params.length; i += 2) {
    if (params[i].length !== params[i + 1].length) {
      throw new RangeError(
        `${name}: μ buffer ${i} has ${params[i].length} values but its σ has ${
          params[i + 1].length
        }`,
      );
    }
  }
}

/** General MESU step (any variant) on one (μ, σ) pair, in place. */
export function mesuPairStep(
  mu: Float32Array,
  sigma: Float32Array,
  gradMu: Float32Array,
  gradSigma: Float32Array,
  h: MesuHyper,
): void {
  const fusable = h.muPriorTerm && h.memory === h.memorySigma;
  if (fusable) {
    mesuStep(mu, sigma, { gradMu, gradSigma }, {
      sigmaPrior: h.sigmaPrior,
      muPrior: h.muPrior,
      N: h.memory,
      lrMu: h.lrMu,
      lrSigma: h.lrSigma,
      halfSigmaStep: h.halfSigmaStep,
      clampGrad: h.clampGrad,
      ratioMax: h.ratioMax,
      sigmaMin: h.sigmaMin,
      sigmaMax: h.sigmaMax,
    });
    return;
  }
  const sp2 = h.sigmaPrior * h.sigmaPrior;
  const invMu = h.muPriorTerm ? 1 / (h.memory * sp2) : 0;
  const invSigma = 1 / (h.memorySigma * sp2);
  const lrS = h.lrSigma * (h.halfSigmaStep ? 0.5 : 1);
  const c = h.clampGrad, r = h.ratioMax;
  for (let i = 0; i < mu.length; i++) {
    const s = sigma[i], m = mu[i];
    let gm = gradMu[i], gs = gradSigma[i];
    if (c > 0) {
      const b = c / s;
      gm = gm > b ? b : gm < -b ? -b : gm;
      gs = gs > b ? b : gs < -b ? -b : gs;
    }
    const s2 = s * s;
    let dm = h.lrMu * (-s2 * gm + s2 * (h.muPrior - m) * invMu);
    let ds = lrS * (-s2 * gs + s * (sp2 - s2) * invSigma);
    if (r > 0) {
      const b = r * s;
      dm = dm > b ? b : dm < -b ? -b : dm;
      ds = ds > b ? b : ds < -b ? -b : ds;
    }
    mu[i] = m + dm;
    let ns = s + ds;
    if (ns < h.sigmaMin) ns = h.sigmaMin;
    if (ns > h.sigmaMax) ns = h.sigmaMax;
    sigma[i] = ns;
  }
}

/** The MESU optimizer (see the module doc); `params` are `[μ, σ]` pairs. */
export function mesu(options: MesuOptions = {}): Optimizer<MesuState> {
  const h = mesuHyper(options);
  return {
    name: options.variant === "2023" ? "mesu-2023" : "mesu",
    init(params) {
      checkPairs("mesu", params);
      return { step: 0 };
    },
    step(params, grads, state) {
      checkShapes(params, grads);
      checkPairs("mesu", params);
      for (let i = 0; i < params.length; i += 2) {
        mesuPairStep(params[i], params[i + 1], grads[i], grads[i + 1], h);
      }
      state.step++;
    },
  };
}
