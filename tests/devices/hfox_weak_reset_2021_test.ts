import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import {
  HFOX_ABLATIONS,
  HFOX_PINK_NOISE,
  HFOX_RTN,
  type HfOxAblation,
  hfoxAblation,
  HfOxWeakReset2021,
} from "../../lib/devices/hfox_weak_reset_2021.ts";
import { WeakResetModel } from "../../lib/devices/weak_reset.ts";
import { truncatedMoments } from "../../lib/devices/distributions.ts";
import { Rng } from "../../lib/rng.ts";

Deno.test("HfOxWeakReset2021: parameter table as in brief §4 (scipy parametrisation, units)", () => {
  const p = HfOxWeakReset2021;
  assertEquals(p.kind, "weakReset");
  assertEquals(p.name, "HfOxWeakReset2021");
  // m1 (1/pulse): exponential, loc 3.7416e-5, scale 6.5647e-4, truncated [3.74e-5, 7.6e-3]
  assertEquals(p.m1.kind, "exponential");
  const m1 = p.m1 as unknown as { loc: number; scale: number; truncate: [number, number] };
  assertAlmostEquals(m1.loc, 3.7416e-5, 1e-9);
  assertAlmostEquals(m1.scale, 6.5647e-4, 1e-8);
  assertEquals(m1.truncate, [3.74e-5, 7.6e-3]);
  // t* (pulses): lognormal, shape 0.80338, loc 0, scale 542.54, truncated [41, 2000]
  assertEquals(p.tStar.kind, "lognormal");
  const ts = p.tStar as unknown as {
    shape: number;
    loc: number;
    scale: number;
    truncate: number[];
  };
  assertAlmostEquals(ts.shape, 0.80338, 1e-5);
  assertEquals(ts.loc, 0);
  assertAlmostEquals(ts.scale, 542.54, 0.005);
  assertEquals(ts.truncate, [41, 2000]);
  // c1 (ln Ω/Ω): normal, mean 5.2931e-3, sd 5.3208e-2, truncated [−0.15, 0.15]
  assertEquals(p.c1.kind, "normal");
  const c1 = p.c1 as unknown as { mean: number; sd: number; truncate: number[] };
  assertAlmostEquals(c1.mean, 5.2931e-3, 1e-7);
  assertAlmostEquals(c1.sd, 5.3208e-2, 1e-6);
  assertEquals(c1.truncate, [-0.15, 0.15]);
  // m2 (1/pulse): exponential, loc ≈ 0, scale 2.8891e-5, truncated [0, 1.3e-4]
  assertEquals(p.m2.kind, "exponential");
  const m2 = p.m2 as unknown as { loc: number; scale: number; truncate: number[] };
  assert(Math.abs(m2.loc) < 1e-30);
  assertAlmostEquals(m2.scale, 2.8891e-5, 1e-9);
  assertEquals(m2.truncate, [0, 1.3e-4]);
  // R0 (Ω): normal, mean 6988 Ω, sd 381.7 Ω, truncated [6252, 7897] Ω
  assertEquals(p.r0, { kind: "normal", mean: 6988, sd: 381.7, truncate: [6252, 7897] });
  assertEquals(p.d2d, "sampled");
  // energies are not in the brief: unknown (null), never 0
  assertEquals(p.energy, { pulseJ: null, programJ: null, readJ: null });
});

Deno.test("HfOxWeakReset2021: derived means / medians of the table (brief §4)", () => {
  const p = HfOxWeakReset2021;
  const near = (x: number, ref: number, rel: number, what: string) =>
    assert(Math.abs(x / ref - 1) < rel, `${what}: ${x} vs ${ref}`);
  near(truncatedMoments(p.m1).mean, 6.97e-4, 0.01, "m1 mean");
  near(truncatedMoments(p.m1).median, 4.97e-4, 0.02, "m1 median");
  near(truncatedMoments(p.tStar).mean, 627, 0.01, "t* mean");
  near(truncatedMoments(p.tStar).median, 516, 0.01, "t* median");
  near(truncatedMoments(p.m2).mean, 2.7e-5, 0.02, "m2 mean");
  near(truncatedMoments(p.r0).mean, 7000, 0.005, "R0 mean");
  assertAlmostEquals(Math.sqrt(truncatedMoments(p.c1).variance), 0.052, 0.001);
});

