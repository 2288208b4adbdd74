/**
 * Fast kernels for tfjs's `cpu` backend, registered over the stock ones so that unchanged tfjs
 * code (`tf.matMul`, `tf.grad`, `tf.variableGrads`, `tf.train.*`, `tf.layers` `model.fit`)
 * runs at BLAS speed.
 *
 * - `BatchMatMul` and `_FusedMatMul` (every transpose combination, batched, broadcast batch
 *   dimensions, bias and activation fused in the output pass) call the active
 *   {@linkcode Sgemm} (OpenBLAS through FFI, or the JavaScript fallback);
 * - elementwise ops (binary with any broadcasting, unary), the reductions `Sum`, `Mean`, `Max`,
 *   `Min`, `Softmax`, `AddN`, `Tile` and last-two-axes `Transpose` run tight loops specialised
 *   per op.
 *
 * Every kernel handles the float32 cases (and int32/bool where the result is bit-identical) and
 * defers to the stock kernel for anything else (complex, strings, unusual axes), so semantics
 * never change, only speed.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { installCpuKernels, uninstallCpuKernels } from "./kernels.ts";
 * import { jsSgemm } from "./gemm.ts";
 * await tf.setBackend("cpu");
 * installCpuKernels(jsSgemm);
 * tf.matMul(tf.ones([2, 3]), tf.ones([2, 3]), false, true).print(); // [[3, 3], [3, 3]]
 * uninstallCpuKernels();
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Sgemm } from "./gemm.ts";

type TypedArray = Float32Array | Int32Array | Uint8Array;
interface Info {
  dataId: object;
  shape: number[];
  dtype: string;
}
interface CpuBackend {
  data: { get(id: object): { values: TypedArray | null } };
  makeTensorInfo(shape: number[], dtype: string, values: TypedArray): Info;
}
interface Args {
  inputs: Record<string, Info | undefined>;
  attrs?: Record<string, unknown>;
  backend: CpuBackend;
}
type Kernel = (args: Args) => Info | Info[];

const BACKEND = "cpu";

/** Stock kernel functions saved when ours are installed (the reference and the fallback). */
const stock = new Map<string, Kernel>();
let installed: Sgemm | null = null;

function vals(backend: CpuBackend, t: Info): TypedArray {
  const v = backend.data.get(t.dataId).values;
  if (!v) throw new Error(`tensor ${t.dataId} has no cpu values`);
  return v;
}

function size(shape: readonly number[]): number {
  let s = 1;
  for (const d of shape) s *= d;
  return s;
}

function fallback(name: string, args: Args): Info | Info[] {
  const k = stock.get(name);
  if (!k) throw new Error(`no stock cpu kernel ${name}`);
  return k(args);
}

function newArray(dtype: string, n: number): TypedArray {
  return dtype === "float32"
    ? new Float32Array(n)
    : dtype === "int32"
    ? new Int32Array(n)
    : new Uint8Array(n);
}

// ---------------------------------------------------------------------------------------------
// Broadcasting layout shared by binary ops: per-operand strides over the output shape, with
// adjacent dimensions merged whenever both operands walk them contiguously.

interface Layout {
  shape: number[];
  sa: number[];
  sb: number[];
}

function broadcastShape(a: readonly number[], b: readonly number[]): number[] | null {
  const r = Math.max(a.length, b.length);
  const out = new Array<number>(r);
  for (let i = 0; i < r; i++) {
    const da = a[a.length - r + i] ?? 1, db = b[b.length - r + i] ?? 1;
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else return null;
  }
  return out;
}

function stridesOver(shape: readonly number[], out: readonly number[]): number[] {
  const r = out.length, st = new Array<number>(r).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i];
    st[r - shape.length + i] = d === 1 ? 0 : s;
    s *= d;
  }
  return st;
}

function layout(a: readonly number[], b: readonly number[], out: number[]): Layout {
  const sa0 = stridesOver(a, out), sb0 = stridesOver(b, out);
  const shape: number[] = [], sa: number[] = [], sb: number[] = [];
  for (let i = 0; i < out.length; i++) {
    if (out[i] === 1) continue;
    const last = shape.length - 1;
    if (
      last >= 0 && sa[last] === sa0[i] * out[i] && sb[last] === sb0[i] * out[i]
    ) {
      shape[last] *= out[i];
      sa[last] = sa0[i];
      sb[last] = sb0[i];
    } else {
      shape.push(out[i]);
      sa.push(sa0[i]);
      sb.push(sb0[i]);
    }
  }
  if (shape.length === 0) return { shape: [1], sa: [0], sb: [0] };
  return { shape, sa, sb };
}

