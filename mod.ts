/**
 * metaplasticity — a toolkit for continual learning in neural networks and neuromorphic
 * hardware: metaplastic and Bayesian optimizers, binarized / quantized / Bayesian layers, device
 * models of memristive and spintronic synapses, theory helpers, datasets and task streams,
 * metrics, and a reproduce runner that sets each paper's numbers beside ours.
 *
 * Each area is a namespace here and also its own entry point (`@metaplasticity/metaplasticity/data`, ...).
 *
 * @example
 * ```ts ignore
 * import { data, metrics } from "@metaplasticity/metaplasticity";
 * const stream = data.permutedTasks(await data.loadMnist(), { tasks: 3, seed: 0 });
 * const acc = new metrics.AccuracyMatrix(stream.length);
 * ```
 * @module
 */
export * as data from "./lib/data/mod.ts";
export * as metrics from "./lib/metrics/mod.ts";
export * as runner from "./lib/runner/mod.ts";
export * as backend from "./lib/backend/mod.ts";
export * as nn from "./lib/nn/mod.ts";
export * as optim from "./lib/optim/mod.ts";
export * as train from "./lib/train/mod.ts";
export * as devices from "./lib/devices/mod.ts";
export * as theory from "./lib/theory/mod.ts";
export * as active from "./lib/active/mod.ts";
export { Rng, type RngState } from "./lib/rng.ts";
export { tanhF32 } from "./lib/fast_tanh.ts";
