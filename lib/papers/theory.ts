/**
 * Theory of synaptic memory and metaplasticity: the tractable quadratic binary task of
 * Laborieux et al. 2021 (Fig. 6a–b), the classic synapse models surveyed by Zenke & Laborieux
 * 2024 (binary, cascade, Benna–Fusi memory traces), the calcium-control rule with NMDAR
 * metaplasticity (Shouval/Yeung), the MESU precision recursion, and the correlation analysis of
 * Savin, Dayan & Lengyel 2013. All synthetic; every experiment runs in seconds on a CPU.
 *
 * @module
 */
import type { Claim, Experiment, Figure, Paper, Row } from "../runner/experiment.ts";
import { Rng } from "../rng.ts";
import {
  binarize,
  binByMagnitude,
  cornerDrift,
  cornerStability,
  fig6aTask,
  fig6bTask,
  flipLossIncrease,
  flipLossIncreaseBruteForce,
  quadraticLoss,
  trainBinaryQuadratic,
} from "../theory/quadratic_binary_task.ts";
import {
  pearson,
  precisionFixedPoint,
  precisionStep,
  sigmaStepFromCurvature,
  spearman,
} from "../theory/diagonal_newton.ts";
import {
  binarySynapse,
  binarySynapseSnr,
  cascadeSynapse,
  logTimes,
  type MarkovSynapse,
  memorySignal,
  memorySnr,
  simulateMemorySignal,
} from "../theory/synapse_memory.ts";
import {
  bennaFusiChain,
  bennaFusiSignal,
  bennaFusiSnr,
  simulateBennaFusi,
} from "../theory/benna_fusi.ts";
import { decayFits, linearFit } from "../theory/fit.ts";
import {
  crossoverRate,
  etaCa,
  ltdOnsetRate,
  nmdaAfterActivity,
  omegaCa,
  rateResponse,
  SHOUVAL_2002,
  stdpCurve,
} from "../theory/calcium.ts";
import {
  AssociativeMemory,
  bitErrorRate,
  cueFromPattern,
  learningRule,
  randomPatterns,
  ruleMoments,
  type RuleName,
  weightMoments,
} from "../theory/associative_memory.ts";

const PAPER = "theory";

function fmt(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(digits - 1) : x.toPrecision(digits);
}

