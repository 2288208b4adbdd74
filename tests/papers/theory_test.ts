import { assert, assertEquals } from "../assert.ts";
import { paper } from "../../lib/papers/theory.ts";
import type { RunContext, Scale } from "../../lib/runner/experiment.ts";
import { SCALES } from "../../lib/runner/experiment.ts";
import { createRunContext, validateResult } from "../../lib/runner/run.ts";

const ctx = (seed: number, scale: Scale = "smoke"): RunContext =>
  createRunContext({ seed, scale, quiet: true });

Deno.test("theory paper: every experiment runs at smoke scale, valid and with computed claims", async () => {
  assertEquals(paper.key, "theory");
  for (const exp of paper.experiments) {
    assertEquals(exp.paper, "theory");
    for (const s of SCALES) assert(exp.configs[s], `${exp.id} has a ${s} config`);
    const res = await exp.run(exp.configs.smoke, ctx(0));
    validateResult(exp, res);
    assert(res.claims.length > 0, `${exp.id} has claims`);
    assert(Object.keys(res.figures).length > 0, `${exp.id} has figures`);
    // the closed-form and agreement claims must hold even at smoke scale
    for (const c of res.claims) {
      if (/closed form|Monte Carlo|Correlations|MESU §4|Ω\(Ca\)/.test(c.panel + c.quantity)) {
        assert(c.holds === true, `${exp.id}: ${c.panel} / ${c.quantity}: ${c.ours}`);
      }
    }
  }
});

Deno.test("theory paper: same seed gives identical tables", async () => {
  for (const id of ["fig6b", "memory_snr", "mesu_precision", "savin2013"]) {
    const exp = paper.experiments.find((e) => e.id === id)!;
    const a = await exp.run(exp.configs.smoke, ctx(3));
    const b = await exp.run(exp.configs.smoke, ctx(3));
    assertEquals(JSON.stringify(a.tables), JSON.stringify(b.tables));
  }
});
