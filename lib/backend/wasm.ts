/**
 * The `wasm` fallback engine: tfjs's WebAssembly backend (SIMD, single thread) with its
 * `.wasm` binaries read from Deno's npm cache, plus matrix-product kernels that never take the
 * backend's slow transposed path (XNNPACK is fast only for an untransposed product, so
 * transposed operands are transposed explicitly first).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

const PKG = "@tensorflow/tfjs-backend-wasm";
const VERSION = "4.22.0";
const FILES = [
  "tfjs-backend-wasm.wasm",
  "tfjs-backend-wasm-simd.wasm",
  "tfjs-backend-wasm-threaded-simd.wasm",
];

function env(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

function isFile(p: string): boolean {
  try {
    return Deno.statSync(p).isFile;
  } catch {
    return false;
  }
}

/** Directory holding the backend's `.wasm` files, or `null` when it cannot be found. */
export function wasmDistDir(): string | null {
  const home = env("HOME") ?? env("USERPROFILE") ?? "";
  const roots = [
    `${Deno.cwd()}/node_modules/${PKG}/dist`,
    env("DENO_DIR") ? `${env("DENO_DIR")}/npm/registry.npmjs.org/${PKG}/${VERSION}/dist` : "",
    `${home}/.cache/deno/npm/registry.npmjs.org/${PKG}/${VERSION}/dist`,
    `${home}/Library/Caches/deno/npm/registry.npmjs.org/${PKG}/${VERSION}/dist`,
    `${env("LOCALAPPDATA") ?? ""}/deno/npm/registry.npmjs.org/${PKG}/${VERSION}/dist`,
  ];
  for (const r of roots) if (r && isFile(`${r}/${FILES[1]}`)) return r;
  return null;
}

interface Info {
  dataId: object;
  shape: number[];
  dtype: string;
}
interface WasmBackend {
  disposeData(id: object): boolean;
}
type Kernel = (args: {
  inputs: Record<string, Info | undefined>;
  attrs?: Record<string, unknown>;
  backend: WasmBackend;
}) => Info;

const count = (t: Info): number => t.shape.reduce((a, b) => a * b, 1);

/**
 * Wraps the wasm matrix product so that it only ever sees untransposed operands. Two ways to
 * get there, the one moving fewer values wins: transpose the flagged operands, or compute
 * Cᵀ = op(B)ᵀ·op(A)ᵀ with the unflagged operands transposed and transpose the (often small)
 * result — for A·Bᵀ with a large B that avoids copying B.
 */
function transposeFree(original: Kernel, transpose: Kernel): Kernel {
  const swap = (x: Info, backend: WasmBackend): Info => {
    const r = x.shape.length;
    const perm = [...Array(r).keys()];
    perm[r - 2] = r - 1;
    perm[r - 1] = r - 2;
    return transpose({ inputs: { x }, attrs: { perm }, backend });
  };
  return (args) => {
    const { a, b } = args.inputs;
    const ta = Boolean(args.attrs?.transposeA), tb = Boolean(args.attrs?.transposeB);
    const plain = args.inputs.bias === undefined &&
      args.inputs.preluActivationWeights === undefined &&
      (args.attrs?.activation ?? "linear") === "linear";
    if (!a || !b || (!ta && !tb)) return original(args);
    const m = ta ? a.shape[a.shape.length - 1] : a.shape[a.shape.length - 2];
    const n = tb ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
    const batch = Math.max(
      count(a) / (a.shape[a.shape.length - 1] * a.shape[a.shape.length - 2]) || 1,
      count(b) / (b.shape[b.shape.length - 1] * b.shape[b.shape.length - 2]) || 1,
    );
    const direct = (ta ? count(a) : 0) + (tb ? count(b) : 0);
    const flipped = (ta ? 0 : count(a)) + (tb ? 0 : count(b)) + batch * m * n;
    const temps: Info[] = [];
    const t = (x: Info): Info => {
      const y = swap(x, args.backend);
      temps.push(y);
      return y;
    };
    let out: Info;
    if (plain && flipped < direct) {
      // Cᵀ = op(B)ᵀ · op(A)ᵀ, both untransposed after transposing the unflagged ones
      const ct = original({
        ...args,
        inputs: { ...args.inputs, a: tb ? b : t(b), b: ta ? a : t(a) },
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      });
      out = swap(ct, args.backend);
      args.backend.disposeData(ct.dataId);
    } else {
      out = original({
        ...args,
        inputs: { ...args.inputs, a: ta ? t(a) : a, b: tb ? t(b) : b },
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      });
    }
    for (const x of temps) args.backend.disposeData(x.dataId);
    return out;
  };
}

let matMulPatched = false;

/**
 * Selects the `wasm` backend (loading its binaries from the npm cache) and registers the
 * transpose-free matrix products. Returns `null` on success or the reason it failed.
 */
export async function startWasm(): Promise<string | null> {
  const dir = wasmDistDir();
  if (!dir) return `the ${PKG}@${VERSION} .wasm files are not in Deno's npm cache`;
  const map: Record<string, string> = {};
  for (const f of FILES) map[f] = `${dir}/${f}`;
  try {
    // Imported only here: the package registers a backend that outranks `cpu` as soon as it is
    // loaded, which would break tfjs code run before the engine starts.
    const { setWasmPaths } = await import("@tensorflow/tfjs-backend-wasm");
    setWasmPaths(map);
    if (!(await tf.setBackend("wasm"))) return "tfjs could not initialise the wasm backend";
    await tf.ready();
  } catch (e) {
    return `wasm backend failed: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (!matMulPatched) {
    const transpose = tf.getKernel("Transpose", "wasm")?.kernelFunc as unknown as Kernel;
    for (const name of ["BatchMatMul", "_FusedMatMul"]) {
      const k = tf.getKernel(name, "wasm");
      if (!k || !transpose) continue;
      const wrapped = transposeFree(k.kernelFunc as unknown as Kernel, transpose);
      tf.unregisterKernel(name, "wasm");
      // keep setupFunc/disposeFunc: they bind the backend's wasm exports
      tf.registerKernel({ ...k, kernelFunc: wrapped as unknown as tf.KernelFunc });
    }
    matMulPatched = true;
  }
  return null;
}
