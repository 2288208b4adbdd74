import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals, assertThrows } from "../assert.ts";
import {
  disposeModel,
  getModelState,
  type Model,
  paramIndices,
  setModelState,
} from "../../lib/nn/model.ts";
import { binaryMlp, fullPrecisionMlp } from "../../lib/nn/mlp.ts";
import { Rng } from "../../lib/rng.ts";

await tf.setBackend("cpu");

const net = (): Model =>
  fullPrecisionMlp({ sizes: [4, 6, 3], rng: new Rng(1), trackRunningStats: true });

/** Changes every parameter and (by a training-mode pass) the running statistics. */
function perturb(model: Model): void {
  for (const p of model.params) {
    p.variable.assign(tf.randomNormal(p.variable.shape, 0, 1, "float32", 99));
  }
  tf.tidy(() => model.logits(tf.randomNormal([8, 4], 2, 3, "float32", 5), { training: true }));
}

const logitsOf = (model: Model) =>
  tf.tidy(() =>
    model.logits(tf.tensor2d([[1, -2, 0.5, 3], [0, 1, 1, -1]]), { training: false }).dataSync()
  );

Deno.test("getModelState / setModelState: round trip restores parameters, norms and outputs", () => {
  const m = net();
  const saved = getModelState(m);
  assertEquals(saved.params.length, m.params.length);
  saved.params.forEach((p, i) => assertEquals(p.length, m.params[i].variable.size));
  assertEquals(saved.norms.length, m.norms.length);
  const before = logitsOf(m);
  perturb(m);
  const after = getModelState(m);
  assert(after.params[0].some((v, i) => v !== saved.params[0][i]), "perturb changed fc1");
  assert(
    after.norms[0].some((s, k) => s.some((v, i) => v !== saved.norms[0][k][i])),
    "perturb changed the running statistics",
  );
  assert(logitsOf(m).some((v, i) => v !== before[i]));
  setModelState(m, saved);
  assertEquals(getModelState(m), saved);
  assertEquals(logitsOf(m), before);
  disposeModel(m);
});

Deno.test("getModelState: returns copies, not views of the live variables", () => {
  const m = binaryMlp({ sizes: [4, 8, 3], rng: new Rng(2) });
  const s = getModelState(m);
  const v0 = s.params[0][0];
  s.params[0][0] = v0 + 10;
  assertEquals((m.params[0].variable.dataSync() as Float32Array)[0], v0);
  // and the state can be loaded into another model of the same shape
  const other = binaryMlp({ sizes: [4, 8, 3], rng: new Rng(3) });
  s.params[0][0] = v0;
  setModelState(other, s);
  assertEquals(getModelState(other), s);
  disposeModel(m);
  disposeModel(other);
});

Deno.test("setModelState: wrong parameter count or size throws", () => {
  const m = binaryMlp({ sizes: [4, 8, 3], rng: new Rng(2) });
  const s = getModelState(m);
  assertThrows(
    () => setModelState(m, { ...s, params: s.params.slice(1) }),
    RangeError,
    "model state has 5 parameters, BNN 4-8-3 has 6",
  );
  assertThrows(
    () => setModelState(m, { ...s, params: [new Float32Array(3), ...s.params.slice(1)] }),
    RangeError,
    "parameter fc1: state has 3 values, expected 32",
  );
  disposeModel(m);
});

Deno.test("paramIndices: weights and norm parameters by role, in optimizer order", () => {
  const b = binaryMlp({ sizes: [4, 8, 3], rng: new Rng(0) });
  // params: fc1, fc2, bn1/gamma, bn1/beta, bn2/gamma, bn2/beta
  assertEquals(paramIndices(b, "weight"), [0, 1]);
  assertEquals(paramIndices(b, "norm"), [2, 3, 4, 5]);
  assertEquals(paramIndices(b, "weight").map((i) => b.params[i].name), ["fc1", "fc2"]);
  const f = fullPrecisionMlp({ sizes: [4, 6, 3], rng: new Rng(0), norm: "none" });
  assertEquals(paramIndices(f, "weight"), [0, 1]);
  assertEquals(paramIndices(f, "norm"), []);
  disposeModel(b);
  disposeModel(f);
});

Deno.test("disposeModel: frees every parameter and normalisation variable exactly once", () => {
  const start = tf.memory().numTensors;
  const m = binaryMlp({ sizes: [4, 8, 3], rng: new Rng(0) });
  assert(tf.memory().numTensors > start);
  disposeModel(m);
  assertEquals(tf.memory().numTensors, start);
  for (const p of m.params) assert(p.variable.isDisposed, `${p.name} not disposed`);
  const r = net(); // with running statistics
  disposeModel(r);
  assertEquals(tf.memory().numTensors, start);
});
