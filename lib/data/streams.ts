/**
 * Continual-learning task streams built from a dataset: permuted, split (class- or
 * domain-incremental), dataset sequences, and boundary-free stream subsets.
 *
 * A {@linkcode TaskStream} builds each task on demand, so a 200-task permuted MNIST stream costs
 * one copy of MNIST plus the task being used.
 *
 * @example
 * ```ts ignore
 * import { loadMnist } from "./datasets.ts";
 * import { permutedTasks } from "./streams.ts";
 * const stream = permutedTasks(await loadMnist(), { tasks: 3, seed: 1 });
 * const task0 = stream.get(0); // first task, permuted too
 * ```
 * @module
 */
import type { Dataset, DatasetSplits } from "./datasets.ts";
import { Rng } from "../rng.ts";

/** One task of a stream. */
export interface Task {
  /** Position in the stream, from 0. */
  id: number;
  /** Name shown in tables, e.g. `"pMNIST-3"`. */
  name: string;
  /** Training split of the task. */
  train: Dataset;
  /** Test split of the task. */
  test: Dataset;
}

/** A finite sequence of tasks, built lazily. */
export interface TaskStream {
  /** Number of tasks. */
  length: number;
  /** Task names, in order. */
  names: string[];
  /** Builds task `i` (a fresh object on each call; callers cache what they reuse). */
  get(i: number): Task;
}

function checkIndex(i: number, length: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= length) {
    throw new RangeError(`task index ${i} is outside 0..${length - 1}`);
  }
}

/** Applies a feature permutation to every row of a dataset, returning a new dataset. */
export function permuteFeatures(ds: Dataset, perm: Int32Array, name: string): Dataset {
  if (perm.length !== ds.dim) {
    throw new RangeError(
      `permutation has ${perm.length} entries but the dataset has ${ds.dim} features`,
    );
  }
  const x = new Float32Array(ds.x.length);
  const d = ds.dim;
  for (let r = 0; r < ds.n; r++) {
    const o = r * d;
    for (let j = 0; j < d; j++) x[o + j] = ds.x[o + perm[j]];
  }
  return { ...ds, name, x };
}

/**
 * Rotates 28×28 images (784 features, e.g. MNIST) by 90° clockwise, a pixel permutation: the
 * named substitute for USPS in Laborieux 2021 Fig. 4c.
 */
export function rotate90(ds: Dataset, name: string): Dataset {
  const perm = new Int32Array(784);
  for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) perm[r * 28 + c] = (27 - c) * 28 + r;
  return permuteFeatures(ds, perm, name);
}

/** Options of {@linkcode permutedTasks}. */
export interface PermutedOptions {
  /** Number of tasks. */
  tasks: number;
  /** Seed of the permutations (task i's permutation depends only on seed and i). */
  seed: number;
  /** Name prefix (default `"p" + dataset`). */
  prefix?: string;
}

/**
 * Permuted tasks: one seeded pixel permutation per task, the first task permuted too (as in
 * Laborieux 2021 and MESU).
 */
export function permutedTasks(base: DatasetSplits, options: PermutedOptions): TaskStream {
  const { tasks, seed } = options;
  if (!(tasks >= 1)) throw new RangeError(`tasks must be >= 1, got ${tasks}`);
  const prefix = options.prefix ?? `p${base.train.name.split("/")[0].toUpperCase()}`;
  const names = Array.from({ length: tasks }, (_, i) => `${prefix}-${i + 1}`);
  const perms = new Map<number, Int32Array>();
  const permutation = (i: number): Int32Array => {
    let p = perms.get(i);
    if (!p) {
      p = new Rng(seed * 1000003 + i).permutation(base.train.dim);
      perms.set(i, p);
    }
    return p;
  };
  return {
    length: tasks,
    names,
    get(i: number): Task {
      checkIndex(i, tasks);
      const p = permutation(i);
      return {
        id: i,
        name: names[i],
        train: permuteFeatures(base.train, p, `${names[i]}/train`),
        test: permuteFeatures(base.test, p, `${names[i]}/test`),
      };
    },
  };
}

/** Keeps the examples of a dataset whose label is in `classes`, optionally relabelling them. */
export function filterClasses(
  ds: Dataset,
  classes: readonly number[],
  options: { relabel?: (label: number) => number; classes?: number; name?: string } = {},
): Dataset {
  const keep = new Set(classes);
  const idx: number[] = [];
  for (let i = 0; i < ds.n; i++) if (keep.has(ds.y[i])) idx.push(i);
  const sub = subset(ds, idx, options.name ?? ds.name);
  if (options.relabel) { for (let i = 0; i < sub.n; i++) sub.y[i] = options.relabel(sub.y[i]); }
  return { ...sub, classes: options.classes ?? ds.classes };
}

