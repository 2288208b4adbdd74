import { assert, assertAlmostEquals, assertEquals } from "../assert.ts";
import { paper } from "../../lib/papers/hirtzlin2019.ts";
import { createRunContext, validateResult } from "../../lib/runner/run.ts";
import { ensureEngine } from "../../lib/runner/engine_setup.ts";
import type { ExperimentResult, RunContext } from "../../lib/runner/experiment.ts";
import { MemoryStore } from "../../lib/runner/checkpoint.ts";

// importing the runner registers tfjs's wasm backend: start the engine as runExperiment does
await ensureEngine({ quiet: true });

const ctx = (seed = 0, store?: MemoryStore): RunContext =>
  createRunContext({ seed, quiet: true, store });
const exp = (id: string) => paper.experiments.find((e) => e.id === id)!;
const run = (id: string, seed = 0, store?: MemoryStore): Promise<ExperimentResult> =>
  exp(id).run(exp(id).configs.smoke, ctx(seed, store));

/** WER(t_p, i) = 1 − exp[−(π²Δ/4)·exp(−2(i−1)t_p/τ0)] (brief §3), Δ = 60, τ0 = 1 ns. */
const wer = (tp: number, i: number, delta = 60) =>
  -Math.expm1(-(Math.PI ** 2 * delta / 4) * Math.exp(-2 * (i - 1) * tp));
/** Pulse width (ns) for a WER at overdrive i, inverting the formula above. */
const pulseFor = (w: number, i: number, delta = 60) =>
  Math.log((Math.PI ** 2 * delta / 4) / -Math.log1p(-w)) / (2 * (i - 1));

Deno.test("hirtzlin2019: every experiment runs at smoke scale with valid claims and figures", async () => {
  assertEquals(paper.key, "hirtzlin2019");
  assertEquals(paper.experiments.map((e) => e.id), [
    "fig2_accuracy_vs_ber",
    "fig3_wer_vs_pulse",
    "fig4_energy_vs_wer",
  ]);
  for (const e of paper.experiments) {
    assertEquals(e.paper, "hirtzlin2019");
    for (const s of ["smoke", "quick", "paper"] as const) {
      assert(e.configs[s], `${e.id} lacks a ${s} config`);
    }
    const res = await e.run(e.configs.smoke, ctx());
    validateResult(e, res);
    assert(res.claims.length > 0, `${e.id} has no claims`);
    assert(Object.keys(res.figures).length > 0, `${e.id} has no figures`);
    assert(Object.keys(res.tables).length > 0, `${e.id} has no tables`);
    for (const c of res.claims) {
      assert(c.panel && c.quantity && c.paper && c.ours, `${e.id}: empty claim field`);
      assert(c.holds === null || typeof c.holds === "boolean", `${e.id}: holds not a boolean`);
    }
  }
});

Deno.test("hirtzlin2019: Fig. 2 sweep has every BER, BER 0 is mask-independent, missing data say so", async () => {
  const res = await run("fig2_accuracy_vs_ber");
  const cfg = exp("fig2_accuracy_vs_ber").configs.smoke as { bers: number[]; masks: number };
  const rows = res.tables.accuracy;
  assertEquals(rows.map((r) => r.ber), cfg.bers);
  for (const r of rows) {
    // BER 0 flips nothing, so berSweep evaluates it once; every other BER gets `masks` masks
    assertEquals(r.masks, r.ber === 0 ? 1 : cfg.masks);
    const m = r.meanAccuracy as number;
    assert(m >= 0 && m <= 1, `accuracy ${m}`);
  }
  assertEquals(rows[0].sdAccuracy, 0);
  // flipping 10 % of the weights cannot beat the clean network by much
  assert((rows[2].meanAccuracy as number) <= (rows[0].meanAccuracy as number) + 0.02);
  const missing = res.claims.filter((c) => c.holds === null);
  assertEquals(missing.length, 2);
  assert(missing.every((c) => c.ours.startsWith("not computed")));
});

