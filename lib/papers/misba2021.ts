/**
 * Misba, Lozano, Querlioz & Atulasimha (2021/2022), "Energy efficient learning with low
 * resolution stochastic domain wall synapse based deep neural networks", arXiv 2111.07284,
 * IEEE Access 10, 84946–84959 — a reconstruction from the abstracts (see `about`).
 *
 * Five-layer MNIST networks (784-256-128-64-10) whose weights are domain-wall synapses with 2, 3
 * or 5 states and a stochastic wall position (`DwSynapse2021`):
 *
 * - in situ: Adam updates a clipped high-precision accumulator; a device is written when the
 *   accumulator has passed a level boundary by more than the noise-tolerance margin, and the
 *   forward pass uses the stored (noisy) wall positions;
 * - ex situ: a precursor network is trained with the quantizer, the same margin and the DW noise
 *   model drawn afresh at every forward pass, then its levels are written once onto fresh
 *   devices and the network is tested as programmed.
 *
 * Training runs through `trainHybrid` of `dagostino2023.ts` (i.e. `lib/train/`).
 *
 * @module
 */
import type { Claim, Experiment, Figure, Paper, Row, RunContext } from "../runner/experiment.ts";
import { loadMnist } from "../data/datasets.ts";
import { mean, std } from "../metrics/continual.ts";
import { Rng } from "../rng.ts";
import { initEngine } from "../backend/engine.ts";
import { disposeModel } from "../nn/model.ts";
import { fullPrecisionMlp } from "../nn/mlp.ts";
import { quantizedMlp } from "../nn/quantized_dense.ts";
import { adam } from "../optim/adam.ts";
import { uniformGrid } from "../optim/quantized_metaplastic.ts";
import { evaluate } from "../train/evaluate.ts";
import { paramBuffers } from "../train/loop.ts";
import { type EvalSet, type Phase, runPhases } from "../train/continual.ts";
import { LevelModel } from "../devices/levels.ts";
import { dwStateStatistics, dwSynapse2021 } from "../devices/domain_wall.ts";
import { nearestLevel } from "../devices/population.ts";
import { histogram } from "../devices/analysis.ts";
import { HybridDeviceNetwork } from "../devices/quantized_synapse_memory.ts";
import { firstN, pct, pctPm, runSeed, trainHybrid } from "./dagostino2023.ts";

/** Settings shared by the training experiments. */
export type MisbaCommon = {
  /** Layer sizes, input first (five layers of neurons). */
  sizes: number[];
  /** MNIST training examples (0 = all 60 000). */
  trainExamples: number;
  /** MNIST test examples (0 = all 10 000). */
  testExamples: number;
  /** Epochs. */
  epochs: number;
  /** Training batch. */
  batchSize: number;
  /** Test batch. */
  testBatchSize: number;
  /** Adam learning rate on the accumulators. */
  lr: number;
  /** Adam learning rate of the floating-point reference. */
  fpLr: number;
  /** Accumulator clip [−clip, clip] (Hubara et al.; 0 = none). */
  clip: number;
  /** Accumulator initialisation width, U(−w/2, w/2) (2: uniform over the track). */
  initWidth: number;
  /** Hidden activation. */
  activation: string;
  /** Energy per DW write (J; placeholder). */
  writeEnergyJ: number;
  /** Repeats with different seeds. */
  seeds: number;
};

/** One training run. */
interface DwRunSpec {
  mode: "fp" | "insitu" | "exsitu";
  states: number;
  spread: number;
  margin: number;
  repeat: number;
}

/** What one run measured. */
export interface DwRunResult {
  /** Run description. */
  mode: "fp" | "insitu" | "exsitu";
  /** States per synapse (0 for the float network). */
  states: number;
  /** Wall-position spread σ/Δw. */
  spread: number;
  /** Noise-tolerance margin (fraction of Δw). */
  margin: number;
  /** Repeat index. */
  repeat: number;
  /** Test accuracy of the final network (ex situ: after the transfer). */
  accuracy: number;
  /** Ex situ: test accuracy of the precursor before the transfer. */
  precursorAccuracy: number | null;
  /** Device writes during training (in situ) or of the transfer (ex situ). */
  writes: number;
  /** Device writes of the initial programming (in situ). */
  initialWrites: number;
  /** Writes per epoch during training (in situ: device writes; ex situ: precursor level changes). */
  writesPerEpoch: number[];
  /** Training inferences (epochs × examples). */
  inferences: number;
  /** Programming energy per training inference (J), initial programming excluded. */
  energyPerInferenceJ: number;
  /** Synapses (weights) in the network. */
  synapses: number;
}