type BinaryLoop = (
  a: TypedArray,
  b: TypedArray,
  out: TypedArray,
  shape: number[],
  sa: number[],
  sb: number[],
) => void;

/**
 * Builds a broadcasting loop for one expression in `x` (from a) and `y` (from b). Code
 * generation gives every op its own loop: a shared loop calling an op closure is megamorphic
 * and several times slower in V8.
 */
function binaryLoop(expr: string): BinaryLoop {
  const body = `
    const r = shape.length, n = shape[r - 1], as = sa[r - 1], bs = sb[r - 1];
    const total = out.length, idx = new Int32Array(r);
    let ia = 0, ib = 0;
    for (let o = 0; o < total; o += n) {
      if (as === 1 && bs === 1) {
        for (let j = 0; j < n; j++) { const x = a[ia + j], y = b[ib + j]; out[o + j] = ${expr}; }
      } else if (as === 1 && bs === 0) {
        const y = b[ib];
        for (let j = 0; j < n; j++) { const x = a[ia + j]; out[o + j] = ${expr}; }
      } else if (as === 0 && bs === 1) {
        const x = a[ia];
        for (let j = 0; j < n; j++) { const y = b[ib + j]; out[o + j] = ${expr}; }
      } else {
        for (let j = 0; j < n; j++) {
          const x = a[ia + j * as], y = b[ib + j * bs]; out[o + j] = ${expr};
        }
      }
      for (let d = r - 2; d >= 0; d--) {
        idx[d]++; ia += sa[d]; ib += sb[d];
        if (idx[d] < shape[d]) break;
        ia -= sa[d] * shape[d]; ib -= sb[d] * shape[d]; idx[d] = 0;
      }
    }`;
  return new Function("a", "b", "out", "shape", "sa", "sb", body) as BinaryLoop;
}

interface BinarySpec {
  expr: string;
  /** Output dtype: "same" (as the inputs) or "bool". */
  out: "same" | "bool";
  /** Input dtypes handled; others go to the stock kernel. */
  dtypes: readonly string[];
}

const NUM = ["float32", "int32"] as const;
const ANY = ["float32", "int32", "bool"] as const;

/**
 * Binary kernels: the stock cpu kernels' expressions, comparisons written branch-free
 * (`+(x > y)`): on random data a data-dependent branch costs several times the whole loop.
 */
const BINARY: Record<string, BinarySpec> = {
  Add: { expr: "x + y", out: "same", dtypes: NUM },
  Sub: { expr: "x - y", out: "same", dtypes: NUM },
  Multiply: { expr: "x * y", out: "same", dtypes: NUM },
  RealDiv: { expr: "x / y", out: "same", dtypes: ["float32"] },
  Maximum: { expr: "Math.max(x, y)", out: "same", dtypes: NUM },
  Minimum: { expr: "Math.min(x, y)", out: "same", dtypes: NUM },
  SquaredDifference: { expr: "(x - y) * (x - y)", out: "same", dtypes: NUM },
  Pow: { expr: "Math.pow(x, y)", out: "same", dtypes: ["float32"] },
  Prelu: { expr: "x < 0 ? y * x : x", out: "same", dtypes: ["float32"] }, // alpha may be ±∞
  Greater: { expr: "+(x > y)", out: "bool", dtypes: ANY },
  GreaterEqual: { expr: "+(x >= y)", out: "bool", dtypes: ANY },
  Less: { expr: "+(x < y)", out: "bool", dtypes: ANY },
  LessEqual: { expr: "+(x <= y)", out: "bool", dtypes: ANY },
  Equal: { expr: "+(x === y)", out: "bool", dtypes: ANY },
  NotEqual: { expr: "+(x !== y)", out: "bool", dtypes: ANY },
};

