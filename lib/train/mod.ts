/**
 * Supervised minibatch training shared by the minibatch papers: the training loop with
 * optimizer hooks, evaluation with stored normalisation states, and the continual-learning
 * driver over task / interleaved / stream phases.
 *
 * @example
 * ```ts ignore
 * import { evaluate, trainEpoch } from "./mod.ts";
 * await trainEpoch(learner, train, { batchSize: 100, rng });
 * evaluate(learner.model, test, { batchSize: 1000 });
 * ```
 * @module
 */
export * from "./loop.ts";
export * from "./evaluate.ts";
export * from "./continual.ts";
export * from "./sources.ts";