async function dwRun(
  c: MisbaCommon,
  ctx: RunContext,
  data: { phases: Phase[]; evals: EvalSet[] },
  spec: DwRunSpec,
): Promise<DwRunResult> {
  const rng = new Rng(runSeed(ctx, spec.repeat, 2021));
  const initRng = rng.fork(), devRng = rng.fork(), shuffle = rng.fork(), transferRng = rng.fork();
  const key = `${spec.mode}-K${spec.states}-s${spec.spread}-mu${spec.margin}-r${spec.repeat}`;
  const inferences = c.epochs * data.phases[0].train.n;
  const test = data.evals[0].data;
  const base = { ...spec, precursorAccuracy: null, initialWrites: 0, inferences };
  if (spec.mode === "fp") {
    const net = fullPrecisionMlp({ sizes: c.sizes, rng: initRng, trackRunningStats: false });
    const optimizer = adam({ lr: c.fpLr });
    try {
      const res = await runPhases({
        learner: { model: net, optimizer, state: optimizer.init(paramBuffers(net)) },
        phases: data.phases,
        evals: data.evals,
        epochsPerPhase: c.epochs,
        batchSize: c.batchSize,
        testBatchSize: c.testBatchSize,
        rng: shuffle,
        resetOptimizer: false,
        normScenario: "shared",
        evalEvery: "phase",
        cached: ctx.cached,
        key,
        progress: ctx.progress,
        log: ctx.log,
      });
      const synapses = net.params.filter((p) => p.kind === "weight").reduce(
        (s, p) => s + p.variable.size,
        0,
      );
      return {
        ...base,
        accuracy: res.final[0][0],
        writes: 0,
        writesPerEpoch: [],
        energyPerInferenceJ: 0,
        synapses,
      };
    } finally {
      disposeModel(net);
    }
  }
  const grid = uniformGrid(spec.states);
  const net = quantizedMlp({
    sizes: c.sizes,
    rng: initRng,
    grid,
    activation: c.activation as "relu",
    initWidth: c.initWidth,
  });
  const optimizer = adam({ lr: c.lr });
  const device = new LevelModel(
    dwSynapse2021({
      states: spec.states,
      positionSpread: spec.spread,
      writeEnergyJ: c.writeEnergyJ,
    }),
  );
  const dw = 2 / (spec.states - 1);
  // ex situ: ideal stored levels, the DW position noise drawn at every read (forward pass)
  const precursorModel = new LevelModel({
    ...dwSynapse2021({ states: spec.states, positionSpread: 0, writeEnergyJ: 0 }),
    read: { std: spec.spread * dw, relStd: 0, quantStep: 0, range: [-1, 1] },
  });
  const hybrid = new HybridDeviceNetwork(
    net.layers,
    spec.mode === "insitu" ? device : precursorModel,
    {
      mapping: "single",
      margin: spec.margin,
      readNoise: spec.mode === "insitu" ? "never" : "always",
      rng: devRng,
    },
  );
  const initial = hybrid.sync({ force: true });
  try {
    const out = await trainHybrid({
      key,
      model: net,
      layers: net.layers,
      optimizer,
      hybrid,
      clip: c.clip,
      phases: data.phases,
      evals: data.evals,
      epochs: c.epochs,
      batchSize: c.batchSize,
      testBatchSize: c.testBatchSize,
      resetOptimizer: false,
      normScenario: "shared",
      rng: shuffle,
    }, ctx);
    const synapses = out.levelChanges.length;
    const trained = out.result.final[0][0];
    if (spec.mode === "insitu") {
      const energy = out.deviceWrites * c.writeEnergyJ;
      return {
        ...base,
        accuracy: trained,
        initialWrites: initial.writes,
        writes: out.deviceWrites,
        writesPerEpoch: out.writesPerEpoch,
        energyPerInferenceJ: energy / inferences,
        synapses,
      };
    }
    // transfer: fresh devices with the real position spread, written once
    const transferred = await ctx.cached(`${key}/transfer`, () => {
      const target = new HybridDeviceNetwork(net.layers, device, {
        mapping: "single",
        readNoise: "never",
        rng: transferRng,
      });
      const r = target.programLevelsOf(hybrid);
      const acc = evaluate(net, test, { batchSize: c.testBatchSize }).accuracy;
      return { accuracy: acc, writes: r.writes };
    });
    return {
      ...base,
      accuracy: transferred.accuracy,
      precursorAccuracy: trained,
      writes: transferred.writes,
      writesPerEpoch: out.writesPerEpoch,
      energyPerInferenceJ: (transferred.writes * c.writeEnergyJ) / inferences,
      synapses,
    };
  } finally {
    hybrid.detach();
    disposeModel(net);
  }
}

