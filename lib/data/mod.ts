/**
 * Datasets (IDX reader, MNIST and Fashion-MNIST with checksums) and continual-learning task
 * streams.
 *
 * @example
 * ```ts ignore
 * import { loadMnist, permutedTasks } from "./mod.ts";
 * const stream = permutedTasks(await loadMnist(), { tasks: 10, seed: 0 });
 * ```
 * @module
 */
export * from "./idx.ts";
export * from "./datasets.ts";
export * from "./streams.ts";
export * from "./batches.ts";
