/**
 * Engine selection: which tfjs backend and which kernels the toolkit computes with.
 *
 * | engine | what runs |
 * |---|---|
 * | `blas` | tfjs `cpu` backend with this folder's kernels; GEMMs through OpenBLAS `cblas_sgemm` via FFI |
 * | `cpu` | the same kernels with the JavaScript GEMM (no FFI, no BLAS) |
 * | `wasm` | tfjs's WebAssembly backend (SIMD, one thread) with transpose-free matrix products |
 * | `webgpu` | tfjs's WebGPU backend (`navigator.gpu`), needs `@tensorflow/tfjs-backend-webgpu` |
 *
 * `auto` (the default) takes `blas`; without FFI permission or a BLAS library, `webgpu` when a
 * hardware GPU adapter is present, else `wasm`, and `cpu` if the wasm binaries cannot be read.
 * BLAS comes first even on a GPU machine because the toolkit's fused in-place optimizer
 * kernels and small networks are CPU-bound; ask for `webgpu` explicitly to use the GPU. Selection:
 * option `engine`, else `METAPLASTICITY_ENGINE`; BLAS library `METAPLASTICITY_BLAS` (a path, or
 * `none`); BLAS threads `METAPLASTICITY_BLAS_THREADS` (default 1).
 *
 * @example
 * ```ts
 * import { initEngine } from "./engine.ts";
 * const info = await initEngine({ quiet: true });
 * console.log(info.engine); // "blas" where OpenBLAS and --allow-ffi are available
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { jsSgemm, setSgemm } from "./gemm.ts";
import { type BlasLibrary, lastBlasError, loadBlas } from "./blas.ts";
import { installCpuKernels, uninstallCpuKernels } from "./kernels.ts";
import { patchTfOptimizers, unpatchTfOptimizers } from "./tf_optimizers.ts";
import { startWasm } from "./wasm.ts";

/** Engine names. */
export type EngineName = "blas" | "wasm" | "webgpu" | "cpu";

/** Options of {@linkcode initEngine}. */
export interface EngineOptions {
  /** Engine to use; default `METAPLASTICITY_ENGINE` or `auto`. */
  engine?: EngineName | "auto";
  /** BLAS library path (or `none`); default `METAPLASTICITY_BLAS` or the system OpenBLAS. */
  blasPath?: string;
  /** BLAS threads; default `METAPLASTICITY_BLAS_THREADS` or 1. */
  threads?: number;
  /**
   * Force an OpenBLAS kernel family (e.g. "SkylakeX"); default `METAPLASTICITY_BLAS_CORETYPE`
   * or the environment's `OPENBLAS_CORETYPE`. Cross-checked against the JavaScript GEMM.
   */
  coreType?: string;
  /** Do not print the engine line. */
  quiet?: boolean;
}

/** What {@linkcode initEngine} selected. */
export interface EngineInfo {
  /** The active engine. */
  engine: EngineName;
  /** The tfjs backend it runs on (`cpu`, `wasm`, `webgpu`). */
  backend: string;
  /** Human-readable line, e.g. "blas (OpenBLAS 0.3.21 via FFI, 1 thread)". */
  description: string;
  /** BLAS threads (blas engine), else 1. */
  threads: number;
  /** Path of the BLAS library (blas engine only). */
  blasPath?: string;
  /** Why a preferred engine was not used (for example "no FFI permission"), when it wasn't. */
  fallbackReason?: string;
}

let current: EngineInfo | null = null;
let currentKey = "";
let pending: Promise<EngineInfo> | null = null;
let blas: BlasLibrary | null = null;

