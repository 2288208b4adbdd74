import { assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import { Rng } from "../../lib/rng.ts";
import { LevelModel, uniformLevels } from "../../lib/devices/levels.ts";

Deno.test("levels: targets snap to the nearest level; skipped writes are not counted", () => {
  const rng = new Rng(0);
  const cfg = {
    ...uniformLevels(4, [20, 120]),
    energy: { pulseJ: null, programJ: 2e-12, readJ: null },
  };
  const pop = new LevelModel(cfg).sample(3, rng);
  const r = pop.program([50, 200, 21], rng);
  const v = pop.values();
  assertAlmostEquals(v[0], 20 + 100 / 3, 1e-4);
  assertEquals(v[1], 120);
  assertEquals(v[2], 20);
  assertEquals(r, { attempted: 2, failed: 0, skipped: 1, pulses: 0 });
  assertEquals(Array.from(pop.counters.programs), [1, 1, 0]);
  assertAlmostEquals(pop.counters.energy().programsJ!, 4e-12, 1e-24);
  pop.applyPulses([1, -5, 2], rng);
  assertEquals(Array.from(pop.level), [2, 0, 2]);
  assertEquals(pop.counters.totalPulses(), 8);
  assertThrows(() => pop.programLevels([0, 9, 0], rng), RangeError);
});

Deno.test("levels: per-level programming error σ_l, truncation to the physical range", () => {
  const rng = new Rng(3);
  const n = 40_000;
  const cfg = {
    ...uniformLevels(2, [0, 1]),
    programStd: [0.05, 0.2],
    clip: [0, 1] as [number, number],
  };
  const pop = new LevelModel(cfg).sample(n, rng);
  pop.programLevels(new Int32Array(n).fill(1), rng);
  const v = pop.values();
  let below = 0;
  for (const x of v) {
    if (x > 1 || x < 0) throw new Error(`not truncated: ${x}`);
    if (x < 1) below++;
  }
  // half the Gaussian mass lies above 1 and is clipped to it
  assertAlmostEquals(below / n, 0.5, 0.01);
  let s = 0, c = 0;
  for (const x of v) {
    if (x < 1) {
      s += (1 - x) ** 2;
      c++;
    }
  }
  assertAlmostEquals(Math.sqrt(s / c), 0.2, 0.005); // half-normal second moment = σ²
});

Deno.test("levels: write failures at the per-device rate leave devices unchanged", () => {
  const rng = new Rng(9);
  const n = 50_000;
  const cfg = { ...uniformLevels(2), failProb: { kind: "constant" as const, value: 0.05 } };
  const pop = new LevelModel(cfg).sample(n, rng);
  const r = pop.programLevels(new Int32Array(n).fill(1), rng);
  assertAlmostEquals(r.failed / n, 0.05, 4 * Math.sqrt(0.05 * 0.95 / n));
  let stillLow = 0;
  for (const x of pop.values()) if (x === -1) stillLow++;
  assertEquals(stillLow, r.failed);
  assertEquals(pop.counters.totalFailures(), r.failed);
});
