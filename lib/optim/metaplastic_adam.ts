/**
 * Metaplastic Adam (Laborieux et al. 2021, reference `Adam_meta`): Adam on the hidden weights
 * W_h of a BNN, with each step that moves W_h towards zero scaled by
 * `f_meta(m, W_h) = 1 − tanh²(m·W_h)`.
 *
 * Per weight tensor, with PyTorch-1.1 Adam conventions:
 * 1. `g = ∂C/∂W_b + λ·W_h` (weight decay on the hidden weight, added before the moments);
 * 2. `M ← β1·M + (1−β1)·g`, `V ← β2·V + (1−β2)·g²`, `t ← t + 1`;
 * 3. `α_t = η·√(1−β2^t)/(1−β1^t)`, `U = M/(√V + ε)` (ε on the uncorrected √V);
 * 4. where `sign(W_h)·M > 0` (the step −α_t·U points towards zero): `W_h ← W_h − α_t·f_meta·U`;
 *    elsewhere `W_h ← W_h − α_t·U`.
 *
 * The test looks at Adam's first moment M, not at the raw gradient, and f_meta scales the whole
 * Adam step. Steps that enlarge |W_h| are never damped. Parameters that are not metaplastic
 * (BatchNorm γ/β, `metaplastic[i] = false` or a per-parameter `meta` of 0) get plain Adam with
 * the same α_t, λ and ε rule. `meta = 0` everywhere is exactly Adam. State reset (a fresh Adam
 * state per task in multitask runs) is the caller's choice: call `init` again.
 *
 * @example
 * ```ts
 * import { metaplasticAdam } from "./metaplastic_adam.ts";
 * const opt = metaplasticAdam({ lr: 0.005, meta: 1.35, weightDecay: 1e-7, metaplastic: [true, false] });
 * const params = [new Float32Array([0.5, -0.5]), new Float32Array([1])]; // W_h, then a BN γ
 * const state = opt.init(params);
 * opt.step(params, [new Float32Array([1, 1]), new Float32Array([0.1])], state);
 * ```
 * @module
 */
import { adamStep, metaplasticAdamStep } from "../backend/fused.ts";
import { adamInit, type AdamOptions, type AdamState, checkAdamOptions } from "./adam.ts";
import { checkShapes, type Optimizer } from "./types.ts";

/** Options of {@linkcode metaplasticAdam}. */
export interface MetaplasticAdamOptions extends AdamOptions {
  /**
   * Metaplasticity coefficient m ≥ 0: one value for every metaplastic parameter, or one value
   * per parameter (0 = plain Adam for that parameter; a per-layer `--meta` list maps here).
   */
  meta: number | readonly number[];
  /**
   * Which parameters are metaplastic (default: all). Pass `false` for 1-D parameters (BatchNorm
   * γ, β), e.g. `model.params.map((p) => p.kind === "weight")`.
   */
  metaplastic?: readonly boolean[];
}

/** `f_meta(m, w) = 1 − tanh²(m·w)`: 1 at w = 0, → 0 for |w| ≫ 1/m. */
export function fMeta(m: number, w: number): number {
  const t = Math.tanh(m * w);
  return 1 - t * t;
}

/** The metaplastic Adam optimizer; see the module docs. */
export function metaplasticAdam(options: MetaplasticAdamOptions): Optimizer<AdamState> {
  checkAdamOptions(options);
  if (options.decoupled) {
    throw new RangeError(
      "metaplasticAdam: decoupled weight decay is not part of the rule (the reference adds λ·W_h to the gradient); leave decoupled unset",
    );
  }
  const metaOf = (n: number): number[] => {
    const { meta, metaplastic } = options;
    if (metaplastic && metaplastic.length !== n) {
      throw new RangeError(
        `metaplasticAdam: metaplastic has ${metaplastic.length} flags for ${n} parameters`,
      );
    }
    let values: number[];
    if (typeof meta === "number") {
      values = new Array(n).fill(meta);
    } else {
      if (meta.length !== n) {
        throw new RangeError(
          `metaplasticAdam: meta has ${meta.length} values for ${n} parameters (give one per parameter or a number)`,
        );
      }
      values = meta.slice();
    }
    values.forEach((m, i) => {
      if (!(m >= 0) || !Number.isFinite(m)) {
        throw new RangeError(
          `metaplasticAdam: meta must be finite and >= 0, got ${m} for parameter ${i}`,
        );
      }
    });
    return values.map((m, i) => (metaplastic && !metaplastic[i] ? 0 : m));
  };
  const adamOpts = { ...options, epsMode: options.epsMode ?? "uncorrected" } as const;
  let cached: { n: number; meta: number[] } | null = null;
  return {
    name: "metaplasticAdam",
    init(params) {
      const meta = metaOf(params.length);
      cached = { n: params.length, meta };
      return adamInit(params);
    },
    step(params, grads, state) {
      checkShapes(params, grads);
      if (state.m.length !== params.length) {
        throw new RangeError(
          `metaplasticAdam: state has ${state.m.length} buffers for ${params.length} parameters; re-run init`,
        );
      }
      if (!cached || cached.n !== params.length) {
        cached = { n: params.length, meta: metaOf(params.length) };
      }
      state.t += 1;
      for (let i = 0; i < params.length; i++) {
        const m = cached.meta[i];
        const o = { ...adamOpts, m: state.m[i], v: state.v[i], t: state.t };
        if (m > 0) metaplasticAdamStep(params[i], grads[i], { ...o, meta: m });
        else adamStep(params[i], grads[i], o);
      }
    },
  };
}
