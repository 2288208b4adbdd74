import { assertEquals, assertThrows } from "../assert.ts";
import { Rng } from "../../lib/rng.ts";
import { applyRead, nearestLevel, quantize } from "../../lib/devices/population.ts";
import { deviceModel } from "../../lib/devices/model.ts";
import { HfOxWeakReset2021 } from "../../lib/devices/hfox_weak_reset_2021.ts";
import { constantStep } from "../../lib/devices/pulsed.ts";
import { uniformLevels } from "../../lib/devices/levels.ts";

Deno.test("quantize rounds to the ADC step and clips to the range", () => {
  assertEquals(Array.from(quantize([0.26, -0.74, 3], { step: 0.5, min: -1, max: 1 })), [
    0.5,
    -0.5,
    1,
  ]);
  assertEquals(Array.from(quantize([0.26], { step: 0.5, offset: 0.25 })), [0.25]);
  assertEquals(Array.from(quantize([7], { step: 0, max: 5 })), [5]);
  assertThrows(() => quantize([1], { step: -1 }), RangeError);
});

Deno.test("nearestLevel picks the closest level (ties to the lower one)", () => {
  assertEquals(Array.from(nearestLevel([-5, 0.4, 0.5, 0.6, 9], [0, 1, 2])), [0, 0, 0, 1, 2]);
  assertThrows(() => nearestLevel([0], [1, 0]), RangeError);
});

Deno.test("applyRead: relative read noise scales with |value|", () => {
  const rng = new Rng(2);
  const n = 50_000;
  const v = new Float32Array(n).fill(10);
  applyRead(v, { std: 0, relStd: 0.01, quantStep: 0 }, rng);
  let s = 0;
  for (const x of v) s += (x - 10) ** 2;
  const sd = Math.sqrt(s / n);
  if (Math.abs(sd - 0.1) > 0.003) throw new Error(`read sd ${sd}`);
});

Deno.test("deviceModel dispatches on kind and every population snapshots and restores", () => {
  for (const cfg of [HfOxWeakReset2021, constantStep({ dwStd: 0.2 }), uniformLevels(3)]) {
    const rng = new Rng(3);
    const pop = deviceModel(cfg).sample(50, rng);
    const counts = new Float64Array(50).map((_, i) => i % 4);
    pop.applyPulses(counts, rng);
    const snap = pop.snapshot(), st = rng.getState();
    pop.applyPulses(counts, rng);
    const after = pop.values();
    pop.restore(snap);
    rng.setState(st);
    pop.applyPulses(counts, rng);
    assertEquals(pop.values(), after, cfg.kind);
    assertThrows(() => pop.restore({ ...snap, n: 3 }), RangeError);
  }
  assertThrows(() => deviceModel({ kind: "pcm" } as never), TypeError);
});
