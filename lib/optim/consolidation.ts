/**
 * Random consolidation (Laborieux et al. 2021, Table 1 control, `--rnd-consolidation`): EWC
 * whose importances are randomly permuted within each tensor before being stored — the same
 * total amount of consolidation, given to the wrong synapses. Only the shuffled importances are
 * stored (the reference appends the true Fisher as well unless a line is commented out by
 * hand; see `shared/papers/baselines_continual.md` §2).
 *
 * @example
 * ```ts
 * import { randomConsolidation } from "./consolidation.ts";
 * import { Rng } from "../rng.ts";
 * const pen = randomConsolidation({ lambda: 5000, rng: new Rng(0) });
 * const theta = [new Float32Array([1, -1, 1])];
 * const state = pen.init(theta);
 * pen.consolidate(state, theta, [new Float32Array([1, 0, 0])]); // one importance, random place
 * ```
 * @module
 */
import type { Rng } from "../rng.ts";
import { type Ewc, ewc, type EwcOptions } from "./ewc.ts";

/** Each buffer's values randomly permuted (new buffers; Fisher–Yates with `rng`). */
export function shuffleImportances(importances: readonly Float32Array[], rng: Rng): Float32Array[] {
  return importances.map((f) => rng.shuffle(new Float32Array(f)));
}

/** Options of {@linkcode randomConsolidation}: EWC's plus the random source of the shuffles. */
export interface RandomConsolidationOptions extends EwcOptions {
  /** Random source (consumed at each `consolidate`). */
  rng: Rng;
}

/** EWC with shuffled importances; see the module docs. */
export function randomConsolidation(options: RandomConsolidationOptions): Ewc {
  const base = ewc(options);
  return {
    ...base,
    name: "randomConsolidation",
    consolidate(state, anchor, fisher) {
      base.consolidate(state, anchor, shuffleImportances(fisher, options.rng));
    },
  };
}
