import { assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import { bayesBiNN } from "../../lib/optim/bayesbinn.ts";

Deno.test("bayesBiNN: λ ← λ − lr·(g_μ + κ(λ − λ₀)), hand values", () => {
  const opt = bayesBiNN({ lr: 0.77, priorStrength: 1.25e-5 });
  const lam = [new Float32Array([0.5, -2])];
  const state = opt.init(lam);
  opt.step(lam, [new Float32Array([0.1, -0.3])], state);
  // 0.5 − 0.77(0.1 + 1.25e-5·0.5) = 0.4229951875; −2 − 0.77(−0.3 − 1.25e-5·2) = −1.76898075
  assertAlmostEquals(lam[0][0], 0.4229951875, 1e-6);
  assertAlmostEquals(lam[0][1], -1.76898075, 1e-6);
  assertEquals(state.step, 1);
});

Deno.test("bayesBiNN: prior pull towards λ₀ and the active-learning skip", () => {
  const opt = bayesBiNN({ lr: 0.5, priorStrength: 0.2, priorLambda: 1 });
  const lam = [new Float32Array([3])];
  opt.step(lam, [new Float32Array([0])], opt.init(lam));
  assertAlmostEquals(lam[0][0], 3 - 0.5 * 0.2 * 2, 1e-6); // zero gradient still decays without skip
  const al = bayesBiNN({ lr: 0.5, priorStrength: 0.2, skipZeroGradients: true });
  const l2 = [new Float32Array([3])];
  const st = al.init(l2);
  al.step(l2, [new Float32Array([0])], st);
  assertEquals(l2[0][0], 3);
  assertEquals(st.step, 0);
});

Deno.test("bayesBiNN: rejects non-finite input", () => {
  assertThrows(() => bayesBiNN({ lr: NaN }));
  const opt = bayesBiNN();
  const lam = [new Float32Array([0])];
  assertThrows(() => opt.step(lam, [new Float32Array([Infinity])], opt.init(lam)));
});