/** NaN → null so result tables stay valid. */
function num(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

// ---------------------------------------------------------------------------------------------
// Fig. 6a

/** Config of {@linkcode fig6a}. */
export type Fig6aConfig = {
  /** Learning rate η (paper 0.35). */
  lr: number;
  /** Steps (paper 500). */
  steps: number;
  /** Initial hidden vector (paper (0.01, 0.02)). */
  init: number[];
  /** Contour grid points per axis. */
  grid: number;
  /** Steps drawn on the zoomed landscape panel. */
  zoomSteps: number;
};

/** Fig. 6a: the 2-D trajectory leaving the hypercube on the loss landscape. */
export const fig6a: Experiment<Fig6aConfig> = {
  paper: PAPER,
  id: "fig6a",
  title: "Laborieux 2021 Fig. 6a — 2-D quadratic binary task: hidden weights leave the hypercube",
  configs: {
    smoke: { lr: 0.35, steps: 500, init: [0.01, 0.02], grid: 41, zoomSteps: 12 },
    quick: { lr: 0.35, steps: 500, init: [0.01, 0.02], grid: 101, zoomSteps: 12 },
    paper: { lr: 0.35, steps: 500, init: [0.01, 0.02], grid: 151, zoomSteps: 12 },
  },
  run(config) {
    const task = fig6aTask();
    const run = trainBinaryQuadratic(task, {
      lr: config.lr,
      steps: config.steps,
      init: config.init,
      recordTrajectory: true,
    });
    const traj = run.trajectory!;
    const T = config.steps;
    const xs = Array.from({ length: T + 1 }, (_, t) => traj[2 * t]);
    const ys = Array.from({ length: T + 1 }, (_, t) => traj[2 * t + 1]);
    // corners visited and the best corner by brute force
    const corners = [[1, 1], [1, -1], [-1, 1], [-1, -1]];
    const visits = corners.map((c) => {
      let n = 0;
      for (let t = 1; t <= T; t++) {
        if (Math.sign(xs[t] || 1) === c[0] && Math.sign(ys[t] || 1) === c[1]) n++;
      }
      return n / T;
    });
    const losses = corners.map((c) => quadraticLoss(task, c));
    const best = losses.indexOf(Math.min(...losses));
    const most = visits.indexOf(Math.max(...visits));
    // linear drift of W_h,1: slope vs the visit-weighted closed-form drift
    const half = Math.floor(T / 2);
    const fit = linearFit(
      Array.from({ length: T + 1 - half }, (_, k) => half + k),
      xs.slice(half),
    );
    let predicted = 0;
    const inWindow = corners.map(() => 0);
    for (let t = half; t < T; t++) {
      const b = binarize([xs[t], ys[t]]);
      inWindow[corners.findIndex((c) => c[0] === b[0] && c[1] === b[1])]++;
    }
    corners.forEach((c, k) => {
      if (inWindow[k]) {
        predicted += (inWindow[k] / (T - half)) * cornerDrift(task, c, { lr: config.lr })[0];
      }
    });
    const stability = cornerStability(task, [1, 1]);
    // loss landscape
    const g = config.grid;
    const lo = -2.5, hi = 3.0;
    const axis = Array.from({ length: g }, (_, k) => lo + (hi - lo) * k / (g - 1));
    const z = axis.map((y) => axis.map((x) => quadraticLoss(task, [x, y])));
    const zs = config.zoomSteps;
    const landscape: Figure = {
      data: [
        {
          type: "contour",
          x: axis,
          y: axis,
          z,
          ncontours: 25,
          colorscale: "Viridis",
          showscale: true,
          name: "L(W)",
          colorbar: { title: { text: "L" } },
        },
        {
          type: "scatter",
          mode: "lines",
          x: [-1, 1, 1, -1, -1],
          y: [-1, -1, 1, 1, -1],
          name: "hypercube",
          line: { color: "white", width: 2 },
        },
        {
          type: "scatter",
          mode: "lines+markers",
          x: xs.slice(0, zs + 1),
          y: ys.slice(0, zs + 1),
          name: `W_h, first ${zs} steps`,
          line: { color: "red" },
          marker: { size: 5 },
        },
        {
          type: "scatter",
          mode: "markers",
          x: [task.target[0]],
          y: [task.target[1]],
          name: "W*",
          marker: { symbol: "star", size: 14, color: "gold" },
        },
        {
          type: "scatter",
          mode: "markers",
          x: [corners[most][0]],
          y: [corners[most][1]],
          name: `most visited sign(W_h) (${corners[most].join(", ")})`,
          marker: { symbol: "square", size: 12, color: "orange" },
        },
      ],
      layout: {
        title: {
          text: "Loss landscape, hypercube and the first steps of W_h (η = " + config.lr + ")",
        },
        xaxis: { title: { text: "W₁" }, range: [lo, hi] },
        yaxis: { title: { text: "W₂" }, range: [lo, hi], scaleanchor: "x" },
        legend: { orientation: "h", y: -0.2 },
      },
    };
    const steps = Array.from({ length: T + 1 }, (_, t) => t);
    const trajectory: Figure = {
      data: [
        { type: "scatter", mode: "lines", x: steps, y: xs, name: "W_h,1 (stable: linear drift)" },
        {
          type: "scatter",
          mode: "lines",
          x: steps,
          y: ys,
          name: "W_h,2 (oscillates around 0)",
          yaxis: "y2",
        },
      ],
      layout: {
        title: { text: "Hidden-weight trajectory: W_h,1 leaves the cube and moves on linearly" },
        xaxis: { title: { text: "step" } },
        yaxis: { title: { text: "W_h,1" } },
        yaxis2: { title: { text: "W_h,2" }, overlaying: "y", side: "right" },
      },
    };
    const rows: Row[] = corners.map((c, k) => ({
      corner: `(${c.join(", ")})`,
      loss: losses[k],
      fractionOfSteps: visits[k],
    }));
    const claims: Claim[] = [
      {
        panel: "Fig. 6a",
        quantity: "binary solution sign(W_h)",
        paper: "corner (1, 1) (authors' notebook plot)",
        ours:
          `most visited corner (${corners[most].join(", ")}) for ${
            fmt(visits[most] * 100)
          } % of steps; ` +
          `best corner by brute force (${corners[best].join(", ")}), L = ${fmt(losses[best])}`,
        holds: most === best && corners[most][0] === 1 && corners[most][1] === 1,
        note: stability.stable
          ? "corner (1, 1) is stable: every hidden weight moves away from zero."
          : `corner (1, 1) is not strictly stable: component(s) ${
            stability.unstable.map((i) => i + 1).join(", ")
          } drift back towards 0, so they oscillate around zero and sign(W_h) alternates between corners.`,
      },
      {
        panel: "Fig. 6a",
        quantity: "W_h,1 leaves the hypercube and moves linearly",
        paper:
          "trajectory leaves the unit L∞ ball and moves on linearly (theory_synaptic_models.md §1)",
        ours:
          `W_h,1(${T}) = ${fmt(xs[T])}; linear fit over steps ${half}–${T}: slope ${
            fmt(fit.slope, 6)
          }, ` +
          `R² = ${fit.r2.toFixed(6)}; closed-form visit-weighted drift ${fmt(predicted, 6)}`,
        holds: Math.abs(xs[T]) > 1 && fit.r2 > 0.999 &&
          Math.abs(fit.slope - predicted) <= 1e-2 * Math.abs(predicted),
      },
    ];
    return Promise.resolve({
      tables: { corners: rows },
      figures: { landscape, trajectory },
      claims,
      notes: [
        "H is the matrix printed by the authors' notebook (torch seed 11), used directly since torch's random stream cannot be replicated.",
      ],
    });
  },
};

// ---------------------------------------------------------------------------------------------
// Fig. 6b

/** Config of {@linkcode fig6b}. */
export type Fig6bConfig = {
  /** Dimension (paper 500). */
  d: number;
  /** Learning rate (paper 0.01). */
  lr: number;
  /** Steps (paper 1000). */
  steps: number;
  /** Bins of |W_h|/max|W_h| (paper 15). */
  bins: number;
  /** W_h(0) ~ initStd·N(0, 1) (paper 0.01). */
  initStd: number;
  /** Mean eigenvalue (paper 20). */
  eigenMean: number;
  /** Eigenvalue spread (paper 19). */
  eigenSpread: number;
  /** W* ~ U(−r, r) (paper 4). */
  targetRange: number;
};

/** Fig. 6b: loss increase of single flips vs normalised |W_h|, closed form vs brute force. */
export const fig6b: Experiment<Fig6bConfig> = {
  paper: PAPER,
  id: "fig6b",
  title: "Laborieux 2021 Fig. 6b — loss increase of one flip vs hidden-weight magnitude (d = 500)",
  configs: {
    smoke: {
      d: 120,
      lr: 0.01,
      steps: 1000,
      bins: 15,
      initStd: 0.01,
      eigenMean: 20,
      eigenSpread: 19,
      targetRange: 4,
    },
    quick: {
      d: 500,
      lr: 0.01,
      steps: 1000,
      bins: 15,
      initStd: 0.01,
      eigenMean: 20,
      eigenSpread: 19,
      targetRange: 4,
    },
    paper: {
      d: 500,
      lr: 0.01,
      steps: 1000,
      bins: 15,
      initStd: 0.01,
      eigenMean: 20,
      eigenSpread: 19,
      targetRange: 4,
    },
  },
  async run(config, ctx) {
    const rng = ctx.rng.fork();
    const p = ctx.progress("train + flips", 3);
    const task = fig6bTask(rng, {
      d: config.d,
      eigenMean: config.eigenMean,
      eigenSpread: config.eigenSpread,
      targetRange: config.targetRange,
    });
    p.tick();
    const init = new Float64Array(config.d);
    for (let i = 0; i < config.d; i++) init[i] = config.initStd * rng.normal();
    // the training run is the resumable unit (the task itself is rebuilt from the seed)
    const run = await ctx.cached("train", () => {
      const r = trainBinaryQuadratic(task, { lr: config.lr, steps: config.steps, init });
      return { hidden: r.hidden, binary: r.binary };
    });
    p.tick();
    const closed = flipLossIncrease(task, run.binary);
    const brute = flipLossIncreaseBruteForce(task, run.binary);
    p.tick();
    p.done();
    let maxDiff = 0, maxAbs = 0;
    for (let i = 0; i < config.d; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(closed[i] - brute[i]));
      maxAbs = Math.max(maxAbs, Math.abs(brute[i]));
    }
    const rel = maxDiff / maxAbs;
    const bins = binByMagnitude(closed, run.hidden, { bins: config.bins });
    const binsBrute = binByMagnitude(brute, run.hidden, { bins: config.bins });
    const mag = Array.from(run.hidden, Math.abs);
    const r = pearson(mag, closed);
    const full = bins.filter((b) => b.count > 0);
    const trend = spearman(full.map((b) => b.center), full.map((b) => b.mean));
    // affine prediction ΔL ≈ 2H_ii + 2|W_h,i|/(ηT) for weights at a stable corner
    const stab = cornerStability(task, run.binary);
    const unstable = new Set(stab.unstable);
    const pred: number[] = [], meas: number[] = [];
    for (let i = 0; i < config.d; i++) {
      if (unstable.has(i)) continue;
      pred.push(2 * task.hessian[i * config.d + i] + 2 * mag[i] / (config.lr * config.steps));
      meas.push(closed[i]);
    }
    const rPred = pred.length >= 2 ? pearson(pred, meas) : NaN;
    let meanHii = 0;
    for (let i = 0; i < config.d; i++) meanHii += task.hessian[i * config.d + i] / config.d;
    const rows: Row[] = bins.map((b, k) => ({
      binCenter: b.center,
      count: b.count,
      meanClosedForm: num(b.mean),
      stdClosedForm: num(b.std),
      meanBruteForce: num(binsBrute[k].mean),
      stdBruteForce: num(binsBrute[k].std),
    }));
    const figure: Figure = {
      data: [
        {
          type: "scatter",
          mode: "markers",
          x: mag.map((m) => m / Math.max(...mag)),
          y: Array.from(brute),
          name: "measured flips (each weight)",
          marker: { size: 3, color: "rgba(120,120,120,0.35)" },
        },
        {
          type: "scatter",
          mode: "lines+markers",
          x: full.map((b) => b.center),
          y: full.map((b) => b.mean),
          error_y: { type: "data", array: full.map((b) => b.std), visible: true },
          name: "closed form 2H_ii − 2b_i[H(b − W*)]_i, mean ± std per bin",
        },
        {
          type: "scatter",
          mode: "markers",
          x: binsBrute.filter((b) => b.count > 0).map((b) => b.center),
          y: binsBrute.filter((b) => b.count > 0).map((b) => b.mean),
          name: "brute force L(b′) − L(b), bin mean",
          marker: { symbol: "x", size: 9, color: "black" },
        },
      ],
      layout: {
        title: {
          text:
            `Loss increase of one flip vs |W_h|/max|W_h| (d = ${config.d}, ${config.bins} bins)`,
        },
        xaxis: { title: { text: "normalised hidden-weight magnitude |W_h|/max|W_h|" } },
        yaxis: { title: { text: "ΔL (loss increase of one flip)" } },
      },
    };
    const claims: Claim[] = [
      {
        panel: "Fig. 6b",
        quantity: "closed form ΔL_i = 2H_ii − 2b_i[H(b − W*)]_i vs measured flips",
        paper: "equal to machine precision (derived, theory_synaptic_models.md §1)",
        ours: `max |closed − measured| = ${fmt(maxDiff)} (relative ${
          fmt(rel)
        }) over ${config.d} flips`,
        holds: rel < 1e-9,
      },
      {
        panel: "Fig. 6b",
        quantity: "ΔL vs normalised |W_h| (15 bins)",
        paper:
          "increasing; y range up to ≈ 175 (panel-label position in the authors' plot, indicative only)",
        ours: `bin means ${fmt(full[0].mean)} → ${
          fmt(full[full.length - 1].mean)
        }; Spearman(bin, mean) = ${fmt(trend)}; Pearson(|W_h|, ΔL) = ${fmt(r)}`,
        holds: trend > 0.9 && r > 0.8,
      },
      {
        panel: "Fig. 6b",
        quantity: "stable weights: ΔL ≥ 2H_ii ≈ 2·mean eigenvalue, affine in |W_h|",
        paper: "mean H_ii = mean eigenvalue ≈ 20, so ΔL ≳ 40 at stable weights (derived)",
        ours:
          `${pred.length}/${config.d} weights at a stable position; mean H_ii = ${fmt(meanHii)}; ` +
          `Pearson(ΔL, 2H_ii + 2|W_h|/(ηT)) = ${fmt(rPred)}; min ΔL over them ${
            fmt(Math.min(...meas))
          }`,
        holds: pred.length > config.d / 2 && rPred > 0.9 &&
          Math.min(...meas) >= 2 * (config.eigenMean - config.eigenSpread / 2),
        note:
          "weights still oscillating around zero are excluded; their ΔL can be small or negative.",
      },
    ];
    return {
      tables: { bins: rows },
      figures: { flip_loss: figure },
      claims,
      notes: [
        "H = RᵀDR with R Haar-random (Householder QR of a Gaussian matrix with sign correction); our seeded Rng replaces torch seed 1, so individual values differ from the authors' figure.",
      ],
    };
  },
};