Deno.test("hirtzlin2019: same seed gives identical tables and claims (unit store included)", async () => {
  for (const id of ["fig3_wer_vs_pulse", "fig4_energy_vs_wer"]) {
    const a = await run(id, 5), b = await run(id, 5);
    assertEquals(b.tables, a.tables, id);
    assertEquals(b.claims, a.claims, id);
  }
  const mc = (await run("fig3_wer_vs_pulse", 5)).tables.monteCarlo;
  const other = (await run("fig3_wer_vs_pulse", 6)).tables.monteCarlo;
  assert(mc.some((r, k) => r.failures !== other[k].failures), "the seed does not reach the writes");
  const store = new MemoryStore();
  const a = await run("fig2_accuracy_vs_ber", 2, store);
  const b = await run("fig2_accuracy_vs_ber", 2, store);
  const c = await run("fig2_accuracy_vs_ber", 2);
  assertEquals(b.tables, a.tables);
  assertEquals(c.tables, a.tables);
  assertEquals(c.claims, a.claims);
});

Deno.test("hirtzlin2019: Fig. 3 curves follow the switching formula and its log-linear tail", async () => {
  const res = await run("fig3_wer_vs_pulse");
  const cfg = exp("fig3_wer_vs_pulse").configs.smoke as {
    overdrives: number[];
    mcWers: number[];
    mcCells: number;
  };
  const curves = res.tables.curves;
  assertEquals([...new Set(curves.map((r) => r.overdrive))], cfg.overdrives);
  for (const r of curves) {
    const w = wer(r.pulseNs as number, r.overdrive as number);
    assertAlmostEquals(r.wer as number, w, 1e-9 * w + 1e-15, `i=${r.overdrive} t=${r.pulseNs}`);
  }
  // t_p = 0 never switches: WER = 1 − exp(−π²·60/4) = 1
  assertEquals(curves[0].pulseNs, 0);
  assertAlmostEquals(curves[0].wer as number, 1, 1e-12);
  const tail = res.claims.find((c) => c.quantity.startsWith("log-linear tail"))!;
  assertEquals(tail.holds, true);
  assertAlmostEquals(parseFloat(tail.ours), -2, 1e-3); // −2(i − 1)/τ0 at i = 2
  // Monte-Carlo writes at the formula's pulse widths land within 4 standard errors
  const mc = res.tables.monteCarlo;
  assertEquals(mc.map((r) => r.wer), cfg.mcWers);
  for (const r of mc) {
    assertAlmostEquals(r.pulseNs as number, pulseFor(r.wer as number, 2), 1e-6);
    assertEquals(r.cells, cfg.mcCells);
    const p = r.wer as number, se = Math.sqrt(p * (1 - p) / cfg.mcCells);
    assert(Math.abs((r.measured as number) - p) <= 4 * se + 1 / cfg.mcCells, `WER ${p}`);
  }
  assertEquals(res.claims.find((c) => c.quantity.startsWith("simulated"))!.holds, true);
});

Deno.test("hirtzlin2019: Fig. 4 energy ratios equal the ratio of pulse widths (closed form)", async () => {
  const res = await run("fig4_energy_vs_wer");
  // fixed current and voltage: energy ∝ t_p, so E(1e-9)/E(1e-3) = t_p(1e-9)/t_p(1e-3) ≈ 2.16
  const ratio = pulseFor(1e-9, 2) / pulseFor(1e-3, 2);
  assertAlmostEquals(ratio, 2.16, 0.01);
  for (const r of res.tables.energy) {
    const w = r.wer as number;
    assertAlmostEquals(r.relativeToBnnWer as number, pulseFor(w, 2) / pulseFor(1e-3, 2), 1e-9);
  }
  const sys = res.tables.systems;
  assertEquals(sys.length, 3);
  assertAlmostEquals(sys[0].relativeToBnn as number, ratio, 1e-9);
  assertEquals(sys[2].relativeToBnn, 1);
  // SECDED (72,64), t = 1: raw p with P(≥ 2 errors in 72 bits) = 64·1e-9
  const p = sys[1].rawWer as number;
  const word = 1 - (1 - p) ** 72 - 72 * p * (1 - p) ** 71;
  assertAlmostEquals(word / (64 * 1e-9), 1, 1e-3);
  assertEquals(sys[1].bitsPerDataBit, 72 / 64);
  assertAlmostEquals(
    sys[1].relativeToBnn as number,
    (72 / 64) * pulseFor(p, 2) / pulseFor(1e-3, 2),
    1e-9,
  );
  assert(res.claims.every((c) => c.holds === true), "Fig. 4 claims");
});
