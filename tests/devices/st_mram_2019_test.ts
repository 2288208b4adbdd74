import { assert, assertAlmostEquals, assertThrows } from "../assert.ts";
import { Rng } from "../../lib/rng.ts";
import {
  pulseForWer,
  StMramModel,
  StMramWer2019,
  wordFailureProbability,
  writeEnergy,
  writeEnergyRatio,
  writeErrorRate,
} from "../../lib/devices/st_mram_2019.ts";

const base = { overdrive: 2, delta: 60, tau0Ns: 1 };

Deno.test("WER follows the brief's precessional formula", () => {
  for (const [tp, i] of [[2, 1.5], [5, 2], [3, 3]]) {
    const x = (Math.PI ** 2 * 60 / 4) * Math.exp(-2 * (i - 1) * tp / 1);
    assertAlmostEquals(
      writeErrorRate({ pulseNs: tp, overdrive: i, delta: 60, tau0Ns: 1 }),
      1 - Math.exp(-x),
      1e-15,
    );
  }
});

Deno.test("WER: monotone decreasing in t_p, → 1 at t_p → 0, log-linear tail of slope −2(i−1)/τ0", () => {
  for (const i of [1.5, 2, 3]) {
    let prev = 1.0000001;
    for (let tp = 0; tp <= 20; tp += 0.25) {
      const w = writeErrorRate({ pulseNs: tp, overdrive: i, delta: 60, tau0Ns: 1 });
      assert(w < prev || w === 1, `not decreasing at ${tp} ns`);
      prev = w;
    }
    assertAlmostEquals(
      writeErrorRate({ pulseNs: 0, overdrive: i, delta: 60, tau0Ns: 1 }),
      1,
      1e-12,
    );
    const a = writeErrorRate({ pulseNs: 15, overdrive: i, delta: 60, tau0Ns: 1 });
    const b = writeErrorRate({ pulseNs: 16, overdrive: i, delta: 60, tau0Ns: 1 });
    assertAlmostEquals(Math.log(b) - Math.log(a), -2 * (i - 1), 1e-4);
  }
  assertThrows(
    () => writeErrorRate({ pulseNs: 5, overdrive: 1, delta: 60, tau0Ns: 1 }),
    RangeError,
  );
  assertThrows(() => pulseForWer(1e-3, { ...base, overdrive: 0.8 }), RangeError);
});

Deno.test("pulseForWer inverts writeErrorRate; energy ratio 1e-3 → 1e-9 ≈ 2.16 (Δ=60), 2.19 (Δ=45)", () => {
  for (const w of [1e-1, 1e-3, 1e-6, 1e-9]) {
    const tp = pulseForWer(w, base);
    assertAlmostEquals(writeErrorRate({ ...base, pulseNs: tp }) / w, 1, 1e-9);
  }
  assertAlmostEquals(pulseForWer(1e-3, base), 5.952, 0.001);
  assertAlmostEquals(writeEnergyRatio(1e-3, 1e-9, { delta: 60 }), 2.16, 0.005);
  assertAlmostEquals(writeEnergyRatio(1e-3, 1e-9, { delta: 45 }), 2.19, 0.005);
  assertAlmostEquals(
    writeEnergy({ pulseNs: 10, overdrive: 2, ic0A: 100e-6, voltageV: 0.5 }),
    1e-12,
    1e-24,
  );
});

Deno.test("word failure probability of a t-error-correcting code", () => {
  const p = 1e-4;
  // n = 72, t = 1: 1 − (1−p)^72 − 72 p (1−p)^71
  const direct = 1 - Math.pow(1 - p, 72) - 72 * p * Math.pow(1 - p, 71);
  assertAlmostEquals(wordFailureProbability(p, { n: 72, t: 1 }) / direct, 1, 1e-6);
  assertAlmostEquals(wordFailureProbability(1e-9, { n: 72, t: 1 }) / (2556 * 1e-18), 1, 1e-6);
});

Deno.test("StMramModel: failed switching writes at the WER, no error when the bit is unchanged", () => {
  const cfg = { ...StMramWer2019, pulseNs: pulseForWer(0.02, base) };
  const model = new StMramModel(cfg);
  const n = 100_000;
  const rng = new Rng(12);
  const pop = model.sample(n, rng);
  const targets = new Float32Array(n);
  const stored = pop.values();
  for (let i = 0; i < n; i++) targets[i] = -stored[i]; // every bit must switch
  const r = pop.program(targets, rng);
  assertAlmostEquals(r.attempted, n, 0);
  assertAlmostEquals(r.failed / n, 0.02, 4 * Math.sqrt(0.02 * 0.98 / n));
  const again = pop.program(pop.values(), rng);
  assertAlmostEquals(again.attempted, 0, 0);
  assertAlmostEquals(pop.counters.energy().programsJ! / (n * model.energyPerWrite()), 1, 1e-9);
});
