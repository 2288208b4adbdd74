import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals } from "../assert.ts";
import { commitVariable, variableData } from "../../lib/backend/storage.ts";

await tf.setBackend("cpu");
(tf.backend() as unknown as { firstUse: boolean }).firstUse = false;

Deno.test("variableData: in-place writes never leak into tensors that shared the buffer", () => {
  const user = new Float32Array([1, 2, 3]);
  const init = tf.tensor1d(user); // keeps a reference to `user`
  const v = tf.variable(init); // shares init's buffer
  const w = variableData(v);
  w[0] = 10;
  assertEquals(Array.from(v.dataSync()), [10, 2, 3]);
  assertEquals(Array.from(init.dataSync()), [1, 2, 3]);
  assertEquals(user[0], 1);
  assert(variableData(v) === w, "second access returns the same storage");
  // a clone shares the buffer: the next access gives the variable a fresh private copy
  const snapshot = v.clone();
  const w2 = variableData(v);
  assert(w2 !== w, "copied because another tensor references the buffer");
  w2[1] = 20;
  assertEquals(Array.from(snapshot.dataSync()), [10, 2, 3]);
  assertEquals(Array.from(v.dataSync()), [10, 20, 3]);
  // after a stock assign the variable holds another buffer: copied again
  const t = tf.tensor1d([7, 8, 9]);
  v.assign(t);
  variableData(v)[2] = 90;
  assertEquals(Array.from(t.dataSync()), [7, 8, 9]);
  assertEquals(Array.from(v.dataSync()), [7, 8, 90]);
  commitVariable(v, variableData(v)); // no-op on cpu
  commitVariable(v, new Float32Array([4, 5, 6])); // a foreign array is uploaded
  assertEquals(Array.from(v.dataSync()), [4, 5, 6]);
  tf.dispose([init, v, snapshot, t]);
});
