/**
 * Continual learners on a binary Bayesian {@linkcode BernoulliMlp}: BiMU (Cottart et al. 2026)
 * and its BayesBiNN baseline (Meng et al. 2020, as coded in the BiMU repository), with the same
 * shape as the Gaussian `ContinualLearner` of `bayesian_learner.ts` (step, trainOn, plain-data
 * state) and a Monte-Carlo evaluation returning the same {@linkcode Evaluation}.
 *
 * Defaults are the 1000-task permuted-MNIST configurations of the BiMU repository
 * (`configurations/main-pmnist-1000tasks-100neurons/`): BiMU κ_ℓ 161.3, κ_KL 3.76, α_max 0.0023,
 * N 700, η 4.9, λ ~ U(±1/√fan_in); BayesBiNN lr 0.77, prior strength 1.25e-5, λ = 0 at start; both
 * with the reverse binary gate, τ = 1 and 5 training samples. Neither sees task boundaries.
 *
 * @example
 * ```ts
 * import { BernoulliLearner, evaluateBernoulli } from "./bernoulli_learner.ts";
 * import { Rng } from "../rng.ts";
 * const learner = new BernoulliLearner({ method: "bimu", sizes: [4, 8, 3], rng: new Rng(0) });
 * const ds = { name: "toy", x: new Float32Array(8), y: new Int32Array([0, 1]), n: 2, dim: 4, classes: 3 };
 * learner.trainOn(ds, { batchSize: 1 });
 * const ev = evaluateBernoulli(learner.net, ds, { samples: 5, rng: new Rng(1) });
 * ```
 * @module
 */
import type { Dataset } from "../data/datasets.ts";
import { minibatches } from "../data/batches.ts";
import { accuracy } from "../metrics/continual.ts";
import { uncertaintyFromLogits } from "../metrics/uncertainty.ts";
import { bayesBiNN, type BayesBiNNOptions } from "../optim/bayesbinn.ts";
import { bimu, type BimuOptions } from "../optim/bimu.ts";
import type { Optimizer } from "../optim/types.ts";
import type { Rng, RngState } from "../rng.ts";
import { predictFromLogits } from "./bayesian_mlp.ts";
import type { Evaluation } from "./bayesian_learner.ts";
import { BernoulliMlp } from "./bernoulli_mlp.ts";
import type { GateActivation } from "./binary_gate.ts";

/** The binary Bayesian methods. */
export type BernoulliMethod = "bimu" | "bayesbinn";

/** BiMU settings of the 1000-task permuted-MNIST run (784-100-10). */
export const BIMU_PMNIST_1000: Required<Omit<BimuOptions, "simd">> = {
  lr: 4.9,
  likelihoodMultiplier: 161.3,
  klMultiplier: 3.76,
  lrMax: 0.0023,
  memory: 700,
};

/** BayesBiNN settings of the same run. */
export const BAYESBINN_PMNIST_1000: { lr: number; priorStrength: number } = {
  lr: 0.77,
  priorStrength: 1.25e-5,
};

/** Options of {@linkcode BernoulliLearner}. */
export interface BernoulliLearnerOptions {
  /** `"bimu"` or `"bayesbinn"`. */
  method: BernoulliMethod;
  /** Layer sizes, e.g. `[784, 100, 10]`. */
  sizes: number[];
  /** Seeds the initialisation and the training noise (forked). */
  rng: Rng;
  /** Hidden activation (default the reverse binary gate). */
  activation?: GateActivation | string;
  /** Gumbel temperature (default 1). */
  tau?: number;
  /** Relaxed samples per update (default 5). */
  trainSamples?: number;
  /** λ initialisation (default: uniform for BiMU, zero for BayesBiNN, as in the reference). */
  init?: "uniform" | "zero";
  /** BiMU hyper-parameters (default {@linkcode BIMU_PMNIST_1000}). */
  bimu?: BimuOptions;
  /** BayesBiNN hyper-parameters (default {@linkcode BAYESBINN_PMNIST_1000}). */
  bayesbinn?: BayesBiNNOptions;
  /**
   * WebAssembly SIMD kernels (float32) for the batch-1 input layer and the BiMU step where
   * available (default true); false runs the scalar float64 loops.
   */
  simd?: boolean;
}

/** Plain-data state of a {@linkcode BernoulliLearner}. */
export interface BernoulliLearnerState {
  /** λ of each layer. */
  lambda: Float32Array[];
  /** Optimizer state. */
  opt: unknown;
  /** Training-noise generator state. */
  rng: RngState;
}

