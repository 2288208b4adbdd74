import * as tf from "@tensorflow/tfjs";
import { assertAlmostEquals, assertArrayClose, assertEquals, assertThrows } from "../assert.ts";
import { BatchNorm, InstanceNorm, TaskNormStates, withNormState } from "../../lib/nn/norm.ts";
import { Rng } from "../../lib/rng.ts";

Deno.test("BatchNorm (batch statistics): biased variance, eps 1e-5, affine γ/β", () => {
  const bn = new BatchNorm({ features: 2 });
  bn.gamma!.assign(tf.tensor1d([2, 1]));
  bn.beta!.assign(tf.tensor1d([0, 1]));
  const x = tf.tensor2d([[1, 10], [3, 10], [5, 13]]);
  const y = bn.apply(x, { training: false }).dataSync(); // no running stats: batch stats at test too
  const s0 = Math.sqrt(8 / 3 + 1e-5), s1 = Math.sqrt(2 + 1e-5);
  assertArrayClose(y, [2 * -2 / s0, 1 - 1 / s1, 0, 1 - 1 / s1, 2 * 2 / s0, 1 + 2 / s1], 1e-5);
  bn.dispose();
});

Deno.test("BatchNorm running statistics: unbiased update with momentum 0.1, used in eval mode", () => {
  const bn = new BatchNorm({ features: 1, affine: false, trackRunningStats: true });
  const x = tf.tensor2d([[1], [3]]);
  bn.apply(x, { training: true });
  assertAlmostEquals(bn.runningMean!.dataSync()[0], 0.9 * 0 + 0.1 * 2, 1e-6);
  assertAlmostEquals(bn.runningVar!.dataSync()[0], 0.9 * 1 + 0.1 * 2, 1e-6); // unbiased var of [1,3] = 2
  const y = bn.apply(tf.tensor2d([[0.2]]), { training: false }).dataSync()[0];
  assertAlmostEquals(y, (0.2 - 0.2) / Math.sqrt(1.1 + 1e-5), 1e-6);
  bn.dispose();
});

Deno.test("BatchNorm: γ U(0,1) init option and clear errors", () => {
  const bn = new BatchNorm({ features: 50, gammaInit: "uniform", rng: new Rng(2) });
  const g = bn.gamma!.dataSync();
  assertEquals(g.every((v) => v >= 0 && v < 1), true);
  assertThrows(() => new BatchNorm({ features: 3, gammaInit: "uniform" }), RangeError, "rng");
  assertThrows(() => bn.apply(tf.zeros([2, 3]), { training: true }), RangeError, "expected 50");
  bn.dispose();
});

Deno.test("TaskNormStates: snapshot at task end, load for evaluation, live state restored", () => {
  const bn = new BatchNorm({ features: 2, trackRunningStats: true });
  const store = new TaskNormStates();
  bn.beta!.assign(tf.tensor1d([1, 2]));
  store.save(0, [bn]);
  bn.beta!.assign(tf.tensor1d([5, 6]));
  bn.runningMean!.assign(tf.tensor1d([7, 7]));
  const seen = withNormState([bn], store.get(0), () => Array.from(bn.beta!.dataSync()));
  assertEquals(seen, [1, 2]);
  assertEquals(Array.from(bn.beta!.dataSync()), [5, 6]); // restored
  assertEquals(Array.from(bn.runningMean!.dataSync()), [7, 7]);
  store.load(0, [bn]);
  assertEquals(Array.from(bn.runningMean!.dataSync()), [0, 0]);
  const copy = TaskNormStates.fromJSON(store.toJSON());
  assertEquals(copy.tasks(), [0]);
  assertThrows(() => store.load(3, [bn]), RangeError, "task 3");
  bn.dispose();
});

Deno.test("InstanceNorm: per-example normalisation without parameters", () => {
  const inorm = new InstanceNorm();
  const y = inorm.apply(tf.tensor2d([[1, 2, 3], [10, 10, 16]]), { training: true }).dataSync();
  const s0 = Math.sqrt(2 / 3 + 1e-5), s1 = Math.sqrt(8 + 1e-5);
  assertArrayClose(y, [-1 / s0, 0, 1 / s0, -2 / s1, -2 / s1, 4 / s1], 1e-5);
  assertEquals(inorm.trainable().length, 0);
});
