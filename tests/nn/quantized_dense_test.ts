import * as tf from "@tensorflow/tfjs";
import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import { QuantizedDense, quantizedMlp, straightThrough } from "../../lib/nn/quantized_dense.ts";
import { BinaryDense } from "../../lib/nn/binary_dense.ts";
import { binaryMlp } from "../../lib/nn/mlp.ts";
import { getModelState, setModelState } from "../../lib/nn/model.ts";
import { uniformGrid } from "../../lib/optim/quantized_metaplastic.ts";
import { metaplasticQuantized } from "../../lib/optim/quantized_metaplastic.ts";
import { paramBuffers, trainStep } from "../../lib/train/loop.ts";
import { Rng } from "../../lib/rng.ts";

await tf.setBackend("cpu");

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5): void {
  assertEquals(a.length, b.length);
  for (let i = 0; i < a.length; i++) assertAlmostEquals(a[i], b[i], tol, `index ${i}`);
}

Deno.test("QuantizedDense: quantized forward, straight-through gradient to W_H", () => {
  const fc = new QuantizedDense({
    inFeatures: 2,
    outFeatures: 3,
    rng: new Rng(0),
    grid: uniformGrid(4),
  });
  fc.hidden.assign(tf.tensor2d([[0.9, -0.2, 5], [-0.5, 0.1, -3]]));
  const third = Math.fround(1 / 3);
  assertEquals([...fc.quantizedWeights()], [1, -third, 1, -third, third, -1]);
  const x = tf.tensor2d([[1, 2]]);
  close(fc.apply(x).dataSync(), [1 - 2 * third, -third + 2 * third, 1 - 2]);
  // d(sum(x·W))/dW_H = xᵀ·1, whatever the quantization
  const g = tf.grad((h: tf.Tensor) =>
    tf.sum(tf.matMul(x, straightThrough(h as tf.Tensor2D, tf.ones([2, 3]))))
  )(
    fc.hidden,
  );
  close(g.dataSync(), [1, 1, 1, 2, 2, 2]);
  // a weight source (device read) replaces Q(W_H) in the forward pass only
  fc.weightSource = () => new Float32Array([0.5, 0, 0, 0, 0, 0.25]);
  close(fc.apply(x).dataSync(), [0.5, 0, 0.5]);
  const grads = tf.variableGrads(() => tf.sum(fc.apply(x)) as tf.Scalar, [fc.hidden]).grads;
  close(grads[fc.hidden.name].dataSync(), [1, 1, 1, 2, 2, 2]);
  fc.weightSource = () => new Float32Array(2);
  assertThrows(() => fc.apply(x), RangeError, "weight source gave 2");
  assertThrows(() => fc.apply(tf.ones([1, 3])), RangeError, "input must be");
});

Deno.test("QuantizedDense: two levels reproduce BinaryDense", () => {
  const q = new QuantizedDense({
    inFeatures: 20,
    outFeatures: 7,
    rng: new Rng(1),
    grid: uniformGrid(2),
  });
  const b = new BinaryDense({ inFeatures: 20, outFeatures: 7, rng: new Rng(1) });
  close(q.hidden.dataSync(), b.hidden.dataSync(), 0); // same initialisation draw
  const x = tf.randomNormal([5, 20], 0, 1, "float32", 3) as tf.Tensor2D;
  close(q.apply(x).dataSync(), b.apply(x).dataSync(), 1e-6);
  const loss = (f: () => tf.Tensor) => () => tf.sum(tf.square(f())) as tf.Scalar;
  const gq = tf.variableGrads(loss(() => q.apply(x)), [q.hidden]).grads[q.hidden.name];
  const gb = tf.variableGrads(loss(() => b.apply(x)), [b.hidden]).grads[b.hidden.name];
  close(gq.dataSync(), gb.dataSync(), 1e-5);
});

Deno.test("QuantizedMlp: two levels and sign activations compute the BNN's logits", () => {
  const bnn = binaryMlp({ sizes: [12, 16, 4], rng: new Rng(2) });
  const qnn = quantizedMlp({ sizes: [12, 16, 4], rng: new Rng(5), grid: uniformGrid(2) });
  assertEquals(qnn.params.map((p) => p.name), bnn.params.map((p) => p.name));
  setModelState(qnn, getModelState(bnn));
  const x = tf.randomNormal([8, 12], 0, 1, "float32", 4);
  close(
    qnn.logits(x, { training: true }).dataSync(),
    bnn.logits(x, { training: true }).dataSync(),
    1e-5,
  );
  assertEquals(qnn.name, "QNN2 12-16-4");
  assertEquals(qnn.paramGrids().map((g) => g?.levels.length ?? null), [
    2,
    2,
    null,
    null,
    null,
    null,
  ]);
  assertThrows(() => quantizedMlp({ sizes: [3], rng: new Rng(0) }), RangeError);
  assertThrows(
    () => quantizedMlp({ sizes: [3, 2], rng: new Rng(0), activation: "tanh" as "relu" }),
    RangeError,
  );
});

Deno.test("QuantizedMlp: trains with lib/train and the quantized metaplastic optimizer", () => {
  // two Gaussian blobs in 10 dimensions
  const rng = new Rng(7);
  const n = 200, d = 10;
  const x = new Float32Array(n * d), y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    for (let j = 0; j < d; j++) x[i * d + j] = (y[i] ? 1 : -1) * 0.8 + rng.normal();
  }
  const net = quantizedMlp({ sizes: [d, 32, 2], rng, grid: uniformGrid(4), activation: "relu" });
  const optimizer = metaplasticQuantized({ lr: 0.01, meta: 1, grid: net.paramGrids() });
  const learner = { model: net, optimizer, state: optimizer.init(paramBuffers(net)) };
  const batch = { x, y, size: n };
  const first = trainStep(learner, batch);
  let last = first;
  for (let s = 0; s < 30; s++) last = trainStep(learner, batch);
  assert(last < first * 0.7, `loss should drop (${first} → ${last})`);
});
