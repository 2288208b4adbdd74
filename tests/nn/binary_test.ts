import * as tf from "@tensorflow/tfjs";
import { assertEquals, assertThrows } from "../assert.ts";
import { binarizeWeights, signOf, signSte } from "../../lib/nn/binary.ts";

Deno.test("signSte: sign forward, gradient mask |z| <= 1 (boundary included)", () => {
  const z = tf.tensor1d([-2, -1, -0.5, 0, 0.5, 1, 1.0001, 3]);
  assertEquals(Array.from(signSte(z).dataSync()), [-1, -1, -1, 0, 1, 1, 1, 1]);
  const dy = tf.tensor1d([1, 2, 3, 4, 5, 6, 7, 8]);
  const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(signSte(x), dy)))(z);
  assertEquals(Array.from(g.dataSync()), [0, 2, 3, 4, 5, 6, 0, 0]);
  tf.dispose([z, dy, g]);
});

Deno.test("binarizeWeights: sign forward, identity gradient (never clipped)", () => {
  const w = tf.tensor1d([-5, -0.01, 0.3, 7]);
  assertEquals(Array.from(binarizeWeights(w).dataSync()), [-1, -1, 1, 1]);
  const dy = tf.tensor1d([1, -2, 3, -4]);
  const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(binarizeWeights(x), dy)))(w);
  assertEquals(Array.from(g.dataSync()), [1, -2, 3, -4]); // also at |w| > 1
  tf.dispose([w, dy, g]);
});

Deno.test("signOf: +1/-1/0 and a clear length error", () => {
  assertEquals(Array.from(signOf(new Float32Array([-0.2, 0, 3]))), [-1, 0, 1]);
  assertThrows(() => signOf(new Float32Array(2), new Float32Array(3)), RangeError, "output");
});