function envGet(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

const NAMES = ["blas", "wasm", "webgpu", "cpu", "auto"];

/** The engine in use, or `null` before {@linkcode initEngine}. */
export function engineInfo(): EngineInfo | null {
  return current;
}

/** The loaded BLAS library (blas engine), for code that wants to change its threads. */
export function blasLibrary(): BlasLibrary | null {
  return blas;
}

/** Selects tfjs's cpu backend without tfjs's "install tfjs-node" banner. */
async function useCpuBackend(): Promise<void> {
  await tf.setBackend("cpu");
  await tf.ready();
  // the banner is printed on the backend's first write when tfjs believes it runs under Node
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
}

async function startBlas(options: EngineOptions): Promise<EngineInfo | string> {
  let lib: BlasLibrary | null;
  try {
    lib = blas && !options.blasPath ? blas : loadBlas({
      path: options.blasPath,
      threads: options.threads,
      coreType: options.coreType,
    });
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  if (!lib) return lastBlasError ?? "BLAS unavailable";
  blas = lib;
  const envThreads = envGet("METAPLASTICITY_BLAS_THREADS");
  lib.setThreads(options.threads ?? (envThreads ? Number(envThreads) : 1));
  await useCpuBackend();
  installCpuKernels(lib.sgemm);
  setSgemm(lib.sgemm);
  patchTfOptimizers();
  const n = lib.threads();
  return {
    engine: "blas",
    backend: "cpu",
    description: `blas (${lib.description} via FFI, ${n} thread${n === 1 ? "" : "s"})`,
    threads: n,
    blasPath: lib.path,
  };
}

async function startCpu(): Promise<EngineInfo> {
  await useCpuBackend();
  installCpuKernels(jsSgemm);
  setSgemm(jsSgemm);
  patchTfOptimizers();
  return {
    engine: "cpu",
    backend: "cpu",
    description: "cpu (tfjs cpu backend, JavaScript kernels, 1 thread)",
    threads: 1,
  };
}

async function startWasmEngine(): Promise<EngineInfo | string> {
  const err = await startWasm();
  if (err) return err;
  setSgemm(jsSgemm);
  return {
    engine: "wasm",
    backend: "wasm",
    description: "wasm (tfjs wasm backend, SIMD, 1 thread)",
    threads: 1,
  };
}

async function startWebGpu(requireHardware: boolean): Promise<EngineInfo | string> {
  const gpu = (navigator as unknown as {
    gpu?: {
      requestAdapter(): Promise<
        { info?: { isFallbackAdapter?: boolean; description?: string } } | null
      >;
    };
  }).gpu;
  if (!gpu) return "navigator.gpu is not available";
  let adapterName = "";
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return "no WebGPU adapter";
    // a software adapter (llvmpipe) is slower than any CPU engine: only on explicit request
    if (requireHardware && adapter.info?.isFallbackAdapter) return "only a software WebGPU adapter";
    adapterName = adapter.info?.description ?? "";
    // Loaded only when a GPU engine is wanted: it is not needed on CPU machines.
    await import("@tensorflow/tfjs-backend-webgpu");
    if (!(await tf.setBackend("webgpu"))) return "tfjs could not initialise the webgpu backend";
    await tf.ready();
  } catch (e) {
    return `webgpu backend failed: ${e instanceof Error ? e.message : String(e)}`;
  }
  setSgemm(jsSgemm);
  return {
    engine: "webgpu",
    backend: "webgpu",
    description: `webgpu (tfjs WebGPU backend${adapterName ? `, ${adapterName}` : ""})`,
    threads: 1,
  };
}

async function select(options: EngineOptions): Promise<EngineInfo> {
  const requested = options.engine ?? (envGet("METAPLASTICITY_ENGINE") as EngineName | undefined) ??
    "auto";
  if (!NAMES.includes(requested)) {
    throw new RangeError(
      `unknown engine "${requested}" (from ${
        options.engine ? "options" : "METAPLASTICITY_ENGINE"
      }); ` +
        `use one of ${NAMES.join(", ")}`,
    );
  }
  // Leave the previous engine's patches behind before choosing again.
  uninstallCpuKernels();
  unpatchTfOptimizers();
  setSgemm(jsSgemm);
  const order: EngineName[] = requested === "auto"
    ? ["blas", "webgpu", "wasm", "cpu"]
    : requested === "cpu"
    ? ["cpu"]
    : [requested, ...(["blas", "wasm", "cpu"] as EngineName[]).filter((e) => e !== requested)];
  const reasons: string[] = [];
  for (const name of order) {
    const r = name === "blas"
      ? await startBlas(options)
      : name === "wasm"
      ? await startWasmEngine()
      : name === "webgpu"
      ? await startWebGpu(requested !== "webgpu")
      : await startCpu();
    if (typeof r !== "string") {
      if (reasons.length) r.fallbackReason = reasons.join("; ");
      return r;
    }
    reasons.push(`${name}: ${r}`);
  }
  throw new Error(`no engine could start: ${reasons.join("; ")}`);
}

/**
 * Starts the compute engine (idempotent: repeated calls with the same options return the same
 * {@linkcode EngineInfo}; different options switch engines). Prints one line such as
 * `engine: blas (OpenBLAS 0.3.21 via FFI, 1 thread)` unless `quiet`.
 */
export function initEngine(options: EngineOptions = {}): Promise<EngineInfo> {
  const key = JSON.stringify([
    options.engine ?? envGet("METAPLASTICITY_ENGINE") ?? "auto",
    options.blasPath ?? envGet("METAPLASTICITY_BLAS") ?? "",
    options.threads ?? envGet("METAPLASTICITY_BLAS_THREADS") ?? 1,
    options.coreType ?? envGet("METAPLASTICITY_BLAS_CORETYPE") ?? "",
  ]);
  if (current && key === currentKey) return Promise.resolve(current);
  if (pending && key === currentKey) return pending;
  currentKey = key;
  pending = select(options).then((info) => {
    current = info;
    pending = null;
    if (!options.quiet) {
      const why = info.fallbackReason ? ` [fallback: ${info.fallbackReason}]` : "";
      console.log(`engine: ${info.description}${why}`);
    }
    return info;
  }, (e) => {
    pending = null;
    currentKey = "";
    throw e;
  });
  return pending;
}
