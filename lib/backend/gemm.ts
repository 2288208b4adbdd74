/**
 * Single-precision GEMM on Float32Arrays, row-major:
 * `C = alpha · op(A) · op(B) + beta · C`, with `op(X)` = X or Xᵀ.
 *
 * This is the portable JavaScript kernel; the compute engine replaces it with OpenBLAS
 * `cblas_sgemm` through FFI when available (see `blas.ts` and `engine.ts`).
 *
 * @example
 * ```ts
 * import { sgemm } from "./gemm.ts";
 * const c = new Float32Array(1);
 * sgemm(false, false, 1, 1, 2, 1, new Float32Array([1, 2]), new Float32Array([3, 4]), 0, c); // c[0] = 11
 * ```
 * @module
 */

/** Signature of a row-major SGEMM: `C (m×n) = alpha·op(A)(m×k)·op(B)(k×n) + beta·C`. */
export type Sgemm = (
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float32Array,
  b: Float32Array,
  beta: number,
  c: Float32Array,
) => void;

/**
 * Portable JavaScript SGEMM, the engine's fallback without BLAS (a few GFLOP/s). Every
 * transpose combination runs a loop with contiguous inner accesses: `op(B) = B` as row updates
 * of C (four rows of C per pass over B), `op(B) = Bᵀ` as dot products of rows.
 */
export const jsSgemm: Sgemm = (transA, transB, m, n, k, alpha, a, b, beta, c) => {
  if (!(m >= 0 && n >= 0 && k >= 0)) {
    throw new RangeError(`sgemm: m, n, k must be non-negative, got ${m}, ${n}, ${k}`);
  }
  if (a.length < m * k || b.length < k * n || c.length < m * n) {
    throw new RangeError(
      `sgemm: buffers too short for m=${m} n=${n} k=${k}: A ${a.length}, B ${b.length}, C ${c.length}`,
    );
  }
  const mn = m * n;
  if (beta === 0) c.fill(0, 0, mn);
  else if (beta !== 1) { for (let i = 0; i < mn; i++) c[i] *= beta; }
  if (mn === 0 || k === 0 || alpha === 0) return;
  if (transB) {
    // C[i,j] += alpha·Σ_p A[i,p]·B[j,p]: rows of A (transposed first if needed) dot rows of B.
    const ar = transA ? transpose(a, k, m) : a;
    for (let i = 0; i < m; i++) {
      const ai = i * k, ci = i * n;
      for (let j = 0; j < n; j++) {
        const bj = j * k;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        let p = 0;
        for (; p + 3 < k; p += 4) {
          s0 += ar[ai + p] * b[bj + p];
          s1 += ar[ai + p + 1] * b[bj + p + 1];
          s2 += ar[ai + p + 2] * b[bj + p + 2];
          s3 += ar[ai + p + 3] * b[bj + p + 3];
        }
        for (; p < k; p++) s0 += ar[ai + p] * b[bj + p];
        c[ci + j] += alpha * (s0 + s1 + s2 + s3);
      }
    }
    return;
  }
  // C[i,:] += alpha·A[i,p]·B[p,:], four rows of C per pass over B.
  const sa = transA ? 1 : k, sp = transA ? m : 1; // A[i,p] = a[i*sa + p*sp]
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const c0 = i * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
    for (let p = 0; p < k; p++) {
      const base = p * sp;
      const a0 = alpha * a[i * sa + base], a1 = alpha * a[(i + 1) * sa + base];
      const a2 = alpha * a[(i + 2) * sa + base], a3 = alpha * a[(i + 3) * sa + base];
      const bp = p * n;
      for (let j = 0; j < n; j++) {
        const bv = b[bp + j];
        c[c0 + j] += a0 * bv;
        c[c1 + j] += a1 * bv;
        c[c2 + j] += a2 * bv;
        c[c3 + j] += a3 * bv;
      }
    }
  }
  for (; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const av = alpha * a[i * sa + p * sp];
      if (av === 0) continue;
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
    }
  }
};

/** Row-major transpose of a rows×cols matrix. */
function transpose(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < cols; q++) out[q * rows + r] = x[r * cols + q];
  }
  return out;
}

let active: Sgemm = jsSgemm;

/** The SGEMM in use (BLAS once the engine installed it, JavaScript otherwise). */
export const sgemm: Sgemm = (transA, transB, m, n, k, alpha, a, b, beta, c): void =>
  active(transA, transB, m, n, k, alpha, a, b, beta, c);

/** Replaces the SGEMM implementation (called by the engine at start-up). */
export function setSgemm(impl: Sgemm): void {
  active = impl;
}