/** A BiMU or BayesBiNN learner. */
export class BernoulliLearner {
  /** The network. */
  readonly net: BernoulliMlp;
  /** The method. */
  readonly method: BernoulliMethod;
  /** Updates taken so far (skipped BiMU steps not counted). */
  steps = 0;
  private readonly opt: Optimizer<unknown>;
  private optState: unknown;
  private readonly noise: Rng;
  private readonly grads: Float32Array[];
  private readonly trainSamples: number;

  /** A fresh learner; see {@linkcode BernoulliLearnerOptions}. */
  constructor(options: BernoulliLearnerOptions) {
    const m = options.method;
    if (m !== "bimu" && m !== "bayesbinn") {
      throw new RangeError(`unknown binary Bayesian method "${m}"; use "bimu" or "bayesbinn"`);
    }
    this.method = m;
    this.net = new BernoulliMlp({
      sizes: options.sizes,
      rng: options.rng.fork(),
      activation: options.activation,
      tau: options.tau,
      init: options.init ?? (m === "bimu" ? "uniform" : "zero"),
      simd: options.simd,
    });
    this.noise = options.rng.fork();
    this.opt =
      (m === "bimu"
        ? bimu({ ...(options.bimu ?? BIMU_PMNIST_1000), simd: options.simd })
        : bayesBiNN(options.bayesbinn ?? BAYESBINN_PMNIST_1000)) as Optimizer<unknown>;
    this.optState = this.opt.init(this.net.params());
    this.grads = this.net.params().map((p) => new Float32Array(p.length));
    this.trainSamples = options.trainSamples ?? 5;
  }

  /** One update on a minibatch (rows weighted by `rowWeights` if given); returns the loss. */
  step(x: Float32Array, y: Int32Array, options: { rowWeights?: ArrayLike<number> } = {}): number {
    const { loss } = this.net.lossAndGradient(x, y, {
      samples: this.trainSamples,
      rng: this.noise,
      gradient: this.method === "bimu" ? "lambda" : "mean",
      rowWeights: options.rowWeights,
      grads: this.grads,
    });
    const before = (this.optState as { step: number }).step;
    this.opt.step(this.net.params(), this.grads, this.optState);
    if ((this.optState as { step: number }).step !== before) this.steps++;
    return loss;
  }

  /** One pass (or `epochs`) over a dataset in its order (no shuffle, as the references). */
  trainOn(
    ds: Dataset,
    options: { batchSize: number; epochs?: number },
  ): { meanLoss: number; steps: number } {
    let sum = 0, count = 0;
    for (let e = 0; e < (options.epochs ?? 1); e++) {
      for (const b of minibatches(ds, options.batchSize)) {
        sum += this.step(b.x, b.y);
        count++;
      }
    }
    return { meanLoss: sum / Math.max(count, 1), steps: count };
  }

  /** Task boundaries are not used by BiMU or BayesBiNN (kept for a uniform learner interface). */
  endTask(_ds: Dataset): void {}

  /** p(w = +1) of every weight, all layers concatenated (for the saturation histograms). */
  probPlus(): Float32Array {
    const parts = this.net.layers.map((l) => l.probPlus());
    const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  /** Bytes the method must store: λ only (the prior of BayesBiNN is a scalar here). */
  footprintBytes(): number {
    return this.net.footprintBytes();
  }

  /** A copy of the whole state. */
  getState(): BernoulliLearnerState {
    return {
      lambda: this.net.getState(),
      opt: structuredClone(this.optState),
      rng: this.noise.getState(),
    };
  }

  /** Restores {@linkcode BernoulliLearner.getState}. */
  setState(state: BernoulliLearnerState): void {
    this.net.setState(state.lambda);
    this.optState = structuredClone(state.opt);
    this.noise.setState(state.rng);
    this.steps = (state.opt as { step?: number })?.step ?? 0;
  }
}

/**
 * Accuracy and uncertainties of a binary Bayesian network on a dataset under K hard samples:
 * argmax of the sample-mean log-softmax; the OOD score is the epistemic uncertainty (bits).
 */
export function evaluateBernoulli(
  net: BernoulliMlp,
  ds: Dataset,
  options: { samples: number; rng: Rng; limit?: number },
): Evaluation {
  const n = Math.min(options.limit ?? ds.n, ds.n);
  const x = ds.x.subarray(0, n * ds.dim);
  const K = options.samples;
  const logits = net.forward(x, { samples: K, rng: options.rng });
  const shape = { samples: K, n, classes: net.classes };
  const acc = accuracy(predictFromLogits(logits, shape), ds.y.subarray(0, n));
  const u = uncertaintyFromLogits(logits, shape);
  return { accuracy: acc, ...u, score: u.epistemic };
}
