import { accuracy, AccuracyMatrix, argmaxRows, mean, std } from "../../lib/metrics/continual.ts";
import { assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";

Deno.test("AccuracyMatrix summaries", () => {
  const a = new AccuracyMatrix(3);
  a.set(0, 0, 0.9);
  a.set(1, 0, 0.7);
  a.set(1, 1, 0.8);
  a.set(2, 0, 0.5);
  a.set(2, 1, 0.6);
  a.set(2, 2, 0.95);
  assertEquals(a.justLearned(), [0.9, 0.8, 0.95]);
  assertEquals(a.final(), [0.5, 0.6, 0.95]);
  assertAlmostEquals(a.lastKMean(2), 0.775);
  assertAlmostEquals(a.backwardTransfer(), ((0.5 - 0.9) + (0.6 - 0.8)) / 2);
  assertEquals(a.toRows().length, 6);
  assertThrows(() => a.set(3, 0, 0.5), RangeError);
  assertThrows(() => a.set(0, 0, 1.5), RangeError);
});

Deno.test("accuracy, argmax, mean, std", () => {
  assertEquals(Array.from(argmaxRows(new Float32Array([0, 2, 1, 5, 0, 0]), 3)), [1, 0]);
  assertAlmostEquals(accuracy([1, 2, 3], [1, 0, 3]), 2 / 3);
  assertThrows(() => accuracy([1], [1, 2]), RangeError);
  assertAlmostEquals(mean([1, 2, NaN, 3]), 2);
  assertAlmostEquals(std([1, 2, 3]), 1);
});
