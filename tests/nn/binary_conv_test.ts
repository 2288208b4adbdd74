import * as tf from "@tensorflow/tfjs";
import { assert, assertArrayClose, assertEquals } from "../assert.ts";
import { avgPool2x2, BinaryConv2d, conv2dFast, convBnnUsps } from "../../lib/nn/binary_conv.ts";
import { disposeModel } from "../../lib/nn/model.ts";
import { Rng } from "../../lib/rng.ts";

Deno.test("BinaryConv2d: convolves sign(input) with sign(W_h); gradient reaches W_h", () => {
  const cv = new BinaryConv2d({ inChannels: 1, outChannels: 1, kernel: 2, rng: new Rng(0) });
  cv.hidden.assign(tf.tensor4d([0.1, -0.2, 0.3, 4], [2, 2, 1, 1]));
  const x = tf.tensor4d([0.5, 0, 0.2, 0.9], [1, 2, 2, 1]); // sign → [1, 0, 1, 1]
  assertArrayClose(cv.apply(x).dataSync(), [1 - 0 + 1 + 1], 1e-6);
  const { grads } = tf.variableGrads(() => tf.sum(cv.apply(x)), [cv.hidden]);
  assertArrayClose(grads[cv.hidden.name].dataSync(), [1, 0, 1, 1], 1e-6); // = sign(x)
  tf.dispose([x, ...Object.values(grads)]);
  cv.hidden.dispose();
});

Deno.test("convBnnUsps 1-12-20-30, kernel 4, padding 1: 28 → 13 → 6 → 2, then FC 120 → 10", () => {
  const net = convBnnUsps({ channels: [1, 12, 20, 30], rng: new Rng(1) });
  assertEquals(net.fc.inFeatures, 2 * 2 * 30);
  assertEquals(net.params.length, 4); // bnl = false: no BN parameters
  const x = tf.relu(tf.randomUniform([4, 784], -1, 1, "float32", 3)); // sign → 0/1 images
  const y = tf.tensor1d([0, 1, 2, 3], "int32");
  assertEquals(net.logits(x, { training: false }).shape, [4, 10]);
  const vars = net.params.map((p) => p.variable);
  const { grads } = tf.variableGrads(() => {
    const l = net.logits(x, { training: true });
    return tf.losses.softmaxCrossEntropy(tf.oneHot(y, 10), l) as tf.Scalar;
  }, vars);
  for (const v of vars) {
    assert(tf.sum(tf.abs(grads[v.name])).dataSync()[0] > 0, `no gradient for ${v.name}`);
  }
  tf.dispose([x, y, ...Object.values(grads)]);
  disposeModel(net);
});

Deno.test("conv2dFast and avgPool2x2 match tfjs conv2d / avgPool in value and gradient", () => {
  const x = tf.randomNormal([3, 7, 7, 2], 0, 1, "float32", 1) as tf.Tensor4D;
  const w = tf.randomNormal([3, 3, 2, 4], 0, 1, "float32", 2) as tf.Tensor4D;
  const c = tf.randomNormal([3, 7, 7, 4], 0, 1, "float32", 3);
  const ref = (a: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 1), c));
  const mine = (a: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.mul(conv2dFast(a as tf.Tensor4D, b as tf.Tensor4D, 1), c));
  assertArrayClose(conv2dFast(x, w, 1).dataSync(), tf.conv2d(x, w, 1, 1).dataSync(), 1e-5);
  const [rx, rw] = tf.grads(ref)([x, w]);
  const [mx, mw] = tf.grads(mine)([x, w]);
  assertArrayClose(mx.dataSync(), rx.dataSync(), 1e-4);
  assertArrayClose(mw.dataSync(), rw.dataSync(), 1e-4);
  const y = tf.randomNormal([2, 5, 5, 3], 0, 1, "float32", 4) as tf.Tensor4D;
  assertArrayClose(avgPool2x2(y).dataSync(), tf.avgPool(y, 2, 2, "valid").dataSync(), 1e-6);
  const d = tf.randomNormal([2, 2, 2, 3], 0, 1, "float32", 5);
  const gr = tf.grad((a: tf.Tensor) =>
    tf.sum(tf.mul(tf.avgPool(a as tf.Tensor4D, 2, 2, "valid"), d))
  )(y);
  const gm = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(avgPool2x2(a as tf.Tensor4D), d)))(y);
  assertArrayClose(gm.dataSync(), gr.dataSync(), 1e-6);
});
