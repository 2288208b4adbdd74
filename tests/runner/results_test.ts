import { readResults, rowsToCsv, writeResult } from "../../lib/runner/results.ts";
import type { Experiment } from "../../lib/runner/experiment.ts";
import { assert, assertEquals } from "../assert.ts";

Deno.test("rowsToCsv unions columns and keeps empty cells", () => {
  const csv = rowsToCsv([{ a: 1, b: "x" }, { a: 2, c: true }]);
  assertEquals(csv.trim().split("\n"), ["a,b,c", "1,x,", "2,,true"]);
  assertEquals(rowsToCsv([]), "");
});

Deno.test("writeResult writes tables, figures and result.json that readResults reads back", async () => {
  const out = await Deno.makeTempDir();
  const exp = { paper: "p", id: "e", title: "T" } as unknown as Experiment;
  const stored = await writeResult(out, exp, {
    tables: { t: [{ a: 1 }] },
    figures: { f: { data: [{ x: [1], y: [2], type: "scatter" }] } },
    claims: [{ panel: "Fig. 1", quantity: "q", paper: "1", ours: "1", holds: true }],
  }, { scale: "smoke", seed: 3, config: { n: 1 }, seconds: 0.5, engine: "test", png: false });
  assertEquals(stored.files, ["p/e/t.csv", "p/e/f.html"]);
  const back = await readResults(out);
  assertEquals(back.length, 1);
  assertEquals(back[0].claims, stored.claims);
  assert((await Deno.readTextFile(`${out}/p/e/f.html`)).includes("Plotly.newPlot"));
  await Deno.remove(out, { recursive: true });
});
