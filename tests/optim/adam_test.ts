import * as tf from "@tensorflow/tfjs";
import { assertArrayClose, assertEquals, assertThrows } from "../assert.ts";
import { adam } from "../../lib/optim/adam.ts";
import { Rng } from "../../lib/rng.ts";

/** Plain PyTorch-Adam loop in float64 (the test reference). */
function referenceAdam(
  w0: number[],
  grads: number[][],
  o: { lr: number; b1?: number; b2?: number; eps?: number; wd?: number; corrected: boolean },
): number[] {
  const b1 = o.b1 ?? 0.9, b2 = o.b2 ?? 0.999, eps = o.eps ?? 1e-8, wd = o.wd ?? 0;
  const w = w0.slice(), m = w.map(() => 0), v = w.map(() => 0);
  grads.forEach((g, k) => {
    const t = k + 1;
    for (let i = 0; i < w.length; i++) {
      const gi = g[i] + wd * w[i];
      m[i] = b1 * m[i] + (1 - b1) * gi;
      v[i] = b2 * v[i] + (1 - b2) * gi * gi;
      const bc1 = 1 - b1 ** t, bc2 = 1 - b2 ** t;
      if (o.corrected) w[i] -= o.lr * (m[i] / bc1) / (Math.sqrt(v[i] / bc2) + eps);
      else w[i] -= (o.lr * Math.sqrt(bc2) / bc1) * m[i] / (Math.sqrt(v[i]) + eps);
    }
  });
  return w;
}

Deno.test("adam matches the PyTorch reference loop (both ε placements, coupled weight decay)", () => {
  const rng = new Rng(7);
  const w0 = Array.from({ length: 6 }, () => rng.normal());
  const grads = Array.from(
    { length: 5 },
    () => Array.from({ length: 6 }, () => rng.normal() * 1e-3),
  );
  for (const corrected of [true, false]) {
    const w = [Float32Array.from(w0)];
    const opt = adam({
      lr: 0.01,
      weightDecay: 0.1,
      epsMode: corrected ? "corrected" : "uncorrected",
      eps: 1e-4,
    });
    const s = opt.init(w);
    for (const g of grads) opt.step(w, [Float32Array.from(g)], s);
    assertEquals(s.t, 5);
    assertArrayClose(
      w[0],
      referenceAdam(w0, grads, { lr: 0.01, wd: 0.1, eps: 1e-4, corrected }),
      1e-6,
    );
  }
});

Deno.test("adam (corrected) matches tf.train.adam", () => {
  const rng = new Rng(8);
  const w0 = Float32Array.from({ length: 5 }, () => rng.normal());
  const grads = Array.from(
    { length: 4 },
    () => Float32Array.from({ length: 5 }, () => rng.normal()),
  );
  const v = tf.variable(tf.tensor1d(w0));
  const tfOpt = tf.train.adam(0.05, 0.9, 0.999, 1e-7);
  for (const g of grads) tfOpt.applyGradients([{ name: v.name, tensor: tf.tensor1d(g) }]);
  const w = [new Float32Array(w0)];
  const opt = adam({ lr: 0.05, eps: 1e-7 });
  const s = opt.init(w);
  for (const g of grads) opt.step(w, [g], s);
  assertArrayClose(w[0], v.dataSync(), 1e-5);
  v.dispose();
});

Deno.test("adam: reset by init, shape and option errors", () => {
  const w = [new Float32Array(3)];
  const opt = adam({ lr: 0.1 });
  const s = opt.init(w);
  opt.step(w, [new Float32Array([1, 1, 1])], s);
  assertEquals(opt.init(w).t, 0);
  assertThrows(() => opt.step(w, [new Float32Array(2)], s), RangeError, "gradient");
  assertThrows(() => adam({ lr: 0.1, beta1: 1 }), RangeError, "beta1");
});
