/**
 * Small dense float64 linear algebra for the theory simulations (d ≤ a few hundred): products,
 * Cholesky, symmetric eigendecomposition (cyclic Jacobi), and the two random SPD constructions
 * of the quadratic binary task (theory_synaptic_models.md §1): a Householder reflection
 * A·D·A (panel a) and a Haar-random rotation RᵀDR (panel b). Matrices are row-major
 * Float64Array of d×d.
 *
 * @example
 * ```ts
 * import { Rng } from "../rng.ts";
 * import { haarOrthogonal, rotatedSpd } from "./linalg.ts";
 * const rng = new Rng(1);
 * const r = haarOrthogonal(3, rng); // rᵀr = I
 * const h = rotatedSpd(new Float64Array([1, 2, 3]), rng); // eigenvalues 1, 2, 3
 * ```
 * @module
 */
import type { Rng } from "../rng.ts";

function sizeOf(a: Float64Array, what: string): number {
  const d = Math.round(Math.sqrt(a.length));
  if (d * d !== a.length) {
    throw new RangeError(`${what} has ${a.length} entries: not a square matrix`);
  }
  return d;
}

/** y = A·x for a d×d row-major matrix. */
export function matVec(a: Float64Array, x: ArrayLike<number>): Float64Array {
  const d = x.length;
  if (a.length !== d * d) {
    throw new RangeError(`matVec: matrix has ${a.length} entries, x has ${d}`);
  }
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = 0;
    const o = i * d;
    for (let j = 0; j < d; j++) s += a[o + j] * x[j];
    y[i] = s;
  }
  return y;
}

/** C = A·B (or Aᵀ·B with `transposeA`) for d×d row-major matrices. */
export function matMul(
  a: Float64Array,
  b: Float64Array,
  options: { transposeA?: boolean } = {},
): Float64Array {
  const d = sizeOf(a, "matMul A");
  if (b.length !== a.length) {
    throw new RangeError(`matMul: A is ${d}×${d}, B has ${b.length} entries`);
  }
  const c = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < d; k++) {
      const aik = options.transposeA ? a[k * d + i] : a[i * d + k];
      if (aik === 0) continue;
      const ob = k * d, oc = i * d;
      for (let j = 0; j < d; j++) c[oc + j] += aik * b[ob + j];
    }
  }
  return c;
}

/** The d×d identity. */
export function identity(d: number): Float64Array {
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++) a[i * d + i] = 1;
  return a;
}

/** Largest |A_ij − A_ji|, a symmetry check. */
export function asymmetry(a: Float64Array): number {
  const d = sizeOf(a, "asymmetry");
  let m = 0;
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) m = Math.max(m, Math.abs(a[i * d + j] - a[j * d + i]));
  }
  return m;
}

/**
 * Cholesky factor L (lower, row-major) with A = L·Lᵀ. Throws a RangeError when A is not
 * (numerically) symmetric positive-definite — which makes it the SPD test.
 */
export function cholesky(a: Float64Array): Float64Array {
  const d = sizeOf(a, "cholesky");
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j];
      for (let k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
      if (i === j) {
        if (!(s > 0)) {
          throw new RangeError(`matrix is not positive-definite (pivot ${i} is ${s})`);
        }
        l[i * d + i] = Math.sqrt(s);
      } else {
        l[i * d + j] = s / l[j * d + j];
      }
    }
  }
  return l;
}

/** Eigenvalues (ascending) and eigenvectors (columns of `vectors`, row-major d×d). */
export interface SymmetricEigen {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** Column k is the unit eigenvector of `values[k]`. */
  vectors: Float64Array;
}

/**
 * Eigendecomposition of a symmetric matrix by cyclic Jacobi rotations (accurate to machine
 * precision; O(d³) per sweep, meant for d ≲ 100).
 */
