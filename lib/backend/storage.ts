/**
 * In-place access to the Float32Array behind a tfjs variable, so fused optimizer kernels can
 * update weights without allocating tensors.
 *
 * tfjs variables may share their buffer with the tensor they were created from (and `clone`,
 * `reshape` share buffers too; `tf.tensor(array)` keeps a reference to the caller's array), so
 * an access gives the variable a private copy whenever its buffer is not one this module
 * allocated or is referenced by another tensor.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { commitVariable, variableData } from "./storage.ts";
 * const v = tf.variable(tf.zeros([2]));
 * const w = variableData(v); // writable view (cpu backend) or a copy (other backends)
 * w[0] = 1;
 * commitVariable(v, w); // no-op on cpu, upload elsewhere
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";

interface CpuTensorInfo {
  values: Float32Array | null;
  refCount?: number;
}
interface CpuBackendLike {
  data: { get(id: object): CpuTensorInfo | undefined };
}

const owned = new WeakSet<object>();

function cpuBackend(): CpuBackendLike | null {
  const name = tf.getBackend();
  return name === "cpu" ? (tf.backend() as unknown as CpuBackendLike) : null;
}

/**
 * A writable Float32Array holding the variable's values. On the `cpu` backend it is the
 * variable's own storage (writes are seen by the next op); elsewhere it is a copy that
 * {@linkcode commitVariable} uploads.
 */
export function variableData(v: tf.Variable): Float32Array {
  if (v.dtype !== "float32") {
    throw new TypeError(`variable ${v.name} has dtype ${v.dtype}, expected float32`);
  }
  const backend = cpuBackend();
  if (!backend) return v.dataSync() as Float32Array;
  const current = backend.data.get(v.dataId);
  if (!owned.has(v.dataId) || (current?.refCount ?? 1) > 1) {
    // Give the variable a buffer nobody else references.
    const copy = tf.tensor(new Float32Array(v.dataSync() as Float32Array), v.shape, "float32");
    v.assign(copy);
    copy.dispose();
    owned.add(v.dataId);
  }
  const info = backend.data.get(v.dataId);
  if (!info || !info.values) throw new Error(`variable ${v.name} has no cpu storage`);
  return info.values;
}

/** Makes in-place writes visible: nothing to do on `cpu`, an upload on other backends. */
export function commitVariable(v: tf.Variable, data: Float32Array): void {
  if (cpuBackend()) {
    const info = (tf.backend() as unknown as CpuBackendLike).data.get(v.dataId);
    if (info?.values === data) return;
  }
  const t = tf.tensor(data, v.shape, "float32");
  v.assign(t);
  t.dispose();
}
