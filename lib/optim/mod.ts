/**
 * Optimizers (optax-style: explicit plain-data state, reset by the caller) and
 * continual-learning penalties.
 *
 * @example
 * ```ts
 * import { metaplasticAdam } from "./mod.ts";
 * const opt = metaplasticAdam({ lr: 0.005, meta: 1.35 });
 * ```
 * @module
 */
export * from "./types.ts";
export * from "./adam.ts";
export * from "./metaplastic_adam.ts";
export * from "./ewc.ts";
export * from "./si.ts";
export * from "./consolidation.ts";
export * from "./bimu.ts";
export * from "./bayesbinn.ts";
export * from "./quantized_metaplastic.ts";
export * from "./mesu.ts";
export * from "./bgd.ts";
export * from "./sgd.ts";
