/**
 * Precomputed feature vectors (e.g. CIFAR ResNet-18 features for Laborieux 2021 Fig. 4e–h) read
 * from raw binary files the user provides, standardised per vector as the reference does.
 *
 * @example
 * ```ts ignore
 * import { loadFeatureSplits } from "./features.ts";
 * const f = await loadFeatureSplits("/data/cifar10-features", "cifar10-features");
 * console.log(f.train.dim); // 512
 * ```
 * @module
 */
import type { Dataset, DatasetSplits } from "./datasets.ts";
import { mean } from "../metrics/continual.ts";

/**
 * Loads precomputed feature vectors from `dir`: `train_x.f32`, `test_x.f32` (raw little-endian
 * float32, n × dim row-major), `train_y.i32`, `test_y.i32` (int32 labels) and `meta.json`
 * (`{"dim": 512, "classes": 10}`). Produce them from the reference's ResNet-18 pipeline
 * (`CIFAR-features/generate_cifar_features.ipynb`) by saving the tensors' raw bytes.
 */
export async function loadFeatureSplits(dir: string, name: string): Promise<DatasetSplits> {
  let meta: { dim: number; classes: number };
  try {
    meta = JSON.parse(await Deno.readTextFile(`${dir}/meta.json`));
  } catch (e) {
    throw new Error(
      `feature folder ${dir}: cannot read meta.json (${
        (e as Error).message
      }); it must hold {"dim": D, "classes": C}`,
    );
  }
  const split = async (s: "train" | "test"): Promise<Dataset> => {
    const xb = await Deno.readFile(`${dir}/${s}_x.f32`),
      yb = await Deno.readFile(`${dir}/${s}_y.i32`);
    const x = new Float32Array(xb.buffer.slice(xb.byteOffset, xb.byteOffset + xb.byteLength));
    const y = new Int32Array(yb.buffer.slice(yb.byteOffset, yb.byteOffset + yb.byteLength));
    if (x.length !== y.length * meta.dim) {
      throw new Error(
        `${dir}/${s}_x.f32 has ${x.length} floats, expected ${y.length} × ${meta.dim}`,
      );
    }
    // The reference's "mean_over_pixels": (x − mean_i)/var_i per vector (variance, not std).
    for (let i = 0; i < y.length; i++) {
      const row = x.subarray(i * meta.dim, (i + 1) * meta.dim);
      const m = mean(Array.from(row));
      let v = 0;
      for (const a of row) v += (a - m) ** 2;
      v /= meta.dim;
      for (let j = 0; j < row.length; j++) row[j] = (row[j] - m) / (v || 1);
    }
    return { name: `${name}/${s}`, x, y, n: y.length, dim: meta.dim, classes: meta.classes };
  };
  return { train: await split("train"), test: await split("test") };
}
