import { assert, assertAlmostEquals, assertThrows } from "../assert.ts";
import { aurocRank, aurocThresholds } from "../../lib/metrics/auroc.ts";
import { Rng } from "../../lib/rng.ts";

function bruteForce(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) s += b[j] > a[i] ? 1 : b[j] === a[i] ? 0.5 : 0;
  }
  return s / (a.length * b.length);
}

Deno.test("aurocRank: hand example and ties count one half", () => {
  assertAlmostEquals(aurocRank([0.1, 0.2, 0.3], [0.25, 0.9]), 5 / 6, 1e-12);
  assertAlmostEquals(aurocRank([1, 1], [1, 1]), 0.5, 1e-12);
  assertAlmostEquals(aurocRank([0, 1], [1, 2]), (1 + 1 + 0.5 + 1) / 4, 1e-12);
  assertAlmostEquals(aurocRank([5, 6], [1, 2]), 0, 1e-12);
});

Deno.test("aurocRank equals a brute-force pair count on random tied data", () => {
  const rng = new Rng(3);
  for (let rep = 0; rep < 5; rep++) {
    const a = Array.from({ length: 57 }, () => Math.round(rng.uniform() * 20) / 20);
    const b = Array.from({ length: 43 }, () => Math.round((rng.uniform() + 0.3) * 20) / 20);
    assertAlmostEquals(aurocRank(a, b), bruteForce(a, b), 1e-12);
  }
});

Deno.test("aurocThresholds approaches the rank statistic on continuous positive scores", () => {
  const rng = new Rng(7);
  const a = Float32Array.from({ length: 2000 }, () => Math.abs(rng.normal()));
  const b = Float32Array.from({ length: 2000 }, () => Math.abs(rng.normal()) + 0.8);
  const exact = aurocRank(a, b);
  const est = aurocThresholds(a, b);
  assert(exact > 0.7 && exact < 0.95, `exact ${exact}`);
  // The coded estimator misses only the part of the curve above the largest OOD score.
  assertAlmostEquals(est, exact, 5e-3);
  // BiMU variant: thresholds up to the max over both sets.
  assertAlmostEquals(aurocThresholds(a, b, { upper: "both" }), exact, 5e-3);
});

Deno.test("aurocThresholds: hand example with 3 thresholds", () => {
  // thresholds 0, 0.5, 1: TPR = 0, 1, 1; FPR = 0, 0, 0.5 → area = 0.5·(1 + 1)/2 = 0.5
  assertAlmostEquals(aurocThresholds([0.1, 0.2], [0.7, 1], { thresholds: 3 }), 0.5, 1e-12);
  // with many thresholds it tends to FPR ∈ [0, 0.5] under TPR = 1: still 0.5 (the last OOD score is
  // never strictly below the top threshold) while the exact statistic is 1.
  assertAlmostEquals(aurocThresholds([0.1, 0.2], [0.7, 1]), 0.5, 1e-12);
  assertAlmostEquals(aurocRank([0.1, 0.2], [0.7, 1]), 1, 1e-12);
});

Deno.test("auroc rejects empty and NaN input", () => {
  assertThrows(() => aurocRank([], [1]));
  assertThrows(() => aurocRank([NaN], [1]));
  assertThrows(() => aurocThresholds([1], [1], { thresholds: 1 }));
});
