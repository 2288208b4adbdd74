import { applyOverrides } from "../../lib/runner/experiment.ts";
import { papers } from "../../lib/papers/mod.ts";
import { type Experiment, SCALES } from "../../lib/runner/experiment.ts";
import { validateResult } from "../../lib/runner/run.ts";
import { assert, assertEquals, assertThrows } from "../assert.ts";

Deno.test("applyOverrides parses JSON values and checks keys and types", () => {
  const c = { lr: 0.1, name: "a", widths: [1, 2], on: true };
  assertEquals(applyOverrides(c, { lr: "0.5", name: "b", widths: "[3]", on: "false" }), {
    lr: 0.5,
    name: "b",
    widths: [3],
    on: false,
  });
  assertThrows(() => applyOverrides(c, { nope: "1" }), RangeError, "unknown config key");
  assertThrows(() => applyOverrides(c, { lr: "fast" }), TypeError, "expected a number");
});

Deno.test("every registered experiment has a config for every scale and a unique id", () => {
  const keys = new Set<string>();
  for (const p of papers) {
    assert(p.about.length > 40, `${p.key}: about text is too short`);
    assert(p.experiments.length > 0, `${p.key} has no experiments`);
    for (const e of p.experiments) {
      assertEquals(e.paper, p.key, `${e.id} is registered under ${p.key}`);
      const k = `${e.paper}:${e.id}`;
      assert(!keys.has(k), `duplicate experiment ${k}`);
      keys.add(k);
      for (const s of SCALES) assert(e.configs[s], `${k} lacks a ${s} config`);
    }
  }
});

Deno.test("validateResult rejects NaN cells, empty claims and broken figure traces", () => {
  const exp = { paper: "p", id: "e" } as unknown as Experiment;
  const ok = { tables: { t: [{ a: 1 }] }, figures: {}, claims: [] };
  validateResult(exp, ok);
  assertThrows(() => validateResult(exp, { ...ok, tables: { t: [{ a: NaN }] } }), Error, "is NaN");
  const claim = { panel: "Fig. 1", quantity: "q", paper: "1", ours: "", holds: null };
  assertThrows(() => validateResult(exp, { ...ok, claims: [claim] }), Error, "empty field");
  const fig = (trace: Record<string, unknown>) => ({ ...ok, figures: { f: { data: [trace] } } });
  assertThrows(() => validateResult(exp, fig({ name: "undefined", x: [1] })), Error, "named");
  assertThrows(
    () => validateResult(exp, fig({ name: "a", y: [1, undefined] })),
    Error,
    "undefined y",
  );
});