function binaryKernel(name: string, spec: BinarySpec): Kernel {
  const loop = binaryLoop(spec.expr);
  return (args) => {
    const { backend } = args;
    const a = args.inputs.a ?? args.inputs.x, b = args.inputs.b ?? args.inputs.alpha;
    if (!a || !b || a.dtype !== b.dtype || !spec.dtypes.includes(a.dtype)) {
      return fallback(name, args);
    }
    const outShape = broadcastShape(a.shape, b.shape);
    if (!outShape) return fallback(name, args); // the stock kernel throws the usual error
    const dtype = spec.out === "bool" ? "bool" : a.dtype;
    const n = size(outShape);
    const out = newArray(dtype, n);
    if (n > 0) {
      const l = layout(a.shape, b.shape, outShape);
      loop(vals(backend, a), vals(backend, b), out, l.shape, l.sa, l.sb);
    }
    return backend.makeTensorInfo(outShape, dtype, out);
  };
}

// ---------------------------------------------------------------------------------------------
// Unary kernels (float32 in, float32 out; `p` holds the kernel's attributes).

type UnaryLoop = (x: Float32Array, out: Float32Array, p: Record<string, unknown>) => void;

function unaryLoop(expr: string, prelude = ""): UnaryLoop {
  const body = `${prelude}
    const n = x.length;
    for (let i = 0; i < n; i++) { const v = x[i]; out[i] = ${expr}; }`;
  return new Function("x", "out", "p", body) as UnaryLoop;
}

/**
 * ReLU on the float bits: clearing negative values (sign bit set) with an integer mask is exact
 * for −0 and −∞ (where `v·(v > 0)` would give −0 and NaN) and branch-free. The loop below the
 * prelude is skipped by returning early.
 */
const RELU_PRELUDE = `
  const xi = new Int32Array(x.buffer, x.byteOffset, x.length);
  const oi = new Int32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < xi.length; i++) { const b = xi[i]; oi[i] = (b & ~(b >> 31)) | (((b & 0x7fffffff) > 0x7f800000) ? b : 0); }
  return;`;

const SOFTPLUS_PRELUDE = "const th = Math.log(1.1920928955078125e-7) + 2.0;";

/**
 * Unary kernels: same results as the stock cpu kernels, written branch-free where the stock
 * expression branches on the data (a select as `b·x + (1−b)·y` with b = +(condition)).
 */
const UNARY: Record<string, { expr: string; prelude?: string }> = {
  Sign: { expr: "+(v > 0) - +(v < 0)" },
  Relu: { expr: "v", prelude: RELU_PRELUDE },
  Relu6: { expr: "Math.min(Math.max(0, v), 6)" },
  Step: {
    expr: "v !== v ? NaN : +(v > 0) + +(v <= 0) * alpha",
    prelude: "const alpha = p.alpha ?? 0;",
  },
  LeakyRelu: {
    expr: "v * (+(v < 0) * alpha + +!(v < 0))",
    prelude: "const alpha = p.alpha;",
  },
  Elu: { expr: "v >= 0 ? v : Math.exp(v) - 1" },
  Abs: { expr: "Math.abs(v)" },
  Neg: { expr: "-v" },
  Exp: { expr: "Math.exp(v)" },
  Expm1: { expr: "Math.expm1(v)" },
  Log: { expr: "Math.log(v)" },
  Log1p: { expr: "Math.log1p(v)" },
  Sqrt: { expr: "Math.sqrt(v)" },
  Rsqrt: { expr: "1 / Math.sqrt(v)" },
  Square: { expr: "v * v" },
  Reciprocal: { expr: "1 / v" },
  Tanh: { expr: "Math.tanh(v)" },
  Sigmoid: { expr: "1 / (1 + Math.exp(-v))" },
  Floor: { expr: "Math.floor(v)" },
  Ceil: { expr: "Math.ceil(v)" },
  ClipByValue: {
    expr: "v > hi ? hi : v < lo ? lo : v",
    prelude: "const lo = p.clipValueMin, hi = p.clipValueMax;",
  },
  Softplus: {
    expr: "v < th ? Math.exp(v) : v > -th ? v : Math.log(1.0 + Math.exp(v))",
    prelude: SOFTPLUS_PRELUDE,
  },
};

function unaryKernel(name: string, expr: string, prelude?: string): Kernel {
  const loop = unaryLoop(expr, prelude);
  return (args) => {
    const x = args.inputs.x;
    if (!x || x.dtype !== "float32") return fallback(name, args);
    const xv = vals(args.backend, x) as Float32Array;
    const out = new Float32Array(xv.length);
    loop(xv, out, args.attrs ?? {});
    return args.backend.makeTensorInfo(x.shape.slice(), "float32", out);
  };
}

