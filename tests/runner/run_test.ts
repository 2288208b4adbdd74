import { runExperiment } from "../../lib/runner/run.ts";
import { readResults } from "../../lib/runner/results.ts";
import { reportHtml, reportMarkdown, writeReport } from "../../lib/runner/report.ts";
import { softmaxRegression } from "../../lib/papers/demo.ts";
import type { Experiment } from "../../lib/runner/experiment.ts";
import { assert, assertEquals } from "../assert.ts";

const demo = softmaxRegression as unknown as Experiment;
const root = new URL("../../", import.meta.url).pathname;

Deno.test("same seed gives identical results; the report lists every claim", async () => {
  const out1 = await Deno.makeTempDir(), out2 = await Deno.makeTempDir();
  const o = { scale: "smoke" as const, seed: 11, png: false, quiet: true };
  const a = await runExperiment(demo, { ...o, out: out1 });
  const b = await runExperiment(demo, { ...o, out: out2 });
  assertEquals(a.result.tables, b.result.tables);
  const c = await runExperiment(demo, { ...o, seed: 12, out: out2 });
  assert(JSON.stringify(c.result.tables) !== JSON.stringify(a.result.tables), "seed must matter");
  const results = await readResults(out1);
  assertEquals(results.length, 1);
  await writeReport(out1, results);
  const md = reportMarkdown(results);
  assert(md.includes("| demo | LeCun et al. 1998"));
  assert(reportHtml(results).includes("<table>"));
  assert(
    (await Deno.readTextFile(`${out1}/demo/softmax_regression/curve.csv`)).startsWith("epoch,"),
  );
  const html = await Deno.readTextFile(`${out1}/demo/softmax_regression/curve.html`);
  assert(
    html.includes("Plotly.newPlot") && !html.includes("<script src="),
    "figure HTML must be offline",
  );
  await Deno.remove(out1, { recursive: true });
  await Deno.remove(out2, { recursive: true });
});

async function waitFor(path: string, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      await Deno.stat(path);
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return false;
}

Deno.test("a run killed with SIGKILL resumes and gives the uninterrupted numbers", async () => {
  const killed = await Deno.makeTempDir(), clean = await Deno.makeTempDir();
  const args = (out: string) => [
    "run",
    "-A",
    `${root}lib/runner/cli.ts`,
    "demo:softmax_regression",
    "--scale",
    "smoke",
    "--seed",
    "5",
    "--no-png",
    "--out",
    out,
    "--set",
    "epochs=12",
  ];
  const env = { METAPLASTICITY_QUIET: "1" };
  const child = new Deno.Command(Deno.execPath(), {
    args: args(killed),
    env,
    stdout: "null",
    stderr: "null",
  })
    .spawn();
  const ckpt = `${killed}/demo/softmax_regression/.checkpoints`;
  let sawUnit = false;
  const deadline = Date.now() + 60000;
  while (Date.now() < deadline && !sawUnit) {
    try {
      for (const d of Deno.readDirSync(ckpt)) {
        sawUnit = await waitFor(`${ckpt}/${d.name}/epoch-3.json`, 50);
      }
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  assert(sawUnit, "the run never checkpointed epoch 3");
  child.kill("SIGKILL");
  const status = await child.status;
  assert(!status.success, "the child should have been killed");
  let resultExists = true;
  try {
    await Deno.stat(`${killed}/demo/softmax_regression/result.json`);
  } catch {
    resultExists = false;
  }
  assert(!resultExists, "killed before finishing: no result may exist yet");
  const resumed = await new Deno.Command(Deno.execPath(), {
    args: args(killed),
    stderr: "piped",
    stdout: "null",
  })
    .output();
  const log = new TextDecoder().decode(resumed.stderr);
  assert(resumed.success, log);
  const m = log.match(/\((\d+) units resumed/);
  assert(m && Number(m[1]) >= 3, `expected resumed units in log: ${log}`);
  const full = await new Deno.Command(Deno.execPath(), {
    args: args(clean),
    env,
    stdout: "null",
    stderr: "null",
  })
    .output();
  assert(full.success);
  const csv = (o: string) => Deno.readTextFile(`${o}/demo/softmax_regression/curve.csv`);
  assertEquals(await csv(killed), await csv(clean));
  await Deno.remove(killed, { recursive: true });
  await Deno.remove(clean, { recursive: true });
});
