/**
 * Out-of-distribution detection scores: AUROC as the exact Mann–Whitney rank statistic and as the
 * 1000-threshold trapezoidal estimator coded by the MESU and BiMU papers.
 *
 * Convention for both: a **higher score means "more likely out-of-distribution"** (an entropy or an
 * epistemic uncertainty), so AUROC = P(score_out > score_in), 1 for a perfect detector and 0.5 for
 * chance.
 *
 * @example
 * ```ts
 * import { aurocRank, aurocThresholds } from "./auroc.ts";
 * const inScores = [0.1, 0.2, 0.3], outScores = [0.25, 0.9];
 * aurocRank(inScores, outScores); // 5/6 ≈ 0.833
 * aurocThresholds(inScores, outScores); // ≈ 0.83 (papers' estimator)
 * ```
 * @module
 */

function checkScores(name: string, scores: ArrayLike<number>): void {
  if (scores.length === 0) throw new RangeError(`${name} is empty: AUROC needs at least one score`);
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i])) {
      throw new RangeError(`${name}[${i}] is NaN: check the uncertainty computation upstream`);
    }
  }
}

/**
 * Exact AUROC (Mann–Whitney U / (n_in · n_out)): the probability that a random OOD score exceeds a
 * random in-distribution score, ties counted ½. Computed with mid-ranks in O(n log n).
 *
 * @param inScores scores of in-distribution inputs (e.g. epistemic uncertainty in bits).
 * @param outScores scores of out-of-distribution inputs.
 * @returns AUROC in [0, 1].
 */
export function aurocRank(inScores: ArrayLike<number>, outScores: ArrayLike<number>): number {
  checkScores("inScores", inScores);
  checkScores("outScores", outScores);
  const nIn = inScores.length, nOut = outScores.length, n = nIn + nOut;
  const values = new Float64Array(n);
  for (let i = 0; i < nIn; i++) values[i] = inScores[i];
  for (let i = 0; i < nOut; i++) values[nIn + i] = outScores[i];
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  // Sum of mid-ranks (1-based) of the OOD scores.
  let rankSumOut = 0;
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && values[order[end]] === values[order[start]]) end++;
    const midRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) if (order[k] >= nIn) rankSumOut += midRank;
    start = end;
  }
  const u = rankSumOut - nOut * (nOut + 1) / 2;
  return u / (nIn * nOut);
}

/** Options of {@linkcode aurocThresholds}. */
export interface AurocThresholdOptions {
  /** Number of thresholds, evenly spaced from 0 (default 1000, as coded by the papers). */
  thresholds?: number;
  /**
   * Upper end of the thresholds: `"out"` = max of the OOD scores (MESU code, default), `"both"` =
   * max over both sets (BiMU code).
   */
  upper?: "out" | "both";
}

/** Number of values of a sorted array strictly below `t` (binary search). */
function countBelow(sorted: Float64Array, t: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The papers' AUROC estimator (MESU `compute_roc_auc`): thresholds t evenly spaced from 0 to
 * max(outScores); TPR(t) = P(in < t), FPR(t) = P(out < t); trapezoidal integral of TPR over FPR.
 *
 * As coded, the curve need not reach (1, 1) (the largest OOD score is never strictly below the last
 * threshold) and scores below 0 are never counted, so it can differ slightly from
 * {@linkcode aurocRank}; when every OOD score is ≤ 0 all thresholds are 0 and the estimate is 0.
 *
 * @param inScores scores of in-distribution inputs.
 * @param outScores scores of out-of-distribution inputs.
 * @param options number of thresholds and the upper end.
 * @returns the estimated AUROC.
 */
export function aurocThresholds(
  inScores: ArrayLike<number>,
  outScores: ArrayLike<number>,
  options: AurocThresholdOptions = {},
): number {
  checkScores("inScores", inScores);
  checkScores("outScores", outScores);
  const count = options.thresholds ?? 1000;
  if (!Number.isInteger(count) || count < 2) {
    throw new RangeError(`thresholds must be an integer >= 2, got ${count}`);
  }
  const sIn = Float64Array.from(inScores).sort();
  const sOut = Float64Array.from(outScores).sort();
  let top = sOut[sOut.length - 1];
  if (options.upper === "both") top = Math.max(top, sIn[sIn.length - 1]);
  else if (options.upper !== undefined && options.upper !== "out") {
    throw new RangeError(`upper must be "out" or "both", got ${JSON.stringify(options.upper)}`);
  }
  let auc = 0, prevTpr = 0, prevFpr = 0;
  for (let i = 0; i < count; i++) {
    const t = (top * i) / (count - 1); // numpy linspace(0, top, count)
    const tpr = countBelow(sIn, t) / sIn.length;
    const fpr = countBelow(sOut, t) / sOut.length;
    if (i > 0) auc += (fpr - prevFpr) * (tpr + prevTpr) / 2;
    prevTpr = tpr;
    prevFpr = fpr;
  }
  return auc;
}