// ---------------------------------------------------------------------------------------------
// Reductions over a contiguous block of axes: the input is seen as (outer, reduce, inner).

function parseAxes(axis: unknown, rank: number): number[] {
  const list = axis == null ? [...Array(rank).keys()] : Array.isArray(axis) ? axis : [axis];
  return (list as number[]).map((a) => (a < 0 ? a + rank : a)).sort((p, q) => p - q);
}

interface ReduceGeometry {
  outer: number;
  red: number;
  inner: number;
  outShape: number[];
}

function reduceGeometry(shape: number[], axes: number[], keepDims: boolean): ReduceGeometry | null {
  for (let i = 1; i < axes.length; i++) if (axes[i] !== axes[i - 1] + 1) return null;
  if (axes.some((a) => a < 0 || a >= shape.length)) return null;
  if (axes.length === 0) return null;
  const a0 = axes[0], a1 = axes[axes.length - 1];
  const outer = size(shape.slice(0, a0)), red = size(shape.slice(a0, a1 + 1));
  const inner = size(shape.slice(a1 + 1));
  const outShape = keepDims
    ? shape.map((d, i) => (i >= a0 && i <= a1 ? 1 : d))
    : shape.filter((_, i) => i < a0 || i > a1);
  return { outer, red, inner, outShape };
}

type ReduceOp = "sum" | "mean" | "max" | "min";

function reduceFloat(x: Float32Array, g: ReduceGeometry, op: ReduceOp): Float32Array {
  const { outer, red, inner } = g;
  const out = new Float32Array(outer * inner);
  const isSum = op === "sum" || op === "mean";
  const scale = op === "mean" ? 1 / red : 1;
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      const base = o * red;
      if (isSum) {
        let s = 0;
        for (let j = 0; j < red; j++) s += x[base + j];
        out[o] = op === "mean" ? s / red : s;
      } else if (op === "max") {
        let mx = x[base];
        for (let j = 0; j < red; j++) {
          const v = x[base + j];
          if (v > mx || v !== v) mx = v;
        }
        out[o] = mx;
      } else {
        let mn = x[base];
        for (let j = 0; j < red; j++) {
          const v = x[base + j];
          if (v < mn || v !== v) mn = v;
        }
        out[o] = mn;
      }
    }
    return out;
  }
  // Reduce a middle axis: accumulate whole rows of `inner` values (double precision for sums).
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * red * inner;
    for (let q = 0; q < inner; q++) acc[q] = isSum ? 0 : x[base + q];
    for (let j = 0; j < red; j++) {
      const row = base + j * inner;
      if (isSum) {
        for (let q = 0; q < inner; q++) acc[q] += x[row + q];
      } else if (op === "max") {
        for (let q = 0; q < inner; q++) {
          const v = x[row + q], c = acc[q];
          if (v > c || v !== v) acc[q] = v;
        }
      } else {
        for (let q = 0; q < inner; q++) {
          const v = x[row + q], c = acc[q];
          if (v < c || v !== v) acc[q] = v;
        }
      }
    }
    const ob = o * inner;
    if (isSum && scale !== 1) { for (let q = 0; q < inner; q++) out[ob + q] = acc[q] * scale; }
    else for (let q = 0; q < inner; q++) out[ob + q] = acc[q];
  }
  return out;
}

function reduceKernel(name: string, op: ReduceOp, axisAttr: string): Kernel {
  return (args) => {
    const x = args.inputs.x, attrs = args.attrs ?? {};
    if (!x || x.dtype !== "float32" || x.shape.length === 0) return fallback(name, args);
    const axes = parseAxes(attrs[axisAttr], x.shape.length);
    const g = reduceGeometry(x.shape, axes, Boolean(attrs.keepDims));
    if (!g || g.red === 0 || g.outer * g.inner === 0) return fallback(name, args);
    const out = reduceFloat(vals(args.backend, x) as Float32Array, g, op);
    return args.backend.makeTensorInfo(g.outShape, "float32", out);
  };
}

