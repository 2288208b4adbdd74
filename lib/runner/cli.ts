/**
 * `deno task reproduce [paper[:experiment]…] [--scale smoke|quick|paper] [--seed N] [--out DIR]
 * [--set key=value…] [--list] [--fresh] [--no-png]`
 *
 * Runs the selected experiments (all by default) at the chosen scale (default `quick`), writes
 * results under `<out>/<paper>/<experiment>/`, then `<out>/REPORT.md` and `<out>/index.html`.
 *
 * @module
 */
import type { Experiment, Scale } from "./experiment.ts";
import { SCALES } from "./experiment.ts";
import { runExperiment } from "./run.ts";
import { readResults } from "./results.ts";
import { writeReport } from "./report.ts";
import { getPaper, papers } from "../papers/mod.ts";
import { fmtTime } from "./progress.ts";

/** Parsed command line of the reproduce runner. */
export interface CliArgs {
  /** Selectors: `paper` or `paper:experiment`. Empty = everything. */
  targets: string[];
  /** Scale. */
  scale: Scale;
  /** Seed. */
  seed: number;
  /** Output folder. */
  out: string;
  /** Config overrides. */
  overrides: Record<string, string>;
  /** List experiments and exit. */
  list: boolean;
  /** Ignore checkpoints. */
  fresh: boolean;
  /** Write PNG figures. */
  png: boolean;
}

const USAGE = "usage: deno task reproduce [paper[:experiment]…] [--scale smoke|quick|paper] " +
  "[--seed N] [--out DIR] [--set key=value…] [--list] [--fresh] [--no-png]";

/** Parses the runner's arguments, with clear errors for bad input. */
export function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = {
    targets: [],
    scale: "quick",
    seed: 0,
    out: "results",
    overrides: {},
    list: false,
    fresh: false,
    png: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[++i];
      if (v === undefined) throw new RangeError(`${a} needs a value. ${USAGE}`);
      return v;
    };
    if (a === "--scale" || a.startsWith("--scale=")) {
      const s = value();
      if (!SCALES.includes(s as Scale)) {
        throw new RangeError(`--scale must be one of ${SCALES.join(", ")}, got "${s}"`);
      }
      args.scale = s as Scale;
    } else if (a === "--seed" || a.startsWith("--seed=")) {
      const s = Number(value());
      if (!Number.isInteger(s)) throw new RangeError(`--seed must be an integer. ${USAGE}`);
      args.seed = s;
    } else if (a === "--out" || a.startsWith("--out=")) args.out = value();
    else if (a === "--set") {
      const kv = argv[++i];
      if (!kv || !kv.includes("=")) throw new RangeError(`--set takes key=value, got "${kv}"`);
      args.overrides[kv.slice(0, kv.indexOf("="))] = kv.slice(kv.indexOf("=") + 1);
    } else if (a === "--list") args.list = true;
    else if (a === "--fresh") args.fresh = true;
    else if (a === "--no-png") args.png = false;
    else if (a === "--help" || a === "-h") throw new RangeError(USAGE);
    else if (a.startsWith("-")) throw new RangeError(`unknown option ${a}. ${USAGE}`);
    else args.targets.push(a);
  }
  return args;
}

/** The experiments a list of selectors names (all when empty), in registry order. */
export function selectExperiments(targets: string[]): Experiment[] {
  if (targets.length === 0) return papers.flatMap((p) => p.experiments);
  const out: Experiment[] = [];
  for (const t of targets) {
    const [key, id] = t.split(":");
    const p = getPaper(key);
    if (!id) out.push(...p.experiments);
    else {
      const e = p.experiments.find((x) => x.id === id);
      if (!e) {
        throw new RangeError(
          `paper ${key} has no experiment "${id}"; its experiments: ${
            p.experiments.map((x) => x.id).join(", ")
          }`,
        );
      }
      out.push(e);
    }
  }
  return out;
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const exps = selectExperiments(args.targets);
  if (args.list) {
    for (const e of exps) console.log(`${e.paper}:${e.id}\t${e.title}`);
    return 0;
  }
  if (Object.keys(args.overrides).length && exps.length !== 1) {
    throw new RangeError("--set applies to one experiment: name exactly one paper:experiment");
  }
  console.error(
    `reproduce: ${exps.length} experiments at scale "${args.scale}", seed ${args.seed} → ${args.out}/`,
  );
  const t0 = performance.now();
  let failed = 0;
  for (const [i, e] of exps.entries()) {
    const t = performance.now();
    console.error(`[${i + 1}/${exps.length}] ${e.paper}:${e.id} — ${e.title}`);
    try {
      const o = await runExperiment(e, {
        scale: args.scale,
        seed: args.seed,
        out: args.out,
        overrides: args.overrides,
        fresh: args.fresh,
        png: args.png,
      });
      const held = o.stored.claims.filter((c) => c.holds === true).length;
      console.error(
        `    done in ${
          fmtTime((performance.now() - t) / 1000)
        } (${o.units.loaded} units resumed, ` +
          `${o.units.computed} computed); claims holding: ${held}/${o.stored.claims.length}`,
      );
    } catch (err) {
      failed++;
      console.error(`    FAILED: ${(err as Error).stack ?? err}`);
    }
    const elapsed = (performance.now() - t0) / 1000;
    const eta = (elapsed / (i + 1)) * (exps.length - i - 1);
    console.error(
      `    overall ${i + 1}/${exps.length}, elapsed ${fmtTime(elapsed)}, ETA ${fmtTime(eta)}`,
    );
  }
  const results = await readResults(args.out);
  await writeReport(args.out, results);
  console.error(
    `report: ${args.out}/REPORT.md and ${args.out}/index.html (${results.length} experiments)`,
  );
  if (failed) console.error(`${failed} experiment(s) failed`);
  return failed ? 1 : 0;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (e) {
    console.error(e instanceof RangeError || e instanceof TypeError ? `error: ${e.message}` : e);
    Deno.exit(2);
  }
}
