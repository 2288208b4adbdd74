/**
 * Bonnet, Hirtzlin, Januel, Dalgaty, Querlioz & Vianello (2023), "Bayesian Metaplasticity from
 * Synaptic Uncertainty" (NeurIPS 2023 workshop; arXiv 2312.10153): MESU keeps learning over 100
 * permuted-MNIST tasks without task boundaries, where BGD's plasticity vanishes and SGD forgets;
 * MESU's epistemic uncertainty on out-of-distribution inputs persists while BGD's collapses.
 *
 * Runs on the permuted-MNIST protocol of `mesu2025.ts` ({@linkcode runPermutedMethod}).
 *
 * @module
 */
import type { Claim, Experiment, ExperimentResult, Paper, Row } from "../runner/experiment.ts";
import { mean } from "../metrics/continual.ts";
import {
  loadMesuData,
  MESU_COLORS,
  MESU_LABELS,
  type PermutedConfig,
  permutedFigures,
  type PermutedRun,
  permutedTables,
  runPermutedMethod,
  scaleNote,
} from "./mesu2025.ts";

const LABELS: Record<string, string> = { ...MESU_LABELS, bgd: "BGD" };
const pct = (v: number): string => Number.isFinite(v) ? `${(v * 100).toFixed(2)} %` : "n/a";

const shared = {
  hidden: 50,
  localReparam: false,
  kappa: 1,
  methods: ["mesu", "bgd", "sgd"],
  sigmaPrior: 0.2,
  muPrior: 0,
  memory: 300000,
  mesuVariant: "2023",
  clampGrad: 0.1,
  bgdClamp: 0,
  bgdVariant: "zeno",
  sgdLr: 1e-3,
  sgdReduction: "sum",
  ewcOnlineLambda: 2,
  ewcStreamLambda: 5,
  ewcGamma: 0.2,
  streamFisher: "batch",
  siC: 1e-4,
  siXi: 1,
};