const softmaxKernel: Kernel = (args) => {
  const x = args.inputs.logits;
  const dim = (args.attrs?.dim ?? -1) as number;
  if (!x || x.dtype !== "float32" || x.shape.length === 0) return fallback("Softmax", args);
  const rank = x.shape.length;
  if (dim !== -1 && dim !== rank - 1) return fallback("Softmax", args);
  const xv = vals(args.backend, x) as Float32Array;
  const c = x.shape[rank - 1], rows = c === 0 ? 0 : xv.length / c;
  const out = new Float32Array(xv.length);
  for (let r = 0; r < rows; r++) {
    const base = r * c;
    let mx = xv[base];
    for (let j = 0; j < c; j++) {
      const v = xv[base + j];
      if (v > mx || v !== v) mx = v;
    }
    let s = 0;
    for (let j = 0; j < c; j++) {
      const e = Math.exp(xv[base + j] - mx);
      out[base + j] = e;
      s += e;
    }
    const inv = 1 / s;
    for (let j = 0; j < c; j++) out[base + j] *= inv;
  }
  return args.backend.makeTensorInfo(x.shape.slice(), "float32", out);
};

const addNKernel: Kernel = (args) => {
  const list = Object.values(args.inputs) as Info[];
  if (list.length === 0 || list.some((t) => t.dtype !== "float32")) return fallback("AddN", args);
  const n = size(list[0].shape);
  if (list.some((t) => size(t.shape) !== n)) return fallback("AddN", args);
  const out = new Float32Array(vals(args.backend, list[0]) as Float32Array);
  for (let i = 1; i < list.length; i++) {
    const v = vals(args.backend, list[i]);
    for (let j = 0; j < n; j++) out[j] += v[j];
  }
  return args.backend.makeTensorInfo(list[0].shape.slice(), "float32", out);
};

/** Swaps the last two axes (perm [..., r−1, r−2]) with cache blocking; other perms: stock. */
const transposeKernel: Kernel = (args) => {
  const x = args.inputs.x, perm = args.attrs?.perm as number[] | undefined;
  if (!x || !perm || x.dtype === "string" || x.dtype === "complex64") {
    return fallback("Transpose", args);
  }
  const r = x.shape.length;
  if (r < 2) return fallback("Transpose", args);
  for (let i = 0; i < r - 2; i++) if (perm[i] !== i) return fallback("Transpose", args);
  if (perm[r - 2] !== r - 1 || perm[r - 1] !== r - 2) return fallback("Transpose", args);
  const xv = vals(args.backend, x);
  const rows = x.shape[r - 2], cols = x.shape[r - 1], batch = size(x.shape.slice(0, r - 2));
  const out = newArray(x.dtype, xv.length);
  const B = 32;
  for (let bi = 0; bi < batch; bi++) {
    const off = bi * rows * cols;
    for (let i0 = 0; i0 < rows; i0 += B) {
      const i1 = Math.min(i0 + B, rows);
      for (let j0 = 0; j0 < cols; j0 += B) {
        const j1 = Math.min(j0 + B, cols);
        for (let i = i0; i < i1; i++) {
          for (let j = j0; j < j1; j++) out[off + j * rows + i] = xv[off + i * cols + j];
        }
      }
    }
  }
  const outShape = perm.map((p) => x.shape[p]);
  return args.backend.makeTensorInfo(outShape, x.dtype, out);
};

/** Tile by block copies: each output row of the last axis is `reps[last]` copies of a source row. */
const tileKernel: Kernel = (args) => {
  const x = args.inputs.x, reps = args.attrs?.reps as number[] | undefined;
  if (
    !x || !reps || x.dtype === "string" || x.dtype === "complex64" || reps.length !== x.shape.length
  ) {
    return fallback("Tile", args);
  }
  const r = x.shape.length;
  if (r === 0) return fallback("Tile", args);
  const outShape = x.shape.map((d, i) => d * reps[i]);
  const xv = vals(args.backend, x);
  const out = newArray(x.dtype, size(outShape));
  if (out.length > 0) {
    const last = x.shape[r - 1], outLast = outShape[r - 1];
    const rows = out.length / outLast;
    const idx = new Array<number>(r - 1).fill(0);
    for (let row = 0; row < rows; row++) {
      // source row: each output index modulo the input dimension
      let src = 0;
      for (let d = 0; d < r - 1; d++) src = src * x.shape[d] + (idx[d] % x.shape[d]);
      const chunk = xv.subarray(src * last, src * last + last);
      const o = row * outLast;
      for (let q = 0; q < reps[r - 1]; q++) out.set(chunk, o + q * last);
      for (let d = r - 2; d >= 0; d--) {
        if (++idx[d] < outShape[d]) break;
        idx[d] = 0;
      }
    }
  }
  return args.backend.makeTensorInfo(outShape, x.dtype, out);
};

