import { assertAlmostEquals, assertThrows } from "../assert.ts";
import { layerNorm, layerNormBackward } from "../../lib/nn/layer_norm.ts";
import { Rng } from "../../lib/rng.ts";

Deno.test("layerNorm: hand example, biased variance, eps 1e-5", () => {
  const { y, invStd } = layerNorm(new Float32Array([1, 2, 3, 4, 2, 2, 2, 2]), { rows: 2, dim: 4 });
  const inv = 1 / Math.sqrt(1.25 + 1e-5);
  [-1.5, -0.5, 0.5, 1.5].forEach((d, j) => assertAlmostEquals(y[j], d * inv, 1e-6));
  assertAlmostEquals(invStd[0], inv, 1e-6);
  for (let j = 4; j < 8; j++) assertAlmostEquals(y[j], 0, 1e-6); // constant row → 0
  assertAlmostEquals(invStd[1], 1 / Math.sqrt(1e-5), 1e-2);
});

Deno.test("layerNormBackward matches finite differences of a linear read-out", () => {
  const rng = new Rng(5);
  const rows = 3, dim = 6;
  const x = rng.fillNormal(new Float32Array(rows * dim));
  const c = rng.fillNormal(new Float32Array(rows * dim));
  const f = (v: Float32Array) => {
    const { y } = layerNorm(v, { rows, dim });
    let s = 0;
    for (let i = 0; i < y.length; i++) s += c[i] * y[i];
    return s;
  };
  const dx = layerNormBackward(c, layerNorm(x, { rows, dim }));
  const h = 1e-2;
  for (let i = 0; i < x.length; i++) {
    const xp = x.slice(), xm = x.slice();
    xp[i] += h;
    xm[i] -= h;
    assertAlmostEquals(dx[i], (f(xp) - f(xm)) / (2 * h), 2e-3);
  }
});

Deno.test("layerNorm: shape errors", () => {
  assertThrows(() => layerNorm(new Float32Array(5), { rows: 2, dim: 2 }));
  assertThrows(() =>
    layerNormBackward(new Float32Array(3), layerNorm(new Float32Array(4), { rows: 1, dim: 4 }))
  );
});
