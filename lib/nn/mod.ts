/**
 * Neural-network building blocks on tfjs: binarized layers with straight-through estimators,
 * normalisation with per-task state, the model contract, MLP and convolutional BNN builders,
 * and the sign-switch experiment.
 *
 * @example
 * ```ts
 * import { binaryMlp } from "./mod.ts";
 * import { Rng } from "../rng.ts";
 * const net = binaryMlp({ sizes: [784, 512, 512, 10], rng: new Rng(0) });
 * ```
 * @module
 */
export * from "./binary.ts";
export * from "./binary_dense.ts";
export * from "./binary_conv.ts";
export * from "./norm.ts";
export * from "./model.ts";
export * from "./mlp.ts";
export * from "./sign_switch.ts";
export * from "./bayesian_dense.ts";
export * from "./bayesian_mlp.ts";
export * from "./layer_norm.ts";
export * from "./binary_gate.ts";
export * from "./bernoulli_dense.ts";
export * from "./bernoulli_mlp.ts";
export * from "./bernoulli_learner.ts";
export * from "./quantized_dense.ts";
export * from "./bayesian_noise.ts";
export * from "./bayesian_learner.ts";
