import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import { Rng } from "../../lib/rng.ts";
import {
  fractionalIntegrationWeights,
  noiseProcess,
  PinkNoise,
  RandomTelegraphNoise,
  type RtnConfig,
  rtnTransitionMatrix,
  WhiteNoise,
} from "../../lib/devices/noise.ts";
import { HFOX_PINK_NOISE, HFOX_RTN } from "../../lib/devices/hfox_weak_reset_2021.ts";
import { dwellTimes, logLogSlope, welchPsd } from "../../lib/devices/analysis.ts";

Deno.test("white noise: per-update variance σ², per-pulse random walk variance σ²·n", () => {
  const rng = new Rng(3);
  const n = 50_000;
  const fresh = new WhiteNoise({ kind: "white", enabled: true, std: 0.2, mode: "perUpdate" });
  const s = fresh.init(n);
  fresh.advance(s, new Float64Array(n), rng);
  const v = s.value as Float32Array;
  let m2 = 0;
  for (const x of v) m2 += x * x;
  assertAlmostEquals(m2 / n / 0.04, 1, 0.03);
  const walk = new WhiteNoise({ kind: "white", enabled: true, std: 0.1, mode: "perPulse" });
  const w = walk.init(n);
  walk.advance(w, new Float64Array(n).fill(4), rng);
  walk.advance(w, new Float64Array(n).fill(5), rng);
  let q = 0;
  for (const x of w.value as Float32Array) q += x * x;
  assertAlmostEquals(q / n / (0.01 * 9), 1, 0.03);
});

Deno.test("fractional-integration weights: 1, 0.5, 0.375, … as in the reference code", () => {
  const h = fractionalIntegrationWeights(15, 1);
  const ref = [
    1,
    0.5,
    0.375,
    0.3125,
    0.2734375,
    0.24609375,
    0.22558594,
    0.20947266,
    0.19638062,
    0.18547058,
    0.17619705,
    0.1681881,
    0.16118026,
    0.15498102,
    0.14944598,
  ];
  for (let k = 0; k < 15; k++) assertAlmostEquals(h[k], ref[k], 1e-8);
  let s = 0, s2 = 0;
  for (const x of h) {
    s += x;
    s2 += x * x;
  }
  assertAlmostEquals(s, 4.33, 0.01); // brief §4.2 (derived)
  assertAlmostEquals(s2, 1.92, 0.01);
});

Deno.test("pink noise: no pulse, no change; 15-tap uniform draws give mean 0.054, sd 0.010", () => {
  const rng = new Rng(4);
  const pink = new PinkNoise(HFOX_PINK_NOISE);
  const n = 20_000;
  const s = pink.init(n);
  const out = new Float64Array(n);
  pink.advance(s, new Float64Array(n).fill(15), rng); // history full
  pink.advance(s, new Float64Array(n).fill(3), rng);
  pink.addTo(s, out);
  const before = out.slice();
  const rngBefore = rng.getState();
  pink.advance(s, new Float64Array(n), rng); // zero pulses
  assertEquals(rng.getState(), rngBefore, "no pulse draws nothing");
  out.fill(0);
  pink.addTo(s, out);
  assertEquals(out, before, "no pulse ⇒ no change");
  let m = 0;
  for (const x of out) m += x;
  m /= n;
  let v = 0;
  for (const x of out) v += (x - m) ** 2;
  const sd = Math.sqrt(v / (n - 1));
  const th = pink.stationaryMoments();
  assertAlmostEquals(th.mean, 0.054, 0.001); // brief §4.2 derived: 0.025·4.33·0.5
  assertAlmostEquals(th.sd, 0.010, 0.0005); // 0.025·√(1.92/12)
  assertAlmostEquals(m, th.mean, 4 * th.sd / Math.sqrt(n));
  assertAlmostEquals(sd / th.sd, 1, 0.03);
});

Deno.test("pink noise: the ring buffer reproduces the direct convolution y_t = Σ h_k x_{t−k}", () => {
  const cfg = { ...HFOX_PINK_NOISE, taps: 6, draws: "gaussian" as const, scale: 1 };
  const pink = new PinkNoise(cfg);
  const s = pink.init(1);
  const rng = new Rng(9), shadow = new Rng(9);
  const xs: number[] = [];
  const counts = [1, 3, 0, 2, 7, 1];
  for (const c of counts) {
    pink.advance(s, [c], rng);
    // only the newest min(c, P) draws are made: older ones would fall outside the window
    for (let d = 0; d < Math.min(c, 6); d++) xs.push(shadow.normal());
    const h = pink.weights;
    let y = 0;
    for (let k = 0; k < 6 && k < xs.length; k++) y += h[k] * xs[xs.length - 1 - k];
    assertAlmostEquals(pink.value(s, 0), y, 1e-5);
  }
});

Deno.test("pink noise: fitted log-log PSD slope ≈ −1 (long filter, Gaussian draws)", () => {
  const pink = new PinkNoise({
    kind: "pink",
    enabled: true,
    scale: 1,
    exponent: 1,
    taps: 2048,
    draws: "gaussian",
  });
  const s = pink.init(1);
  const rng = new Rng(21);
  const N = 1 << 16;
  const y = new Float64Array(N);
  for (let t = 0; t < N; t++) {
    pink.advance(s, [1], rng);
    y[t] = pink.value(s, 0);
  }
  const spec = welchPsd(y, { segment: 4096 });
  const slope = logLogSlope(spec, { fMin: 1 / 1024, fMax: 1 / 16 });
  assert(Math.abs(slope + 1) < 0.12, `slope ${slope}`);
  // and white noise (exponent 0) is flat
  const flat = new PinkNoise({
    kind: "pink",
    enabled: true,
    scale: 1,
    exponent: 0,
    taps: 1,
    draws: "gaussian",
  });
  const f = flat.init(1);
  for (let t = 0; t < N; t++) {
    flat.advance(f, [1], rng);
    y[t] = flat.value(f, 0);
  }
  const s0 = logLogSlope(welchPsd(y, { segment: 4096 }), { fMin: 1 / 1024, fMax: 1 / 4 });
  assert(Math.abs(s0) < 0.1, `white slope ${s0}`);
});

