import { assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import { Rng } from "../../lib/rng.ts";
import {
  dwellTimes,
  fft,
  histogram,
  logLogSlope,
  percentile,
  welchPsd,
} from "../../lib/devices/analysis.ts";

Deno.test("fft equals the direct DFT", () => {
  const n = 16, rng = new Rng(0);
  const x = Float64Array.from({ length: n }, () => rng.normal());
  const re = x.slice(), im = new Float64Array(n);
  fft(re, im);
  for (let k = 0; k < n; k++) {
    let a = 0, b = 0;
    for (let t = 0; t < n; t++) {
      a += x[t] * Math.cos(-2 * Math.PI * k * t / n);
      b += x[t] * Math.sin(-2 * Math.PI * k * t / n);
    }
    assertAlmostEquals(re[k], a, 1e-10);
    assertAlmostEquals(im[k], b, 1e-10);
  }
  assertThrows(() => fft(new Float64Array(6), new Float64Array(6)), RangeError);
});

Deno.test("Welch PSD of unit white noise integrates to its variance and is flat", () => {
  const rng = new Rng(1);
  const x = Float64Array.from({ length: 1 << 15 }, () => rng.normal());
  const s = welchPsd(x, { segment: 1024 });
  let area = 0;
  for (let k = 1; k < s.freq.length; k++) area += s.psd[k] * (s.freq[k] - s.freq[k - 1]);
  assertAlmostEquals(area, 1, 0.03);
  assertAlmostEquals(logLogSlope(s, { fMin: 0.005, fMax: 0.5 }), 0, 0.05);
});

Deno.test("dwellTimes drops censored runs; percentile and histogram", () => {
  assertEquals(dwellTimes([0, 0, 1, 1, 1, 0, 1, 1]), { low: [1], high: [3] });
  assertEquals(percentile([5, 1, 3, 2, 4], 50), 3);
  assertEquals(percentile([0, 10], 25), 2.5);
  const h = histogram([0.1, 0.2, 0.9, 1.0, 2], { bins: 2, min: 0, max: 1 });
  assertEquals(Array.from(h.counts), [2, 2]);
});

Deno.test("meanDwell: time in state over exits, unbiased by censored runs", async () => {
  const { meanDwell } = await import("../../lib/devices/analysis.ts");
  assertEquals(meanDwell([[0, 0, 1, 1, 1, 0, 1, 1]]), { low: 3 / 2, high: 5 / 1 });
  // a long geometric chain: p(exit low) = 0.01, p(exit high) = 0.05
  const rng = new Rng(4);
  const seqs: Uint8Array[] = [];
  for (let k = 0; k < 20; k++) {
    const s = new Uint8Array(5000);
    let st = 0;
    for (let i = 0; i < s.length; i++) {
      s[i] = st;
      if (rng.uniform() < (st ? 0.05 : 0.01)) st = 1 - st;
    }
    seqs.push(s);
  }
  const m = meanDwell(seqs);
  assertAlmostEquals(m.low / 100, 1, 0.12);
  assertAlmostEquals(m.high / 20, 1, 0.12);
});