async function mnistData(c: MisbaCommon): Promise<{ phases: Phase[]; evals: EvalSet[] }> {
  const mn = await loadMnist();
  return {
    phases: [{ name: "MNIST", train: firstN(mn.train, c.trainExamples) }],
    evals: [{ name: "MNIST", data: firstN(mn.test, c.testExamples) }],
  };
}

function resultRow(r: DwRunResult): Row {
  return {
    mode: r.mode,
    states: r.states,
    spread: r.spread,
    margin: r.margin,
    repeat: r.repeat,
    accuracy: r.accuracy,
    precursorAccuracy: r.precursorAccuracy,
    writes: r.writes,
    initialWrites: r.initialWrites,
    writesPerEpoch: r.writesPerEpoch.map((w) => w.toFixed(0)).join(" "),
    writesPerInference: r.writes / r.inferences,
    energyPerInferencePJ: r.energyPerInferenceJ * 1e12,
    synapses: r.synapses,
  };
}

const COMMON_QUICK: MisbaCommon = {
  sizes: [784, 256, 128, 64, 10],
  trainExamples: 30000,
  testExamples: 0,
  epochs: 3,
  batchSize: 100,
  testBatchSize: 1000,
  lr: 0.02,
  fpLr: 0.005,
  clip: 1,
  initWidth: 2,
  activation: "relu",
  writeEnergyJ: 3e-15,
  seeds: 1,
};
const COMMON_SMOKE: MisbaCommon = {
  ...COMMON_QUICK,
  sizes: [784, 32, 16, 16, 10],
  trainExamples: 500,
  testExamples: 500,
  epochs: 1,
  testBatchSize: 500,
};
const COMMON_PAPER: MisbaCommon = { ...COMMON_QUICK, trainExamples: 0, epochs: 10, seeds: 3 };

function scaleNote(c: MisbaCommon): string {
  return `${c.sizes.join("-")}, ${c.epochs} epochs on ${
    c.trainExamples || 60000
  } MNIST images, batch ${c.batchSize}, ${c.seeds} seed(s)`;
}

function meanAcc(rs: DwRunResult[], f: (r: DwRunResult) => boolean): number {
  return mean(rs.filter(f).map((r) => r.accuracy));
}

/**
 * Accuracy of the runs picked by `a` minus that of the runs picked by `b`, paired by repeat (a
 * repeat shares its initialisation and data order): mean and standard error over the repeats
 * (NaN with one), and the text `x pts ± se (s.e., n seeds)`.
 */
function pairedDifference(
  rs: DwRunResult[],
  a: (r: DwRunResult) => boolean,
  b: (r: DwRunResult) => boolean,
  seeds: number,
): { mean: number; se: number; text: string } {
  const d = Array.from(
    { length: seeds },
    (_, k) =>
      meanAcc(rs, (x) => a(x) && x.repeat === k) - meanAcc(rs, (x) => b(x) && x.repeat === k),
  );
  const m = mean(d), se = seeds > 1 ? std(d) / Math.sqrt(seeds) : NaN;
  return {
    mean: m,
    se,
    text: `${(100 * m).toFixed(2)} pts` +
      (seeds > 1 ? ` ± ${(100 * se).toFixed(2)} (s.e., ${seeds} seeds)` : ""),
  };
}

