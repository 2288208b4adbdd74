/**
 * The network-level diagonal-Newton comparison of MESU 2025 Supp. Fig. 1 (mesu brief §8): train a
 * 784-50-10 MLP (with biases) by MESU, BGD and plain SGD, and at checkpoints compare, over the 500
 * weights of the last layer, the exact diagonal Hessian with each method's curvature estimate:
 *
 * - MESU: Ĥ = (1/σ² − 1/σ_p²)/N (the stationary relation of the precision recursion);
 * - BGD: Ĥ = 1/(σ²·t), curvature summed over all t updates (unverified reading of the notebook;
 *   any affine function of 1/σ² has the same Pearson correlation);
 * - EWC: empirical Fisher, mean over minibatches of the squared minibatch-gradient;
 * - SI: Ω = ω/(Δθ² + ξ), path integral since the start of training.
 *
 * The exact Hessian of the summed NLL w.r.t. the last-layer weights has the closed form
 * Σ_b p_bc(1 − p_bc)·a_bj² (`softmaxLastLayerHessianDiagonal`), averaged over posterior samples
 * for the Bayesian networks — no double back-propagation. Correlations use `compareCurvature`
 * (Pearson and Spearman) of `diagonal_newton.ts`.
 *
 * @example
 * ```ts ignore
 * import { diagonalNewtonComparison } from "./curvature_comparison.ts";
 * const rows = diagonalNewtonComparison(mnist.train, { rng, checkpoints: [1000, 10000] });
 * // [{ estimator: "mesu", updates: 1000, pearson: …, spearman: … }, …]
 * ```
 * @module
 */
import type { Dataset } from "../data/datasets.ts";
import { minibatches } from "../data/batches.ts";
import type { Rng } from "../rng.ts";
import type { Progress } from "../runner/progress.ts";
import type { BayesianMlp } from "../nn/bayesian_mlp.ts";
import { ContinualLearner } from "../nn/bayesian_learner.ts";
import type { SiState } from "../optim/si.ts";
import {
  compareCurvature,
  curvatureFromSigma,
  softmaxLastLayerHessianDiagonal,
} from "./diagonal_newton.ts";

/** One correlation of {@linkcode diagonalNewtonComparison}. */
export interface CurvatureRow {
  /** Which estimate: `"mesu"`, `"bgd"`, `"ewc"` or `"si"`. */
  estimator: string;
  /** Updates at the checkpoint. */
  updates: number;
  /** Pearson correlation with the exact Hessian diagonal. */
  pearson: number;
  /** Spearman rank correlation. */
  spearman: number;
}

/**
 * Exact diagonal Hessian of the summed NLL over `n` inputs w.r.t. the last layer's weights
 * (`inputs × classes`, the layer's layout), averaged over `samples` posterior draws (the mean
 * weights for a deterministic network).
 */
export function lastLayerHessianDiagonal(
  net: BayesianMlp,
  x: Float32Array,
  n: number,
  options: { samples: number; rng?: Rng; chunk?: number },
): Float64Array {
  const L = net.layers.length;
  const J = net.sizes[L - 1], C = net.classes, D = net.sizes[0];
  const K = net.deterministic ? 1 : options.samples;
  const chunk = options.chunk ?? 1000;
  const out = new Float64Array(J * C);
  for (let k = 0; k < K; k++) {
    // One weight draw per sample, shared by every chunk (as by the whole batch in training).
    const state = options.rng ? options.rng.getState() : null;
    for (let s = 0; s < n; s += chunk) {
      const rows = Math.min(chunk, n - s);
      if (state && options.rng) options.rng.setState(state);
      const f = net.lastLayerForward(x.subarray(s * D, (s + rows) * D), rows, {
        rng: options.rng,
        useMean: net.deterministic,
      });
      const h = softmaxLastLayerHessianDiagonal(f.activations, f.logits, {
        batch: rows,
        inputs: J,
        classes: C,
      });
      for (let i = 0; i < out.length; i++) out[i] += h[i] / K;
    }
  }
  return out;
}

/**
 * Empirical Fisher of the last layer's weights: mean over minibatches of (∂L_batch/∂W)² with the
 * summed minibatch NLL (EWC estimate of Supp. Fig. 1). Deterministic networks only.
 */
export function lastLayerBatchFisher(
  net: BayesianMlp,
  ds: Dataset,
  options: { n: number; batchSize: number },
): Float64Array {
  if (!net.deterministic) {
    throw new RangeError("lastLayerBatchFisher expects a deterministic network");
  }
  const last = net.layers[net.layers.length - 1];
  const idx = net.params().indexOf(last.mu);
  const out = new Float64Array(last.size);
  const n = Math.min(options.n, ds.n);
  const view = { ...ds, n, x: ds.x.subarray(0, n * ds.dim), y: ds.y.subarray(0, n) };
  let batches = 0;
  for (const b of minibatches(view, options.batchSize, { dropLast: true })) {
    const g = net.lossAndGrad(b.x, b.y, { samples: 1, reduction: "sum" }).grads[idx];
    for (let i = 0; i < out.length; i++) out[i] += g[i] * g[i];
    batches++;
  }
  if (batches === 0) {
    throw new RangeError(`need at least ${options.batchSize} examples for the Fisher, got ${n}`);
  }
  for (let i = 0; i < out.length; i++) out[i] /= batches;
  return out;
}

