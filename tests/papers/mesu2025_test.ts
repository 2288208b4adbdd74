import { MemoryStore } from "../../lib/runner/checkpoint.ts";
import { createRunContext } from "../../lib/runner/run.ts";
import { assert, assertAlmostEquals, assertEquals } from "../assert.ts";
import { loadMesuData, memoryInUpdates, paper } from "../../lib/papers/mesu2025.ts";
import type { RunContext } from "../../lib/runner/experiment.ts";

const ctx = (seed: number, store?: MemoryStore): RunContext =>
  createRunContext({ seed, store, quiet: true });

Deno.test("memoryInUpdates keeps the memory in tasks", () => {
  assertEquals(memoryInUpdates(3e5, { perTask: 60000, batch: 1 }), 3e5);
  assertAlmostEquals(memoryInUpdates(3e5, { perTask: 6000, batch: 32 }), 937.5, 1e-9);
});

Deno.test("mesu2025: every experiment runs at smoke scale with claims, deterministically", async () => {
  assertEquals(paper.key, "mesu2025");
  await loadMesuData(); // memoized
  for (const exp of paper.experiments) {
    const res = await exp.run(exp.configs.smoke, ctx(1));
    assert(res.claims.length > 0, `${exp.id} has no claims`);
    for (const c of res.claims) assert(c.holds === null || typeof c.holds === "boolean");
    if (exp.id === "fig2" || exp.id === "fig5") assert(res.claims.every((c) => c.holds === null));
  }
  const fig3 = paper.experiments.find((e) => e.id === "fig3")!;
  const a = await fig3.run(fig3.configs.smoke, ctx(2));
  const b = await fig3.run(fig3.configs.smoke, ctx(2));
  assertEquals(a.tables, b.tables);
});

Deno.test("mesu2025 fig4: a resumed run (from cached units) gives the same numbers", async () => {
  const fig4 = paper.experiments.find((e) => e.id === "fig4")!;
  const store = new MemoryStore();
  const a = await fig4.run(fig4.configs.smoke, ctx(3, store));
  const b = await fig4.run(fig4.configs.smoke, ctx(3, store));
  assertEquals(a.tables, b.tables);
  assert(store.units.size > 0);
});
