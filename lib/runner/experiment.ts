/**
 * The contract between a paper's experiments and the reproduce runner: a typed config per scale
 * and one `run` function returning tables, figures and claims. Notebooks and
 * `deno task reproduce` call the same `run`.
 *
 * @example
 * ```ts
 * import type { Experiment } from "./experiment.ts";
 * const exp: Experiment<{ n: number }> = {
 *   paper: "demo",
 *   id: "square",
 *   title: "Squares",
 *   configs: { smoke: { n: 2 }, quick: { n: 5 }, paper: { n: 10 } },
 *   run: (config) =>
 *     Promise.resolve({
 *       tables: { squares: Array.from({ length: config.n }, (_, i) => ({ i, sq: i * i })) },
 *       figures: {},
 *       claims: [],
 *     }),
 * };
 * ```
 * @module
 */
import type { Rng } from "../rng.ts";
import type { Progress } from "./progress.ts";

/** Run sizes: `smoke` (seconds, for tests and CI), `quick` (minutes, default), `paper`. */
export type Scale = "smoke" | "quick" | "paper";

/** All scales, smallest first. */
export const SCALES: readonly Scale[] = ["smoke", "quick", "paper"];

/** A config value that `--set key=value` can override. */
export type ConfigValue = number | string | boolean | number[] | string[] | null;

/** An experiment's configuration: flat, JSON-serializable, overridable key by key. */
export type Config = Record<string, ConfigValue>;

/** A row of a result table. */
export type Row = Record<string, number | string | boolean | null>;

/** A plotly figure: traces and layout as plotly.js takes them. */
export interface Figure {
  /** Plotly traces. */
  data: Record<string, unknown>[];
  /** Plotly layout. */
  layout?: Record<string, unknown>;
}

/** One line of the report: the paper's value beside ours. */
export interface Claim {
  /** Figure or table panel, e.g. `"Fig. 2a"`. */
  panel: string;
  /** What is compared, e.g. `"task-1 accuracy after 6 tasks, m = 1.35"`. */
  quantity: string;
  /** The paper's number or statement (mark unverified values as such). */
  paper: string;
  /** Our number, computed by this run, or a statement why none could be computed. */
  ours: string;
  /** Whether the paper's qualitative claim holds at this scale; `null` when not testable here. */
  holds: boolean | null;
  /** Anything a reader must know (substituted data, reduced scale, missing dataset). */
  note?: string;
}

/** What one experiment run returns. */
export interface ExperimentResult {
  /** Named result tables (written as CSV). */
  tables: Record<string, Row[]>;
  /** Named figures (written as offline HTML and, when Chromium is present, PNG). */
  figures: Record<string, Figure>;
  /** Report lines. */
  claims: Claim[];
  /** Free-text notes for the report (scale caveats, substitutions). */
  notes?: string[];
}

/** Services the runner gives to a running experiment. */
export interface RunContext {
  /** The run's seed (also part of the config's identity). */
  seed: number;
  /** The scale being run. */
  scale: Scale;
  /** A generator seeded from `seed`; fork it for independent parts. */
  rng: Rng;
  /**
   * Resumable unit of work: returns the stored value of `key` if an earlier (possibly killed) run
   * finished it, else computes, stores atomically and returns it. Values are JSON plus typed
   * arrays. Keys must identify the work fully (the runner already scopes them by experiment,
   * scale, seed and config).
   */
  cached<T>(key: string, compute: () => Promise<T> | T): Promise<T>;
  /** A progress line with rate and ETA for a loop of `total` steps. */
  progress(label: string, total: number): Progress;
  /** Prints a line to the run's log. */
  log(message: string): void;
}

/** A paper's experiment: typed configs per scale plus one `run`. */
export interface Experiment<C extends Config = Config> {
  /** Paper key, e.g. `"laborieux2021"` (the results folder). */
  paper: string;
  /** Experiment key inside the paper, e.g. `"fig2"`. */
  id: string;
  /** Title for the report. */
  title: string;
  /** One config per scale. */
  configs: Record<Scale, C>;
  /** Runs the experiment. Must be deterministic for a given config and `ctx.seed`. */
  run(config: C, ctx: RunContext): Promise<ExperimentResult>;
}

/** Applies `key=value` overrides to a config, checking keys and types. */
export function applyOverrides<C extends Config>(config: C, overrides: Record<string, string>): C {
  const out: Config = { ...config };
  for (const [key, raw] of Object.entries(overrides)) {
    if (!(key in config)) {
      throw new RangeError(
        `unknown config key "${key}"; this experiment's keys are: ${
          Object.keys(config).join(", ")
        }`,
      );
    }
    const old = config[key];
    let value: ConfigValue;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    const kind = (v: ConfigValue) => Array.isArray(v) ? "array" : v === null ? "null" : typeof v;
    if (old !== null && kind(old) !== kind(value)) {
      throw new TypeError(
        `--set ${key}=${raw}: expected a ${kind(old)} like ${JSON.stringify(old)}`,
      );
    }
    out[key] = value;
  }
  return out as C;
}

/** A paper's entry in the registry: its experiments and the text its notebook opens with. */
export interface Paper {
  /** Paper key (results folder, notebook name, CLI name), e.g. `"laborieux2021"`. */
  key: string;
  /** Full citation. */
  citation: string;
  /** Markdown shown at the top of the notebook: what is reproduced, at what scale, what is missing. */
  about: string;
  /** The paper's experiments, in figure order. */
  experiments: Experiment[];
}
