/**
 * WebAssembly SIMD kernels (source: `bernoulli.wat`) for the input layer of a binary Bayesian
 * network at batch 1 and τ = 1, the BiMU and BayesBiNN protocol: `tanh λ`, the fused relaxed
 * forward pass (`w̃ = (m + u)/(1 + m·u)`, `z_k = x·w̃_k`, `1 − w̃²` kept for the backward pass)
 * and the input-layer gradient, four lanes at a time in float32.
 *
 * The noise is drawn in JavaScript by {@linkcode Rng.fillU32} in the order of the scalar path
 * (`BernoulliDense.relaxedForward`), so both paths consume the same draws; they differ only by
 * float32 against float64 rounding. Each kernel owns one module instance whose memory holds all
 * of the layer's buffers. {@linkcode simdBimuStep} is the BiMU update over any λ buffer,
 * streamed through one shared instance in chunks.
 *
 * @example
 * ```ts
 * import { BernoulliInputKernel } from "./bernoulli_simd.ts";
 * import { Rng } from "../rng.ts";
 * const kernel = BernoulliInputKernel.create(8, 4, 2); // null without WebAssembly SIMD
 * const z = kernel?.forward(new Float32Array(32), new Float32Array(8).fill(1), new Rng(0)); // 2 × 4
 * ```
 * @module
 */
import type { Rng } from "../rng.ts";
import { BERNOULLI_WASM_BASE64 } from "./bernoulli_wasm.ts";

interface Exports {
  memory: WebAssembly.Memory;
  bimu(
    lam: number,
    g: number,
    n: number,
    lr: number,
    kl: number,
    kkl: number,
    invN: number,
    floor: number,
  ): void;
  mean(lam: number, mean: number, n: number): void;
  forward(
    inDim: number,
    outDim: number,
    K: number,
    mean: number,
    x: number,
    draws: number,
    slope: number,
    acc: number,
  ): void;
  gradient(
    inDim: number,
    outDim: number,
    K: number,
    mean: number,
    x: number,
    slope: number,
    dz: number,
    g: number,
    eps: number,
    byMean: number,
  ): void;
}

let compiled: WebAssembly.Module | null | undefined;

function module(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const bin = Uint8Array.from(atob(BERNOULLI_WASM_BASE64), (c) => c.charCodeAt(0));
    compiled = new WebAssembly.Module(bin);
  } catch {
    compiled = null; // no WebAssembly SIMD here: callers keep their scalar loops
  }
  return compiled;
}

/** Whether the Bernoulli SIMD kernels can run in this runtime. */
export function bernoulliSimdAvailable(): boolean {
  return module() !== null;
}

/** The input layer of one network (`in × out` weights, K samples) in a module instance. */
export class BernoulliInputKernel {
  /** Input features. */
  readonly inDim: number;
  /** Output features (a multiple of 4). */
  readonly outDim: number;
  /** Monte-Carlo samples per update. */
  readonly samples: number;
  /** `tanh λ` of the last {@linkcode BernoulliInputKernel.forward}, `in × out` (a view). */
  readonly mean: Float32Array;
  private readonly x: Exports;
  private readonly off: Record<
    "lam" | "mean" | "x" | "draws" | "slope" | "acc" | "dz" | "g",
    number
  >;
  private readonly lamV: Float32Array;
  private readonly xV: Float32Array;
  private readonly drawsV: Uint32Array;
  private readonly accV: Float32Array;
  private readonly dzV: Float32Array;
  private readonly gV: Float32Array;

  /**
   * A kernel for `inDim × outDim` weights and K samples, or null where it cannot run (no
   * WebAssembly SIMD, or `outDim` not a multiple of 4): the caller then uses its scalar path.
   */
  static create(inDim: number, outDim: number, samples: number): BernoulliInputKernel | null {
    const mod = module();
    if (!mod || outDim % 4 !== 0 || !(inDim >= 1 && samples >= 1)) return null;
    return new BernoulliInputKernel(mod, inDim, outDim, samples);
  }