/** "holds" of a paired difference: above twice its standard error (n/a with one seed). */
const significant = (d: { mean: number; se: number }): boolean | null =>
  Number.isNaN(d.se) ? null : d.mean > 0 && d.mean > 2 * d.se;

// ---------------------------------------------------------------------------------------------

/** Config of {@linkcode stateStatistics}. */
export type StateStatisticsConfig = {
  /** State counts. */
  statesList: number[];
  /** Position spreads σ/Δw. */
  spreads: number[];
  /** Devices sampled per state for the check against the closed form. */
  devices: number;
  /** Spread of the histogram figure. */
  figureSpread: number;
};

/** Wall-position statistics of the 2-, 3- and 5-state synapses: closed form vs sampled devices. */
export const stateStatistics: Experiment<StateStatisticsConfig> = {
  paper: "misba2021",
  id: "state_statistics",
  title: "Stochastic domain-wall states: position distributions and state overlap",
  configs: {
    smoke: { statesList: [2, 3, 5], spreads: [0.1, 0.2, 0.3], devices: 2000, figureSpread: 0.2 },
    quick: {
      statesList: [2, 3, 5],
      spreads: [0, 0.1, 0.2, 0.3],
      devices: 20000,
      figureSpread: 0.2,
    },
    paper: {
      statesList: [2, 3, 5],
      spreads: [0, 0.1, 0.2, 0.3],
      devices: 100000,
      figureSpread: 0.2,
    },
  },
  run(config, ctx) {
    const rng = ctx.rng.fork();
    const rows: Row[] = [];
    let maxDiff = 0;
    const traces: Record<string, unknown>[] = [];
    for (const K of config.statesList) {
      for (const s of config.spreads) {
        const cfg = dwSynapse2021({ states: K, positionSpread: s });
        const st = dwStateStatistics(cfg);
        const pop = new LevelModel(cfg).sample(config.devices, rng);
        for (let k = 0; k < K; k++) {
          pop.programLevels(new Int32Array(config.devices).fill(k), rng);
          const v = pop.values();
          const read = nearestLevel(v, cfg.levels);
          let right = 0;
          for (const j of read) if (j === k) right++;
          const sampledError = 1 - right / config.devices;
          maxDiff = Math.max(maxDiff, Math.abs(sampledError - st.errorRate[k]));
          rows.push({
            states: K,
            spread: s,
            state: k,
            nominal: st.nominal[k],
            mean: st.mean[k],
            programmedSd: st.programmedSd[k],
            errorRate: st.errorRate[k],
            sampledErrorRate: sampledError,
          });
          if (K === 5 && s === config.figureSpread) {
            const h = histogram(v, { bins: 80, min: -1, max: 1 });
            traces.push({
              type: "bar",
              name: `state ${k}`,
              x: [...h.edges.slice(0, -1)].map((e) => e + 1 / 80),
              y: [...h.counts],
              opacity: 0.7,
            });
          }
        }
      }
    }
    const worst = rows.filter((r) => r.spread === Math.max(...config.spreads) && r.states === 5);
    const fig: Figure = {
      data: traces,
      layout: {
        barmode: "overlay",
        xaxis: { title: { text: "programmed weight (DW position, −1 … 1)" } },
        yaxis: { title: { text: "devices" } },
      },
    };
    return Promise.resolve({
      tables: { states: rows },
      figures: { positions: fig },
      claims: [{
        panel: "device model (brief §3)",
        quantity:
          "stochastic DW position: probability that a write lands in a neighbouring state's window",
        paper:
          "large stochastic variations in DW position (abstract); 3- and 5-state synapses achievable (device paper)",
        ours:
          `5 states, σ/Δw = ${Math.max(...config.spreads)}: inner-state error ${
            pct(Number(worst[2]?.errorRate ?? NaN))
          }; ` +
          `sampled vs closed form within ${(100 * maxDiff).toFixed(2)} points`,
        holds: maxDiff < 0.02,
        note:
          `Model: w = w_k + σ·Δw·ξ clipped to the track (brief's proposal, not fitted to the device paper); ${config.devices} devices per state. "holds" = closed form and sampled populations agree.`,
      }],
    });
  },
};