// ---------------------------------------------------------------------------------------------
// Memory SNR of binary, cascade and Benna–Fusi synapses

/** Config of {@linkcode memorySnrExperiment}. */
export type MemorySnrConfig = {
  /** Synapses N (SNR ∝ √N). */
  synapses: number;
  /** Monte Carlo trials (tracked memories) per model. */
  trials: number;
  /** Cascade depths n. */
  cascadeDepths: number;
  /** Benna–Fusi variables m. */
  bennaFusiLevels: number;
  /** Benna–Fusi conductance ratio of the brief (4) and the comparison chain (2). */
  bennaFusiConductanceRatios: number[];
  /** Extra binary-synapse q values beside the one matched to the cascade's initial SNR. */
  extraBinaryQ: number[];
  /** Last simulated time (memories). */
  simHorizon: number;
  /** Recording points per decade. */
  perDecade: number;
};

interface ModelCurve {
  name: string;
  kind: "binary" | "cascade" | "benna_fusi";
  times: number[];
  snr: Float64Array;
  signal: Float64Array;
  fitWindow: [number, number];
  sim?: {
    times: number[];
    snr: Float64Array;
    signal: Float64Array;
    se: Float64Array;
    exactSignal: Float64Array;
  };
}

/** Memory SNR vs time for the binary synapse, the cascade and the Benna–Fusi chain. */
export const memorySnrExperiment: Experiment<MemorySnrConfig> = {
  paper: PAPER,
  id: "memory_snr",
  title: "Zenke & Laborieux 2024 chapter — memory SNR vs time: binary, cascade, Benna–Fusi",
  configs: {
    smoke: {
      synapses: 1000,
      trials: 5,
      cascadeDepths: 6,
      bennaFusiLevels: 5,
      bennaFusiConductanceRatios: [4, 2],
      extraBinaryQ: [0.05],
      simHorizon: 100,
      perDecade: 6,
    },
    quick: {
      synapses: 10000,
      trials: 10,
      cascadeDepths: 10,
      bennaFusiLevels: 8,
      bennaFusiConductanceRatios: [4, 2],
      extraBinaryQ: [0.05],
      simHorizon: 1000,
      perDecade: 8,
    },
    paper: {
      synapses: 100000,
      trials: 2,
      cascadeDepths: 10,
      bennaFusiLevels: 10,
      bennaFusiConductanceRatios: [4, 2],
      extraBinaryQ: [0.01, 0.05],
      simHorizon: 1000,
      perDecade: 10,
    },
  },
  async run(config, ctx) {
    const N = config.synapses;
    const n = config.cascadeDepths;
    const cascade = cascadeSynapse(n);
    const q0 = memorySignal(cascade, [0])[0]; // binary q with the cascade's initial SNR
    const qs = [q0, ...config.extraBinaryQ];
    const models: ModelCurve[] = [];
    const simTimes = logTimes(0, config.simHorizon, { perDecade: config.perDecade });
    const total = qs.length + 1 + config.bennaFusiConductanceRatios.length;
    const p = ctx.progress("models", total);
    const rng = ctx.rng.fork();
    const markov = async (
      syn: MarkovSynapse,
      kind: "binary" | "cascade",
      horizon: number,
      window: [number, number],
    ) => {
      const times = logTimes(0, horizon, { perDecade: config.perDecade });
      const snr = memorySnr(syn, times, { synapses: N });
      const signal = memorySignal(syn, times);
      const simRng = rng.fork();
      const sim = await ctx.cached(`sim-${syn.name}`, () => {
        const s = simulateMemorySignal(syn, simTimes, {
          synapses: N,
          trials: config.trials,
          rng: simRng,
        });
        return { snr: s.snr, signal: s.signal, se: s.signalSe };
      });
      models.push({
        name: syn.name,
        kind,
        times,
        snr,
        signal,
        fitWindow: window,
        sim: { times: simTimes, ...sim, exactSignal: memorySignal(syn, simTimes) },
      });
      p.tick();
    };
    for (const q of qs) {
      await markov(binarySynapse(q), "binary", Math.ceil(12 / q), [1, Math.ceil(3 / q)]);
    }
    await markov(cascade, "cascade", 16 * 2 ** n, [2, 2 ** (n - 1)]);
    for (const rg of config.bennaFusiConductanceRatios) {
      const chain = bennaFusiChain({ levels: config.bennaFusiLevels, conductanceRatio: rg });
      const slowest = -1 / chain.rates[chain.levels - 1];
      const times = logTimes(0, Math.ceil(10 * slowest), { perDecade: config.perDecade });
      const simRng = rng.fork();
      const name = `Benna–Fusi m=${chain.levels}, g ratio ${rg}`;
      const sim = await ctx.cached(`sim-bf-${rg}`, () => {
        const s = simulateBennaFusi(chain, simTimes, {
          synapses: N,
          trials: config.trials,
          rng: simRng,
        });
        return { snr: s.snr, signal: s.signal, se: s.signalSe };
      });
      models.push({
        name,
        kind: "benna_fusi",
        times,
        snr: bennaFusiSnr(chain, times, { synapses: N }),
        signal: bennaFusiSignal(chain, times),
        fitWindow: [10, Math.max(20, Math.floor(slowest / 10))],
        sim: { times: simTimes, ...sim, exactSignal: bennaFusiSignal(chain, simTimes) },
      });
      p.tick();
    }
    p.done();
    // fits, lifetimes and simulation agreement
    const fitRows: Row[] = [];
    const agreeRows: Row[] = [];
    const fits = new Map<string, ReturnType<typeof decayFits>>();
    for (const m of models) {
      const idx = m.times.map((_, k) => k).filter((k) =>
        m.times[k] >= m.fitWindow[0] && m.times[k] <= m.fitWindow[1]
      );
      const f = decayFits(idx.map((k) => m.times[k]), idx.map((k) => m.snr[k]));
      fits.set(m.name, f);
      let life = NaN;
      for (let k = 0; k < m.times.length; k++) {
        if (m.snr[k] < 1) {
          life = m.times[k];
          break;
        }
      }
      fitRows.push({
        model: m.name,
        initialSnr: m.snr[0],
        fitFrom: m.fitWindow[0],
        fitTo: m.fitWindow[1],
        powerExponent: f.powerExponent,
        powerR2: f.powerR2,
        expRate: f.expRate,
        expR2: f.expR2,
        lifetimeSnr1: num(life),
      });
      const s = m.sim!;
      let maxZ = 0, sumZ2 = 0;
      for (let k = 0; k < s.times.length; k++) {
        const z = (s.signal[k] - s.exactSignal[k]) / s.se[k];
        maxZ = Math.max(maxZ, Math.abs(z));
        sumZ2 += z * z;
      }
      agreeRows.push({
        model: m.name,
        points: s.times.length,
        maxAbsZ: maxZ,
        rmsZ: Math.sqrt(sumZ2 / s.times.length),
      });
    }
    const colors = ["#1f77b4", "#17becf", "#9467bd", "#d62728", "#2ca02c", "#ff7f0e", "#8c564b"];
    const data: Record<string, unknown>[] = [];
    models.forEach((m, k) => {
      const c = colors[k % colors.length];
      const pos = m.times.map((t, i) => [t, m.snr[i]]).filter(([t, v]) => t > 0 && v > 1e-3);
      data.push({
        type: "scatter",
        mode: "lines",
        x: pos.map((a) => a[0]),
        y: pos.map((a) => a[1]),
        name: `${m.name} (exact)`,
        line: { color: c },
      });
      const s = m.sim!;
      const sp = s.times.map((t, i) => [t, s.snr[i]]).filter(([t, v]) => t > 0 && v > 0);
      data.push({
        type: "scatter",
        mode: "markers",
        x: sp.map((a) => a[0]),
        y: sp.map((a) => a[1]),
        name: `${m.name} (simulated)`,
        marker: { color: c, size: 6, symbol: "circle-open" },
        showlegend: false,
      });
    });
    data.push({
      type: "scatter",
      mode: "lines",
      x: [1, Math.max(...models.map((m) => m.times[m.times.length - 1]))],
      y: [1, 1],
      name: "SNR = 1",
      line: { dash: "dot", color: "gray" },
    });
    const figure: Figure = {
      data,
      layout: {
        title: { text: `Memory SNR vs time, N = ${N} synapses (lines exact, circles Monte Carlo)` },
        xaxis: { type: "log", title: { text: "memories stored after the tracked one" } },
        yaxis: { type: "log", title: { text: "SNR" }, range: [-2, Math.log10(Math.sqrt(N)) + 0.3] },
      },
    };
    // claims
    const binary0 = models[0], cascadeM = models.find((m) => m.kind === "cascade")!;
    const bfs = models.filter((m) => m.kind === "benna_fusi");
    const fb = fits.get(binary0.name)!, fc = fits.get(cascadeM.name)!;
    const closedBinary = binarySynapseSnr(q0, binary0.times, { synapses: N });
    let maxRelBinary = 0;
    for (let k = 0; k < closedBinary.length; k++) {
      if (closedBinary[k] > 1e-200) {
        maxRelBinary = Math.max(maxRelBinary, Math.abs(binary0.snr[k] / closedBinary[k] - 1));
      }
    }
    const maxZAll = Math.max(...agreeRows.map((r) => r.maxAbsZ as number));
    const claims: Claim[] = [
      {
        panel: "Amit–Fusi binary synapse",
        quantity: `SNR(t) of the binary synapse (q = ${
          fmt(q0)
        }, matched to the cascade's initial SNR)`,
        paper:
          "SNR ≈ √N·q·e^{−qt}, i.e. √N·q(1 − q)^t: exponential forgetting (recalled, unverified)",
        ours: `Markov propagation vs √N·q(1−q)^t: max relative difference ${
          fmt(maxRelBinary)
        }; log-linear fit rate ${fmt(fb.expRate, 6)} vs ln(1−q) = ${fmt(Math.log(1 - q0), 6)} (R² ${
          fb.expR2.toFixed(6)
        }); log-log R² ${fb.powerR2.toFixed(3)}`,
        holds: maxRelBinary < 1e-9 && fb.expR2 > 0.999 && fb.expR2 > fb.powerR2 &&
          Math.abs(fb.expRate - Math.log(1 - q0)) < 1e-6,
      },
      {
        panel: "Cascade model",
        quantity: `SNR(t) of the cascade, n = ${n}, over t ∈ [${cascadeM.fitWindow.join(", ")}]`,
        paper:
          "≈ power law (~1/t) up to t ≈ 2^n, then exponential (Fusi, Drew & Abbott 2005; recalled, unverified)",
        ours: `log-log exponent ${fmt(fc.powerExponent)} (R² ${
          fc.powerR2.toFixed(3)
        }) vs exponential fit R² ${fc.expR2.toFixed(3)}`,
        holds: fc.powerR2 > fc.expR2 && fc.powerExponent < -0.3 && fc.powerExponent > -1.5,
        note: fc.powerExponent > -0.9
          ? "the exponent is shallower than −1 with the transition probabilities recalled in the brief; the 1/t target is unverified."
          : "the 1/t target is unverified.",
      },
      ...bfs.map((m): Claim => {
        const f = fits.get(m.name)!;
        const rg = m.name.split("g ratio ")[1];
        return {
          panel: "Benna–Fusi chain",
          quantity: `SNR(t) of ${m.name} over t ∈ [${m.fitWindow.join(", ")}]`,
          paper:
            "~1/√t over a range growing exponentially with m (Benna & Fusi 2016; capacities ×2 and conductances ÷4 per level, recalled, unverified)",
          ours: `log-log exponent ${fmt(f.powerExponent)} (R² ${
            f.powerR2.toFixed(4)
          }); exponential-fit R² ${f.expR2.toFixed(3)}`,
          holds: f.powerR2 > 0.99 && f.powerR2 > f.expR2 && Math.abs(f.powerExponent + 0.5) < 0.1,
          note:
            `conductance ratio ${rg}: the decay is a power law, and its exponent is −ln r_C/ln(r_C·r_g) ` +
            "(derived from charge conservation): −1/3 for the brief's (2, 4), −1/2 for (2, 2). The brief's constants and its 1/√t cannot both be right.",
        };
      }),
      {
        panel: "Monte Carlo check",
        quantity: "simulated signal vs exact expectation (all models)",
        paper: "simulation and closed form agree (toolkit check)",
        ours:
          `max |z| = ${fmt(maxZAll)} over ${
            agreeRows.reduce((a, r) => a + (r.points as number), 0)
          } points ` +
          `(${config.trials} trials × ${N} synapses per model)`,
        holds: maxZAll < 5,
      },
    ];
    return {
      tables: { fits: fitRows, simulation_agreement: agreeRows },
      figures: { snr: figure },
      claims,
      notes: [
        "Time is counted in memories stored after the tracked one; every model starts from its stationary state (exact law for the Markov synapses; exact Gaussian stationary covariance plus 200 memories of burn-in for the linear chain).",
        "Fit windows: binary [1, 3/q], cascade [2, 2^(n−1)], Benna–Fusi [10, τ_slowest/10].",
      ],
    };
  },
};

