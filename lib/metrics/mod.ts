/**
 * Metrics shared by every paper: continual-learning accuracy matrices and summaries.
 *
 * @module
 */
export * from "./continual.ts";
export * from "./auroc.ts";
export * from "./uncertainty.ts";
export * from "./resilience.ts";
