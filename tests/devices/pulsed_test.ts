import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import { Rng } from "../../lib/rng.ts";
import {
  constantStep,
  expStep,
  PulsedModel,
  softBounds,
  tabulated,
} from "../../lib/devices/pulsed.ts";

Deno.test("constant step: exact steps, asymmetry, hard bounds", () => {
  const rng = new Rng(0);
  const pop = new PulsedModel(constantStep({ dwMin: 0.01, upDown: 0.2, wMin: -0.05, wMax: 0.05 }))
    .sample(3, rng);
  pop.applyPulses([3, -2, 100], rng);
  const v = pop.values();
  assertAlmostEquals(v[0], 3 * 0.012, 1e-7);
  assertAlmostEquals(v[1], -2 * 0.008, 1e-7);
  assertAlmostEquals(v[2], 0.05, 1e-7);
  assertEquals(pop.counters.totalPulses(), 105);
  assertThrows(() => pop.applyPulses([0.5, 0, 0], rng), RangeError);
});

Deno.test("soft bounds: geometric approach to the bound, w_n = w_max(1 − (1 − dw/w_max)^n)", () => {
  const rng = new Rng(0);
  const pop = new PulsedModel(softBounds({ dwMin: 0.05, wMin: -1, wMax: 1 })).sample(1, rng);
  for (const n of [1, 5, 20]) {
    pop.program([0], rng);
    pop.applyPulses([n], rng);
    assertAlmostEquals(pop.values()[0], 1 - Math.pow(1 - 0.05, n), 1e-6);
  }
  pop.program([0], rng);
  pop.applyPulses([-10], rng);
  assertAlmostEquals(pop.values()[0], -(1 - Math.pow(1 - 0.05, 10)), 1e-6);
});

Deno.test("exp step: aihwkit's y = 1 − A·exp(d·γ·z) factor", () => {
  const rng = new Rng(0);
  const e = { a: 0.5, b: 0.1, gammaUp: 2, gammaDown: 3, aUp: 0.2, aDown: 0.3 };
  const pop = new PulsedModel(expStep(e, { dwMin: 0.01, wMin: -1, wMax: 1 })).sample(1, rng);
  pop.program([0.4], rng);
  pop.applyPulses([1], rng);
  const z = 2 * 0.5 * 0.4 / 2 + 0.1;
  assertAlmostEquals(pop.values()[0], 0.4 + 0.01 * (1 - 0.2 * Math.exp(2 * z)), 1e-6);
  pop.program([0.4], rng);
  pop.applyPulses([-1], rng);
  assertAlmostEquals(pop.values()[0], 0.4 - 0.01 * (1 - 0.3 * Math.exp(-3 * z)), 1e-6);
});

Deno.test("tabulated: follows a measured curve up and down, interpolating between entries", () => {
  const rng = new Rng(0);
  const up = [10, 20, 25, 28, 30];
  const pop = new PulsedModel(tabulated({ up, down: [30, 26, 20, 12, 10] }, { unit: "µS" })).sample(
    1,
    rng,
  );
  assertEquals(pop.values()[0], 10);
  pop.applyPulses([2], rng);
  assertAlmostEquals(pop.values()[0], 25, 1e-6);
  pop.applyPulses([5], rng);
  assertAlmostEquals(pop.values()[0], 30, 1e-6);
  pop.applyPulses([-1], rng);
  assertAlmostEquals(pop.values()[0], 26, 1e-6);
  pop.program([23], rng); // between down entries 26 (k=1) and 20 (k=2): index 1.5 → 16
  pop.applyPulses([-1], rng);
  assertAlmostEquals(pop.values()[0], 16, 1e-5);
  assertEquals(pop.unit, "µS");
  assertThrows(() => new PulsedModel(tabulated({ up: [1, 1, 2] })), RangeError);
});

