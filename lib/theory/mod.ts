/**
 * Theory helpers: the tractable quadratic binary task (Laborieux et al. 2021, Fig. 6a–b),
 * diagonal-Newton helpers shared with MESU (precision recursion, exact diagonal Hessians,
 * curvature comparisons), classic synapse-memory models (Amit–Fusi binary, cascade,
 * Benna–Fusi), the calcium-control rule with NMDAR metaplasticity, and an associative memory
 * with the weight-correlation analysis of Savin, Dayan & Lengyel 2013.
 *
 * @example
 * ```ts
 * import { precisionFixedPoint } from "./mod.ts";
 * precisionFixedPoint(0.01, { memory: 1e4, priorSigma: 1 }); // 101
 * ```
 * @module
 */
export * from "./diagonal_newton.ts";
export * from "./linalg.ts";
export * from "./fit.ts";
export * from "./quadratic_binary_task.ts";
export * from "./synapse_memory.ts";
export * from "./benna_fusi.ts";
export * from "./calcium.ts";
export * from "./associative_memory.ts";
export * from "./curvature_comparison.ts";