/** Options of {@linkcode diagonalNewtonComparison} (defaults: the paper's settings). */
export interface DiagonalNewtonOptions {
  /** Seeds the three networks, the shuffling and the noise. */
  rng: Rng;
  /** Checkpoints in updates (paper 1e3, 1e4, 1e5, 1e6). */
  checkpoints: number[];
  /** Minibatch size (32). */
  batchSize?: number;
  /** Monte-Carlo samples per training step (20). */
  trainSamples?: number;
  /** Training images used for the exact Hessian and the Fisher (paper 10 × 6000). */
  hessianImages?: number;
  /** Posterior samples for the exact Hessian (20). */
  hessianSamples?: number;
  /** MESU memory N in updates (1e5). */
  memory?: number;
  /** σ_p of MESU's training (0.06, the CLI default of the reference). */
  sigmaPriorTrain?: number;
  /** σ_p in the estimate (1, as in the plotting notebook). */
  sigmaPriorFormula?: number;
  /** MESU step clip r (0.05). */
  mesuRatio?: number;
  /** BGD step clip r (0.1). */
  bgdRatio?: number;
  /** ½ on MESU's σ step (false: PyTorch reference). */
  halfSigmaStep?: boolean;
  /** SGD lr of the deterministic run, summed loss (1e-4). */
  sgdLr?: number;
  /** SI damping ξ (1e-3). */
  siXi?: number;
  /** Optional progress reporter factory. */
  progress?: (label: string, total: number) => Progress;
}

function* endless(
  ds: Dataset,
  batch: number,
  rng: Rng,
): Generator<{ x: Float32Array; y: Int32Array }> {
  for (;;) yield* minibatches(ds, batch, { rng, dropLast: true });
}

/** Runs the comparison; one row per (estimator, checkpoint). */
export function diagonalNewtonComparison(
  train: Dataset,
  options: DiagonalNewtonOptions,
): CurvatureRow[] {
  const checkpoints = [...options.checkpoints].sort((a, b) => a - b);
  if (!checkpoints.length || !(checkpoints[0] >= 1)) {
    throw new RangeError("checkpoints must be a non-empty list of update counts >= 1");
  }
  const B = options.batchSize ?? 32;
  const N = options.memory ?? 1e5;
  const spFormula = options.sigmaPriorFormula ?? 1;
  const hImages = Math.min(options.hessianImages ?? 60000, train.n);
  const hSamples = options.hessianSamples ?? 20;
  const common = {
    sizes: [train.dim, 50, 10],
    bias: true,
    trainSamples: options.trainSamples ?? 20,
  };
  const rng = options.rng;
  const mesuL = new ContinualLearner({
    ...common,
    method: "mesu",
    rng: rng.fork(),
    init: "mesu-torch",
    mesu: {
      sigmaPrior: options.sigmaPriorTrain ?? 0.06,
      memory: N,
      ratioMax: options.mesuRatio ?? 0.05,
      halfSigmaStep: options.halfSigmaStep ?? false,
    },
  });
  const bgdL = new ContinualLearner({
    ...common,
    method: "bgd",
    rng: rng.fork(),
    init: "mesu-torch",
    bgd: { ratioMax: options.bgdRatio ?? 0.1 },
  });
  // One plain-SGD run provides EWC's Fisher and SI's path integral (c = 0: no penalty).
  const sgdL = new ContinualLearner({
    ...common,
    method: "si",
    rng: rng.fork(),
    lr: options.sgdLr ?? 1e-4,
    reduction: "sum",
    siC: 0,
    siXi: options.siXi ?? 1e-3,
    siRelu: false,
  });
  const hx = train.x.subarray(0, hImages * train.dim);
  const hRng = rng.fork();
  const rows: CurvatureRow[] = [];
  const learners = [["mesu", mesuL], ["bgd", bgdL], ["sgd", sgdL]] as const;
  for (const [name, learner] of learners) {
    const data = endless(train, B, rng.fork());
    const p = options.progress?.(`${name} updates`, checkpoints.at(-1)!);
    let done = 0;
    for (const cp of checkpoints) {
      while (done < cp) {
        const b = data.next().value as { x: Float32Array; y: Int32Array };
        learner.step(b.x, b.y);
        done++;
        p?.tick();
      }
      const net = learner.net;
      const exact = lastLayerHessianDiagonal(net, hx, hImages, { samples: hSamples, rng: hRng });
      const last = net.layers[net.layers.length - 1];
      const add = (estimator: string, estimate: ArrayLike<number>) => {
        const c = compareCurvature(estimate, exact);
        rows.push({ estimator, updates: cp, pearson: c.pearson, spearman: c.spearman });
      };
      if (name === "mesu") {
        add("mesu", curvatureFromSigma(last.sigma, { memory: N, priorSigma: spFormula }));
      } else if (name === "bgd") add("bgd", last.sigma.map((s) => 1 / (s * s * cp)));
      else {
        add("ewc", lastLayerBatchFisher(net, train, { n: hImages, batchSize: B }));
        const st = learner.penalty as SiState;
        const idx = net.params().indexOf(last.mu);
        const xi = options.siXi ?? 1e-3;
        const omega = new Float64Array(last.size);
        for (let i = 0; i < omega.length; i++) {
          const d = last.mu[i] - st.start[idx][i];
          omega[i] = st.path[idx][i] / (d * d + xi);
        }
        add("si", omega);
      }
    }
    p?.done();
  }
  return rows;
}
