/**
 * A progress line with count, rate and ETA for long loops, throttled so it costs nothing in
 * inner loops.
 *
 * @example
 * ```ts
 * import { Progress } from "./progress.ts";
 * const p = new Progress("epochs", 3, { quiet: true });
 * for (let i = 0; i < 3; i++) p.tick();
 * p.done();
 * ```
 * @module
 */

/** Options of {@linkcode Progress}. */
export interface ProgressOptions {
  /** Print nothing (tests). Defaults to the `METAPLASTICITY_QUIET` environment variable. */
  quiet?: boolean;
  /** Minimum seconds between two printed lines (default 2). */
  interval?: number;
}

/** Counts steps of a loop and prints `label  i/total  rate/s  ETA` to stderr. */
export class Progress {
  /** Steps done so far. */
  count = 0;
  private start = performance.now();
  private last = 0;
  private quiet: boolean;
  private interval: number;
  private extra = "";

  /** Starts a progress line for `total` steps. */
  constructor(readonly label: string, readonly total: number, options: ProgressOptions = {}) {
    let envQuiet = false;
    try {
      envQuiet = Deno.env.get("METAPLASTICITY_QUIET") === "1";
    } catch {
      // no env permission
    }
    this.quiet = options.quiet ?? envQuiet;
    this.interval = (options.interval ?? 2) * 1000;
  }

  /** Advances by `n` steps; `status` (e.g. the current loss) is shown at the end of the line. */
  tick(n = 1, status?: string): void {
    this.count += n;
    if (status !== undefined) this.extra = status;
    const now = performance.now();
    if (!this.quiet && now - this.last >= this.interval) {
      this.last = now;
      this.print(now);
    }
  }

  /** Prints the final line. */
  done(status?: string): void {
    if (status !== undefined) this.extra = status;
    if (!this.quiet) this.print(performance.now(), true);
  }

  /** The current line (also what is printed). */
  line(now: number = performance.now()): string {
    const secs = (now - this.start) / 1000;
    const rate = this.count / Math.max(secs, 1e-9);
    const left = this.total > this.count ? (this.total - this.count) / Math.max(rate, 1e-9) : 0;
    return `${this.label}  ${this.count}/${this.total}  ${fmtRate(rate)}/s  elapsed ${
      fmtTime(secs)
    }` +
      `  ETA ${fmtTime(left)}${this.extra ? "  " + this.extra : ""}`;
  }

  /** Writes the line to stderr. */
  private print(now: number, final = false): void {
    console.error((final ? "✓ " : "… ") + this.line(now));
  }
}

function fmtRate(r: number): string {
  return r >= 100 ? r.toFixed(0) : r >= 1 ? r.toFixed(1) : r.toFixed(3);
}

/** Formats seconds as `1h02m`, `3m05s` or `12.3s`. */
export function fmtTime(s: number): string {
  if (!Number.isFinite(s)) return "?";
  if (s >= 3600) {
    return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  }
  if (s >= 60) return `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, "0")}s`;
  return `${s.toFixed(1)}s`;
}
