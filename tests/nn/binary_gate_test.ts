import { assertEquals, assertThrows } from "../assert.ts";
import {
  binaryGate,
  gateActivationByName,
  reluActivation,
  reverseBinaryGate,
  signActivation,
} from "../../lib/nn/binary_gate.ts";

Deno.test("reverse binary gate: forward fires on |x| > 1, surrogate ±1 on the two windows", () => {
  const x = new Float32Array([-2, -1.4, -1, -0.6, -0.4, 0, 0.4, 0.6, 1, 1.4, 1.6]);
  const y = new Float32Array(x.length);
  reverseBinaryGate.forward(x, y);
  assertEquals(Array.from(y), [1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
  const g = new Float32Array(x.length).fill(2);
  reverseBinaryGate.backward(x, g);
  // +1 on (0.5, 1.5), −1 on (−1.5, −0.5), 0 elsewhere (times the incoming 2)
  assertEquals(Array.from(g), [0, -2, -2, -2, 0, 0, 0, 2, 2, 2, 0]);
});

Deno.test("gate width scales the windows; sign and relu", () => {
  const gate = binaryGate({ width: 2 });
  const x = new Float32Array([-2.5, 1.5, 3.5]);
  const y = new Float32Array(3);
  gate.forward(x, y);
  assertEquals(Array.from(y), [1, 0, 1]);
  const g = new Float32Array([1, 1, 1]);
  gate.backward(x, g);
  assertEquals(Array.from(g), [-1, 1, 0]);
  const s = new Float32Array(3), gs = new Float32Array([1, 1, 1]);
  const xs = new Float32Array([-0.5, 2, 0.9]);
  signActivation.forward(xs, s);
  assertEquals(Array.from(s), [-1, 1, 1]);
  signActivation.backward(xs, gs);
  assertEquals(Array.from(gs), [1, 0, 1]);
  const r = new Float32Array(3), gr = new Float32Array([3, 3, 3]);
  reluActivation.forward(xs, r);
  assertEquals(Array.from(r), [0, 2, 0.8999999761581421]);
  reluActivation.backward(xs, gr);
  assertEquals(Array.from(gr), [0, 3, 3]);
  assertEquals(gateActivationByName("sign"), signActivation);
  assertThrows(() => gateActivationByName("tanh"));
  assertThrows(() => binaryGate({ width: 0 }));
});
