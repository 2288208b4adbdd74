/**
 * The optimizer contract (optax-style): explicit, plain-data state created by `init`, and a
 * `step` that transforms parameters in place from gradients. State can be checkpointed,
 * inspected and reset at a task boundary by the caller.
 *
 * @example
 * ```ts
 * import type { Optimizer } from "./types.ts";
 * const sgd: Optimizer<{ lr: number }> = {
 *   name: "sgd",
 *   init: () => ({ lr: 0.1 }),
 *   step(params, grads, state) {
 *     for (let i = 0; i < params.length; i++) {
 *       for (let j = 0; j < params[i].length; j++) params[i][j] -= state.lr * grads[i][j];
 *     }
 *   },
 * };
 * const w = [new Float32Array([1])];
 * sgd.step(w, [new Float32Array([1])], sgd.init(w)); // w[0][0] === 0.9
 * ```
 * @module
 */

/** An optimizer over a list of Float32Array parameter buffers. */
export interface Optimizer<S = unknown> {
  /** Short name for tables and logs. */
  name: string;
  /** Creates the state for these parameters (moments, step counters, ...). */
  init(params: readonly Float32Array[]): S;
  /** One update, in place: `params` and `state` are modified; `grads` are read only. */
  step(params: Float32Array[], grads: readonly Float32Array[], state: S): void;
}

/** Throws a clear error when parameter and gradient lists do not match. */
export function checkShapes(params: readonly Float32Array[], grads: readonly Float32Array[]): void {
  if (params.length !== grads.length) {
    throw new RangeError(`got ${grads.length} gradient buffers for ${params.length} parameters`);
  }
  for (let i = 0; i < params.length; i++) {
    if (params[i].length !== grads[i].length) {
      throw new RangeError(
        `parameter ${i} has ${params[i].length} values but its gradient has ${grads[i].length}`,
      );
    }
  }
}