/** 100-task permuted MNIST without boundaries: MESU vs BGD vs SGD, and OOD uncertainty. */
export const pmnist100: Experiment<PermutedConfig> = {
  paper: "mesu2023",
  id: "pmnist100",
  title:
    "100 permuted-MNIST tasks without boundaries: MESU flat, BGD decaying, SGD forgetting; OOD uncertainty",
  configs: {
    smoke: {
      ...shared,
      tasks: 4,
      trainPerTask: 200,
      testPerTask: 100,
      oodCount: 100,
      batchSize: 32,
      trainSamples: 2,
      testSamples: 2,
      ratioMax: 0.1,
      checkpointEvery: 4,
    },
    quick: {
      ...shared,
      localReparam: true,
      kappa: 1,
      tasks: 30,
      trainPerTask: 60000,
      testPerTask: 1000,
      oodCount: 1000,
      batchSize: 32,
      trainSamples: 4,
      testSamples: 8,
      ratioMax: 0.1,
      checkpointEvery: 20,
    },
    paper: {
      ...shared,
      tasks: 100,
      trainPerTask: 60000,
      testPerTask: 10000,
      oodCount: 10000,
      batchSize: 1,
      trainSamples: 8,
      testSamples: 8,
      ratioMax: 0,
      checkpointEvery: 5,
    },
  },
  async run(cfg, ctx): Promise<ExperimentResult> {
    const data = await loadMesuData();
    const known = ["mesu", "bgd", "sgd", "si", "online-ewc", "stream-ewc"];
    const rngs = new Map(known.map((m) => [m, ctx.rng.fork()]));
    const runs: PermutedRun[] = [];
    for (const m of cfg.methods) {
      const rng = rngs.get(m);
      if (!rng) throw new RangeError(`unknown method "${m}"; known: ${known.join(", ")}`);
      runs.push(await runPermutedMethod(m, cfg, ctx, { rng, key: m, data }));
    }
    const by = (m: string) => runs.find((r) => r.method === m);
    const T = cfg.tasks, k = Math.max(1, Math.min(5, Math.floor(T / 2)));
    const drop = (r: PermutedRun) =>
      mean(r.justLearned.slice(0, k)) - mean(r.justLearned.slice(-k));
    const note =
      `${
        scaleNote(cfg, 100)
      }. MESU uses the 2023 rule (no ½ on σ, no μ-prior term; unverified as the ` +
      `paper's) with σ_p = ${cfg.sigmaPrior}, clamp ${cfg.clampGrad}`;
    const claims: Claim[] = [];
    const mesu = by("mesu"), bgd = by("bgd"), sgd = by("sgd");
    if (mesu && bgd && T >= 2) {
      claims.push({
        panel: "accuracy after each task",
        quantity:
          `drop of the just-learned accuracy (mean of the first ${k} tasks − mean of the last ${k})`,
        paper:
          "MESU ≈ 94–94.5 % settling near 93.5 % by task 100; BGD falls from ≈ 95 % to ≈ 81 %; SGD ≈ 94–95 % → 93.7 % " +
          "(authors' 2024 notebook; unverified as the 2023 paper's figure)",
        ours: runs.map((r) =>
          `${LABELS[r.method]} ${pct(drop(r))} (last ${pct(r.justLearned.at(-1)!)})`
        ).join(", "),
        holds: drop(bgd) > drop(mesu),
        note: `holds = BGD loses more plasticity than MESU. ${note}`,
      });
    }
    if (mesu && T >= 5) {
      const w = Math.min(3, T - 1);
      const behind = (r: PermutedRun) => mean(r.final.slice(-w - 1, -1));
      const ours = runs.map((r) =>
        `${LABELS[r.method]} ${r.final.slice(-6).map((v) => (v * 100).toFixed(1)).join("/")} %`
      ).join("; ");
      claims.push({
        panel: "final accuracy on the last tasks",
        quantity: `accuracy after task ${T} on tasks ${
          T - 5
        }…${T} (remembering window of a few tasks)`,
        paper:
          "MESU 72/84/89/89.7/91.5/93.5 % on tasks 95–100; SGD below 65 % then 73/75/80/93.6 %; BGD 72–81 % throughout " +
          "(unverified as the 2023 paper's figure)",
        ours,
        holds: sgd
          ? behind(mesu) > behind(sgd) && mesu.final.at(-1)! > mesu.final.at(-6)!
          : mesu.final.at(-1)! > mesu.final.at(-6)!,
        note:
          `holds = MESU keeps the ${w} tasks before the last better than SGD, and the window fades with task age. ${note}`,
      });
    }
    if (mesu && bgd) {
      const lastMean = (r: PermutedRun) => mean(r.oodScore.slice(-k));
      claims.push({
        panel: "OOD uncertainty",
        quantity:
          `mean epistemic uncertainty (bits) on the OOD set over the last ${k} tasks — Fashion-MNIST substitutes KMNIST`,
        paper: "KMNIST: MESU plateaus at ≈ 0.15–0.2 bits; BGD decays to ≈ 0.01 bits",
        ours:
          `MESU ${lastMean(mesu).toFixed(3)} bits (first task ${
            mesu.oodScore[0].toFixed(3)
          }), BGD ${lastMean(bgd).toFixed(3)} bits ` +
          `(first task ${bgd.oodScore[0].toFixed(3)})`,
        holds: lastMean(mesu) > 2 * lastMean(bgd) && lastMean(bgd) < bgd.oodScore[0],
        note:
          `holds = MESU keeps at least twice BGD's OOD uncertainty and BGD's decays. KMNIST is not available to the ` +
          `project; Fashion-MNIST (test set, standardised) is the substitute named by the brief. ${note}`,
      });
    }
    const figures = permutedFigures(runs, {
      window: 5,
      lastTasks: Math.min(11, T),
      labels: LABELS,
    });
    const tasks = Array.from({ length: T }, (_, i) => i + 1);
    figures.oodUncertaintyVsTask = {
      data: runs.filter((r) => r.method === "mesu" || r.method === "bgd").map((r) => ({
        type: "scatter",
        mode: "lines",
        name: LABELS[r.method],
        x: tasks,
        y: r.oodScore,
        line: { color: MESU_COLORS[r.method] },
      })),
      layout: {
        xaxis: { title: { text: "task" } },
        yaxis: {
          title: { text: "epistemic uncertainty on Fashion-MNIST (bits; KMNIST substitute)" },
        },
      },
    };
    const summary: Row[] = runs.map((r) => ({
      method: r.method,
      drop: drop(r),
      lastJustLearned: r.justLearned.at(-1)!,
      finalLast: r.final.at(-1)!,
      oodLast: r.oodScore.at(-1)!,
    }));
    return {
      tables: { ...permutedTables(runs), summary },
      figures,
      claims,
      notes: [
        note,
        "KMNIST (the OOD set of the authors' 100-task notebook) is not available: Fashion-MNIST is used instead.",
        "Settings follow the authors' notebook of that period (784-50-10, 8 MC samples, N_μ = N_σ = 3e5, clamp 0.1, σ_p 0.2, " +
        "BGD lr 1, SGD lr 1e-3 on a summed loss); the 2023 paper's own settings are not recoverable (unverified).",
      ],
    };
  },
};

