import { assertAlmostEquals, assertArrayClose, assertThrows } from "../assert.ts";
import { adam } from "../../lib/optim/adam.ts";
import { fMeta, metaplasticAdam } from "../../lib/optim/metaplastic_adam.ts";
import { Rng } from "../../lib/rng.ts";

const lr = 0.1, m = 1.35;
// First step: M = 0.1·g, V = 0.001·g², α = η·√0.001/0.1; the step is α·M/(√V + ε).
const firstStep = (g: number) =>
  ((lr * Math.sqrt(0.001)) / 0.1) * (0.1 * g) / (Math.sqrt(0.001 * g * g) + 1e-8);

Deno.test("metaplasticAdam: f_meta attenuates only the steps towards zero (hand-computed)", () => {
  const w = [new Float32Array([0.5, 0.5, -0.5, -0.5, 0, 2])];
  const g = [new Float32Array([1, -1, 1, -1, 1, 1])];
  const opt = metaplasticAdam({ lr, meta: m });
  opt.step(w, g, opt.init(w));
  const s = firstStep(1); // ≈ 0.1
  const f = (x: number) => 1 - Math.tanh(m * x) ** 2;
  assertAlmostEquals(w[0][0], 0.5 - s * f(0.5), 1e-6, "towards zero: attenuated");
  assertAlmostEquals(w[0][1], 0.5 + s, 1e-6, "away from zero: full step");
  assertAlmostEquals(w[0][2], -0.5 - s, 1e-6, "away from zero (negative weight): full step");
  assertAlmostEquals(
    w[0][3],
    -0.5 + s * f(0.5),
    1e-6,
    "towards zero (negative weight): attenuated",
  );
  assertAlmostEquals(w[0][4], -s, 1e-6, "sign(0) = 0: not consolidated");
  assertAlmostEquals(w[0][5], 2 - s * f(2), 1e-6, "large |W_h|: step almost blocked");
  assertAlmostEquals(fMeta(m, 0), 1, 1e-12);
});

Deno.test("metaplasticAdam: the test uses Adam's first moment M, not the raw gradient", () => {
  const w = [new Float32Array([0.5])];
  const opt = metaplasticAdam({ lr, meta: m });
  const st = opt.init(w);
  opt.step(w, [new Float32Array([1])], st);
  const w1 = w[0][0];
  opt.step(w, [new Float32Array([-0.5])], st); // M = 0.09 − 0.05 = 0.04 > 0: still towards zero
  const M = 0.04, V = 0.999 * 0.001 + 0.001 * 0.25;
  const a = (lr * Math.sqrt(1 - 0.999 ** 2)) / (1 - 0.9 ** 2);
  assertAlmostEquals(w[0][0], w1 - a * fMeta(m, w1) * M / (Math.sqrt(V) + 1e-8), 1e-6);
});

Deno.test("metaplasticAdam with m = 0 is Adam (ε on the uncorrected √V), weight decay on W_h", () => {
  const rng = new Rng(3);
  const w0 = Float32Array.from({ length: 8 }, () => rng.normal());
  const a = [new Float32Array(w0)], b = [new Float32Array(w0)];
  const mo = metaplasticAdam({ lr: 0.01, meta: 0, weightDecay: 0.01 });
  const ad = adam({ lr: 0.01, weightDecay: 0.01, epsMode: "uncorrected" });
  const sa = mo.init(a), sb = ad.init(b);
  for (let k = 0; k < 5; k++) {
    const g = Float32Array.from({ length: 8 }, () => rng.normal());
    mo.step(a, [g], sa);
    ad.step(b, [g], sb);
  }
  assertArrayClose(a[0], b[0], 1e-7);
});

Deno.test("metaplasticAdam: per-parameter meta and the metaplastic mask (BN γ/β plain Adam)", () => {
  const w0 = () => [new Float32Array([0.5]), new Float32Array([0.5]), new Float32Array([0.5])];
  const g = [new Float32Array([1]), new Float32Array([1]), new Float32Array([1])];
  const a = w0();
  const opt = metaplasticAdam({ lr, meta: [m, 3, m], metaplastic: [true, true, false] });
  opt.step(a, g, opt.init(a));
  const s = firstStep(1);
  assertAlmostEquals(a[0][0], 0.5 - s * fMeta(m, 0.5), 1e-6);
  assertAlmostEquals(a[1][0], 0.5 - s * fMeta(3, 0.5), 1e-6);
  assertAlmostEquals(a[2][0], 0.5 - s, 1e-6);
  assertThrows(
    () => metaplasticAdam({ lr, meta: [1, 2] }).init(w0()),
    RangeError,
    "meta has 2 values",
  );
  assertThrows(() => metaplasticAdam({ lr, meta: -1 }).init(w0()), RangeError, ">= 0");
  assertThrows(() => metaplasticAdam({ lr, meta: 1, decoupled: true }), RangeError, "decoupled");
});
