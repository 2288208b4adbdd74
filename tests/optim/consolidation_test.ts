import { assert, assertEquals } from "../assert.ts";
import { randomConsolidation, shuffleImportances } from "../../lib/optim/consolidation.ts";
import { Rng } from "../../lib/rng.ts";

Deno.test("shuffleImportances permutes within each tensor (same values, new order)", () => {
  const f = [Float32Array.from({ length: 50 }, (_, i) => i), new Float32Array([7])];
  const s = shuffleImportances(f, new Rng(1));
  assertEquals(Array.from(s[0]).sort((a, b) => a - b), Array.from(f[0]));
  assert(Array.from(s[0]).some((v, i) => v !== i), "not shuffled");
  assertEquals(Array.from(s[1]), [7]);
  assertEquals(f[0][3], 3); // input untouched
});

Deno.test("randomConsolidation stores only the shuffled importances", () => {
  const pen = randomConsolidation({ lambda: 1, rng: new Rng(2) });
  const theta = [new Float32Array(20)];
  const st = pen.init(theta);
  const fisher = [Float32Array.from({ length: 20 }, (_, i) => (i === 0 ? 1 : 0))];
  pen.consolidate(st, theta, fisher);
  assertEquals(st.terms.length, 1);
  assertEquals(st.terms[0].fisher[0].reduce((a, b) => a + b, 0), 1);
  assertEquals(pen.name, "randomConsolidation");
});
