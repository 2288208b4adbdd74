/**
 * CIFAR-10 from its binary release (`cifar-10-batches-bin`), which the user provides: the folder
 * comes from an explicit option or the `METAPLASTICITY_CIFAR10_DIR` environment variable.
 *
 * @example
 * ```ts ignore
 * import { cifar10Dir, loadCifar10Binary } from "./cifar10.ts";
 * const dir = cifar10Dir(""); // "" = METAPLASTICITY_CIFAR10_DIR
 * const data = dir ? await loadCifar10Binary(dir) : null; // null when the files are absent
 * ```
 * @module
 */
import type { Dataset, DatasetSplits } from "./datasets.ts";

/**
 * The CIFAR-10 folder: `dir` when non-empty, else `METAPLASTICITY_CIFAR10_DIR`, else `""` (also
 * when the environment cannot be read).
 */
export function cifar10Dir(dir: string = ""): string {
  if (dir) return dir;
  try {
    return Deno.env.get("METAPLASTICITY_CIFAR10_DIR") ?? "";
  } catch {
    return "";
  }
}

/**
 * Reads the CIFAR-10 binary release (`data_batch_1.bin` … `data_batch_5.bin`, `test_batch.bin`:
 * records of 1 label byte + 3072 channel-major pixel bytes) from `dir`, as NHWC in [0, 1],
 * then normalises each channel by the training mean and sd. Returns `null` when absent.
 */
export async function loadCifar10Binary(dir: string): Promise<DatasetSplits | null> {
  const read = async (name: string) => {
    try {
      return await Deno.readFile(`${dir}/${name}`);
    } catch {
      return null;
    }
  };
  const trainParts: Uint8Array[] = [];
  for (let b = 1; b <= 5; b++) {
    const f = await read(`data_batch_${b}.bin`);
    if (!f) return null;
    trainParts.push(f);
  }
  const testPart = await read("test_batch.bin");
  if (!testPart) return null;
  const decode = (parts: Uint8Array[], name: string): Dataset => {
    const rec = 3073;
    const n = parts.reduce((a, p) => a + p.length / rec, 0);
    if (!Number.isInteger(n)) {
      throw new RangeError(
        `${name}: file sizes are not multiples of 3073 bytes; not the CIFAR-10 binary release`,
      );
    }
    const x = new Float32Array(n * 3072), y = new Int32Array(n);
    let i = 0;
    for (const p of parts) {
      for (let o = 0; o < p.length; o += rec, i++) {
        y[i] = p[o];
        if (y[i] > 9) throw new RangeError(`${name}: label ${y[i]} > 9; not CIFAR-10`);
        for (let c = 0; c < 3; c++) {
          for (let k = 0; k < 1024; k++) x[i * 3072 + k * 3 + c] = p[o + 1 + c * 1024 + k] / 255;
        }
      }
    }
    return { name, x, y, n, dim: 3072, classes: 10 };
  };
  const train = decode(trainParts, "cifar10/train"), test = decode([testPart], "cifar10/test");
  for (let c = 0; c < 3; c++) {
    let m = 0, s = 0;
    for (let i = c; i < train.x.length; i += 3) m += train.x[i];
    m /= train.x.length / 3;
    for (let i = c; i < train.x.length; i += 3) s += (train.x[i] - m) ** 2;
    s = Math.sqrt(s / (train.x.length / 3));
    for (const ds of [train, test]) {
      for (let i = c; i < ds.x.length; i += 3) ds.x[i] = (ds.x[i] - m) / s;
    }
  }
  return { train, test };
}
