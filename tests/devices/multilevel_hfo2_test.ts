import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import {
  complianceToConductance,
  HFO2_PROGRAM_STD_US,
  multiLevelHfO2,
  MultiLevelHfO2_2023,
} from "../../lib/devices/multilevel_hfo2.ts";
import { LevelModel } from "../../lib/devices/levels.ts";
import { deviceModel } from "../../lib/devices/model.ts";
import { Rng } from "../../lib/rng.ts";

function meanSd(v: ArrayLike<number>): [number, number] {
  let s = 0, s2 = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  const m = s / v.length;
  for (let i = 0; i < v.length; i++) s2 += (v[i] - m) ** 2;
  return [m, Math.sqrt(s2 / (v.length - 1))];
}

Deno.test("MultiLevelHfO2_2023: compliance-current levels (placeholders)", () => {
  assertEquals(complianceToConductance(8), 20);
  assertAlmostEquals(complianceToConductance(10, 0.5), 20, 1e-12);
  const G = MultiLevelHfO2_2023.levels;
  assertEquals(G.length, 4);
  [20, 160 / 3, 260 / 3, 120].forEach((g, k) => assertAlmostEquals(G[k], g, 1e-9));
  assertEquals(MultiLevelHfO2_2023.programStd, [6, 5, 4, 3]);
  assertEquals(MultiLevelHfO2_2023.unit, "µS");
  assertEquals(MultiLevelHfO2_2023.energy.programJ, null); // unknown, never a silent 0
  // 8 levels: σ interpolated across the 4-entry table
  const eight = multiLevelHfO2({
    complianceUA: Array.from({ length: 8 }, (_, k) => 8 + (40 * k) / 7),
  });
  assertEquals((eight.programStd as number[]).length, 8);
  assertAlmostEquals((eight.programStd as number[])[7], HFO2_PROGRAM_STD_US[3], 1e-12);
  assertThrows(() => multiLevelHfO2({ complianceUA: [10, 5] }), RangeError, "ascending");
  assertThrows(() => complianceToConductance(-1), RangeError);
});

Deno.test("MultiLevelHfO2_2023: level-dependent programming spread, read noise, counters", () => {
  const n = 20000;
  const model = deviceModel(MultiLevelHfO2_2023) as LevelModel;
  const pop = model.sample(n, new Rng(1));
  const rng = new Rng(2);
  for (let k = 0; k < 4; k++) {
    pop.programLevels(new Int32Array(n).fill(k), rng);
    const [m, sd] = meanSd(pop.values());
    const s = HFO2_PROGRAM_STD_US[k];
    assertAlmostEquals(m, MultiLevelHfO2_2023.levels[k], 5 * s / Math.sqrt(n), `level ${k} mean`);
    assertAlmostEquals(sd, s, 0.05 * s, `level ${k} sd`);
  }
  // every write counted, one per device per call
  assertEquals(pop.counters.totalPrograms(), 4 * n);
  assertEquals(pop.counters.programs[123], 4);
  // reads: ≈ 1 % relative noise, redrawn each read, never stored
  const stored = pop.values();
  const r1 = pop.read(rng), r2 = pop.read(rng);
  let rel = 0;
  for (let i = 0; i < n; i++) rel += ((r1[i] - stored[i]) / stored[i]) ** 2;
  assertAlmostEquals(Math.sqrt(rel / n), 0.01, 0.0005);
  assert(r1[0] !== r2[0]);
  assertEquals(pop.values(), stored);
  // the ideal ablation programs exact levels
  const ideal = new LevelModel(multiLevelHfO2({ programStdScale: 0, readRelStd: 0 })).sample(
    3,
    new Rng(0),
  );
  ideal.programLevels([0, 2, 3], rng);
  assertEquals([...ideal.read(rng)], [20, 260 / 3, 120].map(Math.fround));
});
