/**
 * Datasets (IDX reader, MNIST and Fashion-MNIST with checksums; loaders for user-provided USPS,
 * CIFAR-10 and precomputed feature vectors) and continual-learning task streams (permuted, split,
 * rotated, class-imbalanced).
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
export * from "./imbalance.ts";
export * from "./usps.ts";
export * from "./features.ts";
export * from "./cifar10.ts";
