/**
 * Generates `notebooks/<paper>.ipynb` for every registered paper from its `about` text and its
 * experiments, so notebooks and `deno task reproduce` share one source of truth.
 *
 * `deno run -A scripts/notebooks.ts` writes them; `--check` exits 1 if any is out of date.
 *
 * @module
 */
import { papers } from "../lib/papers/mod.ts";
import type { Paper } from "../lib/runner/experiment.ts";

function cell(type: "markdown" | "code", source: string, id: string): Record<string, unknown> {
  const lines = source.split("\n").map((l, i, a) => (i < a.length - 1 ? l + "\n" : l));
  return type === "code"
    ? { cell_type: "code", execution_count: null, id, metadata: {}, outputs: [], source: lines }
    : { cell_type: "markdown", id, metadata: {}, source: lines };
}

/** The notebook JSON text of one paper. */
export function notebookFor(paper: Paper): string {
  const cells = [
    cell("markdown", `# ${paper.key}\n\n${paper.citation}\n\n${paper.about}`, "about"),
    cell(
      "markdown",
      "Every cell below calls the same experiment code as `deno task reproduce " + paper.key +
        "`. The scale comes from `METAPLASTICITY_SCALE` (`smoke`, `quick` — the default — or `paper`), the seed " +
        "from `METAPLASTICITY_SEED`; results are also written under `results/" + paper.key + "/`.",
      "settings",
    ),
    cell(
      "code",
      `import { paper } from "../lib/papers/${paper.key}.ts";\n` +
        `import { notebookSettings, runInNotebook } from "../lib/runner/notebook.ts";\n` +
        `notebookSettings();`,
      "imports",
    ),
  ];
  for (const e of paper.experiments) {
    cells.push(
      cell("markdown", `## ${e.title}\n\nExperiment \`${e.paper}:${e.id}\`.`, `${e.id}-title`),
    );
    cells.push(cell("code", `await runInNotebook(paper, ${JSON.stringify(e.id)});`, `${e.id}-run`));
  }
  const nb = {
    cells,
    metadata: {
      kernelspec: { display_name: "Deno", language: "typescript", name: "deno" },
      language_info: {
        codemirror_mode: "typescript",
        file_extension: ".ts",
        mimetype: "text/x.typescript",
        name: "typescript",
        nbconvert_exporter: "script",
        pygments_lexer: "typescript",
        version: "5.0",
      },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return JSON.stringify(nb, null, 1) + "\n";
}

if (import.meta.main) {
  const check = Deno.args.includes("--check");
  const root = new URL("../notebooks/", import.meta.url).pathname;
  let stale = 0;
  for (const p of papers) {
    const path = `${root}${p.key}.ipynb`;
    const text = notebookFor(p);
    let old = "";
    try {
      old = await Deno.readTextFile(path);
    } catch {
      // new notebook
    }
    if (old === text) continue;
    if (check) {
      console.error(`${path} is out of date: run deno run -A scripts/notebooks.ts`);
      stale++;
    } else {
      await Deno.writeTextFile(path, text);
      console.error(`wrote ${path}`);
    }
  }
  Deno.exit(stale ? 1 : 0);
}
