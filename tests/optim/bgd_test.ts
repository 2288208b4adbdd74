import { assertAlmostEquals, assertThrows } from "../assert.ts";
import { bgd, fooVbDiagonal } from "../../lib/optim/bgd.ts";

const G = [new Float32Array([2]), new Float32Array([0.5])];

Deno.test("bgd: one step against hand-computed values (Zeno form and MESU-JAX sign)", () => {
  // μ ← 0.1 − 0.0025·2; σ ← σ√(1 + (½σg)²) − ½σ²g = 0.049378906097…
  const p = [new Float32Array([0.1]), new Float32Array([0.05])];
  const opt = bgd();
  opt.step(p, G, opt.init(p));
  assertAlmostEquals(p[0][0], 0.095, 1e-8);
  assertAlmostEquals(p[1][0], 0.049378906097424034, 1e-8);
  const q = [new Float32Array([0.1]), new Float32Array([0.05])];
  const jax = fooVbDiagonal({ variant: "mesu-jax" });
  jax.step(q, G, jax.init(q));
  assertAlmostEquals(q[1][0], 0.04937109390257597, 1e-8);
});

Deno.test("bgd: clamp and ratio clip", () => {
  const p = [new Float32Array([0.1]), new Float32Array([0.05])];
  const opt = bgd({ ratioMax: 0.01 }); // |Δ| ≤ 0.0005
  opt.step(p, G, opt.init(p));
  assertAlmostEquals(p[0][0], 0.0995, 1e-8);
  assertAlmostEquals(p[1][0], 0.0495, 1e-8);
  const q = [new Float32Array([0.1]), new Float32Array([0.05])];
  const c = bgd({ clampGrad: 0.01 }); // gradients to ±0.2
  c.step(q, G, c.init(q));
  assertAlmostEquals(q[0][0], 0.1 - 0.0025 * 0.2, 1e-8);
});

Deno.test("bgd: precision grows as P_t = P_0 + Σ H on a quadratic (no forgetting)", () => {
  const H = 0.5;
  const p = [new Float32Array([0.2]), new Float32Array([0.1])];
  const opt = bgd();
  const st = opt.init(p);
  for (let t = 0; t < 1000; t++) {
    opt.step(p, [new Float32Array([H * p[0][0]]), new Float32Array([H * p[1][0]])], st);
  }
  const expected = 1 / 0.01 + 1000 * H;
  assertAlmostEquals(1 / p[1][0] ** 2, expected, 0.01 * expected);
  assertThrows(() => bgd({ variant: "x" as "zeno" }));
});
