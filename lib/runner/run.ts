/**
 * Runs one experiment: resolves its config for a scale and overrides, gives it a seeded
 * context with resumable units, and writes its results. Used by both `deno task reproduce` and
 * the notebooks, so a figure is computed by one code path only.
 *
 * @module
 */
import type { Config, Experiment, ExperimentResult, RunContext, Scale } from "./experiment.ts";
import { applyOverrides } from "./experiment.ts";
import { CheckpointStore, type UnitStore } from "./checkpoint.ts";
import { Progress } from "./progress.ts";
import { type StoredResult, writeResult } from "./results.ts";
import { Rng } from "../rng.ts";
import { describeEngine, ensureEngine } from "./engine_setup.ts";

/** Options of {@linkcode runExperiment}. */
export interface RunOptions {
  /** Scale (default `"quick"`). */
  scale?: Scale;
  /** Seed (default 0). */
  seed?: number;
  /** Output folder (default `"results"`). */
  out?: string;
  /** `key=value` config overrides. */
  overrides?: Record<string, string>;
  /** Write PNG figures when Chromium is available (default true). */
  png?: boolean;
  /** Ignore and delete existing checkpoints of this config. */
  fresh?: boolean;
  /** Suppress progress and log lines. */
  quiet?: boolean;
}

/** What {@linkcode runExperiment} returns. */
export interface RunOutcome {
  /** The experiment's result. */
  result: ExperimentResult;
  /** The summary written to `result.json`. */
  stored: StoredResult;
  /** Units loaded from checkpoints / computed in this run. */
  units: { loaded: number; computed: number };
}

/** A short stable hash of a string (FNV-1a, hex). */
export function hashString(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

/** Resolves an experiment's config for a scale plus overrides. */
export function resolveConfig(
  exp: Experiment,
  scale: Scale,
  overrides: Record<string, string> = {},
): Config {
  const base = exp.configs[scale];
  if (!base) throw new RangeError(`experiment ${exp.paper}:${exp.id} has no "${scale}" config`);
  return applyOverrides(base, overrides);
}

/** Options of {@linkcode createRunContext}. */
export interface ContextOptions {
  /** Seed (default 0). */
  seed?: number;
  /** Scale (default `"smoke"`). */
  scale?: Scale;
  /** Where resumable units are kept; without one every unit is computed. */
  store?: UnitStore;
  /** Suppress progress and log lines. */
  quiet?: boolean;
  /** Prefix of progress and log lines. */
  label?: string;
}

/**
 * A {@linkcode RunContext} for calling an experiment's `run` directly (tests, scripts);
 * {@linkcode runExperiment} builds its own with a checkpoint folder.
 */
export function createRunContext(options: ContextOptions = {}): RunContext {
  const seed = options.seed ?? 0;
  const quiet = options.quiet ?? false;
  const label = options.label ? `${options.label} ` : "";
  const store = options.store;
  return {
    seed,
    scale: options.scale ?? "smoke",
    rng: new Rng(seed),
    cached: (k, compute) => (store ? store.cached(k, compute) : Promise.resolve(compute())),
    progress: (l, total) => new Progress(`${label}${l}`, total, quiet ? { quiet } : {}),
    log: (m) => {
      if (!quiet) console.error(`[${label.trim()}] ${m}`);
    },
  };
}

/** Runs an experiment and writes its results; see {@linkcode RunOptions}. */
export async function runExperiment(
  exp: Experiment,
  options: RunOptions = {},
): Promise<RunOutcome> {
  const scale = options.scale ?? "quick";
  const seed = options.seed ?? 0;
  const out = options.out ?? "results";
  const config = resolveConfig(exp, scale, options.overrides);
  await ensureEngine({ quiet: options.quiet });
  const key = hashString(JSON.stringify({ config, seed, scale }));
  const ckptDir = `${out}/${exp.paper}/${exp.id}/.checkpoints/${scale}-seed${seed}-${key}`;
  if (options.fresh) await Deno.remove(ckptDir, { recursive: true }).catch(() => {});
  const store = new CheckpointStore(ckptDir);
  const ctx = createRunContext({
    seed,
    scale,
    store,
    quiet: options.quiet,
    label: `${exp.paper}:${exp.id}`,
  });
  const t0 = performance.now();
  const result = await exp.run(config, ctx);
  const seconds = (performance.now() - t0) / 1000;
  validateResult(exp, result);
  const stored = await writeResult(out, exp, result, {
    scale,
    seed,
    config,
    seconds,
    engine: describeEngine(),
    png: options.png,
  });
  return { result, stored, units: { loaded: store.loaded, computed: store.computed } };
}

/** Rejects results that would print wrong: non-finite numbers in tables, empty claim fields. */
export function validateResult(exp: Experiment, result: ExperimentResult): void {
  const where = `${exp.paper}:${exp.id}`;
  for (const [name, rows] of Object.entries(result.tables)) {
    for (const [i, row] of rows.entries()) {
      for (const [k, v] of Object.entries(row)) {
        if (typeof v === "number" && Number.isNaN(v)) {
          throw new Error(
            `${where}: table "${name}" row ${i} column "${k}" is NaN; the run diverged or a metric is undefined`,
          );
        }
      }
    }
  }
  for (const [name, fig] of Object.entries(result.figures)) {
    for (const [i, trace] of fig.data.entries()) {
      // A trace named "undefined" or with undefined points comes from a wrong column name.
      if (trace.name === "undefined" || trace.name === "null") {
        throw new Error(`${where}: figure "${name}" trace ${i} is named "${trace.name}"`);
      }
      for (const axis of ["x", "y", "z"]) {
        const v = trace[axis];
        if (Array.isArray(v) && v.some((p) => p === undefined)) {
          throw new Error(`${where}: figure "${name}" trace ${i} has undefined ${axis} values`);
        }
      }
    }
  }
  for (const c of result.claims) {
    if (!c.panel || !c.quantity || !c.paper || !c.ours) {
      throw new Error(`${where}: claim ${JSON.stringify(c)} has an empty field`);
    }
  }
}