Deno.test("C2C step noise: the variance of n pulses is n·(dw·dwStd)² (constant step)", () => {
  const rng = new Rng(4);
  const n = 20_000;
  const pop = new PulsedModel(constantStep({ dwMin: 0.001, dwStd: 0.3, wMin: -10, wMax: 10 }))
    .sample(n, rng);
  pop.applyPulses(new Float64Array(n).fill(9), rng);
  const v = pop.values();
  let m = 0;
  for (const x of v) m += x;
  m /= n;
  let s = 0;
  for (const x of v) s += (x - m) ** 2;
  assertAlmostEquals(m, 0.009, 1e-5);
  assertAlmostEquals(s / (n - 1) / (9 * (0.0003) ** 2), 1, 0.04);
});

Deno.test("D2D: relative spread of dw across devices", () => {
  const rng = new Rng(2);
  const pop = new PulsedModel(constantStep({ dwMin: 0.01, dwMinDtod: 0.2 })).sample(20_000, rng);
  let m = 0, s = 0;
  for (const x of pop.dwUp) m += x;
  m /= pop.n;
  for (const x of pop.dwUp) s += (x - m) ** 2;
  assertAlmostEquals(m, 0.01, 1e-4);
  assertAlmostEquals(Math.sqrt(s / pop.n), 0.002, 1e-4);
  assert(pop.dwUp.every((x) => x >= 0));
});

Deno.test("program: Gaussian programming error and write failures; read noise and ADC", () => {
  const rng = new Rng(6);
  const cfg = {
    ...constantStep(),
    programming: { std: 0.05, relStd: 0, failProb: 0.1 },
    read: { std: 0.02, relStd: 0, quantStep: 0 },
  };
  const n = 50_000;
  const pop = new PulsedModel(cfg).sample(n, rng);
  const res = pop.program(new Float64Array(n).fill(0.3), rng);
  assertAlmostEquals(res.failed / n, 0.1, 4 * Math.sqrt(0.09 / n));
  assertEquals(pop.counters.totalPrograms(), n);
  assertEquals(pop.counters.totalFailures(), res.failed);
  const v = pop.values();
  let m = 0, s = 0, c = 0;
  for (const x of v) {
    if (x === 0) continue; // failed writes stay at the initial 0
    m += x;
    c++;
  }
  m /= c;
  for (const x of v) if (x !== 0) s += (x - m) ** 2;
  assertAlmostEquals(m, 0.3, 0.002);
  assertAlmostEquals(Math.sqrt(s / c), 0.05, 0.002);
  // read noise is redrawn at every read and never stored
  const r1 = pop.read(rng), r2 = pop.read(rng);
  let d = 0;
  for (let i = 0; i < n; i++) d += (r1[i] - r2[i]) ** 2;
  assertAlmostEquals(Math.sqrt(d / n), 0.02 * Math.SQRT2, 0.001);
  assertEquals(pop.values(), v);
  assertEquals(pop.counters.reads, 2 * n);
  const q = new PulsedModel({
    ...constantStep(),
    read: { std: 0, relStd: 0, quantStep: 0.25, range: [-0.5, 0.5] },
  })
    .sample(3, rng);
  q.program([0.13, -0.4, 0.9], rng);
  assertEquals(Array.from(q.read(rng)), [0.25, -0.5, 0.5]);
});

Deno.test("relax: exponential decay towards rest and diffusion √dt", () => {
  const rng = new Rng(1);
  const n = 20_000;
  const cfg = { ...constantStep(), relaxation: { lifetimeS: 10, rest: 0.1, diffusionStd: 0 } };
  const pop = new PulsedModel(cfg).sample(2, rng);
  pop.program([0.6, -0.4], rng);
  pop.relax(10, rng);
  const v = pop.values();
  assertAlmostEquals(v[0], 0.1 + 0.5 * Math.exp(-1), 1e-6);
  assertAlmostEquals(v[1], 0.1 - 0.5 * Math.exp(-1), 1e-6);
  const d = new PulsedModel({
    ...constantStep(),
    relaxation: { lifetimeS: Infinity, rest: 0, diffusionStd: 0.01 },
  })
    .sample(n, rng);
  d.relax(4, rng);
  let s = 0;
  for (const x of d.values()) s += x * x;
  assertAlmostEquals(Math.sqrt(s / n), 0.02, 0.0005);
  assertThrows(() => d.relax(-1, rng), RangeError);
});