// ---------------------------------------------------------------------------------------------
// Calcium-control rule

/** Config of {@linkcode calciumExperiment}. */
export type CalciumConfig = {
  /** Stimulation rates (Hz) of the frequency–response curve. */
  rates: number[];
  /** Pulses per rate. */
  pulses: number;
  /** Euler step (ms) of the rate protocols. */
  dt: number;
  /** Postsynaptic firing rates (Hz) of the activity histories for the sliding threshold. */
  histories: number[];
  /** Duration of each activity history (s). */
  historySeconds: number;
  /** Rates (Hz) of the sliding-threshold curves. */
  slidingRates: number[];
  /** Pre–post delays Δt (ms) of the STDP curve. */
  stdpDeltas: number[];
  /** Pairings per delay. */
  pairings: number;
  /** Euler step (ms) of the STDP protocol. */
  stdpDt: number;
};

const RATES = [0.5, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20, 30, 50];
const SLIDING = [2, 4, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100];
const DELTAS = [-100, -75, -50, -30, -20, -10, -5, 0, 5, 10, 20, 30, 40, 50, 60, 75, 100, 150];

/** Ω(Ca), rate-dependent plasticity, STDP and the sliding threshold of NMDAR metaplasticity. */
export const calciumExperiment: Experiment<CalciumConfig> = {
  paper: PAPER,
  id: "calcium",
  title:
    "Shouval/Yeung calcium-control rule — Ω curve, rate-dependent plasticity, STDP, sliding threshold",
  configs: {
    smoke: {
      rates: [1, 3, 5, 10, 30],
      pulses: 60,
      dt: 0.5,
      histories: [0, 5],
      historySeconds: 30,
      slidingRates: [5, 10, 20, 40, 80],
      stdpDeltas: [-20, 10, 75],
      pairings: 10,
      stdpDt: 0.5,
    },
    quick: {
      rates: RATES,
      pulses: 300,
      dt: 0.5,
      histories: [0, 1, 3, 5],
      historySeconds: 100,
      slidingRates: SLIDING,
      stdpDeltas: DELTAS,
      pairings: 60,
      stdpDt: 0.5,
    },
    paper: {
      rates: RATES,
      pulses: 900,
      dt: 0.2,
      histories: [0, 1, 3, 5],
      historySeconds: 200,
      slidingRates: SLIDING,
      stdpDeltas: DELTAS,
      pairings: 100,
      stdpDt: 0.2,
    },
  },
  run(config, ctx) {
    const prm = SHOUVAL_2002;
    const p = ctx.progress("protocols", 3 + config.histories.length);
    // Ω and η curves
    const ca = Array.from({ length: 201 }, (_, k) => k * 0.005);
    const omegaFig: Figure = {
      data: [
        { type: "scatter", mode: "lines", x: ca, y: ca.map((c) => omegaCa(c)), name: "Ω(Ca)" },
        {
          type: "scatter",
          mode: "lines",
          x: ca,
          y: ca.map((c) => etaCa(c)),
          name: "η(Ca) (1/s)",
          yaxis: "y2",
        },
      ],
      layout: {
        title: { text: "Calcium-control rule: Ω(Ca) and η(Ca)" },
        xaxis: { title: { text: "[Ca] (µM)" } },
        yaxis: { title: { text: "Ω" } },
        yaxis2: { title: { text: "η (1/s)" }, overlaying: "y", side: "right" },
        shapes: [prm.alpha1, prm.alpha2].map((a) => ({
          type: "line",
          x0: a,
          x1: a,
          y0: 0,
          y1: 1,
          yref: "paper",
          line: { dash: "dot", color: "gray" },
        })),
      },
    };
    const omegaMid = omegaCa((prm.alpha1 + prm.alpha2) / 2),
      omegaLow = omegaCa(0),
      omegaHigh = omegaCa(1);
    p.tick();
    // rate-dependent plasticity
    const dw = rateResponse(config.rates, { pulses: config.pulses, dt: config.dt });
    const theta = crossoverRate(config.rates, dw);
    const onset = ltdOnsetRate(config.rates, dw);
    p.tick();
    // STDP
    const stdp = stdpCurve(config.stdpDeltas, { pairings: config.pairings, dt: config.stdpDt });
    p.tick();
    // sliding threshold: g_N after activity histories, then frequency-response curves
    const curves = config.histories.map((h) => {
      const g = nmdaAfterActivity(h, { duration: config.historySeconds * 1000, dt: 0.5 });
      const d = rateResponse(config.slidingRates, { pulses: config.pulses, dt: config.dt, g });
      p.tick();
      return { history: h, g, dw: d, theta: crossoverRate(config.slidingRates, d) };
    });
    p.done();
    const rateFig: Figure = {
      data: [{
        type: "scatter",
        mode: "lines+markers",
        x: config.rates,
        y: Array.from(dw),
        name: `ΔW after ${config.pulses} pulses`,
      }],
      layout: {
        title: {
          text: "Rate-dependent plasticity (presynaptic pulses, postsynaptic voltage at rest)",
        },
        xaxis: { type: "log", title: { text: "stimulation rate (Hz)" } },
        yaxis: { title: { text: "ΔW" } },
      },
    };
    const stdpFig: Figure = {
      data: [{
        type: "scatter",
        mode: "lines+markers",
        x: config.stdpDeltas,
        y: Array.from(stdp),
        name: `ΔW after ${config.pairings} pairings at 1 Hz`,
      }],
      layout: {
        title: { text: "STDP from the calcium rule (Δt > 0: pre before post)" },
        xaxis: { title: { text: "Δt = t_post − t_pre (ms)" } },
        yaxis: { title: { text: "ΔW" } },
      },
    };
    const slideFig: Figure = {
      data: curves.map((c) => ({
        type: "scatter",
        mode: "lines+markers",
        x: config.slidingRates,
        y: Array.from(c.dw),
        name: `history ${c.history} Hz (g_N = ${fmt(c.g)}), θ = ${
          Number.isFinite(c.theta) ? fmt(c.theta) + " Hz" : "none"
        }`,
      })),
      layout: {
        title: {
          text:
            `Sliding threshold: frequency–response after ${config.historySeconds} s of postsynaptic firing`,
        },
        xaxis: { type: "log", title: { text: "stimulation rate (Hz)" } },
        yaxis: { title: { text: "ΔW" } },
      },
    };
    const iPos = config.stdpDeltas.map((d, k) => [d, stdp[k]]);
    const small = iPos.filter(([d]) => d > 0 && d <= 20);
    const negative = iPos.filter(([d]) => d < 0 && d >= -30);
    const late = iPos.filter(([d]) => d >= 40 && d <= 100);
    const thetas = curves.map((c) => c.theta);
    const finite = thetas.filter(Number.isFinite);
    const increasing = finite.every((t, k) => k === 0 || t > finite[k - 1]);
    const claims: Claim[] = [
      {
        panel: "Ω(Ca)",
        quantity: "Ω at low, intermediate and high calcium",
        paper:
          "≈ 0.25 at low Ca, ≈ 0 between α₁ = 0.35 and α₂ = 0.55 µM (depression), ≈ 1 above α₂ (derived from the brief's form)",
        ours: `Ω(0) = ${fmt(omegaLow)}, Ω(0.45 µM) = ${fmt(omegaMid)}, Ω(1 µM) = ${fmt(omegaHigh)}`,
        holds: Math.abs(omegaLow - 0.25) < 0.01 && omegaMid < 0.05 && omegaHigh > 0.95,
      },
      {
        panel: "Rate-dependent plasticity",
        quantity: "ΔW vs stimulation rate",
        paper:
          "LTD at low rates, LTP at high rates (BCM-like; Shouval et al. 2002, unverified layout)",
        ours:
          `LTD from ${fmt(onset)} Hz, crossover θ = ${fmt(theta)} Hz; ΔW(${config.rates[0]} Hz) = ${
            fmt(dw[0])
          }, ` +
          `min ${fmt(Math.min(...dw))}, ΔW(${config.rates[config.rates.length - 1]} Hz) = ${
            fmt(dw[dw.length - 1])
          }`,
        holds: Math.min(...dw) < 0 && dw[dw.length - 1] > 0 && Number.isFinite(theta),
        note: `G_NMDA = ${
          fmt(prm.gNmda)
        } µM/(ms·mV), τ_Ca = ${prm.tauCa} ms (unverified), λ = 1 and W₀ = 0.25 (proposal).`,
      },
      {
        panel: "STDP",
        quantity: "ΔW vs Δt",
        paper:
          "LTP for pre-before-post, LTD for post-before-pre, a second LTD window at large positive Δt (unverified layout)",
        ours: `ΔW at 0 < Δt ≤ 20: ${
          small.map(([d, v]) => `${d}:${fmt(v)}`).join(", ") || "–"
        }; −30 ≤ Δt < 0: ${
          negative.map(([d, v]) => `${d}:${fmt(v)}`).join(", ") || "–"
        }; 40 ≤ Δt ≤ 100: ${late.map(([d, v]) => `${d}:${fmt(v)}`).join(", ") || "–"}`,
        holds: small.length && negative.length && late.length
          ? small.every(([, v]) => v > 0) && negative.some(([, v]) => v < 0) &&
            late.some(([, v]) => v < 0)
          : null,
        note: "BPAP 100 mV with 3 ms (75 %) and 25 ms (25 %) components (unverified shape).",
      },
      {
        panel: "Sliding threshold (NMDAR metaplasticity)",
        quantity: "LTD→LTP crossover rate θ after postsynaptic activity histories",
        paper:
          "sustained activity lowers g_NMDA; the crossover shifts to higher rates (BCM-like sliding threshold; qualitative)",
        ours: curves.map((c) =>
          `${c.history} Hz → g_N ${fmt(c.g)}, θ ${
            Number.isFinite(c.theta) ? fmt(c.theta) + " Hz" : "above range"
          }`
        ).join("; "),
        holds: finite.length >= 2 && increasing &&
          curves.every((c, k) => k === 0 || Math.abs(c.g) < Math.abs(curves[k - 1].g)),
        note:
          "metaplasticity ODE dg/dt = k₊(g_t − g) − k₋v²g with v the depolarisation above rest (our reading of the brief's V); g_N is frozen during each test protocol.",
      },
    ];
    return Promise.resolve({
      tables: {
        rate_response: config.rates.map((r, k) => ({ rateHz: r, dw: dw[k] })),
        stdp: config.stdpDeltas.map((d, k) => ({ deltaMs: d, dw: stdp[k] })),
        sliding_threshold: curves.map((c) => ({
          historyHz: c.history,
          gNmda: c.g,
          thetaHz: num(c.theta),
        })),
      },
      figures: {
        omega: omegaFig,
        rate_response: rateFig,
        stdp: stdpFig,
        sliding_threshold: slideFig,
      },
      claims,
      notes: [
        "Not reproduced: the multi-synapse integrate-and-fire neuron with Poisson input groups (selectivity, Yeung et al. 2003 Fig. 3).",
      ],
    });
  },
};