/** The MESU 2023 registry entry. */
export const paper: Paper = {
  key: "mesu2023",
  citation:
    "Bonnet, D., Hirtzlin, T., Januel, T., Dalgaty, T., Querlioz, D. & Vianello, E. (2023). Bayesian " +
    "Metaplasticity from Synaptic Uncertainty. NeurIPS 2023 workshop on Machine Learning with New Compute Paradigms " +
    "(arXiv:2312.10153).",
  about: `# MESU 2023 — Bayesian metaplasticity from synaptic uncertainty

**Claim.** Using each synapse's uncertainty σ as its learning rate (Δμ = −σ²∂C/∂μ) and letting σ be
released towards a prior with a memory of N minibatches, a network keeps learning over **100
permuted-MNIST tasks without task boundaries**: its accuracy right after each task stays flat, where
Bayesian gradient descent (BGD, no forgetting) loses plasticity and SGD forgets; it remembers a window
of recent tasks; and its epistemic uncertainty on out-of-distribution inputs persists, where BGD's
vanishes. The update closely approximates a diagonal Newton method (σ² ≈ 1/(N·H + 1/σ_p²); see the
\`mesu2025\` notebook, Supp. Fig. 1).

**What we reproduce** (\`pmnist100\`): MESU vs BGD vs SGD on permuted MNIST — accuracy right after each
task, accuracy after the last task on the last tasks, and the mean epistemic uncertainty on an OOD set
after each task.

**Settings.** The 2023 paper's figure and settings are not recoverable; we follow the authors'
notebook of that period (brief §6, unverified as the paper's): 784-50-10, no bias, ReLU, 8 Monte-Carlo
samples, MESU N_μ = N_σ = 3e5 updates at batch 1 (5 tasks), gradient clamp 0.1, σ_p = 0.2; BGD lr 1;
SGD lr 1e-3 on a summed loss. MESU uses the **2023 rule** reconstructed from the code of that period
(no ½ on the σ step, no μ-prior term; unverified); the 2025 rule is in \`mesu2025\`.

**Scale.** Paper: 100 tasks × 60 000 images at batch 1. \`quick\`: **30** full tasks (60 000 images),
batch 32, 4 training samples with per-example noise (local reparameterisation, as every example has
its own weight sample at batch 1), N rescaled to N_samples/B = 9375 updates (5 tasks, as the
reference) and a step clip |Δ| ≤ 0.1σ; SGD's per-example step is unchanged (summed loss). Subsampling
the tasks instead does not work with this rule's σ_p = 0.2 (measured with 100 tasks × 6000 images: the
data term N·H of the posterior precision becomes comparable to the prior's 1/σ_p² = 25, σ drifts up
towards σ_p (mean σ 0.08 → 0.17) and MESU's just-learned accuracy decays 87.5 → 75 %; multiplying the
likelihood by κ = 10 to compensate pushes most steps into the step clip and is worse, 86 → 50 %). The
claims target the qualitative behaviour over 30 tasks; the paper scale is the paper's.

**Data.** MNIST is available. **KMNIST**, the OOD set of the authors' notebook, is **not available**:
the Fashion-MNIST test set is used instead (the substitute the brief names).`,
  experiments: [pmnist100 as unknown as Experiment],
};
