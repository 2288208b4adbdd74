import * as tf from "@tensorflow/tfjs";
import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import { evaluate, predictLogits } from "../../lib/train/evaluate.ts";
import type { Model } from "../../lib/nn/model.ts";
import type { NormLayer, NormLayerState } from "../../lib/nn/norm.ts";
import type { Dataset } from "../../lib/data/datasets.ts";

await tf.setBackend("cpu");

/** A "normalisation" layer that adds a stored per-class shift; records the modes it ran in. */
class Shift implements NormLayer {
  readonly name = "shift";
  readonly modes: boolean[] = [];
  readonly bias: tf.Variable = tf.variable(tf.zeros([2]));
  apply(x: tf.Tensor, options: { training: boolean }): tf.Tensor {
    this.modes.push(options.training);
    return tf.add(x, this.bias);
  }
  trainable(): tf.Variable[] {
    return [];
  }
  getState(): NormLayerState {
    return [new Float32Array(this.bias.dataSync() as Float32Array)];
  }
  setState(state: NormLayerState): void {
    tf.tidy(() => this.bias.assign(tf.tensor1d(state[0])));
  }
  dispose(): void {
    this.bias.dispose();
  }
}

/** logits = x·I + shift: the logits are the inputs themselves while the shift is zero. */
function tinyModel(): { model: Model; shift: Shift } {
  const shift = new Shift();
  const w = tf.variable(tf.eye(2));
  const model: Model = {
    name: "tiny 2-2",
    params: [{ name: "w", variable: w, kind: "weight", binary: false }],
    norms: [shift],
    inputShape: [2],
    classes: 2,
    logits: (x, o) => tf.tidy(() => shift.apply(tf.matMul(x as tf.Tensor2D, w), o) as tf.Tensor2D),
  };
  return { model, shift };
}

const X = [[1, 0], [0, 1], [1, 1], [2, 0], [0, 3]];
const Y = [0, 1, 0, 1, 1];
const data: Dataset = {
  name: "tiny",
  x: new Float32Array(X.flat()),
  y: new Int32Array(Y),
  n: 5,
  dim: 2,
  classes: 2,
};

/** Mean softmax cross-entropy of logits x + shift, by hand. */
function handLoss(shift: number[]): number {
  let s = 0;
  X.forEach(([a, b], i) => {
    const la = a + shift[0], lb = b + shift[1];
    s += Math.log(Math.exp(la) + Math.exp(lb)) - (Y[i] === 0 ? la : lb);
  });
  return s / X.length;
}

Deno.test("evaluate: accuracy and loss of a hand-built model, for any batch size", () => {
  const { model, shift } = tinyModel();
  // predictions argmax(x): 0, 1, 0 (tie → first class), 0, 1 against labels 0 1 0 1 1 → 4/5
  for (const batchSize of [1, 2, 5, 100]) {
    const r = evaluate(model, data, { batchSize });
    assertEquals(r.n, 5);
    assertAlmostEquals(r.accuracy, 0.8, 1e-12, `batch ${batchSize}`);
    assertAlmostEquals(r.loss, handLoss([0, 0]), 1e-5, `batch ${batchSize}`);
  }
  // evaluation never runs a layer in training mode
  assert(shift.modes.length > 0 && shift.modes.every((m) => m === false));
});

Deno.test("evaluate: a stored normalisation state is used while evaluating and the live one restored", () => {
  const { model, shift } = tinyModel();
  const stored = [[new Float32Array([0, 1.5])]];
  // logits with shift (0, 1.5): predictions 1, 1, 1, 0, 1 against 0 1 0 1 1 → 2/5
  const r = evaluate(model, data, { batchSize: 2, norms: stored });
  assertAlmostEquals(r.accuracy, 0.4, 1e-12);
  assertAlmostEquals(r.loss, handLoss([0, 1.5]), 1e-5);
  assertEquals(shift.getState(), [new Float32Array([0, 0])], "live state restored");
  assertAlmostEquals(evaluate(model, data, { batchSize: 2 }).accuracy, 0.8, 1e-12);
  // a changed live state is what comes back too
  shift.setState([new Float32Array([-3, 0])]);
  assertAlmostEquals(evaluate(model, data, { batchSize: 3, norms: stored }).accuracy, 0.4, 1e-12);
  assertEquals(shift.getState(), [new Float32Array([-3, 0])]);
  // shift (−3, 0): every prediction is class 1 → 3/5
  assertAlmostEquals(evaluate(model, data, { batchSize: 3 }).accuracy, 0.6, 1e-12);
});

Deno.test("evaluate: errors on an empty set, a wrong-width set and a wrong-size norm state", () => {
  const { model, shift } = tinyModel();
  assertThrows(
    () =>
      evaluate(model, { ...data, n: 0, x: new Float32Array(0), y: new Int32Array(0) }, {
        batchSize: 2,
      }),
    RangeError,
    "empty dataset tiny",
  );
  assertThrows(
    () => evaluate(model, { ...data, dim: 3, x: new Float32Array(15) }, { batchSize: 5 }),
    RangeError,
    "2 per example",
  );
  assertThrows(
    () => evaluate(model, data, { batchSize: 2, norms: [] }),
    RangeError,
    "norm snapshot",
  );
  assertEquals(shift.getState(), [new Float32Array([0, 0])]);
});

Deno.test("predictLogits: every example's logits in order, for any batch size, with a stored norm state", () => {
  const { model, shift } = tinyModel();
  for (const batchSize of [1, 2, 5, 100]) {
    assertEquals(predictLogits(model, data, { batchSize }), new Float32Array(X.flat()));
  }
  const shifted = predictLogits(model, data, {
    batchSize: 2,
    norms: [[new Float32Array([0, 1.5])]],
  });
  assertEquals(shifted, new Float32Array(X.flatMap(([a, b]) => [a, b + 1.5])));
  assertEquals(shift.getState(), [new Float32Array([0, 0])], "live state restored");
  assert(shift.modes.every((m) => m === false));
  assertThrows(
    () =>
      predictLogits(model, { ...data, n: 0, x: new Float32Array(0), y: new Int32Array(0) }, {
        batchSize: 2,
      }),
    RangeError,
    "empty dataset tiny",
  );
});
