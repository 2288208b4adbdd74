/**
 * Shared helpers of the backend tests: seeded random tensors, NaN-aware comparison, and running
 * the same tfjs code with the stock `cpu` kernels and with the fast ones.
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { assertEquals, AssertionError, assertThrows } from "../assert.ts";
import { installCpuKernels, uninstallCpuKernels } from "../../lib/backend/kernels.ts";
import type { Sgemm } from "../../lib/backend/gemm.ts";

/** A small seeded LCG in [0, 1). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

/** Random float32 values in [−scale, scale), seeded. */
export function randArray(n: number, seed: number, scale = 1): Float32Array {
  const u = lcg(seed);
  return new Float32Array(n).map(() => (u() * 2 - 1) * scale);
}

/** A seeded random tensor. */
export function rand(shape: number[], seed: number, scale = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(randArray(n, seed, scale), shape, "float32");
}

/** Fails unless the arrays agree elementwise (NaN equals NaN, ±∞ exact), tol absolute+relative. */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol = 1e-5,
  msg = "",
): void {
  if (actual.length !== expected.length) {
    throw new AssertionError(`${msg}: length ${actual.length} != ${expected.length}`);
  }
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i], e = expected[i];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (!Number.isFinite(e) && a === e) continue;
    if (!(Math.abs(a - e) <= tol * (1 + Math.abs(e)))) {
      throw new AssertionError(`${msg}: element ${i}: expected ${e}, got ${a} (tol ${tol})`);
    }
  }
}

/** Result of a computation: shape, dtype and values of each output tensor. */
export interface Out {
  shape: number[];
  dtype: string;
  values: number[];
}

/** Runs `fn` in a tidy scope and copies its outputs out. */
export function run(fn: () => tf.Tensor | tf.Tensor[]): Out[] {
  let out: Out[] = [];
  tf.tidy(() => {
    const r = fn();
    const list = Array.isArray(r) ? r : [r];
    out = list.map((t) => ({ shape: t.shape, dtype: t.dtype, values: Array.from(t.dataSync()) }));
  });
  return out;
}

/**
 * Runs `fn` with the stock cpu kernels and with the fast kernels (using `gemm`), and asserts
 * equal shapes, dtypes and values within `tol`.
 */
export function compareWithStock(
  name: string,
  fn: () => tf.Tensor | tf.Tensor[],
  gemm: Sgemm,
  tol = 1e-5,
): void {
  uninstallCpuKernels();
  let ref: Out[] | Error;
  try {
    ref = run(fn);
  } catch (e) {
    ref = e as Error;
  }
  installCpuKernels(gemm);
  let got: Out[] | Error;
  try {
    got = run(fn);
  } catch (e) {
    got = e as Error;
  }
  if (ref instanceof Error || got instanceof Error) {
    if (ref instanceof Error && got instanceof Error) return; // both reject the input
    throw new AssertionError(
      `${name}: stock ${ref instanceof Error ? "threw " + ref.message : "ran"}, fast ${
        got instanceof Error ? "threw " + got.message : "ran"
      }`,
    );
  }
  if (ref.length !== got.length) throw new AssertionError(`${name}: output count differs`);
  for (let i = 0; i < ref.length; i++) {
    if (JSON.stringify(ref[i].shape) !== JSON.stringify(got[i].shape)) {
      throw new AssertionError(`${name}: shape ${got[i].shape} != stock ${ref[i].shape}`);
    }
    if (ref[i].dtype !== got[i].dtype) {
      throw new AssertionError(`${name}: dtype ${got[i].dtype} != stock ${ref[i].dtype}`);
    }
    assertClose(got[i].values, ref[i].values, tol, name);
  }
}

/** Naive reference in double precision. */
function naive(
  ta: boolean,
  tb: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float32Array,
  b: Float32Array,
  beta: number,
  c: Float32Array,
): Float32Array {
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
      }
      out[i * n + j] = alpha * s + (beta === 0 ? 0 : beta * c[i * n + j]);
    }
  }
  return out;
}

/** Checks an SGEMM against the naive product on odd, empty and 1-element shapes. */
export function checkSgemm(gemm: Sgemm, label: string): void {
  const shapes = [
    [1, 1, 1],
    [3, 5, 7],
    [17, 1, 9],
    [1, 23, 4],
    [33, 31, 65],
    [0, 4, 3],
    [4, 0, 3],
    [4, 3, 0],
    [64, 70, 5],
  ];
  let seed = 1;
  for (const [m, n, k] of shapes) {
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        for (const [alpha, beta] of [[1, 0], [0.5, 1], [-2, 0.25]]) {
          const a = randArray(m * k, seed++), b = randArray(k * n, seed++);
          const c0 = randArray(m * n, seed++);
          c0[0] = NaN; // beta = 0 must ignore C, as BLAS does
          const c = c0.slice();
          gemm(ta, tb, m, n, k, alpha, a, b, beta, c);
          const ref = naive(ta, tb, m, n, k, alpha, a, b, beta, c0);
          if (beta !== 0 && m * n > 0) ref[0] = NaN; // NaN·beta stays NaN
          assertClose(c, ref, 1e-5, `${label} ${m}x${n}x${k} ${ta} ${tb} α=${alpha} β=${beta}`);
        }
      }
    }
  }
  // views into larger buffers (subarray offsets)
  const big = randArray(100, 99), out = new Float32Array(20);
  gemm(
    false,
    false,
    2,
    3,
    4,
    1,
    big.subarray(10, 18),
    big.subarray(50, 62),
    0,
    out.subarray(5, 11),
  );
  assertClose(
    out.subarray(5, 11),
    naive(false, false, 2, 3, 4, 1, big.subarray(10, 18), big.subarray(50, 62), 0, out),
    1e-5,
    `${label} views`,
  );
  assertEquals(out[4], 0);
  assertEquals(out[11], 0);
  assertThrows(
    () =>
      gemm(
        false,
        false,
        2,
        2,
        2,
        1,
        new Float32Array(3),
        new Float32Array(4),
        0,
        new Float32Array(4),
      ),
    RangeError,
    "too short",
  );
}

/**
 * Checks that an embedded module (base64) is the compilation of its `.wat` in lib/backend. The
 * toolkit (npm `wabt`) may be unreachable: then only the binary's presence is checked.
 */
export async function assertWasmInSync(wat: string, base64: string): Promise<void> {
  let compile: ((src: string) => Promise<Uint8Array>) | null = null;
  try {
    compile = (await import("../../bench/build_simd.ts")).compileSimd;
  } catch (e) {
    console.log(`wabt unavailable (${e instanceof Error ? e.message : e}); sync not checked`);
  }
  if (base64.length < 100) throw new AssertionError(`${wat}: no binary embedded`);
  if (!compile) return;
  const src = await Deno.readTextFile(new URL(`../../lib/backend/${wat}`, import.meta.url));
  const embedded = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  assertEquals(
    embedded,
    await compile(src),
    `run \`deno run -A bench/build_simd.ts\` after editing ${wat}`,
  );
}