/** The rows `indices` of a dataset, copied. */
export function subset(ds: Dataset, indices: ArrayLike<number>, name: string = ds.name): Dataset {
  const n = indices.length, d = ds.dim;
  const x = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const i = indices[k];
    x.set(ds.x.subarray(i * d, (i + 1) * d), k * d);
    y[k] = ds.y[i];
  }
  return { ...ds, name, x, y, n };
}

/** Options of {@linkcode splitTasks}. */
export interface SplitOptions {
  /** Class groups, one per task (default the five digit pairs 0/1 … 8/9). */
  groups?: number[][];
  /**
   * `"class"`: one head over all classes (labels kept). `"domain"`: one head over the position of
   * the label inside its group (0/1 for pairs).
   */
  mode: "class" | "domain";
}

/** Split tasks (split MNIST / split Fashion-MNIST), class- or domain-incremental. */
export function splitTasks(base: DatasetSplits, options: SplitOptions): TaskStream {
  const groups = options.groups ?? [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]];
  const prefix = `split${base.train.name.split("/")[0].toUpperCase()}`;
  const names = groups.map((g) => `${prefix}-${g.join("/")}`);
  return {
    length: groups.length,
    names,
    get(i: number): Task {
      checkIndex(i, groups.length);
      const g = groups[i];
      const domain = options.mode === "domain";
      const opts = domain
        ? {
          relabel: (l: number) => g.indexOf(l),
          classes: Math.max(...groups.map((x) => x.length)),
        }
        : {};
      return {
        id: i,
        name: names[i],
        train: filterClasses(base.train, g, { ...opts, name: `${names[i]}/train` }),
        test: filterClasses(base.test, g, { ...opts, name: `${names[i]}/test` }),
      };
    },
  };
}

/** A sequence of whole datasets as tasks (e.g. MNIST → Fashion-MNIST → MNIST), shared head. */
export function datasetSequence(datasets: DatasetSplits[], names?: string[]): TaskStream {
  if (datasets.length === 0) throw new RangeError("datasetSequence needs at least one dataset");
  const dims = new Set(datasets.map((d) => d.train.dim));
  if (dims.size !== 1) {
    throw new RangeError(
      `datasets in a sequence must share one input size, got ${[...dims].join(", ")}`,
    );
  }
  const taskNames = names ?? datasets.map((d) => d.train.name.split("/")[0]);
  return {
    length: datasets.length,
    names: taskNames,
    get(i: number): Task {
      checkIndex(i, datasets.length);
      return { id: i, name: taskNames[i], train: datasets[i].train, test: datasets[i].test };
    },
  };
}

/**
 * Stream learning: the training set cut into `subsets` equal consecutive parts (after an optional
 * seeded shuffle), each to be presented once, in order, with no boundary given to the learner.
 */
export function streamSubsets(
  ds: Dataset,
  options: { subsets: number; seed?: number },
): Dataset[] {
  const { subsets } = options;
  if (!(subsets >= 1) || subsets > ds.n) {
    throw new RangeError(`subsets must be in 1..${ds.n}, got ${subsets}`);
  }
  const order = options.seed === undefined
    ? Int32Array.from({ length: ds.n }, (_, i) => i)
    : new Rng(options.seed).permutation(ds.n);
  const size = Math.floor(ds.n / subsets);
  return Array.from(
    { length: subsets },
    (_, s) =>
      subset(ds, order.subarray(s * size, (s + 1) * size), `${ds.name}[${s + 1}/${subsets}]`),
  );
}

/** Concatenates datasets of the same input size (e.g. for interleaved training). */
export function concatDatasets(parts: Dataset[], name: string): Dataset {
  if (parts.length === 0) throw new RangeError("concatDatasets needs at least one dataset");
  const dim = parts[0].dim;
  const n = parts.reduce((s, p) => s + p.n, 0);
  const x = new Float32Array(n * dim);
  const y = new Int32Array(n);
  let o = 0;
  for (const p of parts) {
    if (p.dim !== dim) {
      throw new RangeError(`cannot concatenate datasets of ${dim} and ${p.dim} features`);
    }
    x.set(p.x, o * dim);
    y.set(p.y, o);
    o += p.n;
  }
  return { name, x, y, n, dim, classes: Math.max(...parts.map((p) => p.classes)) };
}