// ---------------------------------------------------------------------------------------------
// MESU precision recursion

/** Config of {@linkcode mesuPrecision}. */
export type MesuPrecisionConfig = {
  /** Memory N (updates). */
  memory: number;
  /** Prior σ_p. */
  priorSigma: number;
  /** Initial σ. */
  sigma0: number;
  /** Mean curvature H of each parameter's minibatch loss. */
  curvatures: number[];
  /** Log-normal noise (log-std) of the per-minibatch curvature. */
  curvatureNoise: number;
  /** Monte Carlo samples per step for ∂C/∂σ. */
  mcSamples: number;
  /** Steps, in units of N. */
  stepsPerMemory: number;
  /** Steps ignored before averaging, in units of N (the transient decays as e^{−t/N}). */
  burnInPerMemory: number;
  /** Recorded points per decade of the figure. */
  perDecade: number;
};

/** The MESU precision recursion on a quadratic: σ² → 1/(N·H + 1/σ_p²). */
export const mesuPrecision: Experiment<MesuPrecisionConfig> = {
  paper: PAPER,
  id: "mesu_precision",
  title: "MESU diagonal-Newton derivation — σ² converges to 1/(N·H + 1/σ_p²) on a quadratic",
  configs: {
    smoke: {
      memory: 200,
      priorSigma: 1,
      sigma0: 1,
      curvatures: [0.0005, 0.005, 0.05, 0.2],
      curvatureNoise: 0.5,
      mcSamples: 8,
      stepsPerMemory: 20,
      burnInPerMemory: 6,
      perDecade: 12,
    },
    quick: {
      memory: 1000,
      priorSigma: 1,
      sigma0: 1,
      curvatures: [0.0001, 0.001, 0.01, 0.1],
      curvatureNoise: 0.5,
      mcSamples: 8,
      stepsPerMemory: 20,
      burnInPerMemory: 6,
      perDecade: 20,
    },
    paper: {
      memory: 10000,
      priorSigma: 1,
      sigma0: 1,
      curvatures: [0.00001, 0.0001, 0.001, 0.01],
      curvatureNoise: 0.5,
      mcSamples: 8,
      stepsPerMemory: 20,
      burnInPerMemory: 6,
      perDecade: 25,
    },
  },
  run(config, ctx) {
    const N = config.memory, opts = { memory: N, priorSigma: config.priorSigma };
    const bgd = { memory: Infinity, priorSigma: config.priorSigma };
    const steps = Math.round(config.stepsPerMemory * N);
    const burn = Math.round(config.burnInPerMemory * N);
    if (!(burn < steps)) {
      throw new RangeError("burnInPerMemory must be smaller than stepsPerMemory");
    }
    const window = steps - burn;
    const rec = new Set(logTimes(1, steps, { perDecade: config.perDecade }));
    const rng = ctx.rng.fork();
    const s = config.curvatureNoise;
    const p = ctx.progress("curvatures", config.curvatures.length);
    const rows: Row[] = [];
    const data: Record<string, unknown>[] = [];
    const claims: Claim[] = [];
    type Trace = {
      h: number;
      t: number[];
      rec: number[];
      mc: number[];
      bgd: number[];
      star: number;
      tailRec: number;
      tailMc: number;
      bgdMid: number;
      bgdEnd: number;
      tolRec: number;
      tolMc: number;
    };
    const traj: Trace[] = [];
    const cvOf = (sum: number, sum2: number, n: number) =>
      Math.sqrt(Math.max(0, sum2 / n - (sum / n) ** 2)) / (sum / n);
    for (const H of config.curvatures) {
      let P = 1 / (config.sigma0 * config.sigma0), Pb = P;
      let sigma = config.sigma0, mu = 0;
      const c = 1; // optimum of the quadratic
      const star = 1 / precisionFixedPoint(H, opts);
      const out: Trace = {
        h: H,
        t: [],
        rec: [],
        mc: [],
        bgd: [],
        star,
        tailRec: 0,
        tailMc: 0,
        bgdMid: 0,
        bgdEnd: 0,
        tolRec: 0,
        tolMc: 0,
      };
      let hs = 0, hs2 = 0, es = 0, es2 = 0;
      for (let t = 1; t <= steps; t++) {
        const h = H * Math.exp(s * rng.normal() - s * s / 2); // noisy minibatch curvature, mean H
        P = precisionStep(P, h, opts);
        Pb = precisionStep(Pb, h, bgd);
        // first-order MESU σ rule with a Monte Carlo ∂C/∂σ on L = ½h(ω − c)², ω = μ + σε
        let gs = 0, gm = 0;
        for (let k = 0; k < config.mcSamples; k++) {
          const e = rng.normal();
          const grad = h * (mu + sigma * e - c);
          gs += e * grad;
          gm += grad;
        }
        gs /= config.mcSamples;
        gm /= config.mcSamples;
        const s2 = sigma * sigma;
        const est = gs / sigma; // the curvature the σ rule sees this step
        mu += -s2 * gm + s2 * (0 - mu) / (N * config.priorSigma ** 2);
        sigma = sigmaStepFromCurvature(sigma, est, opts);
        if (t > burn) {
          out.tailRec += 1 / P;
          out.tailMc += sigma * sigma;
          hs += h;
          hs2 += h * h;
          es += est;
          es2 += est * est;
        }
        if (t === Math.round(steps / 2)) out.bgdMid = 1 / Pb;
        if (rec.has(t)) {
          out.t.push(t);
          out.rec.push(1 / P / star);
          out.mc.push(sigma * sigma / star);
          out.bgd.push(1 / Pb / star);
        }
      }
      out.tailRec /= window;
      out.tailMc /= window;
      out.bgdEnd = 1 / Pb;
      // predicted standard error of the tail mean (derived): P is an AR(1) filter of the curvature
      // noise, so se(mean)/P* ≈ CV(h)·(NH/P*)/√window; tolerance = 4 se + the e^{−burn/N} transient
      const frac = N * H / (N * H + 1 / config.priorSigma ** 2);
      out.tolRec = 4 * cvOf(hs, hs2, window) * frac / Math.sqrt(window) + Math.exp(-burn / N);
      out.tolMc = 4 * cvOf(es, es2, window) * frac / Math.sqrt(window) + Math.exp(-burn / N) +
        2 / N;
      traj.push(out);
      p.tick();
    }
    p.done();
    const colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];
    traj.forEach((o, k) => {
      const col = colors[k % colors.length];
      data.push({
        type: "scatter",
        mode: "lines",
        x: o.t,
        y: o.rec,
        name: `H = ${o.h}: precision recursion`,
        line: { color: col },
      });
      data.push({
        type: "scatter",
        mode: "markers",
        x: o.t,
        y: o.mc,
        name: `H = ${o.h}: MESU σ rule (MC)`,
        marker: { color: col, size: 4, symbol: "circle-open" },
      });
      data.push({
        type: "scatter",
        mode: "lines",
        x: o.t,
        y: o.bgd,
        name: `H = ${o.h}: BGD (N = ∞)`,
        line: { color: col, dash: "dot" },
      });
      rows.push({
        curvature: o.h,
        fixedPointSigma2: o.star,
        recursionTailSigma2: o.tailRec,
        mesuRuleTailSigma2: o.tailMc,
        recursionRelError: o.tailRec / o.star - 1,
        recursionTolerance: o.tolRec,
        mesuRuleRelError: o.tailMc / o.star - 1,
        mesuRuleTolerance: o.tolMc,
        bgdFinalSigma2: o.bgdEnd,
      });
    });
    data.push({
      type: "scatter",
      mode: "lines",
      x: [1, steps],
      y: [1, 1],
      name: "fixed point 1/(N·H + 1/σ_p²)",
      line: { color: "black", dash: "dash" },
    });
    const okRec = traj.every((o) => Math.abs(o.tailRec / o.star - 1) <= o.tolRec);
    const okMc = traj.every((o) => Math.abs(o.tailMc / o.star - 1) <= o.tolMc);
    claims.push({
      panel: "MESU §4 (derived)",
      quantity:
        `σ² vs the fixed point 1/(N·H̄ + 1/σ_p²), N = ${N}, mean over steps ${burn}–${steps}`,
      paper: "σ² → 1/(N·H̄ + 1/σ_p²) (derived, mesu_bonnet2023_2025.md §4)",
      ours: "relative error (tolerance) per curvature — precision recursion: " +
        traj.map((o) => `H ${o.h}: ${fmt(o.tailRec / o.star - 1)} (${fmt(o.tolRec)})`).join(", ") +
        `; first-order MESU σ rule with a ${config.mcSamples}-sample MC gradient: ` +
        traj.map((o) => `H ${o.h}: ${fmt(o.tailMc / o.star - 1)} (${fmt(o.tolMc)})`).join(", "),
      holds: okRec && okMc,
      note:
        "tolerance = 4 predicted standard errors of the tail mean + the e^{−burn-in/N} transient (+ 2/N first-order bias for the σ rule).",
    });
    const below = traj.every((o) => o.bgdEnd < o.star && o.bgdEnd < o.bgdMid);
    claims.push({
      panel: "MESU §4 (derived)",
      quantity: "BGD (no forgetting): σ² keeps shrinking below MESU's fixed point",
      paper: "P_t = P_0 + Σ H_i grows without bound, σ → 0 (vanishing plasticity)",
      ours: `after ${steps} steps BGD's σ²/σ*² = ` + traj.map((o) =>
        `${fmt(o.bgdEnd / o.star)} (H ${o.h})`
      ).join(", ") +
        "; each still decreasing since mid-run",
      holds: below,
    });
    return Promise.resolve({
      tables: { fixed_points: rows },
      figures: {
        sigma2: {
          data,
          layout: {
            title: {
              text:
                `σ²/σ*² on a quadratic with noisy curvature (N = ${N}, σ_p = ${config.priorSigma})`,
            },
            xaxis: { type: "log", title: { text: "update" } },
            yaxis: { type: "log", title: { text: "σ² / (1/(N·H + 1/σ_p²))" } },
          },
        },
      },
      claims,
      notes: [
        "Per-minibatch loss ½h_t(ω − 1)², h_t log-normal with mean H; the σ rule is Δσ = −½σ²·∂C/∂σ + σ(σ_p² − σ²)/(2Nσ_p²) with ∂C/∂σ estimated from Monte Carlo samples (the derivation's step 2), not the toolkit's MESU optimizer.",
      ],
    });
  },
};

