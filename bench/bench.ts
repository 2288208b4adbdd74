/**
 * `deno task bench`: the toolkit's training steps against PyTorch on this machine, one thread
 * each, alternating the two in one run.
 *
 * Cases (targets are ratios ours / PyTorch of the median step time):
 *  a  784-4096-4096-10 binarized MLP step, metaplastic Adam, batch 100   (≤ 0.5)
 *  b  784-4096-4096-10 real-valued MLP step, Adam, batch 100             (≤ 0.8)
 *  c  784-512-512-10 MLP step, Adam, batch 100                           (≤ 1.0)
 *  d  MESU step, 784-50-10, batch 1, 10 Monte-Carlo samples              (≤ 0.5)
 *  e  Adam update alone over 16.8M parameters                            (≤ 0.7)
 *  f  BiMU step, Bernoulli 784-100-10, batch 1, 5 relaxed samples         (≤ 1.0)
 *  g  the same with the scalar JavaScript path (SIMD kernels off)         (reference for f)
 *
 * PyTorch runs bench/torch_reference.py in a persistent subprocess, from a virtual environment
 * outside the repository (`~/.cache/metaplasticity/torch-venv`, created with `pip install torch`
 * from PyPI on first use), else Debian's `python3-torch` (installed with apt when root), else
 * the bench says so and prints our absolute times only.
 *
 * Flags: `--rounds N` (default 5), `--cases a,b,...`, `--no-install` (never install PyTorch),
 * `--python PATH` (a python with torch), `--no-torch`, `--json FILE` (write the results),
 * `--coretype NAME` (force an OpenBLAS kernel family for our side, e.g. SkylakeX; opt-in, see
 * `METAPLASTICITY_BLAS_CORETYPE` in lib/backend/blas.ts), `--engine blas|wasm|cpu|webgpu`,
 * `--threads N` (BLAS threads of our side; PyTorch stays at one).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { blasLibrary, type EngineName, initEngine } from "../lib/backend/engine.ts";
import { jsSgemm } from "../lib/backend/gemm.ts";
import { installCpuKernels, installedGemm, uninstallCpuKernels } from "../lib/backend/kernels.ts";
import { adamStep, mesuStep, metaplasticAdamStep } from "../lib/backend/fused.ts";
import { variableData } from "../lib/backend/storage.ts";
import { DenseStackMc } from "../lib/backend/dense_stack.ts";
import { loadMnist } from "../lib/data/mod.ts";
import { BernoulliLearner } from "../lib/nn/bernoulli_learner.ts";
import { Rng } from "../lib/rng.ts";

type Case = "a" | "b" | "c" | "d" | "e" | "f" | "g";
const CASES: Record<Case, { title: string; target: number | null; steps: number }> = {
  a: { title: "binarized 784-4096-4096-10, metaplastic Adam, batch 100", target: 0.5, steps: 3 },
  b: { title: "784-4096-4096-10 MLP, Adam, batch 100", target: 0.8, steps: 3 },
  c: { title: "784-512-512-10 MLP, Adam, batch 100", target: 1.0, steps: 20 },
  d: { title: "MESU 784-50-10, batch 1, 10 MC samples", target: 0.5, steps: 300 },
  e: { title: "Adam update alone, 16.8M parameters", target: 0.7, steps: 5 },
  f: { title: "BiMU 784-100-10, batch 1, 5 relaxed samples", target: 1.0, steps: 200 },
  g: { title: "BiMU 784-100-10, batch 1, scalar path (SIMD off)", target: null, steps: 100 },
};

function flag(name: string): string | undefined {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Deno.args[i + 1] : undefined;
}
const has = (name: string) => Deno.args.includes(`--${name}`);

const median = (xs: number[]): number => {
  const s = [...xs].sort((p, q) => p - q);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

// ------------------------------------------------------------------------------------ data
interface Batch {
  x: Float32Array;
  y: Int32Array;
}

async function batches(): Promise<{ big: Batch; one: Batch; source: string }> {
  try {
    const d = await loadMnist({ limit: 100, download: false });
    const train = d.train;
    return {
      big: { x: train.x.slice(0, 100 * 784), y: train.y.slice(0, 100) },
      one: { x: train.x.slice(0, 784), y: train.y.slice(0, 1) },
      source: "MNIST",
    };
  } catch {
    // MNIST-like sparsity (about 19 % non-zero pixels) when the data set is not available
    let s = 12345;
    const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
    const x = new Float32Array(100 * 784).map(() => (u() < 0.19 ? u() : 0));
    const y = Int32Array.from({ length: 100 }, () => Math.floor(u() * 10));
    return { big: { x, y }, one: { x: x.slice(0, 784), y: y.slice(0, 1) }, source: "synthetic" };
  }
}

// ------------------------------------------------------------------------------------ our steps
type Step = () => number;

function uniform(shape: number[], lim: number): tf.Variable {
  return tf.variable(tf.randomUniform(shape, -lim, lim, "float32", 1));
}

function mlpStep(hidden: number, batch: Batch): Step {
  const sizes = [784, hidden, hidden, 10];
  const ws: tf.Variable[] = [], bs: tf.Variable[] = [];
  for (let l = 0; l < 3; l++) {
    const lim = 1 / Math.sqrt(sizes[l]);
    ws.push(uniform([sizes[l], sizes[l + 1]], lim));
    bs.push(uniform([sizes[l + 1]], lim));
  }
  const vars = [...ws, ...bs];
  const x = tf.tensor2d(batch.x, [batch.y.length, 784]);
  const y = tf.oneHot(tf.tensor1d(batch.y, "int32"), 10);
  const state = vars.map((v) => ({ m: new Float32Array(v.size), v: new Float32Array(v.size) }));
  let t = 0;
  return () => {
    const { value, grads } = tf.variableGrads(() => {
      let h: tf.Tensor = x;
      for (let l = 0; l < 3; l++) {
        // what tf.layers.dense runs: one fused product + bias + activation
        h = tf.fused.matMul({ a: h, b: ws[l], bias: bs[l], activation: l < 2 ? "relu" : "linear" });
      }
      return tf.losses.softmaxCrossEntropy(y, h) as tf.Scalar;
    }, vars);
    t++;
    vars.forEach((v, i) => {
      adamStep(variableData(v), grads[v.name].dataSync() as Float32Array, {
        ...state[i],
        lr: 1e-3,
        t,
      });
    });
    const loss = value.dataSync()[0];
    tf.dispose([value, ...Object.values(grads)]);
    return loss;
  };
}

/**
 * Binarized MLP as in the reference code: hidden weights W_h are plain Float32Arrays, the
 * forward pass uses binary weights W_b = sign(W_h) held in tfjs variables, the gradient w.r.t.
 * W_b is applied to W_h (weight STE) by the fused metaplastic Adam, which also rewrites W_b in
 * the same call (`signOut`).
 */
