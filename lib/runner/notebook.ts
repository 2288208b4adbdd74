/**
 * Notebook glue: runs a registered experiment with the same code path as
 * `deno task reproduce` and shows its figures (interactive plotly MIME bundle plus the static
 * PNG when one was rendered), claims and tables in a Deno Jupyter notebook.
 *
 * The scale comes from `METAPLASTICITY_SCALE` (default `quick`), the seed from
 * `METAPLASTICITY_SEED` (default 0), the output folder from `METAPLASTICITY_OUT` (default the
 * project's `results/`); `METAPLASTICITY_PNG=0` skips the static PNG figures.
 *
 * @module
 */
import * as aq from "arquero";
import type { ExperimentResult, Paper, Row, Scale } from "./experiment.ts";
import { SCALES } from "./experiment.ts";
import { runExperiment, type RunOutcome } from "./run.ts";
import { resultDir } from "./results.ts";
import { encodeBase64 } from "./base64.ts";

interface JupyterApi {
  display(obj: unknown, options?: { raw?: boolean }): Promise<void>;
}

function jupyter(): JupyterApi | null {
  try {
    return (Deno as unknown as { jupyter?: JupyterApi }).jupyter ?? null;
  } catch {
    return null; // outside `deno jupyter` the getter throws
  }
}

/** Scale, seed and output folder a notebook runs with (from the environment). */
export function notebookSettings(): { scale: Scale; seed: number; out: string; png: boolean } {
  const scale = (Deno.env.get("METAPLASTICITY_SCALE") ?? "quick") as Scale;
  if (!SCALES.includes(scale)) {
    throw new RangeError(
      `METAPLASTICITY_SCALE must be one of ${SCALES.join(", ")}, got "${scale}"`,
    );
  }
  const seed = Number(Deno.env.get("METAPLASTICITY_SEED") ?? "0");
  if (!Number.isInteger(seed)) throw new RangeError(`METAPLASTICITY_SEED must be an integer`);
  const out = Deno.env.get("METAPLASTICITY_OUT") ??
    new URL("../../results", import.meta.url).pathname;
  const png = Deno.env.get("METAPLASTICITY_PNG") !== "0";
  return { scale, seed, out, png };
}

/** Shows a bundle of MIME representations (falls back to console output outside Jupyter). */
export async function showMime(bundle: Record<string, unknown>): Promise<void> {
  const j = jupyter();
  if (j) await j.display(bundle, { raw: true });
  else console.log(bundle["text/plain"] ?? "");
}

/** Shows rows as an arquero HTML table. */
export async function showTable(
  rows: Row[],
  options: { title?: string; limit?: number } = {},
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  const data: Record<string, unknown[]> = {};
  for (const c of columns) data[c] = rows.map((r) => r[c] ?? null);
  const t = aq.table(data);
  const limit = options.limit ?? 20;
  await showMime({
    "text/html": `${options.title ? `<b>${options.title}</b>` : ""}${t.toHTML({ limit })}` +
      (rows.length > limit
        ? `<p>${rows.length} rows, first ${limit} shown; all in the CSV.</p>`
        : ""),
    "text/plain": t.toMarkdown({ limit }),
  });
}

/** Shows an experiment's figures, claims and tables. */
export async function showResult(
  result: ExperimentResult,
  options: { dir?: string } = {},
): Promise<void> {
  for (const [name, fig] of Object.entries(result.figures)) {
    const bundle: Record<string, unknown> = {
      "application/vnd.plotly.v1+json": { data: fig.data, layout: fig.layout ?? {} },
      "text/plain": `figure ${name}`,
    };
    if (options.dir) {
      try {
        bundle["image/png"] = encodeBase64(await Deno.readFile(`${options.dir}/${name}.png`));
      } catch {
        // no static image (no Chromium): the interactive figure alone
      }
    }
    await showMime(bundle);
  }
  if (result.claims.length) {
    const rows = result.claims.map((c) => ({
      panel: c.panel,
      quantity: c.quantity,
      paper: c.paper,
      ours: c.ours,
      holds: c.holds === null ? "n/a" : c.holds ? "yes" : "NO",
      note: c.note ?? "",
    }));
    await showTable(rows, { title: "Paper vs ours", limit: 100 });
  }
  for (const n of result.notes ?? []) {
    await showMime({ "text/markdown": `> ${n}`, "text/plain": n });
  }
  for (const [name, rows] of Object.entries(result.tables)) await showTable(rows, { title: name });
}

/** Runs experiment `id` of `paper` with the notebook settings and shows the result. */
export async function runInNotebook(paper: Paper, id: string): Promise<RunOutcome> {
  const exp = paper.experiments.find((e) => e.id === id);
  if (!exp) {
    throw new RangeError(
      `paper ${paper.key} has no experiment "${id}"; it has ${
        paper.experiments.map((e) => e.id).join(", ")
      }`,
    );
  }
  const s = notebookSettings();
  const outcome = await runExperiment(exp, {
    scale: s.scale,
    seed: s.seed,
    out: s.out,
    png: s.png,
  });
  await showMime({
    "text/markdown": `**${exp.title}** — scale \`${s.scale}\`, seed ${s.seed}, ` +
      `${outcome.stored.seconds.toFixed(1)} s, ${outcome.stored.engine}`,
    "text/plain": `${exp.title} (${s.scale}, seed ${s.seed})`,
  });
  await showResult(outcome.result, { dir: resultDir(s.out, exp) });
  return outcome;
}
