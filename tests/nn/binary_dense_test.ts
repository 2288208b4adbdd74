import * as tf from "@tensorflow/tfjs";
import { assertArrayClose, assertEquals, assertThrows } from "../assert.ts";
import { BinaryDense, initWeights } from "../../lib/nn/binary_dense.ts";
import { Rng } from "../../lib/rng.ts";

Deno.test("BinaryDense forward uses sign(W_h) and the gradient reaches W_h as xᵀ·dy", () => {
  const fc = new BinaryDense({ inFeatures: 3, outFeatures: 2, rng: new Rng(3) });
  const w = new Float32Array([0.02, -0.3, -0.01, 0.5, 4, -2]); // [in=3, out=2]
  fc.hidden.assign(tf.tensor2d(w, [3, 2]));
  const x = tf.tensor2d([[0.5, 1, 0.25], [1, 0, 2]]);
  const y = fc.apply(x);
  // sign(W) = [[1,-1],[-1,1],[1,-1]]
  assertArrayClose(y.dataSync(), [0.5 - 1 + 0.25, -0.5 + 1 - 0.25, 1 + 2, -1 - 2], 1e-6);
  const dy = tf.tensor2d([[1, 2], [3, -1]]);
  const { grads } = tf.variableGrads(() => tf.sum(tf.mul(fc.apply(x), dy)), [fc.hidden]);
  const expected = tf.matMul(x, dy, true, false).dataSync();
  assertArrayClose(grads[fc.hidden.name].dataSync(), expected, 1e-6);
  // The hidden weights themselves are untouched (no clipping, no binarisation in place).
  assertArrayClose(fc.hidden.dataSync(), w, 0);
  tf.dispose([x, y, dy, ...Object.values(grads)]);
  fc.hidden.dispose();
});

Deno.test("BinaryDense: real weights with binary false; input binarisation option; shape errors", () => {
  const fc = new BinaryDense({
    inFeatures: 2,
    outFeatures: 1,
    rng: new Rng(0),
    binary: false,
    binarizeInput: true,
  });
  fc.hidden.assign(tf.tensor2d([[0.5], [-0.25]]));
  assertArrayClose(fc.apply(tf.tensor2d([[0.3, -2]])).dataSync(), [0.5 + 0.25], 1e-6);
  assertThrows(() => fc.apply(tf.zeros([1, 3]) as tf.Tensor2D), RangeError, "[N, 2]");
  fc.hidden.dispose();
});

Deno.test("initWeights: uniform in (−w/2, w/2), deterministic per seed", () => {
  const a = initWeights(1000, new Rng(9), "uniform", 0.1);
  assertEquals(a, initWeights(1000, new Rng(9), "uniform", 0.1));
  let max = 0;
  for (const v of a) max = Math.max(max, Math.abs(v));
  assertEquals(max <= 0.05 && max > 0.045, true);
  assertThrows(() => initWeights(3, new Rng(0), "uniform", 0), RangeError);
});
