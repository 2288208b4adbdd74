/**
 * Continual-learning metrics computed in one place: the accuracy matrix `a[i][j]` (accuracy on
 * task j after training on task i), accuracy right after learning each task, final accuracy,
 * last-k mean and backward transfer.
 *
 * @example
 * ```ts
 * import { AccuracyMatrix } from "./continual.ts";
 * const a = new AccuracyMatrix(2);
 * a.set(0, 0, 0.98);
 * a.set(1, 0, 0.60); a.set(1, 1, 0.97);
 * a.backwardTransfer(); // -0.38
 * ```
 * @module
 */

/** Accuracy matrix of a run over `tasks` tasks; unevaluated cells are `NaN`. */
export class AccuracyMatrix {
  /** `values[i][j]`: accuracy on task j after training on task i. */
  readonly values: number[][];

  /** An empty matrix for `tasks` tasks. */
  constructor(readonly tasks: number) {
    if (!(tasks >= 1)) throw new RangeError(`tasks must be >= 1, got ${tasks}`);
    this.values = Array.from({ length: tasks }, () => new Array(tasks).fill(NaN));
  }

  /** Records the accuracy on task `j` after training task `i`. */
  set(i: number, j: number, accuracy: number): void {
    if (!(i >= 0 && i < this.tasks && j >= 0 && j < this.tasks)) {
      throw new RangeError(`cell (${i}, ${j}) is outside a ${this.tasks}-task matrix`);
    }
    if (!(accuracy >= 0 && accuracy <= 1)) {
      throw new RangeError(`accuracy must be in [0, 1], got ${accuracy}`);
    }
    this.values[i][j] = accuracy;
  }

  /** Accuracy on each task right after learning it (the diagonal). */
  justLearned(): number[] {
    return this.values.map((row, i) => row[i]);
  }

  /** Accuracy on each task after the last task (the final row). */
  final(): number[] {
    return this.values[this.tasks - 1].slice();
  }

  /** Mean final accuracy over the last `k` tasks (the papers' "last-5"). */
  lastKMean(k: number): number {
    const f = this.final().slice(-k);
    return mean(f);
  }

  /** Mean final accuracy over all tasks. */
  averageFinal(): number {
    return mean(this.final());
  }

  /** Backward transfer: mean over j < T−1 of a[T−1][j] − a[j][j] (Lopez-Paz & Ranzato 2017). */
  backwardTransfer(): number {
    const T = this.tasks;
    if (T < 2) return 0;
    let s = 0;
    for (let j = 0; j < T - 1; j++) s += this.values[T - 1][j] - this.values[j][j];
    return s / (T - 1);
  }

  /** The matrix as long-format rows for a result table. */
  toRows(
    names?: string[],
  ): { after: string; task: string; i: number; j: number; accuracy: number }[] {
    const rows = [];
    for (let i = 0; i < this.tasks; i++) {
      for (let j = 0; j < this.tasks; j++) {
        const v = this.values[i][j];
        if (Number.isNaN(v)) continue;
        rows.push({ after: names?.[i] ?? `${i}`, task: names?.[j] ?? `${j}`, i, j, accuracy: v });
      }
    }
    return rows;
  }
}

/** Mean of the finite values (NaN when there are none). */
export function mean(values: readonly number[]): number {
  const f = values.filter(Number.isFinite);
  return f.length ? f.reduce((a, b) => a + b, 0) / f.length : NaN;
}

/** Sample standard deviation of the finite values (0 for a single value). */
export function std(values: readonly number[]): number {
  const f = values.filter(Number.isFinite);
  if (f.length < 2) return 0;
  const m = mean(f);
  return Math.sqrt(f.reduce((a, b) => a + (b - m) ** 2, 0) / (f.length - 1));
}

/** Fraction of `predicted[i] === labels[i]`. */
export function accuracy(predicted: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (predicted.length !== labels.length) {
    throw new RangeError(`${predicted.length} predictions for ${labels.length} labels`);
  }
  if (labels.length === 0) throw new RangeError("accuracy of an empty set is undefined");
  let c = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) c++;
  return c / labels.length;
}

/** Row-wise argmax of an `n × k` row-major matrix. */
export function argmaxRows(scores: Float32Array, k: number): Int32Array {
  const n = scores.length / k;
  if (!Number.isInteger(n)) {
    throw new RangeError(`${scores.length} scores do not split into rows of ${k}`);
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0, bv = scores[i * k];
    for (let j = 1; j < k; j++) {
      const v = scores[i * k + j];
      if (v > bv) {
        bv = v;
        best = j;
      }
    }
    out[i] = best;
  }
  return out;
}