Deno.test("HfOxWeakReset2021: noise processes as coded (pink 15 taps uniform draws, RTN)", () => {
  assertEquals(HfOxWeakReset2021.noise, [HFOX_PINK_NOISE, HFOX_RTN]);
  assertEquals(HFOX_PINK_NOISE, {
    kind: "pink",
    enabled: true,
    scale: 0.025,
    exponent: 1,
    taps: 15,
    draws: "uniform01",
  });
  assertEquals(HFOX_RTN.pUp, 0.0008);
  assertEquals(HFOX_RTN.pDown, 0.002);
  assertEquals(HFOX_RTN.amplitude, { kind: "uniform", low: 0, high: 0.5 });
  assertEquals(HFOX_RTN.initial, "low");
  assertEquals(HFOX_RTN.redraw, "everyUpdate");
  // derived: stationary P(high) = 0.0008 / 0.0028 ≈ 0.29
  assertAlmostEquals(HFOX_RTN.pUp / (HFOX_RTN.pUp + HFOX_RTN.pDown), 0.2857, 1e-4);
});

/** Noise terms and parameter spreads of a population of the ablated preset after 2000 pulses. */
function probe(ablation: HfOxAblation) {
  const pop = new WeakResetModel(hfoxAblation(ablation)).sample(64, new Rng(11));
  const rng = new Rng(12);
  const ones = new Float64Array(64).fill(1);
  for (let t = 0; t < 2000; t++) pop.applyPulses(ones, rng);
  const absSum = (a: Float64Array) => a.reduce((s, x) => s + Math.abs(x), 0);
  const spread = (a: Float32Array) => Math.max(...a) - Math.min(...a);
  return {
    pink: absSum(pop.noiseTerm("pink")),
    rtn: absSum(pop.noiseTerm("rtn")),
    d2d: spread(pop.m1) + spread(pop.r0),
    pop,
  };
}

Deno.test("hfoxAblation: every name switches off exactly its process", () => {
  assertEquals([...HFOX_ABLATIONS], ["full", "noD2D", "noPink", "noRtn", "noC2C"]);
  const on = { pink: true, rtn: true, d2d: true };
  const expect: Record<HfOxAblation, typeof on> = {
    full: on,
    noD2D: { ...on, d2d: false },
    noPink: { ...on, pink: false },
    noRtn: { ...on, rtn: false },
    noC2C: { pink: false, rtn: false, d2d: true },
  };
  for (const a of HFOX_ABLATIONS) {
    const cfg = hfoxAblation(a);
    assertEquals(cfg.d2d, expect[a].d2d ? "sampled" : "median", a);
    assertEquals(cfg.noise.map((p) => p.enabled), [expect[a].pink, expect[a].rtn], a);
    assertEquals(
      cfg.name,
      a === "full" ? "HfOxWeakReset2021" : `HfOxWeakReset2021 (${a === "noD2D" ? "no D2D" : a})`,
    );
    // the table itself is untouched
    for (const k of ["m1", "tStar", "c1", "m2", "r0"] as const) {
      assertEquals(cfg[k], HfOxWeakReset2021[k], `${a} ${k}`);
    }
    const p = probe(a);
    assertEquals(p.pink > 0, expect[a].pink, `${a}: pink term`);
    assertEquals(p.rtn > 0, expect[a].rtn, `${a}: RTN term`);
    assertEquals(p.d2d > 0, expect[a].d2d, `${a}: D2D spread`);
  }
  // no D2D puts every device at the median of each truncated distribution
  const nd = probe("noD2D").pop;
  assertAlmostEquals(nd.tStar[0], truncatedMoments(HfOxWeakReset2021.tStar).median, 1e-3);
  assertAlmostEquals(nd.r0[5], truncatedMoments(HfOxWeakReset2021.r0).median, 1e-2);
  // the preset object is not mutated by an ablation
  assertEquals(HfOxWeakReset2021.noise.map((p) => p.enabled), [true, true]);
  assertEquals(HFOX_PINK_NOISE.enabled, true);
});

Deno.test("hfoxAblation: unknown names throw a clear error listing the valid ones", () => {
  assertThrows(
    () => hfoxAblation("noWhite" as HfOxAblation),
    RangeError,
    'unknown ablation "noWhite"; use one of full, noD2D, noPink, noRtn, noC2C',
  );
});
