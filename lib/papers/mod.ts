/**
 * The registry of reproduced papers: each entry lists its experiments, run by
 * `deno task reproduce` and by the paper's notebook.
 *
 * @module
 */
import type { Paper } from "../runner/experiment.ts";
import { paper as demo } from "./demo.ts";
import { paper as theory } from "./theory.ts";

/** Every registered paper, in report order. */
export const papers: Paper[] = [demo, theory];

/** The paper registered under `key`, or a clear error listing the known keys. */
export function getPaper(key: string): Paper {
  const p = papers.find((x) => x.key === key);
  if (!p) {
    throw new RangeError(
      `unknown paper "${key}"; known papers: ${papers.map((x) => x.key).join(", ")}`,
    );
  }
  return p;
}