// ---------------------------------------------------------------------------------------------
// Matrix products.

interface MatMulPlan {
  outShape: number[];
  batch: number;
  batchA: number;
  batchB: number;
  m: number;
  n: number;
  k: number;
}

function planMatMul(a: Info, b: Info, ta: boolean, tb: boolean): MatMulPlan | null {
  const ra = a.shape.length, rb = b.shape.length;
  if (ra < 2 || rb < 2) return null;
  const k = ta ? a.shape[ra - 2] : a.shape[ra - 1];
  const kb = tb ? b.shape[rb - 1] : b.shape[rb - 2];
  const m = ta ? a.shape[ra - 1] : a.shape[ra - 2];
  const n = tb ? b.shape[rb - 2] : b.shape[rb - 1];
  if (k !== kb) return null;
  const outerA = a.shape.slice(0, -2), outerB = b.shape.slice(0, -2);
  const outer = broadcastShape(outerA, outerB);
  if (!outer) return null;
  const batchA = size(outerA), batchB = size(outerB), batch = size(outer);
  // Like the stock kernel, batch broadcasting is supported when one side has batch 1 or both agree.
  if (!(batchA === batch || batchA === 1) || !(batchB === batch || batchB === 1)) return null;
  return { outShape: [...outer, m, n], batch, batchA, batchB, m, n, k };
}

function matMulInto(
  gemm: Sgemm,
  plan: MatMulPlan,
  av: Float32Array,
  bv: Float32Array,
  ta: boolean,
  tb: boolean,
): Float32Array {
  const { batch, batchA, batchB, m, n, k } = plan;
  const out = new Float32Array(batch * m * n);
  if (out.length === 0) return out;
  if (batchB === 1 && batchA === batch && !ta) {
    // A's batch folds into the rows of one GEMM.
    gemm(false, tb, batch * m, n, k, 1, av, bv, 0, out);
    return out;
  }
  const sA = m * k, sB = k * n, sC = m * n;
  for (let i = 0; i < batch; i++) {
    const ia = batchA === 1 ? 0 : i, ib = batchB === 1 ? 0 : i;
    gemm(
      ta,
      tb,
      m,
      n,
      k,
      1,
      av.subarray(ia * sA, ia * sA + sA),
      bv.subarray(ib * sB, ib * sB + sB),
      0,
      out.subarray(i * sC, i * sC + sC),
    );
  }
  return out;
}

function batchMatMulKernel(gemm: Sgemm): Kernel {
  return (args) => {
    const { a, b } = args.inputs;
    const ta = Boolean(args.attrs?.transposeA), tb = Boolean(args.attrs?.transposeB);
    if (!a || !b || a.dtype !== "float32" || b.dtype !== "float32") {
      return fallback("BatchMatMul", args);
    }
    const plan = planMatMul(a, b, ta, tb);
    if (!plan) return fallback("BatchMatMul", args); // stock kernel raises the usual error
    const out = matMulInto(
      gemm,
      plan,
      vals(args.backend, a) as Float32Array,
      vals(args.backend, b) as Float32Array,
      ta,
      tb,
    );
    return args.backend.makeTensorInfo(plan.outShape, "float32", out);
  };
}

const ACTIVATIONS: Record<string, UnaryLoop> = {
  linear: unaryLoop("v"),
  relu: unaryLoop("v", RELU_PRELUDE),
  relu6: unaryLoop("Math.min(Math.max(0, v), 6)"),
  elu: unaryLoop("v >= 0 ? v : Math.exp(v) - 1"),
  sigmoid: unaryLoop("1 / (1 + Math.exp(-v))"),
  leakyrelu: unaryLoop(UNARY.LeakyRelu.expr, "const alpha = p.alpha;"),
};

const addLoop = binaryLoop("x + y");
const preluLoop = binaryLoop(BINARY.Prelu.expr);

