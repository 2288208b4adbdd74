import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import { Rng } from "../../lib/rng.ts";
import { twoSlopeInverse, twoSlopeMean, WeakResetModel } from "../../lib/devices/weak_reset.ts";
import { truncatedMoments } from "../../lib/devices/distributions.ts";
import {
  HFOX_ABLATIONS,
  hfoxAblation,
  HfOxWeakReset2021,
} from "../../lib/devices/hfox_weak_reset_2021.ts";
import { percentile } from "../../lib/devices/analysis.ts";

const meanParams = {
  m1: truncatedMoments(HfOxWeakReset2021.m1).mean,
  tStar: truncatedMoments(HfOxWeakReset2021.tStar).mean,
  c1: truncatedMoments(HfOxWeakReset2021.c1).mean,
  m2: truncatedMoments(HfOxWeakReset2021.m2).mean,
};
const meanR0 = truncatedMoments(HfOxWeakReset2021.r0).mean;

Deno.test("two-slope mean model: the brief's equation, continuous at the knee, monotone", () => {
  const p = { m1: 1e-3, tStar: 300, c1: 0.01, m2: 2e-5 };
  assertAlmostEquals(twoSlopeMean(0, p), 0.01, 1e-15);
  assertAlmostEquals(twoSlopeMean(100, p), 0.01 + 0.1, 1e-12);
  assertAlmostEquals(twoSlopeMean(1000, p), 2e-5 * 1000 + 300 * (1e-3 - 2e-5) + 0.01, 1e-12);
  assertAlmostEquals(twoSlopeMean(300 - 1e-9, p), twoSlopeMean(300, p), 1e-10);
  let prev = -Infinity;
  for (let t = 0; t <= 3000; t += 7) {
    const w = twoSlopeMean(t, p);
    assert(w >= prev);
    prev = w;
    assertAlmostEquals(twoSlopeInverse(w, p), t, 1e-6);
  }
});

Deno.test("mean device (every parameter at its mean, no noise) matches the brief's R(t) values", () => {
  // brief §4: 7.03 kΩ at 0 pulses, 7.53 at 100, 9.95 at 500, 10.99 at 1000, 11.29 at 2000
  const ref: [number, number][] = [[0, 7030], [100, 7530], [500, 9950], [1000, 10990], [
    2000,
    11290,
  ]];
  for (const [t, r] of ref) {
    const R = meanR0 * Math.exp(twoSlopeMean(t, meanParams));
    assertAlmostEquals(R / r, 1, 0.002, `${t} pulses`);
  }
  // the population version: every device at the mean, no C2C noise
  const rng = new Rng(0);
  const pop = new WeakResetModel({ ...hfoxAblation("noC2C"), d2d: "mean" }).sample(4, rng);
  pop.applyPulses([0, 100, 500, 1000], rng);
  const v = pop.values();
  for (let i = 0; i < 4; i++) assertAlmostEquals(v[i] / ref[i][1], 1, 0.003);
});

Deno.test("full model: no pulse ⇒ mean and pink terms unchanged; resistance grows with pulses", () => {
  const rng = new Rng(1);
  const pop = new WeakResetModel(HfOxWeakReset2021).sample(2000, rng);
  pop.applyPulses(new Float64Array(2000).fill(10), rng);
  const mean0 = pop.meanLog(), pink0 = pop.noiseTerm("pink");
  pop.applyPulses(new Float64Array(2000), rng);
  assertEquals(pop.meanLog(), mean0);
  assertEquals(pop.noiseTerm("pink"), pink0);
  // median R over the population is increasing in the pulse count (mean model is monotone)
  let prev = 0;
  for (let k = 0; k < 8; k++) {
    pop.applyPulses(new Float64Array(2000).fill(100), rng);
    const med = percentile(pop.values(), 50);
    assert(med > prev, `median ${med} after ${k}`);
    prev = med;
  }
  assertThrows(() => pop.applyPulses(new Float64Array(2000).fill(-1), rng), RangeError);
  assertThrows(() => pop.applyPulses(new Float64Array(3), rng), RangeError);
});

Deno.test("population percentiles of R(t) are stable under re-seeding (assert on medians, not means)", () => {
  const med: number[] = [], p90: number[] = [];
  for (const seed of [1, 2, 3]) {
    const rng = new Rng(seed);
    const pop = new WeakResetModel(HfOxWeakReset2021).sample(20_000, rng);
    pop.applyPulses(new Float64Array(20_000).fill(14), rng);
    for (let k = 0; k < 35; k++) pop.applyPulses(new Float64Array(20_000).fill(14), rng); // 504 pulses
    const v = pop.values();
    med.push(percentile(v, 50));
    p90.push(percentile(v, 90));
  }
  for (let k = 1; k < 3; k++) {
    assertAlmostEquals(med[k] / med[0], 1, 0.01);
    assertAlmostEquals(p90[k] / p90[0], 1, 0.03);
  }
  // the median lies near the mean device plus the pink offset (≈ +5.5 %), well below 2× R0
  assert(med[0] > 7500 && med[0] < 11500, `median ${med[0]}`);
});