  private constructor(mod: WebAssembly.Module, inDim: number, outDim: number, samples: number) {
    this.inDim = inDim;
    this.outDim = outDim;
    this.samples = samples;
    this.x = new WebAssembly.Instance(mod, {}).exports as unknown as Exports;
    const n = inDim * outDim, ko = samples * outDim;
    // byte offsets; every size is a multiple of 16 (out % 4 = 0, x padded)
    const sizes = {
      lam: 4 * n,
      mean: 4 * n,
      x: 16 * Math.ceil(inDim / 4),
      draws: 4 * inDim * ko,
      slope: 4 * inDim * ko,
      acc: 4 * ko,
      dz: 4 * ko,
      g: 4 * n,
    };
    let at = 0;
    const off = {} as Record<keyof typeof sizes, number>;
    for (const [k, s] of Object.entries(sizes) as [keyof typeof sizes, number][]) {
      off[k] = at;
      at += s;
    }
    const mem = this.x.memory;
    const pages = Math.ceil(at / 65536) - mem.buffer.byteLength / 65536;
    if (pages > 0) mem.grow(pages);
    const buf = mem.buffer;
    this.off = off;
    this.lamV = new Float32Array(buf, off.lam, n);
    this.mean = new Float32Array(buf, off.mean, n);
    this.xV = new Float32Array(buf, off.x, inDim);
    this.drawsV = new Uint32Array(buf, off.draws, inDim * ko);
    this.accV = new Float32Array(buf, off.acc, ko);
    this.dzV = new Float32Array(buf, off.dz, ko);
    this.gV = new Float32Array(buf, off.g, n);
  }

  /**
   * Draws the K relaxed samples of λ (`in × out`) for input `x` and returns `z_k = x·w̃_k`,
   * `K × out` (a view, valid until the next call).
   */
  forward(lambda: Float32Array, x: Float32Array, rng: Rng): Float32Array {
    const { inDim, outDim, samples, off } = this;
    if (lambda.length !== this.lamV.length || x.length !== inDim) {
      throw new RangeError(
        `BernoulliInputKernel: λ has ${lambda.length} values and x ${x.length}, expected ${this.lamV.length} and ${inDim}`,
      );
    }
    this.lamV.set(lambda);
    this.xV.set(x);
    rng.fillU32(this.drawsV);
    this.x.mean(off.lam, off.mean, lambda.length);
    this.x.forward(inDim, outDim, samples, off.mean, off.x, off.draws, off.slope, off.acc);
    return this.accV;
  }

  /**
   * The input layer's gradient from `dz` (`K × out`, the gradient at the pre-activations of the
   * last forward pass) into `g` (`in × out`): `∂C/∂λ`, or with `byMean` BayesBiNN's `∂C/∂m` with
   * the reference's `1e−7` guards.
   */
  gradient(dz: Float32Array, g: Float32Array, options: { byMean?: boolean } = {}): void {
    const { inDim, outDim, samples, off } = this;
    if (dz.length !== this.dzV.length || g.length !== this.gV.length) {
      throw new RangeError(
        `BernoulliInputKernel: dz has ${dz.length} values and g ${g.length}, expected ${this.dzV.length} and ${this.gV.length}`,
      );
    }
    this.dzV.set(dz);
    const byMean = options.byMean ?? false;
    this.x.gradient(
      inDim,
      outDim,
      samples,
      off.mean,
      off.x,
      off.slope,
      off.dz,
      off.g,
      byMean ? 1e-7 : 0,
      byMean ? 1 : 0,
    );
    g.set(this.gV);
  }
}

/** Values per chunk of {@linkcode simdBimuStep}. */
const CHUNK = 16384;
let shared: { x: Exports; lam: Float32Array; g: Float32Array } | null | undefined;

/** Constants of one BiMU step over λ (see `lib/optim/bimu.ts`). */
export interface SimdBimuConstants {
  /** η. */
  lr: number;
  /** κ_ℓ. */
  likelihoodMultiplier: number;
  /** κ_KL. */
  klMultiplier: number;
  /** 1/N. */
  invMemory: number;
  /** 1/α_max. */
  floor: number;
}

/**
 * The BiMU update of `lambda` from `grads` in place, four lanes at a time in float32; false
 * (nothing done) where WebAssembly SIMD is unavailable. The caller checks lengths and finiteness.
 */
export function simdBimuStep(
  lambda: Float32Array,
  grads: Float32Array,
  c: SimdBimuConstants,
): boolean {
  if (shared === undefined) {
    const mod = module();
    if (!mod) shared = null;
    else {
      const x = new WebAssembly.Instance(mod, {}).exports as unknown as Exports;
      x.memory.grow(Math.ceil((8 * CHUNK) / 65536));
      shared = {
        x,
        lam: new Float32Array(x.memory.buffer, 0, CHUNK),
        g: new Float32Array(x.memory.buffer, 4 * CHUNK, CHUNK),
      };
    }
  }
  if (!shared) return false;
  const { x, lam, g } = shared;
  const n = lambda.length;
  for (let o = 0; o < n; o += CHUNK) {
    const len = Math.min(CHUNK, n - o), end = o + len;
    lam.set(lambda.subarray(o, end));
    g.set(grads.subarray(o, end));
    // lanes past len compute on stale values that are never copied out
    x.bimu(
      0,
      4 * CHUNK,
      4 * Math.ceil(len / 4),
      c.lr,
      c.likelihoodMultiplier,
      c.klMultiplier,
      c.invMemory,
      c.floor,
    );
    lambda.set(lam.subarray(0, len), o);
  }
  return true;
}