// ---------------------------------------------------------------------------------------------

/** Config of {@linkcode accuracyVsStates}. */
export type StatesConfig = MisbaCommon & {
  /** State counts. */
  statesList: number[];
  /** Position spread σ/Δw. */
  spread: number;
  /** Noise-tolerance margin (fraction of Δw). */
  margin: number;
};

/** Accuracy vs number of states, in situ and ex situ, against the float network. */
export const accuracyVsStates: Experiment<StatesConfig> = {
  paper: "misba2021",
  id: "states",
  title: "Five-layer MNIST networks with 2-, 3- and 5-state DW synapses, in situ and ex situ",
  configs: {
    smoke: { ...COMMON_SMOKE, statesList: [2, 5], spread: 0.2, margin: 0.2 },
    quick: { ...COMMON_QUICK, statesList: [2, 3, 5], spread: 0.2, margin: 0.2, seeds: 3 },
    paper: { ...COMMON_PAPER, statesList: [2, 3, 5], spread: 0.2, margin: 0.2 },
  },
  async run(config, ctx) {
    await initEngine({ quiet: true });
    const data = await mnistData(config);
    const runs: DwRunResult[] = [];
    for (let r = 0; r < config.seeds; r++) {
      runs.push(
        await dwRun(config, ctx, data, { mode: "fp", states: 0, spread: 0, margin: 0, repeat: r }),
      );
      for (const K of config.statesList) {
        for (const mode of ["insitu", "exsitu"] as const) {
          runs.push(
            await dwRun(config, ctx, data, {
              mode,
              states: K,
              spread: config.spread,
              margin: config.margin,
              repeat: r,
            }),
          );
        }
      }
    }
    const fp = meanAcc(runs, (x) => x.mode === "fp");
    const acc = (mode: string, K: number) =>
      meanAcc(runs, (x) => x.mode === mode && x.states === K);
    const best = (mode: string) => Math.max(...config.statesList.map((K) => acc(mode, K)));
    const scale = scaleNote(config);
    const ks = config.statesList;
    const kMin = Math.min(...ks), kMax = Math.max(...ks);
    const gain = pairedDifference(
      runs,
      (x) => x.mode === "insitu" && x.states === kMax,
      (x) => x.mode === "insitu" && x.states === kMin,
      config.seeds,
    );
    const inSitu5 = runs.filter((x) => x.mode === "insitu" && x.states === Math.max(...ks));
    const epi = mean(inSitu5.map((x) => x.energyPerInferenceJ));
    const wpi = mean(inSitu5.map((x) => x.writes / x.inferences));
    const claims: Claim[] = [
      {
        panel: "abstract",
        quantity: "floating-point DNN of the same topology",
        paper: "≈ 97.1 %",
        ours: pctPm(runs.filter((x) => x.mode === "fp").map((x) => x.accuracy)),
        holds: fp >= 0.96,
        note: `${scale}; "holds" = ≥ 96 %`,
      },
      {
        panel: "abstract",
        quantity: "best in-situ test accuracy (over the state counts)",
        paper: "≈ 96.67 %",
        ours: `${pct(best("insitu"))} (${
          ks.map((K) => `${K} states ${pct(acc("insitu", K))}`).join(", ")
        })`,
        holds: best("insitu") >= fp - 0.015,
        note:
          `${scale}; σ/Δw = ${config.spread}, margin ${config.margin}·Δw; "holds" = within 1.5 points of the float network`,
      },
      {
        panel: "abstract",
        quantity: "best ex-situ test accuracy (after programming the devices once)",
        paper: "≈ 96.63 %",
        ours: `${pct(best("exsitu"))} (${
          ks.map((K) => `${K} states ${pct(acc("exsitu", K))}`).join(", ")
        })`,
        holds: best("exsitu") >= fp - 0.015,
        note:
          `${scale}; precursor trained with the DW noise drawn at every forward pass; "holds" = within 1.5 points of the float network`,
      },
      {
        panel: "results (unverified)",
        quantity: "in-situ accuracy ordering with the number of states",
        paper: "5 states > 3 states > 2 states (expected, unverified)",
        ours: ks.map((K) => `${K}: ${pct(acc("insitu", K))}`).join(", ") +
          `; ${kMax} − ${kMin} states: ${gain.text}`,
        holds: significant(gain),
        note: `${scale}; "holds" = ${kMax} states beat ${kMin} by more than twice the standard ` +
          "error of the paired difference over seeds (n/a with one seed)",
      },
      {
        panel: "abstract",
        quantity: "in-situ device programming energy per inference",
        paper: "≈ 13 pJ (full MNIST, 10 epochs)",
        ours: `${(epi * 1e12).toFixed(3)} pJ (${wpi.toFixed(1)} writes per inference × ${
          config.writeEnergyJ * 1e15
        } fJ), ${Math.max(...ks)} states`,
        holds: null,
        note:
          `${scale}; energy = device writes during training (initial programming excluded) × E_write / (epochs × training images). ` +
          `E_write = ${
            config.writeEnergyJ * 1e15
          } fJ is a placeholder ("a few fJ", unverified) and the writes depend on batch size and margin, so the number is not comparable.`,
      },
    ];
    const fig: Figure = {
      data: [
        ...(["insitu", "exsitu"] as const).map((mode) => ({
          type: "scatter",
          mode: "lines+markers",
          name: mode === "insitu" ? "in situ" : "ex situ",
          x: ks,
          y: ks.map((K) => 100 * acc(mode, K)),
        })),
        {
          type: "scatter",
          mode: "lines",
          name: "floating point",
          x: [ks[0], ks[ks.length - 1]],
          y: [100 * fp, 100 * fp],
          line: { dash: "dot" },
        },
      ],
      layout: {
        xaxis: { title: { text: "states per synapse" } },
        yaxis: { title: { text: "MNIST test accuracy (%)" } },
      },
    };
    return {
      tables: { runs: runs.map(resultRow) },
      figures: { accuracy_vs_states: fig },
      claims,
      notes: notes(config),
    };
  },
};

