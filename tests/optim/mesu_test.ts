import { assert, assertAlmostEquals, assertThrows } from "../assert.ts";
import { mesu } from "../../lib/optim/mesu.ts";
import { precisionFixedPoint, precisionStep } from "../../lib/theory/diagonal_newton.ts";

function one(mu: number, sigma: number) {
  return [new Float32Array([mu]), new Float32Array([sigma])];
}
const G = [new Float32Array([2]), new Float32Array([0.5])];

Deno.test("mesu 2025: one step against hand-computed values", () => {
  // σ² = 0.0025; Δμ = −0.0025·2 + 0.0025·(0 − 0.1)/100 = −0.0050025
  // Δσ = ½·[−0.0025·0.5 + 0.05·(1 − 0.0025)/100] = −0.000375625
  const p = one(0.1, 0.05);
  const opt = mesu({ sigmaPrior: 1, memory: 100 });
  const st = opt.init(p);
  opt.step(p, G, st);
  assertAlmostEquals(p[0][0], 0.0949975, 1e-7);
  assertAlmostEquals(p[1][0], 0.049624375, 1e-7);
  assertAlmostEquals(st.step, 1);
});

Deno.test("mesu 2023 variant: no ½ on σ, no μ-prior term", () => {
  const p = one(0.1, 0.05);
  const opt = mesu({ sigmaPrior: 1, memory: 100, variant: "2023" });
  opt.step(p, G, opt.init(p));
  assertAlmostEquals(p[0][0], 0.095, 1e-7);
  assertAlmostEquals(p[1][0], 0.04924875, 1e-7);
  // μ-prior term added back explicitly, through the general (non-fused) path
  const q = one(0.1, 0.05);
  const opt2 = mesu({
    sigmaPrior: 1,
    memory: 100,
    variant: "2023",
    muPriorTerm: true,
    memorySigma: 100,
  });
  opt2.step(q, G, opt2.init(q));
  assertAlmostEquals(q[0][0], 0.0949975, 1e-7);
  // general path with the 2025 settings equals the fused kernel
  const r = one(0.1, 0.05);
  const opt3 = mesu({ sigmaPrior: 1, memory: 100, memorySigma: 100 + 1e-9 });
  opt3.step(r, G, opt3.init(r));
  assertAlmostEquals(r[1][0], 0.049624375, 1e-7);
});

Deno.test("mesu: gradient clamp ±c/σ and per-step ratio clip r·σ", () => {
  // c = 0.01 → bound 0.2 on both gradients
  const p = one(0.1, 0.05);
  const opt = mesu({ sigmaPrior: 1, memory: 100, clampGrad: 0.01 });
  opt.step(p, G, opt.init(p));
  assertAlmostEquals(p[0][0], 0.1 - 0.0005025, 1e-8);
  assertAlmostEquals(p[1][0], 0.05 - 6.25e-7, 1e-8);
  // r = 0.01 → |Δ| ≤ 0.0005: Δμ is clipped, Δσ (−0.000375625) is not
  const q = one(0.1, 0.05);
  const opt2 = mesu({ sigmaPrior: 1, memory: 100, ratioMax: 0.01 });
  opt2.step(q, G, opt2.init(q));
  assertAlmostEquals(q[0][0], 0.0995, 1e-8);
  assertAlmostEquals(q[1][0], 0.049624375, 1e-7);
});

Deno.test("mesu: σ reaches the fixed point σ² = 1/(N·H + 1/σ_p²) on a quadratic", () => {
  // Loss ½·H·ω² per update, exact expectations: ∂C/∂μ = H·μ, ∂C/∂σ = H·σ (Stein's lemma).
  const H = 0.02, N = 500, sp = 0.5;
  const p = one(0.3, sp);
  const opt = mesu({ sigmaPrior: sp, memory: N });
  const st = opt.init(p);
  let prec = 1 / (sp * sp);
  for (let t = 0; t < 20000; t++) {
    opt.step(p, [new Float32Array([H * p[0][0]]), new Float32Array([H * p[1][0]])], st);
    prec = precisionStep(prec, H, { memory: N, priorSigma: sp });
    if (t === 200) {
      // the σ rule follows the precision recursion to first order
      assertAlmostEquals(1 / (p[1][0] ** 2), prec, 0.02 * prec);
    }
  }
  const fixed = precisionFixedPoint(H, { memory: N, priorSigma: sp });
  assertAlmostEquals(1 / (p[1][0] ** 2), fixed, 1e-3 * fixed);
  assert(Math.abs(p[0][0]) < 1e-3, `μ should relax to the minimum, got ${p[0][0]}`);
});

Deno.test("mesu: rejects odd parameter lists and bad options", () => {
  assertThrows(() => mesu().init([new Float32Array(1)]));
  assertThrows(() => mesu({ sigmaPrior: 0 }));
  assertThrows(() => mesu({ memory: -1 }));
  assertThrows(() => mesu({ variant: "2024" as "2025" }));
});
