import { notebookSettings, runInNotebook, showResult } from "../../lib/runner/notebook.ts";
import { paper } from "../../lib/papers/demo.ts";
import { assertEquals, assertRejects, assertThrows } from "../assert.ts";

Deno.test("notebookSettings reads scale, seed and output folder from the environment", () => {
  Deno.env.set("METAPLASTICITY_SCALE", "smoke");
  Deno.env.set("METAPLASTICITY_SEED", "4");
  Deno.env.set("METAPLASTICITY_OUT", "/tmp/x");
  assertEquals(notebookSettings(), { scale: "smoke", seed: 4, out: "/tmp/x", png: true });
  Deno.env.set("METAPLASTICITY_SCALE", "huge");
  assertThrows(() => notebookSettings(), RangeError, "METAPLASTICITY_SCALE");
  Deno.env.delete("METAPLASTICITY_SCALE");
  Deno.env.delete("METAPLASTICITY_SEED");
  Deno.env.delete("METAPLASTICITY_OUT");
});

Deno.test("outside Jupyter, showResult prints text and runInNotebook rejects unknown ids", async () => {
  const printed: string[] = [];
  const log = console.log;
  console.log = (m: string) => printed.push(String(m));
  try {
    await showResult({ tables: { t: [{ a: 1 }] }, figures: {}, claims: [] });
  } finally {
    console.log = log;
  }
  assertEquals(printed.length, 1);
  await assertRejects(() => runInNotebook(paper, "nope"), RangeError, "has no experiment");
});