function notes(c: MisbaCommon): string[] {
  return [
    `Reconstruction from the abstracts: topology ${
      c.sizes.join("-")
    } ("5-layer" read as five layers of neurons, unverified), ${c.activation} + BatchNorm (batch statistics), Adam lr ${c.lr} on accumulators clipped to ±${c.clip} (Hubara-style).`,
    "In situ: devices written only when the accumulator passes a boundary by more than the margin; the forward pass uses the stored wall positions. Ex situ: precursor with per-forward DW noise and the same margin, then one write per device onto fresh devices.",
    "Energy values are placeholders (3 fJ per write, device paper: 'a few fJ').",
  ];
}

// ---------------------------------------------------------------------------------------------

/** Config of {@linkcode accuracyVsMargin}. */
export type MarginConfig = MisbaCommon & {
  /** States per synapse. */
  states: number;
  /** Position spread σ/Δw. */
  spread: number;
  /** Margins (fraction of Δw). */
  margins: number[];
};

/** In-situ accuracy, device writes and energy vs the noise-tolerance margin. */
export const accuracyVsMargin: Experiment<MarginConfig> = {
  paper: "misba2021",
  id: "margin",
  title:
    "In-situ training: accuracy, device writes and programming energy vs noise-tolerance margin",
  configs: {
    smoke: { ...COMMON_SMOKE, states: 5, spread: 0.2, margins: [0, 0.3] },
    quick: { ...COMMON_QUICK, states: 5, spread: 0.2, margins: [0, 0.1, 0.2, 0.3] },
    paper: { ...COMMON_PAPER, states: 5, spread: 0.2, margins: [0, 0.1, 0.2, 0.3] },
  },
  async run(config, ctx) {
    await initEngine({ quiet: true });
    const data = await mnistData(config);
    const runs: DwRunResult[] = [];
    for (let r = 0; r < config.seeds; r++) {
      for (const margin of config.margins) {
        runs.push(
          await dwRun(config, ctx, data, {
            mode: "insitu",
            states: config.states,
            spread: config.spread,
            margin,
            repeat: r,
          }),
        );
      }
    }
    const ms = config.margins;
    const acc = (m: number) => meanAcc(runs, (x) => x.margin === m);
    const writes = (m: number) => mean(runs.filter((x) => x.margin === m).map((x) => x.writes));
    const epi = (m: number) =>
      mean(runs.filter((x) => x.margin === m).map((x) => x.energyPerInferenceJ));
    const lo = Math.min(...ms), hi = Math.max(...ms);
    const scale = scaleNote(config);
    const claims: Claim[] = [{
      panel: "results (unverified)",
      quantity:
        `a wider margin saves writes at little accuracy cost (${config.states} states, σ/Δw = ${config.spread})`,
      paper:
        "sizeable margin handles programming noise with fewer programming attempts (abstract; trade-off unverified)",
      ours: `margin ${lo}: ${pct(acc(lo))}, ${writes(lo).toFixed(0)} writes; margin ${hi}: ${
        pct(acc(hi))
      }, ${writes(hi).toFixed(0)} writes`,
      holds: writes(hi) < writes(lo) && acc(hi) >= acc(lo) - 0.01,
      note: `${scale}; "holds" = fewer writes and at most 1 point lost`,
    }, {
      panel: "abstract",
      quantity: "in-situ programming energy per inference vs margin",
      paper: "≈ 13 pJ per inference (margin not given)",
      ours: ms.map((m) => `${m}: ${(epi(m) * 1e12).toFixed(3)} pJ`).join(", "),
      holds: null,
      note:
        `${scale}; placeholder 3 fJ per write (unverified), batch-size dependent; not comparable to the paper's value`,
    }];
    const fig: Figure = {
      data: [
        {
          type: "scatter",
          mode: "lines+markers",
          name: "test accuracy (%)",
          x: ms,
          y: ms.map((m) => 100 * acc(m)),
        },
        {
          type: "scatter",
          mode: "lines+markers",
          name: "device writes (millions)",
          x: ms,
          y: ms.map((m) => writes(m) / 1e6),
          yaxis: "y2",
        },
      ],
      layout: {
        xaxis: { title: { text: "noise-tolerance margin (fraction of the state spacing)" } },
        yaxis: { title: { text: "MNIST test accuracy (%)" } },
        yaxis2: {
          title: { text: "device writes during training (millions)" },
          overlaying: "y",
          side: "right",
        },
      },
    };
    return {
      tables: { runs: runs.map(resultRow) },
      figures: { margin: fig },
      claims,
      notes: notes(config),
    };
  },
};

