/**
 * USPS handwritten digits from the LIBSVM text files, padded to MNIST's 28×28 (the second domain of
 * Laborieux 2021 Fig. 4c–d). USPS is not shipped: the user provides the files.
 *
 * @example
 * ```ts ignore
 * import { loadUsps } from "./usps.ts";
 * const { train, test } = await loadUsps("/data/usps"); // holds usps and usps.t
 * console.log(train.n, train.dim); // 7291 784
 * ```
 * @module
 */
import type { Dataset, DatasetSplits } from "./datasets.ts";

/**
 * Loads USPS from LIBSVM text files `usps` (7291 training images) and `usps.t` (2007 test
 * images) in `dir` (the files of the LIBSVM data page, decompressed with `bunzip2`): labels
 * 1–10 become 0–9, values in [−1, 1] are mapped to [0, 1], and the 16×16 images are zero-padded
 * by 6 pixels to 28×28 (the reference's `Pad(6)`).
 */
export async function loadUsps(dir: string): Promise<DatasetSplits> {
  const read = async (file: string): Promise<Dataset> => {
    let text: string;
    try {
      text = await Deno.readTextFile(`${dir}/${file}`);
    } catch (e) {
      throw new Error(
        `USPS file ${dir}/${file} could not be read (${
          (e as Error).message
        }). Download usps.bz2 and usps.t.bz2 from ` +
          `the LIBSVM datasets page (multiclass), decompress them with bunzip2 and pass their folder as uspsDir.`,
      );
    }
    const lines = text.split("\n").filter((l) => l.trim());
    const n = lines.length;
    const x = new Float32Array(n * 784), y = new Int32Array(n);
    lines.forEach((line, r) => {
      const [label, ...feats] = line.trim().split(/\s+/);
      const lab = Math.round(Number(label)) - 1;
      if (!(lab >= 0 && lab <= 9)) {
        throw new Error(`USPS ${file} line ${r + 1}: label ${label} is not in 1..10`);
      }
      y[r] = lab;
      for (const f of feats) {
        const [k, v] = f.split(":");
        const idx = Number(k) - 1;
        if (!(idx >= 0 && idx < 256)) {
          throw new Error(`USPS ${file} line ${r + 1}: feature index ${k} outside 1..256`);
        }
        const row = Math.floor(idx / 16) + 6, col = (idx % 16) + 6;
        x[r * 784 + row * 28 + col] = (Number(v) + 1) / 2;
      }
    });
    return { name: `usps/${file === "usps" ? "train" : "test"}`, x, y, n, dim: 784, classes: 10 };
  };
  return { train: await read("usps"), test: await read("usps.t") };
}