// ---------------------------------------------------------------------------------------------
// Savin, Dayan & Lengyel 2013

/** Config of {@linkcode savin2013Experiment}. */
export type Savin2013Config = {
  /** Neurons N. */
  neurons: number;
  /** Coding level f. */
  f: number;
  /** Cue flip probability r. */
  cueFlip: number;
  /** Memory loads T (increasing). */
  loads: number[];
  /** Independent networks per load. */
  trials: number;
  /** Rules compared. */
  rules: string[];
  /** Maximum decoder sweeps. */
  maxSweeps: number;
};

/** Weight correlations of additive rules and recall with correlation-ignoring vs -aware decoders. */
export const savin2013Experiment: Experiment<Savin2013Config> = {
  paper: PAPER,
  id: "savin2013",
  title:
    "Savin, Dayan & Lengyel 2013 — weight correlations and recall with correlation-aware decoding",
  configs: {
    smoke: {
      neurons: 120,
      f: 0.1,
      cueFlip: 0.1,
      loads: [10, 30, 60],
      trials: 6,
      rules: ["hebbian", "covariance", "homosynaptic"],
      maxSweeps: 20,
    },
    quick: {
      neurons: 200,
      f: 0.1,
      cueFlip: 0.1,
      loads: [10, 20, 40, 80, 160],
      trials: 20,
      rules: ["hebbian", "covariance", "homosynaptic", "heterosynaptic"],
      maxSweeps: 30,
    },
    paper: {
      neurons: 500,
      f: 0.1,
      cueFlip: 0.1,
      loads: [10, 25, 50, 100, 200, 400],
      trials: 20,
      rules: ["hebbian", "covariance", "homosynaptic", "heterosynaptic"],
      maxSweeps: 30,
    },
  },
  async run(config, ctx) {
    const { neurons: n, f, cueFlip: r } = config;
    const loads = [...config.loads].sort((a, b) => a - b);
    if (loads[0] < 2) {
      throw new RangeError("loads must be >= 2 (one pattern is recalled, the rest are background)");
    }
    const tMax = loads[loads.length - 1];
    const p = ctx.progress("rules × trials", config.rules.length * config.trials);
    const base = ctx.rng.fork();
    const trialSeeds = Array.from({ length: config.trials }, () => base.nextU32());
    const recallRows: Row[] = [], corrRows: Row[] = [];
    const summary = new Map<string, { simple: number[]; aware: number[]; cue: number[] }>();
    for (const name of config.rules) {
      const rule = learningRule(name as RuleName, { f });
      const mom = ruleMoments(rule, { f });
      const err = loads.map(() => ({
        simple: [] as number[],
        aware: [] as number[],
        cue: [] as number[],
      }));
      const measured: { variance: number; covPost: number; covPre: number }[] = [];
      for (let k = 0; k < config.trials; k++) {
        const res = await ctx.cached(`${name}-trial-${k}`, () => {
          // same patterns and cues for every rule (the trial seed), so rules differ only by Ω
          const rng = new Rng(trialSeeds[k]);
          const pats = randomPatterns(tMax, n, { f, rng });
          const target = pats.subarray(0, n);
          const mem = new AssociativeMemory(rule, { neurons: n, f });
          const out = {
            simple: [] as number[],
            aware: [] as number[],
            cue: [] as number[],
            moments: [0, 0, 0],
          };
          let storedTo = 0;
          for (const T of loads) {
            mem.store(pats.subarray(storedTo * n, T * n));
            storedTo = T;
            const cue = cueFromPattern(target, { flip: r, rng });
            const orderSeed = rng.nextU32(); // both decoders use the same update order
            const opts = (): { cueFlip: number; maxSweeps: number; rng: Rng } => ({
              cueFlip: r,
              maxSweeps: config.maxSweeps,
              rng: new Rng(orderSeed),
            });
            out.cue.push(bitErrorRate(cue, target));
            out.simple.push(bitErrorRate(mem.simpleRecall(cue, opts()), target));
            out.aware.push(bitErrorRate(mem.correlationAwareRecall(cue, opts()), target));
          }
          const wm = weightMoments(mem.weights, { neurons: n, mean: tMax * mom.mean });
          out.moments = [wm.variance, wm.covPost, wm.covPre];
          return out;
        });
        loads.forEach((_, li) => {
          err[li].simple.push(res.simple[li]);
          err[li].aware.push(res.aware[li]);
          err[li].cue.push(res.cue[li]);
        });
        measured.push({
          variance: res.moments[0],
          covPost: res.moments[1],
          covPre: res.moments[2],
        });
        p.tick();
      }
      const all = { simple: [] as number[], aware: [] as number[], cue: [] as number[] };
      loads.forEach((T, li) => {
        const e = err[li];
        const m = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
        const sd = (a: number[]) =>
          Math.sqrt(a.reduce((x, y) => x + (y - m(a)) ** 2, 0) / Math.max(1, a.length - 1));
        recallRows.push({
          rule: name,
          load: T,
          cueError: m(e.cue),
          simpleError: m(e.simple),
          simpleErrorStd: sd(e.simple),
          awareError: m(e.aware),
          awareErrorStd: sd(e.aware),
        });
        all.simple.push(m(e.simple));
        all.aware.push(m(e.aware));
        all.cue.push(m(e.cue));
      });
      summary.set(name, all);
      for (const key of ["variance", "covPost", "covPre"] as const) {
        const vals = measured.map((x) => x[key]);
        const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
        const se = Math.sqrt(
          vals.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, vals.length - 1) /
            vals.length,
        );
        const closed = tMax * mom[key];
        corrRows.push({
          rule: name,
          moment: key,
          load: tMax,
          closedForm: closed,
          measured: mean,
          standardError: se,
          z: se > 0 ? (mean - closed) / se : 0,
        });
      }
    }
    p.done();
    const colors: Record<string, string> = {
      hebbian: "#d62728",
      covariance: "#2ca02c",
      homosynaptic: "#1f77b4",
      heterosynaptic: "#9467bd",
    };
    const data: Record<string, unknown>[] = [];
    for (const name of config.rules) {
      const rows = recallRows.filter((x) => x.rule === name);
      const c = colors[name] ?? "black";
      data.push({
        type: "scatter",
        mode: "lines+markers",
        x: rows.map((x) => x.load),
        y: rows.map((x) => (x.awareError as number) / (x.cueError as number)),
        name: `${name}: correlation-aware`,
        line: { color: c },
      });
      data.push({
        type: "scatter",
        mode: "lines+markers",
        x: rows.map((x) => x.load),
        y: rows.map((x) => (x.simpleError as number) / (x.cueError as number)),
        name: `${name}: simple (ignores correlations)`,
        line: { color: c, dash: "dash" },
        marker: { symbol: "x" },
      });
    }
    data.push({
      type: "scatter",
      mode: "lines",
      x: [loads[0], tMax],
      y: [1, 1],
      name: "cue error",
      line: { color: "gray", dash: "dot" },
    });
    const figure: Figure = {
      data,
      layout: {
        title: {
          text:
            `Recall error / cue error vs memory load (N = ${n}, f = ${f}, r = ${r}, ${config.trials} networks)`,
        },
        xaxis: { type: "log", title: { text: "stored patterns T" } },
        yaxis: { title: { text: "recall error / cue error" } },
      },
    };
    const maxZ = Math.max(...corrRows.map((x) => Math.abs(x.z as number)));
    const zLimit = 4 + 12 / Math.max(1, config.trials - 1);
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    const claims: Claim[] = [{
      panel: "Correlations (derived)",
      quantity:
        `Var, Cov(shared post), Cov(shared pre) of W at T = ${tMax}, closed form vs measured`,
      paper:
        "Cov(W_ij, W_ik) = T·Var_post(E_pre Ω), Cov(W_ij, W_kj) = T·Var_pre(E_post Ω); zero for the covariance rule, non-zero for Hebbian",
      ours: `max |z| = ${fmt(maxZ)} over ${corrRows.length} moments; ` +
        config.rules.map((name) => {
          const m = ruleMoments(learningRule(name as RuleName, { f }), { f });
          return `${name}: c_post ${fmt(tMax * m.covPost)}, c_pre ${fmt(tMax * m.covPre)}`;
        }).join("; "),
      holds: maxZ < zLimit,
      note: `z uses the standard error over ${config.trials} networks; limit ${
        fmt(zLimit)
      } ≈ the 99.9 % two-sided t quantile for ${config.trials - 1} degrees of freedom.`,
    }];
    const cov = summary.get("covariance");
    if (cov) {
      const diff = Math.max(...cov.simple.map((v, k) => Math.abs(v - cov.aware[k])));
      claims.push({
        panel: "Recall (unverified figure)",
        quantity: "covariance rule: simple vs correlation-aware decoder",
        paper: "no gap for the covariance rule (its weights are uncorrelated)",
        ours: `max |error difference| over loads = ${fmt(diff)}`,
        holds: diff < 1e-12,
      });
    }
    for (const name of config.rules.filter((x) => x !== "covariance")) {
      const s = summary.get(name)!;
      const worse = s.simple.some((v, k) => v > s.cue[k]);
      claims.push({
        panel: "Recall (unverified figure)",
        quantity: `${name} rule: simple vs correlation-aware decoder, mean over loads ${
          loads.join(", ")
        }`,
        paper:
          "decoders that ignore the correlations recall catastrophically poorly; the correlation-aware one does much better (abstract; figure values unverified)",
        ours:
          `recall error simple ${fmt(mean(s.simple))} vs aware ${fmt(mean(s.aware))} (cue ${
            fmt(mean(s.cue))
          }); ` +
          `simple worse than the cue itself at ${
            s.simple.filter((v, k) => v > s.cue[k]).length
          }/${loads.length} loads`,
        holds: mean(s.simple) > 2 * mean(s.aware) && worse,
      });
    }
    return {
      tables: { recall: recallRows, correlations: corrRows },
      figures: { recall: figure },
      claims,
      notes: [
        "Decoders are our derivation (Gaussian background with the analytic Kronecker-structured inverse covariance; deterministic asynchronous ascent from the cue, same update order for both decoders); the paper's exact decoders, parameters and figure are unverified.",
        "The depression variants' tables are our choice (δ = f/(1−f), which cancels one of the two correlations); heterosynaptic is the transpose of homosynaptic, so their recall numbers coincide.",
        "Not implemented: the bounded metaplastic (cascade) synapse variant — the brief specifies neither its weight covariance nor its likelihood.",
      ],
    };
  },
};