// ---------------------------------------------------------------------------------------------

/** Config of {@linkcode accuracyVsSpread}. */
export type SpreadConfig = MisbaCommon & {
  /** States per synapse. */
  states: number;
  /** Position spreads σ/Δw. */
  spreads: number[];
  /** Noise-tolerance margin. */
  margin: number;
};

/** Accuracy vs the DW position spread, in situ and ex situ. */
export const accuracyVsSpread: Experiment<SpreadConfig> = {
  paper: "misba2021",
  id: "spread",
  title: "Accuracy vs domain-wall position spread, in situ and ex situ",
  configs: {
    smoke: { ...COMMON_SMOKE, states: 5, spreads: [0, 0.3], margin: 0.2 },
    // three seeds at quick: the effect of the spread is a fraction of a point, so a single seed
    // cannot tell it from run-to-run noise
    quick: { ...COMMON_QUICK, states: 5, spreads: [0, 0.15, 0.3], margin: 0.2, seeds: 3 },
    paper: { ...COMMON_PAPER, states: 5, spreads: [0, 0.1, 0.2, 0.3], margin: 0.2 },
  },
  async run(config, ctx) {
    await initEngine({ quiet: true });
    const data = await mnistData(config);
    const runs: DwRunResult[] = [];
    for (let r = 0; r < config.seeds; r++) {
      for (const spread of config.spreads) {
        for (const mode of ["insitu", "exsitu"] as const) {
          runs.push(
            await dwRun(config, ctx, data, {
              mode,
              states: config.states,
              spread,
              margin: config.margin,
              repeat: r,
            }),
          );
        }
      }
    }
    const ss = config.spreads;
    const acc = (mode: string, s: number) =>
      meanAcc(runs, (x) => x.mode === mode && x.spread === s);
    const lo = Math.min(...ss), hi = Math.max(...ss);
    const scale = scaleNote(config);
    const claims: Claim[] = (["insitu", "exsitu"] as const).map((mode) => {
      // the drop from the smallest to the largest spread, against its own seed-to-seed spread
      const d = pairedDifference(
        runs,
        (x) => x.mode === mode && x.spread === lo,
        (x) => x.mode === mode && x.spread === hi,
        config.seeds,
      );
      return {
        panel: "results (unverified)",
        quantity: `${
          mode === "insitu" ? "in-situ" : "ex-situ"
        } accuracy decreases with the DW position spread (${config.states} states)`,
        paper: "accuracy decreases with the position spread (expected, unverified)",
        ours: ss.map((s) => `σ/Δw ${s}: ${pct(acc(mode, s))}`).join(", ") +
          `; drop ${lo} → ${hi}: ${d.text}`,
        holds: significant(d),
        note: `${scale}; margin ${config.margin}·Δw; "holds" = the paired drop exceeds twice its ` +
          "standard error over seeds (needs ≥ 2 seeds; n/a with one)",
      };
    });
    const fig: Figure = {
      data: (["insitu", "exsitu"] as const).map((mode) => ({
        type: "scatter",
        mode: "lines+markers",
        name: mode === "insitu" ? "in situ" : "ex situ",
        x: ss,
        y: ss.map((s) => 100 * acc(mode, s)),
      })),
      layout: {
        xaxis: { title: { text: "DW position spread σ/Δw" } },
        yaxis: { title: { text: "MNIST test accuracy (%)" } },
      },
    };
    return {
      tables: { runs: runs.map(resultRow) },
      figures: { spread: fig },
      claims,
      notes: notes(config),
    };
  },
};

