import { assertAlmostEquals, assertThrows } from "../assert.ts";
import { sgd } from "../../lib/optim/sgd.ts";

Deno.test("sgd: plain and momentum steps", () => {
  const w = [new Float32Array([1, 2])];
  const opt = sgd({ lr: 0.1 });
  opt.step(w, [new Float32Array([1, -1])], opt.init(w));
  assertAlmostEquals(w[0][0], 0.9, 1e-7);
  assertAlmostEquals(w[0][1], 2.1, 1e-6);
  const v = [new Float32Array([1])];
  const m = sgd({ lr: 0.1, momentum: 0.5 });
  const st = m.init(v);
  m.step(v, [new Float32Array([1])], st); // buf = 1 → 0.9
  m.step(v, [new Float32Array([1])], st); // buf = 1.5 → 0.75
  assertAlmostEquals(v[0][0], 0.75, 1e-6);
  assertThrows(() => sgd({ lr: 0 }));
});
