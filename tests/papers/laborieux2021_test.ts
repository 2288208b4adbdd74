import { assert, assertEquals } from "../assert.ts";
import { paper } from "../../lib/papers/laborieux2021.ts";
import { createRunContext, validateResult } from "../../lib/runner/run.ts";
import type { RunContext } from "../../lib/runner/experiment.ts";

const ctx = (): RunContext => createRunContext({ quiet: true });

Deno.test("laborieux2021: every experiment runs at smoke scale with valid claims and tables", async () => {
  assertEquals(paper.experiments.map((e) => e.id), [
    "fig1a",
    "fig2",
    "table1",
    "fig3",
    "fig4",
    "fig5a",
    "fig6ce",
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

Deno.test("laborieux2021: deterministic for a seed (fig6ce at smoke)", async () => {
  const exp = paper.experiments.find((e) => e.id === "fig6ce")!;
  const a = await exp.run(exp.configs.smoke, ctx());
  const b = await exp.run(exp.configs.smoke, ctx());
  assertEquals(a.tables, b.tables);
});

Deno.test("laborieux2021: missing USPS / CIFAR data give n/a claims, never numbers", async () => {
  const exp = paper.experiments.find((e) => e.id === "fig4")!;
  const res = await exp.run({ ...exp.configs.smoke, convSubstitute: false }, ctx());
  const na = res.claims.filter((c) => c.holds === null);
  assertEquals(na.map((c) => c.panel), ["Fig. 4c–d", "Fig. 4e–f", "Fig. 4g–h"]);
  assert(na.every((c) => c.ours.startsWith("not run")), "n/a claims must say what data to provide");
});

Deno.test("loadUsps reads LIBSVM files, maps labels 1–10 to 0–9 and pads 16×16 to 28×28", async () => {
  const { loadUsps } = await import("../../lib/papers/laborieux2021.ts");
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/usps`, "10 1:1 256:-1\n3 17:0\n");
  await Deno.writeTextFile(`${dir}/usps.t`, "1 2:0.5\n");
  const u = await loadUsps(dir);
  assertEquals([u.train.n, u.test.n, Array.from(u.train.y), Array.from(u.test.y)], [2, 1, [9, 2], [
    0,
  ]]);
  assertEquals(u.train.x[6 * 28 + 6], 1); // feature 1 → row 0, col 0 of the 16×16 image, +6 padding
  assertEquals(u.train.x[21 * 28 + 21], 0); // feature 256 = −1 → 0
  assertEquals(u.train.x[784 + 7 * 28 + 6], 0.5); // feature 17 → row 1, col 0; value 0 → 0.5
  assertEquals(u.test.x[6 * 28 + 7], 0.75);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("loadFeatureSplits reads raw float32/int32 files and standardises each vector by its variance", async () => {
  const { loadFeatureSplits } = await import("../../lib/papers/laborieux2021.ts");
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/meta.json`, JSON.stringify({ dim: 2, classes: 10 }));
  for (const s of ["train", "test"]) {
    await Deno.writeFile(
      `${dir}/${s}_x.f32`,
      new Uint8Array(new Float32Array([1, 3, 0, 4]).buffer),
    );
    await Deno.writeFile(`${dir}/${s}_y.i32`, new Uint8Array(new Int32Array([7, 2]).buffer));
  }
  const f = await loadFeatureSplits(dir, "feat");
  // Row [1, 3]: mean 2, variance 1 → [−1, 1]; row [0, 4]: mean 2, variance 4 → [−0.5, 0.5].
  assertEquals(Array.from(f.train.x), [-1, 1, -0.5, 0.5]);
  assertEquals(Array.from(f.test.y), [7, 2]);
  await Deno.remove(dir, { recursive: true });
});
