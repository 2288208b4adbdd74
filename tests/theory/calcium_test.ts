import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import {
  bpap,
  crossoverRate,
  etaCa,
  nmdaAfterActivity,
  nmdaBlock,
  nmdaCalciumCurrent,
  nmdaConductanceSteadyState,
  omegaCa,
  poissonTrain,
  rateResponse,
  SHOUVAL_2002,
  simulateCalciumSynapse,
  stdpCurve,
} from "../../lib/theory/calcium.ts";
import { Rng } from "../../lib/rng.ts";

Deno.test("Ω(Ca) levels and thresholds", () => {
  assertAlmostEquals(omegaCa(0), 0.25, 1e-6);
  assert(omegaCa(0.45) < 0.01, "depression zone between α₁ and α₂");
  assert(omegaCa(1) > 0.99, "potentiation above α₂");
  // at α₁ the depressing sigmoid is half on: Ω ≈ 0.25 − 0.125 (+ a tiny LTP sigmoid)
  assertAlmostEquals(omegaCa(SHOUVAL_2002.alpha1), 0.125 + 1 / (1 + Math.exp(80 * 0.2)), 1e-9);
  // at α₂: 0.25 + 0.5 − 0.25·sig(0.2·80)
  assertAlmostEquals(omegaCa(SHOUVAL_2002.alpha2), 0.75 - 0.25 / (1 + Math.exp(-16)), 1e-9);
  // Ω crosses 0.25 from below between α₁ and α₂ exactly once
  let crossings = 0;
  for (let c = 0.36; c < 0.6; c += 0.001) {
    if ((omegaCa(c) - 0.25) * (omegaCa(c + 0.001) - 0.25) < 0) crossings++;
  }
  assertEquals(crossings, 1);
});

Deno.test("η(Ca) and NMDA current by hand", () => {
  assertAlmostEquals(etaCa(0), 1 / (0.1 / 1e-5 + 1), 1e-12);
  assertAlmostEquals(etaCa(1), 1 / (0.1 / (1e-5 + 1) + 1), 1e-12);
  const b = nmdaBlock(-65);
  assertAlmostEquals(b, 1 / (1 + Math.exp(0.062 * 65) / 3.57), 1e-12);
  const i0 = nmdaCalciumCurrent(0, -65);
  assertAlmostEquals(i0, 0.5 * (-1 / 500) * 1 * b * (-65 - 130), 1e-12);
  assert(i0 > 0, "calcium current is positive at physiological voltages");
  assertAlmostEquals(bpap(0), 100, 1e-12);
  assertThrows(() => etaCa(-1), RangeError);
});

Deno.test("one presynaptic spike at rest: calcium integral τ_Ca·∫I and no plasticity", () => {
  const r = simulateCalciumSynapse({ pre: [10], duration: 3000, dt: 0.1 });
  // ∫I dt = P0·G·H(V_rest)·(I_f τ_f + I_s τ_s); mean Ca·duration ≈ τ_Ca·∫I
  const integral = nmdaCalciumCurrent(0, -65) * (0.5 * 50 + 0.5 * 200);
  assertAlmostEquals(r.meanCa * 3000, 50 * integral, 0.02 * 50 * integral);
  assert(r.maxCa < SHOUVAL_2002.alpha1, `single spike stays below α₁ (peak ${r.maxCa})`);
  assert(Math.abs(r.dw) < 1e-3, `no change: ${r.dw}`);
});

Deno.test("rate-dependent plasticity: LTD at low rates, LTP at high rates", () => {
  const rates = [1, 4, 5, 20, 40];
  const dw = rateResponse(rates, { pulses: 100 });
  assert(Math.abs(dw[0]) < 5e-3, `1 Hz ≈ no change (${dw[0]})`);
  assert(dw[2] < 0, `5 Hz LTD (${dw[2]})`);
  assert(dw[3] > 0 && dw[4] > 0, "LTP at 20–40 Hz");
  const theta = crossoverRate(rates, dw);
  assert(theta > 5 && theta < 20, `θ = ${theta}`);
});

Deno.test("STDP: pre-before-post LTP, post-before-pre LTD", () => {
  const dw = stdpCurve([-10, 10, 75], { pairings: 20, dt: 0.5 });
  assert(dw[0] < 0, `Δt = −10: ${dw[0]}`);
  assert(dw[1] > 0, `Δt = +10: ${dw[1]}`);
  assert(dw[2] < 0, `Δt = +75 (second LTD window): ${dw[2]}`);
});

Deno.test("NMDAR metaplasticity: steady state, activity lowers |g| and raises the LTP threshold", () => {
  const p = SHOUVAL_2002;
  assertAlmostEquals(nmdaConductanceSteadyState(0), p.gMax, 1e-15);
  assertAlmostEquals(
    nmdaConductanceSteadyState(100),
    p.kPlus * p.gMax / (p.kPlus + p.kMinus * 100),
    1e-15,
  );
  const silent = nmdaAfterActivity(0, { duration: 1000 });
  assertEquals(silent, p.gMax);
  const active = nmdaAfterActivity(5, { duration: 60000 });
  assert(Math.abs(active) < 0.6 * Math.abs(p.gMax), `g after 5 Hz history ${active}`);
  const rates = [8, 12, 16, 20, 30, 40, 60];
  const t0 = crossoverRate(rates, rateResponse(rates, { pulses: 60, g: silent }));
  const t1 = crossoverRate(rates, rateResponse(rates, { pulses: 60, g: active }));
  assert(t1 > t0, `threshold slides up: ${t0} → ${t1}`);
});

Deno.test("deterministic Poisson trains for a seed", () => {
  const a = poissonTrain(10, { duration: 1000, rng: new Rng(1) });
  const b = poissonTrain(10, { duration: 1000, rng: new Rng(1) });
  assertEquals(a, b);
  assert(a.every((t) => t >= 0 && t < 1000));
});
