import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import {
  dwConductance,
  dwStateStatistics,
  DwSynapse2021,
  dwSynapse2021,
} from "../../lib/devices/domain_wall.ts";
import { LevelModel } from "../../lib/devices/levels.ts";
import { normCdf } from "../../lib/devices/distributions.ts";
import { nearestLevel } from "../../lib/devices/population.ts";
import { Rng } from "../../lib/rng.ts";

Deno.test("DwSynapse2021: 2, 3 and 5 states on [−1, 1], spread in units of the spacing", () => {
  assertEquals(DwSynapse2021[2].levels, [-1, 1]);
  assertEquals(DwSynapse2021[3].levels, [-1, 0, 1]);
  assertEquals(DwSynapse2021[5].levels, [-1, -0.5, 0, 0.5, 1]);
  assertAlmostEquals(DwSynapse2021[5].programStd as number, 0.2 * 0.5, 1e-15);
  assertAlmostEquals(
    dwSynapse2021({ states: 2, positionSpread: 0.3 }).programStd as number,
    0.6,
    1e-15,
  );
  assertEquals(DwSynapse2021[3].energy.programJ, 3e-15);
  assertEquals(dwConductance(-1, { gAP: 1, gP: 3 }), 1);
  assertEquals(dwConductance(0, { gAP: 1, gP: 3 }), 2);
  assertThrows(() => dwSynapse2021({ states: 1 }), RangeError);
  assertThrows(() => dwSynapse2021({ positionSpread: -0.1 }), RangeError);
});

Deno.test("dwStateStatistics: closed forms by hand", () => {
  // 3 states, σ/Δw = 0.2 (Δw = 1): the middle state stays in its window with P(|ξ| < 2.5)
  const s3 = dwStateStatistics(dwSynapse2021({ states: 3, positionSpread: 0.2 }));
  assertAlmostEquals(s3.confusion[1][1], 2 * normCdf(2.5) - 1, 1e-12);
  assertAlmostEquals(s3.confusion[1][0], normCdf(-2.5), 1e-12);
  assertAlmostEquals(s3.mean[1], 0, 1e-12);
  // outer state of a 2-state synapse: half the mass on the track end, E = 1 − s/√(2π) (up to
  // the 5σ-away other end of the track, worth ~1e-8)
  const s2 = dwStateStatistics(dwSynapse2021({ states: 2, positionSpread: 0.2 }));
  assertAlmostEquals(s2.mean[1], 1 - 0.4 / Math.sqrt(2 * Math.PI), 1e-7);
  assertAlmostEquals(s2.mean[0], -s2.mean[1], 1e-12);
  // sd of min(X, 1), X ~ N(1, s²): s·√(1/2 − 1/(2π))
  assertAlmostEquals(s2.programmedSd[1], 0.4 * Math.sqrt(0.5 - 1 / (2 * Math.PI)), 1e-6);
  assertAlmostEquals(s2.errorRate[1], normCdf(-2.5), 1e-12);
  // no spread: exact states, identity confusion
  const s0 = dwStateStatistics(dwSynapse2021({ states: 5, positionSpread: 0 }));
  assertEquals(s0.mean, [-1, -0.5, 0, 0.5, 1]);
  assertEquals(s0.confusion.map((r) => r.indexOf(1)), [0, 1, 2, 3, 4]);
  for (const row of dwStateStatistics(DwSynapse2021[5]).confusion) {
    assertAlmostEquals(row.reduce((a, b) => a + b, 0), 1, 1e-12);
  }
});

Deno.test("DwSynapse2021: sampled wall positions match the closed-form state statistics", () => {
  const n = 20000;
  for (const states of [2, 3, 5]) {
    const cfg = dwSynapse2021({ states, positionSpread: 0.3 });
    const stats = dwStateStatistics(cfg);
    const pop = new LevelModel(cfg).sample(n, new Rng(states));
    const rng = new Rng(100 + states);
    for (let k = 0; k < states; k++) {
      pop.programLevels(new Int32Array(n).fill(k), rng);
      const v = pop.values();
      let s = 0, s2 = 0, lo = Infinity, hi = -Infinity;
      for (const x of v) {
        s += x;
        s2 += x * x;
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
      const m = s / n, sd = Math.sqrt(s2 / n - m * m);
      assert(lo >= -1 && hi <= 1, "walls stay on the track");
      assertAlmostEquals(
        m,
        stats.mean[k],
        5 * stats.programmedSd[k] / Math.sqrt(n),
        `K ${states}, state ${k} mean`,
      );
      assertAlmostEquals(
        sd,
        stats.programmedSd[k],
        0.04 * stats.programmedSd[k],
        `K ${states}, state ${k} sd`,
      );
      const counts = new Array(states).fill(0);
      for (const j of nearestLevel(v, cfg.levels)) counts[j]++;
      for (let j = 0; j < states; j++) {
        const p = stats.confusion[k][j];
        assertAlmostEquals(
          counts[j] / n,
          p,
          5 * Math.sqrt(p * (1 - p) / n) + 1e-3,
          `K ${states}: ${k} → ${j}`,
        );
      }
    }
    assertEquals(pop.counters.totalPrograms(), states * n);
    assertAlmostEquals(pop.counters.energy().programsJ!, states * n * 3e-15, 1e-20);
  }
});