// ---------------------------------------------------------------------------------------------

/** The registry entry. */
export const paper: Paper = {
  key: "misba2021",
  citation:
    'Misba, Lozano, Querlioz & Atulasimha (2022), "Energy efficient learning with low resolution stochastic domain wall synapse based deep neural networks", IEEE Access 10, 84946–84959, arXiv 2111.07284.',
  about:
    `**What the paper claims.** Voltage-controlled domain-wall (DW) synapses with very few states (2, 3, 5) and
large stochastic variations of the wall position still train five-layer MNIST networks close to floating point
(**96.67 %** in situ, **96.63 %** ex situ, vs **97.1 %**), with modified Hubara-style training: in situ, a
high-precision memory accumulates gradients and a device is written only past a level boundary plus a
**noise-tolerance margin**; ex situ, a precursor trained with the device model and margin is transferred. In-situ
training costs **≈ 13 pJ of device programming energy per inference** (10 epochs of full MNIST).

**What is reproduced here (a reconstruction from the abstracts).**
- \`DwSynapse2021\` presets (2, 3, 5 states): w = w_k + σ·Δw·ξ clipped to the track; closed-form state statistics
  checked against sampled devices (\`state_statistics\`).
- \`states\`: accuracy vs number of states, in situ and ex situ, against the float network.
- \`margin\`: in-situ accuracy, device writes and energy vs margin.
- \`spread\`: accuracy vs σ/Δw, in situ and ex situ.

**Our choices** (unknown from the abstracts): 784-256-128-64-10 ("5-layer" = five layers of neurons), ReLU with
BatchNorm, Adam (lr 0.02; 0.005 for the float reference) on accumulators clipped to ±1, batch 100, σ/Δw = 0.2 and margin 0.2·Δw by default.
Ex-situ precursors see the DW noise drawn afresh at every forward pass.

**Placeholders.** The write energy (3 fJ, for the device paper's "few fJ") and the position spread are not the
paper's numbers; energies per inference are therefore not comparable to 13 pJ (and depend on batch size).

**Scale.** \`quick\`: 30 000 training images, 3 epochs, one seed (a few minutes per experiment on 2 cores).
\`paper\`: full MNIST, 10 epochs, 3 seeds. Data: MNIST, available.`,
  experiments: [
    stateStatistics as unknown as Experiment,
    accuracyVsStates as unknown as Experiment,
    accuracyVsMargin as unknown as Experiment,
    accuracyVsSpread as unknown as Experiment,
  ],
};
