/**
 * WebAssembly SIMD (f32x4) versions of the Adam and metaplastic-Adam loops (source:
 * `simd.wat`). Buffers stay where they are: each call streams them through the module's
 * memory in chunks of {@linkcode SIMD_CHUNK} values (cache-resident copies), so every
 * Float32Array works and DRAM traffic is the same as a plain loop's, while the arithmetic runs
 * four lanes at a time in float32.
 *
 * @module
 */
import { SIMD_WASM_BASE64 } from "./simd_wasm.ts";

/** Values per chunk (each region of the module's memory holds this many floats). */
export const SIMD_CHUNK = 16384;

interface Exports {
  memory: WebAssembly.Memory;
  adam(
    n: number,
    b1: number,
    b2: number,
    c1: number,
    c2: number,
    a: number,
    e: number,
    wd: number,
    shrink: number,
  ): void;
  meta(
    n: number,
    b1: number,
    b2: number,
    c1: number,
    c2: number,
    a: number,
    e: number,
    wd: number,
    twoMeta: number,
    sign: number,
  ): void;
}

interface Simd {
  x: Exports;
  P: Float32Array;
  G: Float32Array;
  M: Float32Array;
  V: Float32Array;
  S: Float32Array;
}

let simd: Simd | null | undefined;

function load(): Simd | null {
  if (simd !== undefined) return simd;
  try {
    const bin = Uint8Array.from(atob(SIMD_WASM_BASE64), (c) => c.charCodeAt(0));
    const x = new WebAssembly.Instance(new WebAssembly.Module(bin), {})
      .exports as unknown as Exports;
    const heap = new Float32Array(x.memory.buffer);
    const C = SIMD_CHUNK;
    simd = {
      x,
      P: heap.subarray(0, C),
      G: heap.subarray(C, 2 * C),
      M: heap.subarray(2 * C, 3 * C),
      V: heap.subarray(3 * C, 4 * C),
      S: heap.subarray(4 * C, 5 * C),
    };
  } catch {
    simd = null; // no WebAssembly SIMD in this runtime: callers use their scalar loops
  }
  return simd;
}

/** Whether the SIMD kernels can run here. */
export function simdAvailable(): boolean {
  return load() !== null;
}

/** Constants of one Adam-family step (see `fused.ts`). */
export interface SimdAdamConstants {
  b1: number;
  b2: number;
  c1: number;
  c2: number;
  /** Step factor: `w ← shrink·w − a·m/(√v + e)`. */
  a: number;
  e: number;
  /** Coupled L2 coefficient (`g ← g + wd·w`). */
  wd: number;
  /** Decoupled decay factor (1 = none). */
  shrink: number;
}

/** SIMD Adam over whole buffers (same lengths, checked by the caller). */
export function simdAdam(
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  k: SimdAdamConstants,
): void {
  const s = load()!;
  const n = w.length;
  for (let o = 0; o < n; o += SIMD_CHUNK) {
    const len = Math.min(SIMD_CHUNK, n - o), end = o + len;
    s.P.set(w.subarray(o, end));
    s.G.set(g.subarray(o, end));
    s.M.set(m.subarray(o, end));
    s.V.set(v.subarray(o, end));
    s.x.adam(len, k.b1, k.b2, k.c1, k.c2, k.a, k.e, k.wd, k.shrink);
    w.set(s.P.subarray(0, len), o);
    m.set(s.M.subarray(0, len), o);
    v.set(s.V.subarray(0, len), o);
  }
}

/** SIMD metaplastic Adam over whole buffers; writes sign(new w) into `signOut` when given. */
export function simdMetaplasticAdam(
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  k: SimdAdamConstants & { meta: number; signOut?: Float32Array },
): void {
  const s = load()!;
  const n = w.length, out = k.signOut;
  for (let o = 0; o < n; o += SIMD_CHUNK) {
    const len = Math.min(SIMD_CHUNK, n - o), end = o + len;
    s.P.set(w.subarray(o, end));
    s.G.set(g.subarray(o, end));
    s.M.set(m.subarray(o, end));
    s.V.set(v.subarray(o, end));
    s.x.meta(len, k.b1, k.b2, k.c1, k.c2, k.a, k.e, k.wd, 2 * k.meta, out ? 1 : 0);
    w.set(s.P.subarray(0, len), o);
    m.set(s.M.subarray(0, len), o);
    v.set(s.V.subarray(0, len), o);
    if (out) out.set(s.S.subarray(0, len), o);
  }
}
