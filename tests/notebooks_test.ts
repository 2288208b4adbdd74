/**
 * Executes every notebook headless at the smoke scale with Jupyter's nbconvert and a Deno
 * kernelspec kept in the project's own `.jupyter/` folder, and fails on any cell error. Also
 * checks that the notebooks are up to date with the paper registry.
 */
import { papers } from "../lib/papers/mod.ts";
import { notebookFor } from "../scripts/notebooks.ts";
import { assert, assertEquals } from "./assert.ts";

const root = new URL("../", import.meta.url).pathname;
const nbconvert = "/usr/bin/jupyter-nbconvert";

Deno.test("notebooks are generated from the registry and up to date", async () => {
  const files = [...Deno.readDirSync(`${root}notebooks`)].filter((f) => f.name.endsWith(".ipynb"))
    .map((f) => f.name)
    .sort();
  assertEquals(files, papers.map((p) => `${p.key}.ipynb`).sort(), "one notebook per paper");
  for (const p of papers) {
    const text = await Deno.readTextFile(`${root}notebooks/${p.key}.ipynb`);
    assert(
      text === notebookFor(p),
      `notebooks/${p.key}.ipynb is stale: run deno run -A scripts/notebooks.ts`,
    );
  }
});

for (const p of papers) {
  Deno.test({
    name: `notebook ${p.key} executes at smoke scale without errors`,
    ignore: (() => {
      try {
        Deno.statSync(nbconvert);
        return false;
      } catch {
        console.error(`${nbconvert} missing: run deno task setup (installs jupyter-nbconvert)`);
        return true;
      }
    })(),
    async fn() {
      // The Deno kernel can report a cell idle before its last display messages reach nbclient,
      // which then stops collecting them (an output race, not a notebook error): an execution
      // that shows no figure and no error is retried once.
      for (let attempt = 1;; attempt++) {
        const { figures, out } = await executeNotebook(p.key);
        if (figures > 0 || attempt === 2) {
          assert(figures > 0, `${p.key}: no plotly figure was displayed (twice)`);
          await Deno.remove(out, { recursive: true });
          return;
        }
        await Deno.remove(out, { recursive: true });
        console.error(`${p.key}: no figure reached the notebook; executing it again`);
      }
    },
  });
}

/** Executes notebook `key` at smoke scale; asserts it ran without errors, counts its plotly figures. */
async function executeNotebook(key: string): Promise<{ figures: number; out: string }> {
  const out = await Deno.makeTempDir({ prefix: `nb-${key}-` });
  const cmd = new Deno.Command(nbconvert, {
    args: [
      "--to",
      "notebook",
      "--execute",
      "--ExecutePreprocessor.kernel_name=deno",
      "--ExecutePreprocessor.timeout=900",
      "--ExecutePreprocessor.iopub_timeout=120", // late display messages on a loaded CI machine
      "--output-dir",
      out,
      `${root}notebooks/${key}.ipynb`,
    ],
    cwd: `${root}notebooks`,
    env: {
      JUPYTER_PATH: `${root}.jupyter`,
      METAPLASTICITY_SCALE: "smoke",
      METAPLASTICITY_OUT: `${out}/results`,
      METAPLASTICITY_QUIET: "1",
      METAPLASTICITY_PNG: "0", // Chromium per figure would dominate the suite's time
    },
    stdout: "piped",
    stderr: "piped",
  });
  const res = await cmd.output();
  const log = new TextDecoder().decode(res.stderr);
  assert(res.success, `nbconvert failed for ${key}:\n${log.slice(-4000)}`);
  const nb = JSON.parse(await Deno.readTextFile(`${out}/${key}.ipynb`));
  const errors = nb.cells.flatMap((
    c: { outputs?: { output_type: string; ename?: string; evalue?: string }[] },
  ) => (c.outputs ?? []).filter((o) => o.output_type === "error"));
  assertEquals(
    errors.map((e: { ename?: string; evalue?: string }) => `${e.ename}: ${e.evalue}`),
    [],
  );
  const figures = nb.cells.flatMap((c: { outputs?: { data?: Record<string, unknown> }[] }) =>
    (c.outputs ?? []).filter((o) => o.data?.["application/vnd.plotly.v1+json"])
  );
  return { figures: figures.length, out };
}
