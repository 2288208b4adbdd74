/**
 * Fully online active querying by Monte-Carlo disagreement (BiMU, Cottart et al. 2026): the
 * variation-ratio score, the querying rule with its label/update counters, the online pass, and
 * class-imbalanced task streams (the substitute for imbalanced OpenLORIS-Object).
 *
 * @example
 * ```ts
 * import { ActiveQuerier, variationRatio } from "./mod.ts";
 * const vr = variationRatio(new Float32Array([1, 0, 0, 1]), { samples: 2, n: 1, classes: 2 }); // [0.5]
 * const q = new ActiveQuerier({ threshold: 0.5 });
 * q.decide(vr[0]); // true
 * ```
 * @module
 */
export * from "./variation_ratio.ts";
export * from "./querier.ts";
export * from "./loop.ts";
// Imbalanced streams live in lib/data (a dataset concern); re-exported so `./active` keeps them.
export {
  type ImbalancedStream,
  imbalancedTasks,
  type ImbalanceOptions,
} from "../data/imbalance.ts";