Deno.test("ablations switch the processes off and no-D2D makes devices identical", () => {
  const n = 500;
  for (const a of HFOX_ABLATIONS) {
    const rng = new Rng(7);
    const cfg = hfoxAblation(a);
    const pop = new WeakResetModel(cfg).sample(n, rng);
    for (let k = 0; k < 40; k++) pop.applyPulses(new Float64Array(n).fill(10), rng);
    const pink = pop.noiseTerm("pink"), rtn = pop.noiseTerm("rtn");
    const pinkOn = pink.some((x) => x !== 0), rtnOn = rtn.some((x) => x !== 0);
    assertEquals(pinkOn, !(a === "noPink" || a === "noC2C"), `${a}: pink`);
    assertEquals(rtnOn, !(a === "noRtn" || a === "noC2C"), `${a}: rtn`);
    const same = (x: Float32Array) => x.every((v) => v === x[0]);
    assertEquals(
      same(pop.m1) && same(pop.tStar) && same(pop.c1) && same(pop.m2) && same(pop.r0),
      a === "noD2D",
      a,
    );
    if (a === "noD2D") {
      assertAlmostEquals(pop.m1[0], truncatedMoments(HfOxWeakReset2021.m1).median, 1e-9);
      assertAlmostEquals(pop.r0[0], truncatedMoments(HfOxWeakReset2021.r0).median, 1e-2);
      assert(
        same(pop.state["rtn.amplitude"] as Float32Array),
        "RTN amplitude identical without D2D",
      );
    }
    if (a === "noC2C") {
      // deterministic: R is exactly R0·exp(w_mean(t))
      const v = pop.values(), m = pop.meanLog();
      for (let i = 0; i < n; i++) assertAlmostEquals(v[i], pop.r0[i] * Math.exp(m[i]), 1e-2);
    }
  }
  assertThrows(() => hfoxAblation("noThing" as never), RangeError);
  // the preset itself is not mutated by an ablation
  assert(HfOxWeakReset2021.noise.every((p) => p.enabled));
});

Deno.test("program: SET then open-loop pulses reach the target without C2C; counters count", () => {
  const rng = new Rng(5);
  const pop = new WeakResetModel(hfoxAblation("noC2C")).sample(1000, rng);
  pop.applyPulses(new Float64Array(1000).fill(300), rng);
  const targets = new Float64Array(1000);
  for (let i = 0; i < 1000; i++) {
    targets[i] = pop.r0[i] * Math.exp(pop.c1[i] + 0.05 + 0.1 * (i % 3));
  }
  const res = pop.program(targets, rng);
  assertEquals(res.attempted, 1000);
  const v = pop.values();
  let ok = 0;
  for (let i = 0; i < 1000; i++) {
    // one pulse of resolution: |Δ ln R| ≤ max slope / 2
    const tol = Math.max(pop.m1[i], pop.m2[i]) / 2 + 1e-6;
    if (Math.abs(Math.log(v[i] / targets[i])) <= tol) ok++;
  }
  assertEquals(ok + res.failed, 1000, `${res.failed} failed`);
  assertEquals(pop.counters.totalPrograms(), 1000);
  assertEquals(pop.counters.totalPulses(), 300 * 1000 + res.pulses);
  // energies are unknown for this preset: reported as null, not 0
  assertEquals(pop.counters.energy().totalJ, null);
  assertThrows(() => pop.program(new Float64Array(1000).fill(-5), rng), RangeError);
});

Deno.test("same seed ⇒ identical populations and trajectories; snapshot/restore resumes exactly", () => {
  const run = (seed: number) => {
    const rng = new Rng(seed);
    const pop = new WeakResetModel(HfOxWeakReset2021).sample(300, rng);
    const counts = new Float64Array(300);
    for (let k = 0; k < 20; k++) {
      for (let i = 0; i < 300; i++) counts[i] = (i + k) % 15;
      pop.applyPulses(counts, rng);
    }
    return { pop, rng };
  };
  const a = run(42), b = run(42), c = run(43);
  assertEquals(a.pop.values(), b.pop.values());
  assert(a.pop.values().some((v, i) => v !== c.pop.values()[i]));
  const snap = a.pop.snapshot(), rs = a.rng.getState();
  a.pop.applyPulses(new Float64Array(300).fill(3), a.rng);
  const after = a.pop.values();
  a.pop.restore(snap);
  a.rng.setState(rs);
  a.pop.applyPulses(new Float64Array(300).fill(3), a.rng);
  assertEquals(a.pop.values(), after);
});
