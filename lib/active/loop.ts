/**
 * The fully online, buffer-free active-learning pass of BiMU (Cottart et al. 2026): samples arrive
 * one by one; the learner's K sampled networks score each one (variation ratio, or an entropy);
 * the {@linkcode ActiveQuerier} decides whether its label is requested; only then is an update made.
 *
 * A learner is anything that can give K Monte-Carlo probability vectors and take an update, so
 * the same pass serves binary Bayesian (BiMU, BayesBiNN) and Gaussian (MESU) networks;
 * {@linkcode bernoulliActiveLearner} adapts a BiMU / BayesBiNN `BernoulliLearner`.
 *
 * @example
 * ```ts
 * import { activePass, bernoulliActiveLearner } from "./loop.ts";
 * import { ActiveQuerier } from "./querier.ts";
 * import { BernoulliLearner } from "../nn/bernoulli_learner.ts";
 * import { Rng } from "../rng.ts";
 * const learner = new BernoulliLearner({ method: "bimu", sizes: [2, 4, 3], rng: new Rng(0) });
 * const active = bernoulliActiveLearner(learner, { rng: new Rng(1) });
 * const data = { name: "toy", x: new Float32Array([1, 0, 0, 1]), y: new Int32Array([0, 1]), n: 2, dim: 2, classes: 3 };
 * const counts = activePass(active, data, { querier: new ActiveQuerier({ threshold: 0.5 }) });
 * ```
 * @module
 */
import type { Dataset } from "../data/datasets.ts";
import { predictiveUncertainty, softmaxRows } from "../metrics/uncertainty.ts";
import type { BernoulliLearner } from "../nn/bernoulli_learner.ts";
import type { Progress } from "../runner/progress.ts";
import type { Rng } from "../rng.ts";
import type { ActiveQuerier, QueryCounts } from "./querier.ts";
import { variationRatio, variationRatioWithLabel } from "./variation_ratio.ts";

/** What an active-learning pass needs from a model. */
export interface ActiveLearner {
  /** Number of classes. */
  classes: number;
  /** Monte-Carlo samples K used for scoring. */
  querySamples: number;
  /** Class probabilities of K sampled networks for `n` inputs, `K × n × classes`. */
  sampleProbs(x: Float32Array, n: number): Float32Array;
  /** One update on labelled rows; may return false when the optimizer skipped it (zero gradient). */
  update(x: Float32Array, y: Int32Array): boolean | void;
}

/**
 * Uncertainty score deciding the query: `"variation-ratio"` (main), `"epistemic"`, `"aleatoric"`,
 * `"predictive"` (entropies in bits), `"vr-true"` (oracle), or `"none"` (no scoring forward: for
 * random querying or querying everything with threshold 0).
 */
export type QueryScore =
  | "variation-ratio"
  | "epistemic"
  | "aleatoric"
  | "predictive"
  | "vr-true"
  | "none";

/** Options of {@linkcode activePass}. */
export interface ActivePassOptions {
  /** The querying rule (its counters accumulate across passes). */
  querier: ActiveQuerier;
  /** Score used by the querier (default `"variation-ratio"`). */
  score?: QueryScore;
  /** Progress line, ticked once per sample. */
  progress?: Progress;
}

/** The score of one input from its K probability vectors. */
export function queryScore(
  probs: Float32Array,
  label: number,
  options: { score: QueryScore; samples: number; classes: number },
): number {
  const shape = { samples: options.samples, n: 1, classes: options.classes };
  switch (options.score) {
    case "variation-ratio":
      return variationRatio(probs, shape)[0];
    case "vr-true":
      return variationRatioWithLabel(probs, [label], shape)[0];
    case "epistemic":
      return predictiveUncertainty(probs, shape).epistemic[0];
    case "aleatoric":
      return predictiveUncertainty(probs, shape).aleatoric[0];
    case "predictive":
      return predictiveUncertainty(probs, shape).total[0];
    case "none":
      return 0;
    default:
      throw new RangeError(`unknown query score ${JSON.stringify(options.score)}`);
  }
}

/**
 * Presents `data` once, in order, sample by sample (batch 1): score, query, update when queried.
 * Returns the querier's counts after the pass.
 */
export function activePass(
  learner: ActiveLearner,
  data: Dataset,
  options: ActivePassOptions,
): QueryCounts {
  const score = options.score ?? "variation-ratio";
  const q = options.querier;
  if (score === "none" && !q.random && q.threshold > 0) {
    throw new RangeError('score "none" needs random querying or threshold <= 0 (query everything)');
  }
  if (data.classes !== learner.classes) {
    throw new RangeError(`data has ${data.classes} classes, the learner ${learner.classes}`);
  }
  const d = data.dim;
  const y1 = new Int32Array(1);
  for (let i = 0; i < data.n; i++) {
    const x = data.x.subarray(i * d, (i + 1) * d);
    const s = score === "none" || q.random ? 0 : queryScore(learner.sampleProbs(x, 1), data.y[i], {
      score,
      samples: learner.querySamples,
      classes: learner.classes,
    });
    if (q.decide(s)) {
      y1[0] = data.y[i];
      if (learner.update(x, y1) !== false) q.recordUpdate();
    }
    options.progress?.tick();
  }
  return q.counts();
}

/** Options of {@linkcode bernoulliActiveLearner}. */
export interface BernoulliActiveOptions {
  /** Generator of the hard weight samples used for scoring. */
  rng: Rng;
  /** Hard samples for scoring (default 10, the paper's K). */
  querySamples?: number;
}

/** Adapts a BiMU / BayesBiNN {@linkcode BernoulliLearner} to {@linkcode ActiveLearner}. */
export function bernoulliActiveLearner(
  learner: BernoulliLearner,
  options: BernoulliActiveOptions,
): ActiveLearner {
  const net = learner.net;
  const K = options.querySamples ?? 10;
  return {
    classes: net.classes,
    querySamples: K,
    sampleProbs(x, n) {
      if (x.length !== n * net.sizes[0]) {
        throw new RangeError(
          `sampleProbs: ${x.length} values are not ${n} rows of ${net.sizes[0]}`,
        );
      }
      return softmaxRows(net.forward(x, { samples: K, rng: options.rng }), net.classes);
    },
    update(x, y) {
      const before = learner.steps;
      learner.step(x, y);
      return learner.steps > before;
    },
  };
}