function bnnStep(batch: Batch): Step {
  const sizes = [784, 4096, 4096, 10];
  const hidden: Float32Array[] = [];
  const wb: tf.Variable[] = [], gammas: tf.Variable[] = [], betas: tf.Variable[] = [];
  let s = 5;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  for (let l = 0; l < 3; l++) {
    const h = new Float32Array(sizes[l] * sizes[l + 1]).map(() => (u() - 0.5) * 0.1);
    hidden.push(h);
    wb.push(tf.variable(tf.tensor2d(h.map(Math.sign), [sizes[l], sizes[l + 1]])));
    gammas.push(tf.variable(tf.ones([sizes[l + 1]])));
    betas.push(tf.variable(tf.zeros([sizes[l + 1]])));
  }
  const vars = [...wb, ...gammas, ...betas];
  const x = tf.tensor2d(batch.x, [batch.y.length, 784]);
  const y = tf.oneHot(tf.tensor1d(batch.y, "int32"), 10);
  // activation STE: forward sign, gradient where |z| ≤ 1
  const signSte = tf.customGrad(
    ((z: tf.Tensor, save: tf.GradSaveFunc) => {
      save([z]);
      return {
        value: tf.sign(z),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
          tf.mul(dy, tf.cast(tf.lessEqual(tf.abs(saved[0]), 1), "float32")),
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0],
  );
  const state = vars.map((v) => ({ m: new Float32Array(v.size), v: new Float32Array(v.size) }));
  let t = 0;
  return () => {
    const { value, grads } = tf.variableGrads(() => {
      let h: tf.Tensor = x;
      for (let l = 0; l < 3; l++) {
        const z = tf.matMul(h, wb[l]);
        const { mean, variance } = tf.moments(z, 0);
        h = tf.batchNorm(z, mean, variance, betas[l], gammas[l], 1e-5);
        if (l < 2) h = signSte(h) as tf.Tensor;
      }
      return tf.losses.softmaxCrossEntropy(y, h) as tf.Scalar;
    }, vars);
    t++;
    vars.forEach((v, i) => {
      const o = { ...state[i], lr: 0.005, t, weightDecay: 1e-7 };
      const g = grads[v.name].dataSync() as Float32Array;
      if (i < 3) {
        metaplasticAdamStep(hidden[i], g, { ...o, meta: 1.35, signOut: variableData(v) });
      } else adamStep(variableData(v), g, { ...o, epsMode: "uncorrected" });
    });
    const loss = value.dataSync()[0];
    tf.dispose([value, ...Object.values(grads)]);
    return loss;
  };
}

function mesuBenchStep(batch: Batch): Step {
  const sizes = [784, 50, 10];
  const net = new DenseStackMc(sizes, { samples: 10, seed: 7 });
  let s = 99;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const mu = [0, 1].map((l) =>
    new Float32Array(sizes[l] * sizes[l + 1]).map(() => (u() * 2 - 1) * 4 / Math.sqrt(sizes[l]))
  );
  const sigma = [0, 1].map((l) =>
    new Float32Array(sizes[l] * sizes[l + 1]).fill(2 / Math.sqrt(sizes[l]))
  );
  return () => {
    const g = net.lossAndGrads({ mu, sigma }, batch.x, batch.y);
    for (let l = 0; l < 2; l++) {
      mesuStep(mu[l], sigma[l], { gradMu: g.gradMu[l], gradSigma: g.gradSigma[l] }, {
        sigmaPrior: 1,
        N: 3e5,
      });
    }
    return g.loss;
  };
}

function bimuBenchStep(batch: Batch, simd: boolean): Step {
  const learner = new BernoulliLearner({
    method: "bimu",
    sizes: [784, 100, 10],
    rng: new Rng(7),
    simd,
  });
  return () => learner.step(batch.x, batch.y);
}

function adamOnlyStep(): Step {
  const n = 4096 * 4096;
  const w = new Float32Array(n), g = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    w[i] = Math.sin(i) * 0.01;
    g[i] = Math.cos(i * 1.3) * 0.01;
  }
  const m = new Float32Array(n), v = new Float32Array(n);
  let t = 0;
  return () => {
    adamStep(w, g, { m, v, lr: 1e-3, t: ++t });
    return 0;
  };
}

// ------------------------------------------------------------------------------------ PyTorch
class TorchProcess {
  private lines: AsyncIterableIterator<string>;
  private writer: WritableStreamDefaultWriter<Uint8Array>;
  private child: Deno.ChildProcess;
  constructor(python: string) {
    this.child = new Deno.Command(python, {
      args: [new URL("./torch_reference.py", import.meta.url).pathname],
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
      env: { OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1" },
    }).spawn();
    this.writer = this.child.stdin.getWriter();
    this.lines = this.child.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(
      new (class extends TransformStream<string, string> {
        constructor() {
          let buf = "";
          super({
            transform(chunk, ctl) {
              buf += chunk;
              let i;
              while ((i = buf.indexOf("\n")) >= 0) {
                ctl.enqueue(buf.slice(0, i));
                buf = buf.slice(i + 1);
              }
            },
          });
        }
      })(),
    )[Symbol.asyncIterator]();
  }
  async ask(cmd: string): Promise<Record<string, unknown>> {
    await this.writer.write(new TextEncoder().encode(cmd + "\n"));
    const r = await this.lines.next();
    if (r.done) throw new Error("the PyTorch reference exited");
    const out = JSON.parse(r.value);
    if (out.error) throw new Error(`PyTorch reference: ${out.error}`);
    return out;
  }
  async close(): Promise<void> {
    try {
      await this.writer.write(new TextEncoder().encode("quit\n"));
      await this.writer.close();
    } catch { /* already gone */ }
    await this.child.status;
  }
}

async function run(cmd: string, args: string[], quiet = false): Promise<boolean> {
  try {
    const out = await new Deno.Command(cmd, {
      args,
      stdout: quiet ? "null" : "inherit",
      stderr: quiet ? "null" : "inherit",
    }).output();
    return out.success;
  } catch {
    return false;
  }
}

const hasTorch = (python: string) => run(python, ["-c", "import torch"], true);

/** A python with torch: flag, venv (created on demand), Debian's python3-torch. */
async function findTorch(): Promise<{ python: string; source: string } | string> {
  const explicit = flag("python");
  if (explicit) {
    return (await hasTorch(explicit))
      ? { python: explicit, source: "--python" }
      : `${explicit} has no torch`;
  }
  const home = Deno.env.get("HOME") ?? "/root";
  const venv = `${Deno.env.get("XDG_CACHE_HOME") ?? `${home}/.cache`}/metaplasticity/torch-venv`;
  const vpy = `${venv}/bin/python`;
  if (await hasTorch(vpy)) return { python: vpy, source: `PyPI wheel in ${venv}` };
  const install = !has("no-install");
  if (install) {
    console.log(`installing PyTorch from PyPI into ${venv} (one time, large download) ...`);
    await Deno.mkdir(venv.replace(/\/[^/]+$/, ""), { recursive: true });
    if (
      (await run("python3", ["-m", "venv", venv])) &&
      (await run(`${venv}/bin/pip`, ["install", "--quiet", "--progress-bar", "off", "torch"])) &&
      (await hasTorch(vpy))
    ) {
      return { python: vpy, source: `PyPI wheel in ${venv}` };
    }
    console.log("pip install torch failed; trying Debian's python3-torch");
  }
  if (await hasTorch("/usr/bin/python3")) {
    return { python: "/usr/bin/python3", source: "Debian python3-torch" };
  }
  const root = Deno.uid?.() === 0;
  if (install && root) {
    await run("apt-get", ["update", "-qq"], true);
    if (
      (await run("apt-get", ["install", "-y", "-qq", "python3-torch"], true)) &&
      (await hasTorch("/usr/bin/python3"))
    ) {
      return { python: "/usr/bin/python3", source: "Debian python3-torch" };
    }
  }
  return "no PyTorch available (pip install torch failed or was skipped, and Debian's python3-torch is not installed)";
}

// ------------------------------------------------------------------------------------ GEMM speed
function gflops(f: () => void, flop: number, reps: number): number {
  f();
  const ts: number[] = [];
  for (let r = 0; r < reps; r++) {
    const s = performance.now();
    f();
    ts.push((performance.now() - s) / 1000);
  }
  return flop / median(ts) / 1e9;
}

function gemmReport(): string {
  const m = 100, n = 4096, k = 4096;
  const a = new Float32Array(m * k).map((_, i) => Math.sin(i)),
    b = new Float32Array(k * n).map((_, i) => Math.cos(i));
  const c = new Float32Array(m * n);
  const parts: string[] = [];
  const lib = blasLibrary();
  for (const [ta, tb] of [[false, false], [false, true], [true, false]] as const) {
    const label = `${ta ? "T" : "N"}${tb ? "T" : "N"}`;
    const blas = lib
      ? gflops(() => lib.sgemm(ta, tb, m, n, k, 1, a, b, 0, c), 2 * m * n * k, 3)
      : NaN;
    parts.push(`${label}: blas ${blas.toFixed(1)}`);
  }
  const js = gflops(
    () => jsSgemm(false, false, m, 1024, 1024, 1, a, b, 0, c),
    2 * m * 1024 * 1024,
    2,
  );
  const jsT = gflops(
    () => jsSgemm(false, true, m, 1024, 1024, 1, a, b, 0, c),
    2 * m * 1024 * 1024,
    2,
  );
  // stock tfjs cpu kernel on 100×1024×1024 (it is far too slow for the full size)
  const gemm = installedGemm();
  uninstallCpuKernels();
  const ta = tf.tensor2d(a.subarray(0, m * 1024), [m, 1024]),
    tb = tf.tensor2d(b.subarray(0, 1024 * 1024), [1024, 1024]);
  const stock = gflops(
    () => tf.tidy(() => void tf.matMul(ta, tb).dataSync()),
    2 * m * 1024 * 1024,
    2,
  );
  const stockT = gflops(
    () => tf.tidy(() => void tf.matMul(ta, tb, false, true).dataSync()),
    2 * m * 1024 * 1024,
    2,
  );
  if (gemm) installCpuKernels(gemm);
  tf.dispose([ta, tb]);
  return `sgemm GFLOP/s (100×4096×4096): ${parts.join(", ")}; JS fallback NN ${js.toFixed(1)}, NT ${
    jsT.toFixed(1)
  }; stock tfjs cpu NN ${stock.toFixed(2)}, NT ${stockT.toFixed(2)} (100×1024×1024)`;
}

function targetNote(ratio: number, target: number | null): string {
  if (target === null) return " (no target: a reference for the case above)";
  return ` (target ≤ ${target}: ${ratio <= target ? "met" : "missed"})`;
}

// ------------------------------------------------------------------------------------ main
async function main(): Promise<void> {
  const coreType = flag("coretype"), engine = flag("engine") as EngineName | undefined;
  const threads = flag("threads") ? Number(flag("threads")) : undefined;
  const info = await initEngine({ coreType, engine, threads });
  const rounds = Number(flag("rounds") ?? 5);
  const cases = (flag("cases") ?? "a,b,c,d,e,f,g").split(",").map((s) => s.trim()) as Case[];
  for (const c of cases) if (!(c in CASES)) throw new RangeError(`unknown case "${c}" (use a-g)`);
  if (info.backend === "cpu") console.log(gemmReport());

  let torch: TorchProcess | null = null;
  let torchLabel = "";
  if (!has("no-torch")) {
    const found = await findTorch();
    if (typeof found === "string") {
      console.log(`PyTorch: ${found} — printing our absolute times only.`);
    } else {
      torch = new TorchProcess(found.python);
      const ti = await torch.ask("info");
      torchLabel = `PyTorch ${ti.torch} (${found.source}, ${ti.threads} thread, ${ti.blas})`;
      console.log(`reference: ${torchLabel}`);
    }
  } else console.log("PyTorch: skipped (--no-torch) — printing our absolute times only.");

  const data = await batches();
  console.log(
    `inputs: ${data.source}; ${rounds} rounds${torch ? ", ours and PyTorch alternating" : ""}`,
  );
  const tmp = await Deno.makeTempDir({ prefix: "metaplasticity-bench-" });
  const results: Record<string, unknown>[] = [];
  for (const c of cases) {
    const batch = c === "d" || c === "f" || c === "g" ? data.one : data.big;
    const step = c === "a"
      ? bnnStep(batch)
      : c === "b"
      ? mlpStep(4096, batch)
      : c === "c"
      ? mlpStep(512, batch)
      : c === "d"
      ? mesuBenchStep(batch)
      : c === "f" || c === "g"
      ? bimuBenchStep(batch, c === "f")
      : adamOnlyStep();
    if (torch && c !== "e") {
      const file = `${tmp}/${c}.bin`;
      const bytes = new Uint8Array(batch.x.byteLength + batch.y.byteLength);
      bytes.set(new Uint8Array(batch.x.buffer, batch.x.byteOffset, batch.x.byteLength));
      bytes.set(
        new Uint8Array(batch.y.buffer, batch.y.byteOffset, batch.y.byteLength),
        batch.x.byteLength,
      );
      await Deno.writeFile(file, bytes);
      await torch.ask(`load ${c} ${file}`);
    }
    const { steps } = CASES[c];
    // warm-up: JIT, first-touch allocation, PyTorch's lazy state
    for (let i = 0; i < Math.min(steps, 3); i++) step();
    if (torch) await torch.ask(`run ${c} ${Math.min(steps, 3)}`);
    const ours: number[] = [], theirs: number[] = [], ratios: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const ts: number[] = [];
      for (let i = 0; i < steps; i++) {
        const s = performance.now();
        step();
        ts.push((performance.now() - s) / 1000);
      }
      const o = median(ts);
      ours.push(o);
      if (torch) {
        const p = median((await torch.ask(`run ${c} ${steps}`)).times as number[]);
        theirs.push(p);
        ratios.push(o / p);
      }
    }
    const ms = (x: number) => (x * 1000).toFixed("dfg".includes(c) ? 3 : 1);
    const row = {
      case: c,
      title: CASES[c].title,
      oursMs: median(ours) * 1000,
      torchMs: torch ? median(theirs) * 1000 : null,
      ratio: torch ? median(ratios) : null,
      target: CASES[c].target,
    };
    results.push(row);
    console.log(
      `(${c}) ${CASES[c].title}: ours ${ms(median(ours))} ms` +
        (torch
          ? `, PyTorch ${ms(median(theirs))} ms, ratio ${median(ratios).toFixed(2)}` +
            targetNote(median(ratios), CASES[c].target)
          : ""),
    );
  }
  await torch?.close();
  await Deno.remove(tmp, { recursive: true });
  const out = flag("json");
  if (out) {
    await Deno.writeTextFile(
      out,
      JSON.stringify(
        { engine: info.description, torch: torchLabel || null, rounds, results },
        null,
        2,
      ),
    );
  }
}

if (import.meta.main) await main();
