/**
 * Class-imbalanced task streams, the substitute for BiMU's imbalanced OpenLORIS-Object protocol
 * (datasets.md §6): within each task, a random subset of classes loses 50–80 % of its training
 * samples; the test sets stay balanced.
 *
 * The order of the remaining training samples is kept (streams are not shuffled in the MESU/BiMU
 * protocol). Which classes are rare, and how much of each is removed, depends only on the seed and
 * the task index.
 *
 * @example
 * ```ts ignore
 * import { loadMnist, permutedTasks } from "./mod.ts";
 * import { imbalancedTasks } from "./imbalance.ts";
 * const stream = imbalancedTasks(permutedTasks(await loadMnist(), { tasks: 4, seed: 0 }), { seed: 1 });
 * stream.rareClasses(0); // e.g. [1, 4, 6, 7, 9]
 * ```
 * @module
 */
import type { Task, TaskStream } from "./streams.ts";
import { subset } from "./streams.ts";
import { Rng } from "../rng.ts";

/** Options of {@linkcode imbalancedTasks}. */
export interface ImbalanceOptions {
  /** Seed of the rare-class draws. */
  seed: number;
  /** Share of the classes made rare in each task (default 0.5). */
  rareFraction?: number;
  /** Smallest share of a rare class's training samples removed (default 0.5). */
  removeMin?: number;
  /** Largest share removed (default 0.8). */
  removeMax?: number;
  /** Number of classes of the tasks (default 10); checked against each task. */
  classes?: number;
}

/** A task stream whose training sets are class-imbalanced. */
export interface ImbalancedStream extends TaskStream {
  /** The rare classes of task `i`, sorted. */
  rareClasses(i: number): number[];
  /** The share of training samples removed from each class of task `i` (0 for frequent ones). */
  removedShare(i: number): number[];
}

/** Wraps a stream so that each task's training set is class-imbalanced (test sets untouched). */
export function imbalancedTasks(stream: TaskStream, options: ImbalanceOptions): ImbalancedStream {
  const rareFraction = options.rareFraction ?? 0.5;
  const lo = options.removeMin ?? 0.5, hi = options.removeMax ?? 0.8;
  if (!(rareFraction >= 0 && rareFraction <= 1)) {
    throw new RangeError(`rareFraction must be in [0, 1], got ${rareFraction}`);
  }
  if (!(lo >= 0 && hi <= 1 && lo <= hi)) {
    throw new RangeError(`need 0 <= removeMin <= removeMax <= 1, got ${lo} and ${hi}`);
  }
  const classes = options.classes ?? 10;
  if (!(Number.isInteger(classes) && classes >= 1)) {
    throw new RangeError(`classes must be a positive integer, got ${classes}`);
  }
  const shares = new Map<number, number[]>();
  const plan = (i: number): number[] => {
    if (!Number.isInteger(i) || i < 0 || i >= stream.length) {
      throw new RangeError(`task index ${i} is outside 0..${stream.length - 1}`);
    }
    let share = shares.get(i);
    if (!share) {
      const rng = new Rng(options.seed * 1000003 + 7919 * i + 17);
      const order = rng.permutation(classes);
      const nRare = Math.round(rareFraction * classes);
      share = new Array(classes).fill(0);
      for (let r = 0; r < nRare; r++) share[order[r]] = lo + (hi - lo) * rng.uniform();
      shares.set(i, share);
    }
    return share;
  };
  return {
    length: stream.length,
    names: stream.names.map((n) => `${n}-imb`),
    rareClasses(i: number): number[] {
      return plan(i).flatMap((s, c) => (s > 0 ? [c] : []));
    },
    removedShare(i: number): number[] {
      return plan(i).slice();
    },
    get(i: number): Task {
      const share = plan(i);
      const t = stream.get(i);
      if (t.train.classes !== classes) {
        throw new RangeError(
          `task ${i} has ${t.train.classes} classes but imbalancedTasks was told ${classes} (options.classes)`,
        );
      }
      // a fresh generator per call, so get(i) is identical every time
      const rng = new Rng(options.seed * 1000003 + 7919 * i + 29);
      const byClass: number[][] = Array.from({ length: t.train.classes }, () => []);
      for (let r = 0; r < t.train.n; r++) byClass[t.train.y[r]].push(r);
      const drop = new Uint8Array(t.train.n);
      byClass.forEach((rows, c) => {
        const k = Math.round(share[c] * rows.length);
        if (k === 0) return;
        const perm = rng.permutation(rows.length);
        for (let j = 0; j < k; j++) drop[rows[perm[j]]] = 1;
      });
      const keep: number[] = [];
      for (let r = 0; r < t.train.n; r++) if (!drop[r]) keep.push(r);
      const name = `${stream.names[i]}-imb`;
      return { id: i, name, train: subset(t.train, keep, `${name}/train`), test: t.test };
    },
  };
}