// ---------------------------------------------------------------------------------------------

const ABOUT = `# Theory of synaptic memory and metaplasticity

Small, exact simulations behind the metaplasticity papers. Everything is synthetic and runs in seconds
on a CPU; closed forms are checked against brute force or Monte Carlo in every experiment.

**1. Tractable quadratic binary task — Laborieux et al. 2021, Fig. 6a–b** (Nat. Commun. 12, 2549).
Minimise L(W) = ½(W − W*)ᵀH(W − W*) over binary vectors, training a hidden vector BNN-style,
W_h ← W_h − η·H(sign(W_h) − W*). Flipping binary weight i changes the loss by
ΔL_i = 2H_ii − 2b_i[H(b − W*)]_i = 2H_ii + (2/η)|dW_h,i/dt| at a stable corner, so the loss increase grows
affinely with |W_h| — the justification for using |W_h| as the metaplastic state.
- *fig6a*: d = 2 with the Hessian printed by the authors' notebook (torch seed 11), W* = (1.5, 0.5),
  η = 0.35, 500 steps — paper settings.
- *fig6b*: d = 500, H = RᵀDR with R Haar-random and eigenvalues in [10.5, 29.5], W* ~ U(−4, 4), η = 0.01,
  1000 steps, 15 bins — paper settings; our seeded generator replaces torch seed 1.

**2. Memory traces of complex synapses — Zenke & Laborieux 2024** (arXiv 2405.16922, a chapter; its figure
layout is unknown, so these are models matching its themes). *memory_snr*: SNR of one tracked memory vs the
number of memories stored after it, for the Amit–Fusi binary synapse (closed form √N·q(1 − q)^t), the
cascade model (Fusi, Drew & Abbott 2005) and the Benna–Fusi chain (Benna & Fusi 2016), exact curves (state
distribution propagation; mode decomposition) against Monte Carlo populations. The transition rules and chain
constants are recalled in the brief and **unverified**; with the brief's chain constants (capacities ×2,
conductances ÷4 per level) the decay is t^(−1/3), and t^(−1/2) needs conductances ÷2 — both are shown.

**3. Calcium-control rule with NMDAR metaplasticity — Shouval, Bear & Cooper 2002; Yeung et al. 2003/2004.**
*calcium*: Ω(Ca) and η(Ca); ΔW vs stimulation rate (LTD at low, LTP at high rates); STDP from pre–post
pairings; the sliding LTD→LTP threshold after postsynaptic activity histories that lower g_NMDA. η's
constants, τ_Ca, the BPAP shape and the form of the metaplasticity equation are **unverified**; λ = 1 is our
choice (proposal). Not reproduced: the multi-synapse selectivity figure.

**4. MESU's diagonal-Newton link — Bonnet et al. 2023/2025.** *mesu_precision*: the precision recursion
P_t = (1 − 1/N)P_{t−1} + H_t + 1/(Nσ_p²) and the first-order MESU σ rule with a Monte Carlo gradient on a
quadratic with noisy curvature, converging to σ² = 1/(N·H + 1/σ_p²), while BGD's σ² shrinks without bound.

**5. Correlations in associative memory — Savin, Dayan & Lengyel 2013** (NeurIPS 26). *savin2013*: additive
storage rules, the closed-form weight covariances Cov(W_ij, W_ik) = T·Var_post(E_pre Ω) and
Cov(W_ij, W_kj) = T·Var_pre(E_post Ω) against simulation, and recall from noisy cues by a decoder that
ignores the correlations vs one that uses the full Gaussian-background covariance (our derivation; the
paper's decoders and its figure are **unverified**). The bounded, metaplastic (cascade) variant is not
implemented: the brief gives neither its covariance nor its likelihood.

Scales: *smoke* (seconds, CI), *quick* (default), *paper* (the papers' sizes where they exist). No data
are needed.
`;

/** The "theory" registry entry. */
export const paper: Paper = {
  key: "theory",
  citation: "Laborieux, Ernoult, Hirtzlin & Querlioz (2021), Nat. Commun. 12, 2549 (Fig. 6a–b); " +
    "Zenke & Laborieux (2024), arXiv 2405.16922; Amit & Fusi (1994); Fusi, Drew & Abbott (2005), Neuron 45:599; " +
    "Benna & Fusi (2016), Nat. Neurosci. 19:1697; Shouval, Bear & Cooper (2002), PNAS (PMC125058); " +
    "Yeung, Blais, Cooper & Shouval (2003), NIPS 16; Bonnet et al. (2025), Nat. Commun.; " +
    "Savin, Dayan & Lengyel (2013), NeurIPS 26.",
  about: ABOUT,
  experiments: [
    fig6a as unknown as Experiment,
    fig6b as unknown as Experiment,
    memorySnrExperiment as unknown as Experiment,
    calciumExperiment as unknown as Experiment,
    mesuPrecision as unknown as Experiment,
    savin2013Experiment as unknown as Experiment,
  ],
};
