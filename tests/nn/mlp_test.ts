import * as tf from "@tensorflow/tfjs";
import { assertArrayClose, assertEquals, assertThrows } from "../assert.ts";
import {
  binaryMlp,
  type DenseLayer,
  type DenseSpec,
  fullPrecisionMlp,
  Mlp,
  sumCrossEntropy,
} from "../../lib/nn/mlp.ts";
import { BinaryDense } from "../../lib/nn/binary_dense.ts";
import { quantizedMlp } from "../../lib/nn/quantized_dense.ts";
import { uniformGrid } from "../../lib/optim/quantized_metaplastic.ts";
import type { BatchNorm } from "../../lib/nn/norm.ts";
import { disposeModel, getModelState, paramIndices, setModelState } from "../../lib/nn/model.ts";
import { Rng } from "../../lib/rng.ts";

Deno.test("binaryMlp: parameter order and roles, batch-statistics BN, logits shape", () => {
  const net = binaryMlp({ sizes: [6, 5, 4, 3], rng: new Rng(1) });
  assertEquals(net.params.map((p) => p.name), [
    "fc1",
    "fc2",
    "fc3",
    "bn1/gamma",
    "bn1/beta",
    "bn2/gamma",
    "bn2/beta",
    "bn3/gamma",
    "bn3/beta",
  ]);
  assertEquals(paramIndices(net, "weight"), [0, 1, 2]);
  assertEquals(net.params.every((p) => p.binary === (p.kind === "weight")), true);
  assertEquals((net.norms[0] as BatchNorm).trackRunningStats, false);
  const logits = net.logits(tf.randomNormal([7, 6], 0, 1, "float32", 1), { training: false });
  assertEquals(logits.shape, [7, 3]);
  const fp = fullPrecisionMlp({ sizes: [6, 5, 3], rng: new Rng(1) });
  assertEquals(fp.activation, "relu");
  assertEquals((fp.norms[0] as BatchNorm).trackRunningStats, true);
  assertThrows(() => binaryMlp({ sizes: [4], rng: new Rng(0) }), RangeError);
  disposeModel(net);
  disposeModel(fp);
});

Deno.test("getModelState / setModelState round trip", () => {
  const a = binaryMlp({ sizes: [4, 3, 2], rng: new Rng(1) });
  const b = binaryMlp({ sizes: [4, 3, 2], rng: new Rng(2) });
  setModelState(b, getModelState(a));
  assertEquals(getModelState(b), getModelState(a));
  disposeModel(a);
  disposeModel(b);
});

Deno.test("Mlp: a layer factory builds every layer in order and sees the training flag", () => {
  const specs: DenseSpec[] = [];
  const flags: (boolean | undefined)[] = [];
  class Spy extends BinaryDense {
    override apply(x: tf.Tensor2D, options?: { training?: boolean }): tf.Tensor2D {
      flags.push(options?.training);
      return super.apply(x);
    }
  }
  const net = new Mlp<Spy>({
    sizes: [6, 5, 3],
    rng: new Rng(1),
    binary: false,
    label: "spy",
    initWidth: 0.5,
    layer: (spec) => {
      specs.push(spec);
      return new Spy({ ...spec, binary: false });
    },
  });
  assertEquals(specs.map((s) => [s.name, s.inFeatures, s.outFeatures, s.initWidth]), [
    ["fc1", 6, 5, 0.5],
    ["fc2", 5, 3, 0.5],
  ]);
  assertEquals(net.name, "spy 6-5-3");
  assertEquals(net.layers.every((l) => l instanceof Spy), true);
  net.logits(tf.ones([2, 6]), { training: true });
  net.logits(tf.ones([2, 6]), { training: false });
  assertEquals(flags, [true, true, false, false]);
  assertThrows(
    () => new Mlp({ sizes: [3, 2], rng: new Rng(0), activation: "tanh" as "relu" }),
    RangeError,
    "unknown activation",
  );
  disposeModel(net);
});

for (
  const [label, make] of [
    ["binaryMlp", (rng: Rng) => binaryMlp({ sizes: [5, 6, 6, 3], rng, initWidth: 1 })],
    [
      "4-level quantizedMlp",
      (rng: Rng) => quantizedMlp({ sizes: [5, 6, 6, 3], rng, initWidth: 1, grid: uniformGrid(4) }),
    ],
  ] as const
) {
  Deno.test(`squaredSampleGrads (${label}) equals Σ of per-example squared gradients at constant BN statistics`, () => {
    const rng = new Rng(4);
    const net: Mlp<DenseLayer> = make(rng);
    const n = 8;
    const x = tf.tensor2d(rng.fillNormal(new Float32Array(n * 5)), [n, 5]);
    const labels = tf.tensor1d(Int32Array.from({ length: n }, (_, i) => i % 3), "int32");
    const sq = net.squaredSampleGrads(x, labels);
    const trace = net.forwardDetailed(x, { training: false });
    const stats = trace.pre.map((z) => tf.moments(z, [0]));
    const weights = net.layers.map((l) => l.hidden);
    const expected = weights.map((w) => new Float32Array(w.size));
    for (let i = 0; i < n; i++) {
      const { grads } = tf.variableGrads(() => {
        const logits = net.forwardDetailed(x, { training: false, fixedStats: stats }).logits;
        return sumCrossEntropy(tf.slice(logits, [i, 0], [1, 3]), tf.slice(labels, [i], [1]), 3);
      }, weights);
      weights.forEach((w, l) => {
        const g = grads[w.name].dataSync();
        for (let k = 0; k < g.length; k++) expected[l][k] += g[k] * g[k];
      });
      tf.dispose(Object.values(grads));
    }
    weights.forEach((_, l) => assertArrayClose(sq[l], expected[l], 1e-4, `layer ${l}`));
    assertEquals(sq[3].every((v) => v === 0), true); // BN parameters are excluded
    disposeModel(net);
  });
}