function fusedMatMulKernel(gemm: Sgemm): Kernel {
  return (args) => {
    const { a, b, bias, preluActivationWeights: alpha } = args.inputs;
    const attrs = args.attrs ?? {};
    const ta = Boolean(attrs.transposeA), tb = Boolean(attrs.transposeB);
    const act = (attrs.activation ?? "linear") as string;
    if (
      !a || !b || a.dtype !== "float32" || b.dtype !== "float32" ||
      (bias && bias.dtype !== "float32") || (act !== "prelu" && !(act in ACTIVATIONS)) ||
      (act === "prelu" && (!alpha || alpha.dtype !== "float32"))
    ) {
      return fallback("_FusedMatMul", args);
    }
    const plan = planMatMul(a, b, ta, tb);
    if (!plan) return fallback("_FusedMatMul", args);
    let shape = plan.outShape;
    let out = matMulInto(
      gemm,
      plan,
      vals(args.backend, a) as Float32Array,
      vals(args.backend, b) as Float32Array,
      ta,
      tb,
    );
    if (bias) {
      const s = broadcastShape(shape, bias.shape);
      if (!s) return fallback("_FusedMatMul", args);
      const res = new Float32Array(size(s));
      if (res.length > 0) {
        const l = layout(shape, bias.shape, s);
        addLoop(out, vals(args.backend, bias), res, l.shape, l.sa, l.sb);
      }
      out = res;
      shape = s;
    }
    if (act === "prelu" && alpha) {
      const s = broadcastShape(shape, alpha.shape);
      if (!s) return fallback("_FusedMatMul", args);
      const res = new Float32Array(size(s));
      if (res.length > 0) {
        const l = layout(shape, alpha.shape, s);
        preluLoop(out, vals(args.backend, alpha), res, l.shape, l.sa, l.sb);
      }
      out = res;
      shape = s;
    } else if (act !== "linear") {
      ACTIVATIONS[act](out, out, { alpha: attrs.leakyreluAlpha ?? 0.2 });
    }
    return args.backend.makeTensorInfo(shape, "float32", out);
  };
}

// ---------------------------------------------------------------------------------------------
// Installation.

function buildKernels(gemm: Sgemm): Map<string, Kernel> {
  const ks = new Map<string, Kernel>();
  ks.set("BatchMatMul", batchMatMulKernel(gemm));
  ks.set("_FusedMatMul", fusedMatMulKernel(gemm));
  for (const [name, spec] of Object.entries(BINARY)) ks.set(name, binaryKernel(name, spec));
  for (const [name, u] of Object.entries(UNARY)) ks.set(name, unaryKernel(name, u.expr, u.prelude));
  ks.set("Sum", reduceKernel("Sum", "sum", "axis"));
  ks.set("Mean", reduceKernel("Mean", "mean", "axis"));
  ks.set("Max", reduceKernel("Max", "max", "reductionIndices"));
  ks.set("Min", reduceKernel("Min", "min", "axis"));
  ks.set("Softmax", softmaxKernel);
  ks.set("AddN", addNKernel);
  ks.set("Transpose", transposeKernel);
  ks.set("Tile", tileKernel);
  return ks;
}

/** Names of the cpu kernels this module replaces. */
export const FAST_KERNEL_NAMES: readonly string[] = [...buildKernels(() => {}).keys()];

/**
 * Registers the fast kernels over tfjs's stock `cpu` kernels, with `gemm` for the matrix
 * products. Idempotent: a second call swaps the GEMM. The stock kernels are kept for fallback
 * and restored by {@linkcode uninstallCpuKernels}.
 */
export function installCpuKernels(gemm: Sgemm): void {
  const ks = buildKernels(gemm);
  for (const [name, kernelFunc] of ks) {
    if (!stock.has(name)) {
      const orig = tf.getKernel(name, BACKEND);
      if (!orig) continue; // this tfjs build has no such cpu kernel
      stock.set(name, orig.kernelFunc as unknown as Kernel);
    }
    tf.unregisterKernel(name, BACKEND);
    tf.registerKernel({
      kernelName: name,
      backendName: BACKEND,
      kernelFunc: kernelFunc as unknown as tf.KernelFunc,
    });
  }
  installed = gemm;
}

/** Restores tfjs's stock `cpu` kernels (tests compare against them). */
export function uninstallCpuKernels(): void {
  for (const [name, kernelFunc] of stock) {
    tf.unregisterKernel(name, BACKEND);
    tf.registerKernel({
      kernelName: name,
      backendName: BACKEND,
      kernelFunc: kernelFunc as tf.KernelFunc,
    });
  }
  stock.clear();
  installed = null;
}

/** Whether the fast kernels are registered, and with which GEMM. */
export function installedGemm(): Sgemm | null {
  return installed;
}
