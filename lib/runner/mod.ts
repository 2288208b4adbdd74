/**
 * The reproduce runner: experiment contract, resumable runs, results, figures and report.
 *
 * @module
 */
export * from "./experiment.ts";
export * from "./progress.ts";
export * from "./checkpoint.ts";
export * from "./atomic.ts";
export * from "./results.ts";
export * from "./figures.ts";
export * from "./report.ts";
export * from "./run.ts";
export * from "./notebook.ts";
