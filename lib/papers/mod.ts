/**
 * The registry of reproduced papers: each entry lists its experiments, run by
 * `deno task reproduce` and by the paper's notebook.
 *
 * @module
 */
import type { Paper } from "../runner/experiment.ts";
import { paper as demo } from "./demo.ts";
import { paper as theory } from "./theory.ts";
import { paper as bimu2026 } from "./bimu2026.ts";
import { paper as mesu2023 } from "./mesu2023.ts";
import { paper as mesu2025 } from "./mesu2025.ts";
import { paper as laborieux2021 } from "./laborieux2021.ts";
import { paper as majumdar2021 } from "./majumdar2021.ts";
import { paper as hirtzlin2019 } from "./hirtzlin2019.ts";
import { paper as dagostino2023 } from "./dagostino2023.ts";
import { paper as misba2021 } from "./misba2021.ts";

/** Every registered paper, in report order. */
export const papers: Paper[] = [
  demo,
  laborieux2021,
  mesu2023,
  mesu2025,
  bimu2026,
  majumdar2021,
  hirtzlin2019,
  dagostino2023,
  misba2021,
  theory,
];

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
