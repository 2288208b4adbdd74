import { assert, assertAlmostEquals, assertEquals, assertRejects } from "../assert.ts";
import { bimuResilience, paper } from "../../lib/papers/bimu2026.ts";
import { AccuracyMatrix } from "../../lib/metrics/continual.ts";
import type { RunContext } from "../../lib/runner/experiment.ts";
import { createRunContext } from "../../lib/runner/run.ts";
import { MemoryStore } from "../../lib/runner/checkpoint.ts";

const ctx = (seed: number, store?: MemoryStore): RunContext =>
  createRunContext({ seed, store, quiet: true });

Deno.test("bimuResilience: 1/(max a − a[T][T] + 1e−5) over the evaluated cells", () => {
  const a = new AccuracyMatrix(3);
  a.set(0, 0, 0.9);
  a.set(1, 1, 0.95);
  a.set(2, 2, 0.93);
  a.set(2, 0, 0.5);
  assertAlmostEquals(bimuResilience(a), 1 / (0.02 + 1e-5), 1e-6);
});

Deno.test("bimu2026: every experiment runs at smoke scale with claims", async () => {
  assertEquals(paper.key, "bimu2026");
  for (const exp of paper.experiments) {
    const res = await exp.run(exp.configs.smoke, ctx(1));
    assert(res.claims.length > 0, `${exp.id} has no claims`);
    assert(Object.values(res.tables).every((t) => t.length > 0), `${exp.id} has an empty table`);
    for (const c of res.claims) assert(c.holds === null || typeof c.holds === "boolean");
    if (exp.id === "learning_rate_map") assert(res.claims.every((c) => c.holds === true));
    if (exp.id === "active_querying") {
      assert(
        res.claims.some((c) => c.holds === null && c.ours.includes("OpenLORIS")),
        "OpenLORIS claim",
      );
      for (const r of res.tables.active) assert((r.labels as number) === (r.updates as number));
    }
    if (exp.id === "saturation") {
      const cfg = exp.configs.smoke as { tasks: number; trainPerTask: number };
      assertEquals(res.tables.summary.map((r) => r.method), ["bimu", "bayesbinn"]);
      for (const r of res.tables.summary) {
        assertEquals(r.updates, cfg.tasks * cfg.trainPerTask);
        const u = r.unsaturatedEnd as number;
        assert(u >= 0 && u <= 1, `unsaturated share ${u}`);
      }
    }
  }
});

Deno.test("bimu2026 pmnist: deterministic, and a resumed run (cached units) gives the same numbers", async () => {
  const exp = paper.experiments.find((e) => e.id === "pmnist_stream")!;
  const config = { ...exp.configs.smoke, methods: ["bimu", "sgd"], trainPerTask: 60 };
  const store = new MemoryStore();
  const a = await exp.run(config, ctx(2, store));
  assert(store.units.size > 0);
  const b = await exp.run(config, ctx(2, store)); // every unit from the store
  const c = await exp.run(config, ctx(2)); // recomputed
  const strip = (t: typeof a.tables) => t.summary.map((r) => ({ ...r, trainSecondsPerTask: 0 }));
  assertEquals(strip(a.tables), strip(b.tables));
  assertEquals(strip(a.tables), strip(c.tables));
  assertEquals(a.tables.curves, c.tables.curves);
});

Deno.test("bimu2026 saturation: needs both BiMU and BayesBiNN", async () => {
  const exp = paper.experiments.find((e) => e.id === "saturation")!;
  await assertRejects(
    () => exp.run({ ...exp.configs.smoke, methods: ["bimu"] }, ctx(0)),
    RangeError,
    "must include both",
  );
});
