/**
 * Memory-rigidity resilience of the MESU papers: 1/|a[T][T] − a[1][1]|, the inverse change between
 * the accuracy on the first task right after learning it and the accuracy on the last task right
 * after learning it (accuracies as fractions). Large when plasticity does not fade over the stream.
 *
 * @example
 * ```ts
 * import { AccuracyMatrix } from "./continual.ts";
 * import { memoryRigidityResilience } from "./resilience.ts";
 * const a = new AccuracyMatrix(2);
 * a.set(0, 0, 0.95); a.set(1, 1, 0.90);
 * memoryRigidityResilience(a); // 1 / 0.05 = 20
 * ```
 * @module
 */
import type { AccuracyMatrix } from "./continual.ts";

/**
 * Memory-rigidity resilience 1/|a[T][T] − a[1][1]|.
 *
 * @param accuracies an {@linkcode AccuracyMatrix} (its diagonal is used) or the list of accuracies
 * right after learning each task, as fractions in [0, 1].
 * @returns the resilience; `Infinity` when the first and last values are equal.
 */
export function memoryRigidityResilience(accuracies: AccuracyMatrix | readonly number[]): number {
  const diag = Array.isArray(accuracies)
    ? accuracies as readonly number[]
    : (accuracies as AccuracyMatrix).justLearned();
  if (diag.length < 2) {
    throw new RangeError(`resilience needs at least 2 tasks, got ${diag.length}`);
  }
  const first = diag[0], last = diag[diag.length - 1];
  for (const [name, v] of [["first", first], ["last", last]] as const) {
    if (!(v >= 0 && v <= 1)) {
      throw new RangeError(
        `the ${name} just-learned accuracy must be a fraction in [0, 1], got ${v} ` +
          "(was the task evaluated? are accuracies in percent?)",
      );
    }
  }
  return 1 / Math.abs(last - first);
}
