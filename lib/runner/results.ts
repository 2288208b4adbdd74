/**
 * Writes one experiment's result under `<out>/<paper>/<experiment>/`: tables as CSV (arquero),
 * figures as offline HTML (+ PNG), and `result.json` with claims, config and timing, all atomic.
 *
 * @module
 */
import * as aq from "arquero";
import type { Config, Experiment, ExperimentResult, Row, Scale } from "./experiment.ts";
import { writeFileAtomic } from "./atomic.ts";
import { writeFigure } from "./figures.ts";

/** What `result.json` holds, read back by the report. */
export interface StoredResult {
  /** Paper key. */
  paper: string;
  /** Experiment key. */
  experiment: string;
  /** Experiment title. */
  title: string;
  /** Scale of the run. */
  scale: Scale;
  /** Seed of the run. */
  seed: number;
  /** The config used (after overrides). */
  config: Config;
  /** Report lines. */
  claims: ExperimentResult["claims"];
  /** Notes. */
  notes: string[];
  /** Files written, relative to the output folder. */
  files: string[];
  /** Wall-clock seconds of the run (excluding checkpoint hits). */
  seconds: number;
  /** Engine description, when known. */
  engine: string;
  /** ISO time the result was written. */
  finished: string;
}

/** A table of rows as CSV text (arquero). */
export function rowsToCsv(rows: Row[]): string {
  if (rows.length === 0) return "";
  const columns: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
  const data: Record<string, unknown[]> = {};
  for (const c of columns) data[c] = rows.map((r) => r[c] ?? null);
  return aq.table(data).toCSV();
}

/** Folder of one experiment's results. */
export function resultDir(out: string, exp: Pick<Experiment, "paper" | "id">): string {
  return `${out}/${exp.paper}/${exp.id}`;
}

/** Writes everything of one run; returns the stored summary. */
export async function writeResult(
  out: string,
  exp: Experiment,
  result: ExperimentResult,
  meta: {
    scale: Scale;
    seed: number;
    config: Config;
    seconds: number;
    engine: string;
    png?: boolean;
  },
): Promise<StoredResult> {
  const dir = resultDir(out, exp);
  const files: string[] = [];
  for (const [name, rows] of Object.entries(result.tables)) {
    await writeFileAtomic(`${dir}/${name}.csv`, rowsToCsv(rows));
    files.push(`${exp.paper}/${exp.id}/${name}.csv`);
  }
  for (const [name, fig] of Object.entries(result.figures)) {
    const written = await writeFigure(fig, `${dir}/${name}`, {
      title: `${exp.paper} · ${exp.title} · ${exp.paper} ${exp.id}: ${name}`,
      png: meta.png,
    });
    for (const f of written) files.push(f.slice(out.length + 1));
  }
  const stored: StoredResult = {
    paper: exp.paper,
    experiment: exp.id,
    title: exp.title,
    scale: meta.scale,
    seed: meta.seed,
    config: meta.config,
    claims: result.claims,
    notes: result.notes ?? [],
    files,
    seconds: meta.seconds,
    engine: meta.engine,
    finished: new Date().toISOString(),
  };
  await writeFileAtomic(`${dir}/result.json`, JSON.stringify(stored, null, 2));
  return stored;
}

/** Reads every `result.json` under `out`, sorted by paper then experiment. */
export async function readResults(out: string): Promise<StoredResult[]> {
  const found: StoredResult[] = [];
  const walk = async (dir: string, depth: number) => {
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(dir)];
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory && depth < 2 && !e.name.startsWith(".")) {
        await walk(`${dir}/${e.name}`, depth + 1);
      } else if (e.isFile && e.name === "result.json") {
        found.push(JSON.parse(await Deno.readTextFile(`${dir}/${e.name}`)));
      }
    }
  };
  await walk(out, 0);
  return found.sort((a, b) =>
    a.paper.localeCompare(b.paper) || a.experiment.localeCompare(b.experiment)
  );
}
