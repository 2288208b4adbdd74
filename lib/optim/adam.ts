/**
 * Adam (Kingma & Ba 2015) with PyTorch `torch.optim.Adam` semantics: bias-corrected moments,
 * coupled L2 weight decay (`g ← g + λ·w` before the moments) or decoupled (AdamW), and a
 * choice of where ε goes (`epsMode`). The step runs in the fused single-pass kernel of
 * `lib/backend/fused.ts`.
 *
 * The state (step count, moments) is plain data: reset it at a task boundary by calling
 * `init` again — the metaplastic BNN does so in multitask runs, stream learning does not.
 *
 * @example
 * ```ts
 * import { adam } from "./adam.ts";
 * const opt = adam({ lr: 0.1 });
 * const w = [new Float32Array([1, -1])];
 * const state = opt.init(w);
 * opt.step(w, [new Float32Array([0.5, -0.5])], state); // w ≈ [0.9, -0.9]
 * ```
 * @module
 */
import { adamStep } from "../backend/fused.ts";
import { checkShapes, type Optimizer } from "./types.ts";

/** Where Adam adds ε: to the bias-corrected √v̂ (PyTorch ≥ 1.3) or to the raw √v (PyTorch ≤ 1.2). */
export type EpsMode = "corrected" | "uncorrected";

/** Options of {@linkcode adam}. */
export interface AdamOptions {
  /** Learning rate η. */
  lr: number;
  /** β1 (default 0.9). */
  beta1?: number;
  /** β2 (default 0.999). */
  beta2?: number;
  /** ε (default 1e-8). */
  eps?: number;
  /** L2 coefficient λ (default 0), added to the gradient unless `decoupled`. */
  weightDecay?: number;
  /** AdamW-style decoupled decay (default false). */
  decoupled?: boolean;
  /**
   * ε placement (default `"corrected"`, current PyTorch). The Laborieux reference ran PyTorch
   * 1.1, i.e. `"uncorrected"`: `w ← w − η·√(1−β2^t)/(1−β1^t)·m/(√v + ε)`.
   */
  epsMode?: EpsMode;
}

/** Adam state: the 1-based count of steps taken and one first/second moment buffer per parameter. */
export interface AdamState {
  /** Steps taken so far. */
  t: number;
  /** First moments M. */
  m: Float32Array[];
  /** Second moments V. */
  v: Float32Array[];
}

/** Fresh Adam state (zero moments, t = 0) for these parameters. */
export function adamInit(params: readonly Float32Array[]): AdamState {
  return {
    t: 0,
    m: params.map((p) => new Float32Array(p.length)),
    v: params.map((p) => new Float32Array(p.length)),
  };
}

/** Throws a clear error for invalid Adam hyperparameters. */
export function checkAdamOptions(o: AdamOptions): void {
  if (!(o.lr >= 0)) throw new RangeError(`lr must be >= 0, got ${o.lr}`);
  const b1 = o.beta1 ?? 0.9, b2 = o.beta2 ?? 0.999;
  if (!(b1 >= 0 && b1 < 1)) throw new RangeError(`beta1 must be in [0, 1), got ${b1}`);
  if (!(b2 >= 0 && b2 < 1)) throw new RangeError(`beta2 must be in [0, 1), got ${b2}`);
  if (!((o.eps ?? 1e-8) >= 0)) throw new RangeError(`eps must be >= 0, got ${o.eps}`);
  if (!((o.weightDecay ?? 0) >= 0)) {
    throw new RangeError(`weightDecay must be >= 0, got ${o.weightDecay}`);
  }
  if (o.epsMode !== undefined && o.epsMode !== "corrected" && o.epsMode !== "uncorrected") {
    throw new RangeError(`epsMode must be "corrected" or "uncorrected", got "${o.epsMode}"`);
  }
}

function checkState(params: readonly Float32Array[], state: AdamState, name: string): void {
  if (state.m.length !== params.length || state.v.length !== params.length) {
    throw new RangeError(
      `${name}: state has ${state.m.length} moment buffers for ${params.length} parameters; re-run init`,
    );
  }
}

/** Adam optimizer; see {@linkcode AdamOptions}. */
export function adam(options: AdamOptions): Optimizer<AdamState> {
  checkAdamOptions(options);
  return {
    name: "adam",
    init: adamInit,
    step(params, grads, state) {
      checkShapes(params, grads);
      checkState(params, state, "adam");
      state.t += 1;
      for (let i = 0; i < params.length; i++) {
        adamStep(params[i], grads[i], { ...options, m: state.m[i], v: state.v[i], t: state.t });
      }
    },
  };
}