export function symmetricEigen(
  a: Float64Array,
  options: { maxSweeps?: number } = {},
): SymmetricEigen {
  const d = sizeOf(a, "symmetricEigen");
  if (asymmetry(a) > 1e-10 * (1 + maxAbs(a))) {
    throw new RangeError("symmetricEigen needs a symmetric matrix");
  }
  const m = Float64Array.from(a);
  const v = identity(d);
  const sweeps = options.maxSweeps ?? 100;
  for (let sweep = 0; sweep < sweeps; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += m[p * d + q] ** 2;
    if (off < 1e-30 * (1 + maxAbs(m)) ** 2) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = m[p * d + q];
        if (apq === 0) continue;
        const theta = (m[q * d + q] - m[p * d + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < d; k++) {
          const mkp = m[k * d + p], mkq = m[k * d + q];
          m[k * d + p] = c * mkp - s * mkq;
          m[k * d + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < d; k++) {
          const mpk = m[p * d + k], mqk = m[q * d + k];
          m[p * d + k] = c * mpk - s * mqk;
          m[q * d + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p], vkq = v[k * d + q];
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: d }, (_, i) => i).sort((i, j) => m[i * d + i] - m[j * d + j]);
  const values = new Float64Array(d);
  const vectors = new Float64Array(d * d);
  order.forEach((src, k) => {
    values[k] = m[src * d + src];
    for (let r = 0; r < d; r++) vectors[r * d + k] = v[r * d + src];
  });
  return { values, vectors };
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** The Householder reflection I − 2uuᵀ/(uᵀu) of a non-zero vector u. */
export function householder(u: ArrayLike<number>): Float64Array {
  const d = u.length;
  let n2 = 0;
  for (let i = 0; i < d; i++) n2 += u[i] * u[i];
  if (!(n2 > 0)) throw new RangeError("householder needs a non-zero vector");
  const a = identity(d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) a[i * d + j] -= 2 * u[i] * u[j] / n2;
  return a;
}

/** Q·diag(λ)·Qᵀ-style product Bᵀ·diag(λ)·B for an orthogonal B (row-major). */
function congruence(b: Float64Array, lambda: ArrayLike<number>): Float64Array {
  const d = lambda.length;
  const h = new Float64Array(d * d);
  // H_ij = Σ_k B_ki λ_k B_kj
  for (let k = 0; k < d; k++) {
    const lk = lambda[k], o = k * d;
    for (let i = 0; i < d; i++) {
      const f = lk * b[o + i];
      if (f === 0) continue;
      const oh = i * d;
      for (let j = 0; j < d; j++) h[oh + j] += f * b[o + j];
    }
  }
  // symmetrise away rounding so callers get an exactly symmetric matrix
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const s = 0.5 * (h[i * d + j] + h[j * d + i]);
      h[i * d + j] = s;
      h[j * d + i] = s;
    }
  }
  return h;
}

function checkEigenvalues(lambda: ArrayLike<number>): void {
  if (lambda.length < 1) throw new RangeError("need at least one eigenvalue");
  for (let i = 0; i < lambda.length; i++) {
    if (!(lambda[i] > 0) || !Number.isFinite(lambda[i])) {
      throw new RangeError(
        `eigenvalue ${i} is ${lambda[i]}: an SPD matrix needs finite positive ones`,
      );
    }
  }
}

/**
 * SPD matrix A·diag(λ)·A with A = I − 2uuᵀ/(uᵀu) a Householder reflection of a Gaussian
 * vector u (the Fig. 6a construction; there λ = 5·U(0, 1)).
 */
export function householderSpd(eigenvalues: ArrayLike<number>, rng: Rng): Float64Array {
  checkEigenvalues(eigenvalues);
  const d = eigenvalues.length;
  const u = new Float64Array(d);
  for (let i = 0; i < d; i++) u[i] = rng.normal();
  return congruence(householder(u), eigenvalues);
}

/**
 * A Haar-distributed random orthogonal d×d matrix: Householder QR of a Gaussian matrix with the
 * sign correction Q·diag(sign R_ii) (without it the distribution is not uniform).
 */
export function haarOrthogonal(d: number, rng: Rng): Float64Array {
  if (!Number.isInteger(d) || d < 1) {
    throw new RangeError(`dimension must be a positive integer, got ${d}`);
  }
  const a = new Float64Array(d * d);
  for (let i = 0; i < a.length; i++) a[i] = rng.normal();
  // Householder QR in place: store reflectors, then accumulate Q = H_0 H_1 … H_{d−2}.
  const vs: Float64Array[] = [];
  const rdiag = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    let norm = 0;
    for (let i = k; i < d; i++) norm += a[i * d + k] ** 2;
    norm = Math.sqrt(norm);
    const akk = a[k * d + k];
    const alpha = akk > 0 ? -norm : norm; // R_kk = alpha
    rdiag[k] = alpha;
    const v = new Float64Array(d);
    for (let i = k; i < d; i++) v[i] = a[i * d + k];
    v[k] -= alpha;
    let vn = 0;
    for (let i = k; i < d; i++) vn += v[i] * v[i];
    vs.push(v);
    if (vn === 0) continue;
    for (let j = k; j < d; j++) {
      let s = 0;
      for (let i = k; i < d; i++) s += v[i] * a[i * d + j];
      const f = 2 * s / vn;
      for (let i = k; i < d; i++) a[i * d + j] -= f * v[i];
    }
  }
  const q = identity(d);
  for (let k = d - 1; k >= 0; k--) {
    const v = vs[k];
    let vn = 0;
    for (let i = k; i < d; i++) vn += v[i] * v[i];
    if (vn === 0) continue;
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let i = k; i < d; i++) s += v[i] * q[i * d + j];
      const f = 2 * s / vn;
      for (let i = k; i < d; i++) q[i * d + j] -= f * v[i];
    }
  }
  for (let j = 0; j < d; j++) {
    if (rdiag[j] < 0) { for (let i = 0; i < d; i++) q[i * d + j] = -q[i * d + j]; }
  }
  return q;
}

/**
 * SPD matrix RᵀDR with R Haar-random orthogonal and D = diag(λ) (the Fig. 6b construction;
 * there λ = 20 + 19·(U(0, 1) − 0.5)).
 */
export function rotatedSpd(eigenvalues: ArrayLike<number>, rng: Rng): Float64Array {
  checkEigenvalues(eigenvalues);
  return congruence(haarOrthogonal(eigenvalues.length, rng), eigenvalues);
}
