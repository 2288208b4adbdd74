/**
 * Shared checks for paper modules: every experiment runs at smoke scale with valid results, and
 * a run resumed from partial checkpoints gives the numbers of an uninterrupted one.
 * @module
 */
import { assert, assertEquals } from "../assert.ts";
import type { Paper } from "../../lib/runner/experiment.ts";
import { SCALES } from "../../lib/runner/experiment.ts";
import { createRunContext, validateResult } from "../../lib/runner/run.ts";
import { CheckpointStore } from "../../lib/runner/checkpoint.ts";

/** Runs every experiment of `paper` at smoke scale; checks ids, configs, claims and figures. */
export async function assertAllRunAtSmoke(paper: Paper, ids: string[]): Promise<void> {
  assertEquals(paper.experiments.map((e) => e.id), ids);
  for (const exp of paper.experiments) {
    for (const s of SCALES) assert(exp.configs[s], `${exp.id} lacks a ${s} config`);
    const res = await exp.run(exp.configs.smoke, createRunContext({ quiet: true }));
    validateResult(exp, res);
    assert(res.claims.length > 0, `${exp.id} has no claims`);
    assert(Object.keys(res.figures).length > 0, `${exp.id} has no figures`);
  }
}

/**
 * Runs experiment `id` three ways — uncached, into a checkpoint folder, fully from it — then
 * deletes the units whose file names contain `drop` and resumes; all four must agree.
 */
export async function assertResumeMatches(paper: Paper, id: string, drop: string): Promise<void> {
  const exp = paper.experiments.find((e) => e.id === id)!;
  const run = (store?: CheckpointStore) =>
    exp.run(exp.configs.smoke, createRunContext({ store, quiet: true }));
  const a = await run();
  const dir = await Deno.makeTempDir();
  try {
    const b = await run(new CheckpointStore(dir));
    const c = await run(new CheckpointStore(dir)); // every unit loaded
    assertEquals(b.tables, a.tables);
    assertEquals(c.tables, a.tables);
    assertEquals(c.claims, a.claims);
    let removed = 0;
    for (const e of Deno.readDirSync(dir)) {
      if (e.name.includes(drop)) {
        Deno.removeSync(`${dir}/${e.name}`);
        removed++;
      }
    }
    assert(removed > 0, `no unit matched "${drop}"`);
    const d = await run(new CheckpointStore(dir));
    assertEquals(d.tables, a.tables);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
