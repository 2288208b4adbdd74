/**
 * The compute engine: fast tfjs on CPU without changing how tfjs code is written.
 *
 * - {@linkcode initEngine} selects and installs the engine (OpenBLAS through FFI over tfjs's
 *   `cpu` backend by default; `wasm`, `cpu` (JavaScript kernels) or `webgpu` otherwise) and
 *   prints one line naming it;
 * - `fused.ts`: in-place single-pass optimizer updates (`adamStep`, `metaplasticAdamStep`,
 *   `sgdStep`, `mesuStep`, `bgdStep`);
 * - `dense_stack.ts`: {@linkcode DenseStackMc}, fused Monte-Carlo forward/backward for small
 *   Bayesian dense stacks;
 * - `bernoulli_simd.ts`: WebAssembly SIMD kernels of the batch-1 Bernoulli networks (BiMU,
 *   BayesBiNN): {@linkcode BernoulliInputKernel} and {@linkcode simdBimuStep};
 * - `gemm.ts`: {@linkcode sgemm} on Float32Arrays (BLAS once the engine is up);
 * - `storage.ts`: in-place access to tfjs variables ({@linkcode variableData}).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { initEngine } from "./mod.ts";
 * await initEngine(); // "engine: blas (OpenBLAS 0.3.21 (Haswell kernels) via FFI, 1 thread)"
 * tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])).print();
 * ```
 * @module
 */
export { blasLibrary, engineInfo, initEngine } from "./engine.ts";
export type { EngineInfo, EngineName, EngineOptions } from "./engine.ts";
export { jsSgemm, setSgemm, sgemm } from "./gemm.ts";
export type { Sgemm } from "./gemm.ts";
export { loadBlas } from "./blas.ts";
export type { BlasLibrary, LoadBlasOptions } from "./blas.ts";
export { commitVariable, variableData } from "./storage.ts";
export { adamStep, bgdStep, mesuStep, metaplasticAdamStep, sgdStep } from "./fused.ts";
export type {
  AdamStepOptions,
  BgdStepOptions,
  MesuStepOptions,
  MetaplasticAdamStepOptions,
  SgdStepOptions,
} from "./fused.ts";
export { DenseStackMc } from "./dense_stack.ts";
export type { DenseStackGrads, DenseStackMcOptions, DenseStackParams } from "./dense_stack.ts";
export { FAST_KERNEL_NAMES, installCpuKernels, uninstallCpuKernels } from "./kernels.ts";
export { patchTfOptimizers, unpatchTfOptimizers } from "./tf_optimizers.ts";
export { BernoulliInputKernel, bernoulliSimdAvailable, simdBimuStep } from "./bernoulli_simd.ts";
export type { SimdBimuConstants } from "./bernoulli_simd.ts";
