/**
 * Plain (optionally momentum) SGD as an {@linkcode Optimizer}, running the fused `sgdStep` of
 * `lib/backend/fused.ts` (PyTorch `torch.optim.SGD` semantics). The MESU papers' deterministic
 * baselines use lr 0.002 on a mean-reduced loss at batch 1.
 *
 * @example
 * ```ts
 * import { sgd } from "./sgd.ts";
 * const opt = sgd({ lr: 0.1 });
 * const w = [new Float32Array([1])];
 * opt.step(w, [new Float32Array([1])], opt.init(w)); // w[0][0] ≈ 0.9
 * ```
 * @module
 */
import { sgdStep } from "../backend/fused.ts";
import { checkShapes, type Optimizer } from "./types.ts";

/** Options of {@linkcode sgd}. */
export interface SgdOptions {
  /** Learning rate. */
  lr: number;
  /** Momentum (default 0). */
  momentum?: number;
  /** Coupled L2 coefficient (default 0). */
  weightDecay?: number;
}

/** State of {@linkcode sgd}: step count and momentum buffers (empty without momentum). */
export interface SgdState {
  /** Steps taken. */
  step: number;
  /** Momentum buffers, one per parameter (empty when momentum is 0). */
  buf: Float32Array[];
}

/** Stochastic gradient descent. */
export function sgd(options: SgdOptions): Optimizer<SgdState> {
  const { lr } = options;
  const momentum = options.momentum ?? 0, weightDecay = options.weightDecay ?? 0;
  if (!(lr > 0)) throw new RangeError(`lr must be > 0, got ${lr}`);
  if (!(momentum >= 0 && momentum < 1)) {
    throw new RangeError(`momentum must be in [0, 1), got ${momentum}`);
  }
  return {
    name: "sgd",
    init(params) {
      return { step: 0, buf: momentum > 0 ? params.map((p) => new Float32Array(p.length)) : [] };
    },
    step(params, grads, state) {
      checkShapes(params, grads);
      state.step++;
      for (let i = 0; i < params.length; i++) {
        sgdStep(params[i], grads[i], {
          lr,
          momentum,
          weightDecay,
          buf: momentum > 0 ? state.buf[i] : undefined,
          t: state.step,
        });
      }
    },
  };
}