Deno.test("RTN: closed-form n-step matrix equals the matrix power Tⁿ", () => {
  const a = 0.0008, b = 0.002;
  let P = [[1, 0], [0, 1]];
  const T = [[1 - a, a], [b, 1 - b]];
  for (let n = 0; n <= 40; n++) {
    const c = rtnTransitionMatrix(a, b, n);
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) assertAlmostEquals(c[i][j], P[i][j], 1e-14);
    }
    P = [[P[0][0] * T[0][0] + P[0][1] * T[1][0], P[0][0] * T[0][1] + P[0][1] * T[1][1]], [
      P[1][0] * T[0][0] + P[1][1] * T[1][0],
      P[1][0] * T[0][1] + P[1][1] * T[1][1],
    ]];
  }
  assertThrows(() => rtnTransitionMatrix(1.5, 0, 1), RangeError);
});

Deno.test("RTN: stationary fraction 0.29 and mean dwell times 1250 / 500 pulses (preset)", () => {
  const rtn = new RandomTelegraphNoise({ ...HFOX_RTN, initial: "stationary" });
  assertAlmostEquals(rtn.stationaryHigh(), 0.0008 / 0.0028, 1e-12);
  const n = 200, steps = 20_000;
  const rng = new Rng(8);
  const s = rtn.init(n, rng);
  const seqs = Array.from({ length: n }, () => new Uint8Array(steps));
  const ones = new Float64Array(n).fill(1);
  let high = 0;
  const hs = s.high as Uint8Array;
  for (let t = 0; t < steps; t++) {
    rtn.advance(s, ones, rng);
    for (let i = 0; i < n; i++) {
      seqs[i][t] = hs[i];
      high += hs[i];
    }
  }
  assertAlmostEquals(high / (n * steps), 0.2857, 0.02);
  const low: number[] = [], hi: number[] = [];
  for (const q of seqs) {
    const d = dwellTimes(q);
    low.push(...d.low);
    hi.push(...d.high);
  }
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  // geometric dwell times: sd ≈ mean, so the relative se is 1/√count
  assertAlmostEquals(mean(low) / 1250, 1, 4 / Math.sqrt(low.length));
  assertAlmostEquals(mean(hi) / 500, 1, 4 / Math.sqrt(hi.length));
});

Deno.test("RTN: n-pulse updates switch with the n-step probabilities; offsets scale with A_dev", () => {
  const cfg: RtnConfig = { ...HFOX_RTN, pUp: 0.05, pDown: 0.2 };
  const rtn = new RandomTelegraphNoise(cfg);
  const n = 100_000, k = 7;
  const rng = new Rng(2);
  const s = rtn.init(n, rng);
  const counts = new Float64Array(n).fill(k);
  rtn.advance(s, counts, rng);
  const hs = s.high as Uint8Array;
  const wasHigh = hs.slice();
  let up = 0;
  for (const h of hs) up += h;
  const T = rtnTransitionMatrix(0.05, 0.2, k);
  const pu = T[0][1];
  assertAlmostEquals(up / n, pu, 4 * Math.sqrt(pu * (1 - pu) / n));
  rtn.advance(s, counts, rng);
  let fromHigh = 0, down = 0;
  for (let i = 0; i < n; i++) {
    if (wasHigh[i]) {
      fromHigh++;
      if (!hs[i]) down++;
    }
  }
  const pd = T[1][0];
  assertAlmostEquals(down / fromHigh, pd, 4 * Math.sqrt(pd * (1 - pd) / fromHigh));
  // offset U(0, U(0,1)·A) with A ~ U(0, 0.5): 0 ≤ offset ≤ A, mean A/4 given A
  const off = s.offset as Float32Array, amp = s.amplitude as Float32Array;
  let ratio = 0, c = 0;
  for (let i = 0; i < n; i++) {
    if (hs[i]) {
      assert(off[i] >= 0 && off[i] <= amp[i] + 1e-7);
      ratio += off[i];
      c++;
    } else assertEquals(off[i], 0);
  }
  assertAlmostEquals(ratio / c, 0.25 / 4, 0.005);
});

Deno.test("disabled processes contribute zero and draw nothing", () => {
  for (
    const cfg of [{ ...HFOX_PINK_NOISE, enabled: false }, { ...HFOX_RTN, enabled: false }, {
      kind: "white" as const,
      enabled: false,
      std: 1,
      mode: "perUpdate" as const,
    }]
  ) {
    const p = noiseProcess(cfg);
    const rng = new Rng(1);
    const s = p.init(10, rng);
    const st = rng.getState();
    p.advance(s, new Float64Array(10).fill(5), rng);
    assertEquals(rng.getState(), st, `${cfg.kind} drew`);
    const out = new Float64Array(10);
    p.addTo(s, out);
    assertEquals(out, new Float64Array(10));
  }
  assertThrows(() => noiseProcess({ kind: "brown" } as never), TypeError);
});
