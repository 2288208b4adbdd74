import { assert, assertEquals } from "../assert.ts";
import { paper } from "../../lib/papers/misba2021.ts";
import { createRunContext, validateResult } from "../../lib/runner/run.ts";
import type { RunContext } from "../../lib/runner/experiment.ts";
import { CheckpointStore } from "../../lib/runner/checkpoint.ts";

const ctx = (store?: CheckpointStore): RunContext => createRunContext({ store, quiet: true });

Deno.test("misba2021: every experiment runs at smoke scale with valid claims and figures", async () => {
  assertEquals(paper.experiments.map((e) => e.id), [
    "state_statistics",
    "states",
    "margin",
    "spread",
  ]);
  for (const exp of paper.experiments) {
    for (const s of ["smoke", "quick", "paper"] as const) {
      assert(exp.configs[s], `${exp.id} lacks a ${s} config`);
    }
    const res = await exp.run(exp.configs.smoke, ctx());
    validateResult(exp, res);
    assert(res.claims.length > 0, `${exp.id} has no claims`);
    assert(Object.keys(res.figures).length > 0, `${exp.id} has no figures`);
  }
});

Deno.test("misba2021: deterministic, and a run resumed from its checkpoints gives the same numbers", async () => {
  const exp = paper.experiments.find((e) => e.id === "states")!;
  const a = await exp.run(exp.configs.smoke, ctx());
  const dir = await Deno.makeTempDir();
  try {
    const store = new CheckpointStore(dir);
    const b = await exp.run(exp.configs.smoke, ctx(store));
    const c = await exp.run(exp.configs.smoke, ctx(new CheckpointStore(dir))); // every unit loaded
    assertEquals(b.tables, a.tables);
    assertEquals(c.tables, a.tables);
    assertEquals(c.claims, a.claims);
    // resume after the earlier units: the device state must come back with them
    let removed = 0;
    for (const e of Deno.readDirSync(dir)) {
      if (e.name.includes("transfer")) {
        Deno.removeSync(`${dir}/${e.name}`);
        removed++;
      }
    }
    assert(removed > 0, "no unit matched");
    const d = await exp.run(exp.configs.smoke, ctx(new CheckpointStore(dir)));
    assertEquals(d.tables, a.tables);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
