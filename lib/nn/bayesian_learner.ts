/**
 * One continual learner per method of the MESU papers, on a {@linkcode BayesianMlp}: MESU, BGD /
 * FOO-VB (Bayesian, Monte-Carlo loss summed over the batch) and SGD, online EWC, stream EWC, SI
 * (deterministic, mean-reduced loss) — with plain-data state for checkpoints and Monte-Carlo
 * evaluation (accuracy and uncertainties).
 *
 * The penalties come from `lib/optim/ewc.ts` and `lib/optim/si.ts`; the optimizers from
 * `lib/optim/mesu.ts`, `bgd.ts`, `sgd.ts`. Task boundaries reach the learner only through
 * {@linkcode ContinualLearner.endTask}, which online EWC and SI need and the other methods
 * ignore (MESU, BGD, SGD and stream EWC never see a boundary).
 *
 * @example
 * ```ts
 * import { ContinualLearner } from "./bayesian_learner.ts";
 * import { Rng } from "../rng.ts";
 * const learner = new ContinualLearner({ method: "mesu", sizes: [4, 8, 3], rng: new Rng(0) });
 * const ds = { name: "toy", x: new Float32Array(8), y: new Int32Array([0, 1]), n: 2, dim: 4, classes: 3 };
 * learner.trainOn(ds, { batchSize: 1 });
 * ```
 * @module
 */
import type { Dataset } from "../data/datasets.ts";
import { minibatches } from "../data/batches.ts";
import type { Rng, RngState } from "../rng.ts";
import { accuracy } from "../metrics/continual.ts";
import { entropyBits, softmaxRows, uncertaintyFromLogits } from "../metrics/uncertainty.ts";
import { mesu, type MesuOptions } from "../optim/mesu.ts";
import { bgd, type BgdOptions } from "../optim/bgd.ts";
import { sgd } from "../optim/sgd.ts";
import type { Optimizer } from "../optim/types.ts";
import {
  EmpiricalFisher,
  type Ewc,
  type EwcState,
  onlineEwc,
  type StreamEwc,
  streamEwc,
} from "../optim/ewc.ts";
import { type SiState, type SynapticIntelligence, synapticIntelligence } from "../optim/si.ts";
import {
  BayesianMlp,
  type BayesianMlpState,
  type MlpInit,
  predictFromLogits,
} from "./bayesian_mlp.ts";

/** The six methods of MESU 2025 Fig. 3. */
export type MethodKind = "mesu" | "bgd" | "sgd" | "online-ewc" | "stream-ewc" | "si";

/** All method names, in the papers' legend order. */
export const METHODS: readonly MethodKind[] = [
  "mesu",
  "bgd",
  "si",
  "online-ewc",
  "stream-ewc",
  "sgd",
];

/** Options of {@linkcode ContinualLearner}. */
export interface LearnerOptions {
  /** The method. */
  method: MethodKind;
  /** Layer widths, e.g. `[784, 50, 10]`. */
  sizes: number[];
  /** Seeds the initialisation and the training noise (forked). */
  rng: Rng;
  /** Biases (default false, as the MESU JAX reference). */
  bias?: boolean;
  /** Initialisation preset (default: `"mesu-jax"` for Bayesian, `"equinox"` for deterministic). */
  init?: MlpInit;
  /** Initial σ override (Bayesian). */
  sigmaInit?: number;
  /** Monte-Carlo samples per training step K (Bayesian, default 10). */
  trainSamples?: number;
  /** Likelihood multiplier κ for the Bayesian cost (default 1; an emulation knob). */
  likelihoodScale?: number;
  /** Local reparameterisation (Bayesian; default false: one weight sample per minibatch). */
  localReparam?: boolean;
  /** MESU hyperparameters. */
  mesu?: MesuOptions;
  /** BGD hyperparameters. */
  bgd?: BgdOptions;
  /** SGD learning rate of the deterministic methods (default 0.002, the MESU 2025 configs). */
  lr?: number;
  /** Loss reduction of the deterministic methods (default `"mean"`, the references). */
  reduction?: "sum" | "mean";
  /** EWC λ (online default 2, stream default 5). */
  ewcLambda?: number;
  /** EWC γ (default 0.2). */
  ewcGamma?: number;
  /**
   * Stream EWC's g²: `"batch"` = square of the minibatch-mean gradient (the equation at any
   * batch size), `"per-sample"` = mean over the batch of squared per-example gradients (what
   * batch 1 computes, kept at larger batches). Default `"batch"`.
   */
  streamFisher?: "batch" | "per-sample";
  /** SI c (default 1e-4, MESU JAX). */
  siC?: number;
  /** SI ξ (default 1, MESU JAX). */
  siXi?: number;
  /** SI ReLU on the importance increment (default true, MESU JAX). */
  siRelu?: boolean;
}

/** Plain-data state of a learner (network, optimizer, penalty, noise generator). */
export interface LearnerState {
  /** Network state. */
  net: BayesianMlpState;
  /** Optimizer state. */
  opt: unknown;
  /** Penalty state (EWC or SI), or null. */
  penalty: EwcState | SiState | null;
  /** Training-noise generator state. */
  rng: RngState;
}

/** Options of {@linkcode ContinualLearner.trainOn}. */
export interface TrainOptions {
  /** Minibatch size. */
  batchSize: number;
  /** Passes over the data (default 1). */
  epochs?: number;
  /** Shuffle with this generator (default: the references' fixed order, no shuffle). */
  shuffle?: Rng;
  /** Called after every update with the running step count. */
  onStep?: (step: number) => void;
}

/** Result of {@linkcode evaluate}. */
export interface Evaluation {
  /** Accuracy (fraction). */
  accuracy: number;
  /** Predictive entropy per input (bits). */
  total: Float32Array;
  /** Aleatoric uncertainty per input (bits; the entropy for a deterministic network). */
  aleatoric: Float32Array;
  /** Epistemic uncertainty per input (bits; 0 for a deterministic network). */
  epistemic: Float32Array;
  /** The OOD score the papers use: epistemic (Bayesian) or entropy (deterministic). */
  score: Float32Array;
}

/** A network plus its method: training steps, task ends, checkpoints. */
export class ContinualLearner {
  /** The network. */
  readonly net: BayesianMlp;
  /** The method. */
  readonly method: MethodKind;
  /** Whether the network is Bayesian (MESU, BGD). */
  readonly bayesian: boolean;
  /** Updates taken so far. */
  steps = 0;
  private readonly options: LearnerOptions;
  private readonly opt: Optimizer<unknown>;
  private optState: unknown;
  private readonly ewc: Ewc | null = null;
  private readonly stream: StreamEwc | null = null;
  private readonly si: SynapticIntelligence | null = null;
  private penaltyState: EwcState | SiState | null = null;
  private readonly noise: Rng;

  /** A fresh learner (see {@linkcode LearnerOptions} for the defaults). */
  constructor(options: LearnerOptions) {
    const m = options.method;
    if (!METHODS.includes(m)) {
      throw new RangeError(`unknown method "${m}"; known: ${METHODS.join(", ")}`);
    }
    this.options = options;
    this.method = m;
    this.bayesian = m === "mesu" || m === "bgd";
    this.net = new BayesianMlp({
      sizes: options.sizes,
      rng: options.rng.fork(),
      bias: options.bias,
      deterministic: !this.bayesian,
      init: options.init,
      sigmaInit: options.sigmaInit,
    });
    this.noise = options.rng.fork();
    const params = this.net.params();
    if (m === "mesu") this.opt = mesu(options.mesu) as Optimizer<unknown>;
    else if (m === "bgd") this.opt = bgd(options.bgd) as Optimizer<unknown>;
    else this.opt = sgd({ lr: options.lr ?? 0.002 }) as Optimizer<unknown>;
    this.optState = this.opt.init(params);
    const gamma = options.ewcGamma ?? 0.2;
    if (m === "online-ewc") {
      this.ewc = onlineEwc({ lambda: options.ewcLambda ?? 2, gamma });
      this.penaltyState = this.ewc.init(params);
    } else if (m === "stream-ewc") {
      this.stream = streamEwc({ lambda: options.ewcLambda ?? 5, gamma });
      this.penaltyState = this.stream.init(params);
    } else if (m === "si") {
      this.si = synapticIntelligence({
        c: options.siC ?? 1e-4,
        xi: options.siXi ?? 1,
        relu: options.siRelu ?? true,
      });
      this.penaltyState = this.si.init(params);
    }
  }

  /** One update on a minibatch; returns the data loss. */
  step(x: Float32Array, y: Int32Array): number {
    const o = this.options;
    const params = this.net.params();
    if (this.bayesian) {
      const { loss, grads } = this.net.lossAndGrad(x, y, {
        samples: o.trainSamples ?? 10,
        rng: this.noise,
        localReparam: o.localReparam,
        likelihoodScale: o.likelihoodScale,
      });
      this.opt.step(params, grads, this.optState);
      this.steps++;
      return loss;
    }
    const { loss, grads } = this.net.lossAndGrad(x, y, {
      samples: 1,
      reduction: o.reduction ?? "mean",
    });
    let before: Float32Array[] | null = null, dataGrads: Float32Array[] | null = null;
    if (this.stream) {
      before = params.map((p) => p.slice());
      if ((o.streamFisher ?? "batch") === "per-sample") {
        // What batch 1 adds, ∂ℓ_b², averaged over the batch. observe() squares what it is
        // given, so pass √(mean_b ∂ℓ_b²).
        const rows = y.length;
        dataGrads = this.net.squaredSampleGrads(x, y).map((s) => s.map((v) => Math.sqrt(v / rows)));
      } else dataGrads = grads.map((g) => g.slice());
    }
    if (this.ewc) this.ewc.addGrad(params, grads, this.penaltyState as EwcState);
    if (this.stream) this.stream.addGrad(params, grads, this.penaltyState as EwcState);
    if (this.si) this.si.addGrad(params, grads, this.penaltyState as SiState);
    this.opt.step(params, grads, this.optState);
    // SI (MESU JAX): the path integral uses the total (regularised) gradient.
    if (this.si) this.si.accumulate(this.penaltyState as SiState, grads, params);
    if (this.stream && before && dataGrads) {
      this.stream.observe(this.penaltyState as EwcState, before, dataGrads);
    }
    this.steps++;
    return loss;
  }

  /** Trains on a dataset (in the references' fixed order unless `shuffle` is given). */
  trainOn(ds: Dataset, options: TrainOptions): { meanLoss: number; steps: number } {
    const epochs = options.epochs ?? 1;
    let sum = 0, count = 0;
    for (let e = 0; e < epochs; e++) {
      for (const b of minibatches(ds, options.batchSize, { rng: options.shuffle })) {
        sum += this.step(b.x, b.y);
        count++;
        options.onStep?.(this.steps);
      }
    }
    return { meanLoss: sum / Math.max(count, 1), steps: count };
  }

  /**
   * Task boundary (used only by online EWC and SI): online EWC computes the empirical Fisher of
   * the task's training data — mean over examples of squared per-example NLL gradients — and
   * consolidates; SI consolidates its path integral.
   */
  endTask(ds: Dataset, options: { batchSize?: number } = {}): void {
    const params = this.net.params();
    if (this.ewc) {
      const fisher = new EmpiricalFisher(params);
      for (const b of minibatches(ds, options.batchSize ?? 256)) {
        fisher.addSquared(this.net.squaredSampleGrads(b.x, b.y), b.size);
      }
      this.ewc.consolidate(this.penaltyState as EwcState, params, fisher.estimate());
    }
    if (this.si) this.si.consolidate(this.penaltyState as SiState, params);
  }

  /** The penalty state (EWC terms or SI path integral and importances), read only; null if none. */
  get penalty(): Readonly<EwcState | SiState> | null {
    return this.penaltyState;
  }

  /** A copy of the whole learner state. */
  getState(): LearnerState {
    return {
      net: this.net.getState(),
      opt: structuredClone(this.optState),
      penalty: this.penaltyState ? structuredClone(this.penaltyState) : null,
      rng: this.noise.getState(),
    };
  }

  /** Restores a state from {@linkcode ContinualLearner.getState}. */
  setState(state: LearnerState): void {
    this.net.setState(state.net);
    this.optState = structuredClone(state.opt);
    this.penaltyState = state.penalty ? structuredClone(state.penalty) : null;
    this.noise.setState(state.rng);
    const s = (state.opt as { step?: number })?.step;
    if (typeof s === "number") this.steps = s;
  }
}

/**
 * The {@linkcode Evaluation} of a deterministic network from its accuracy and logits
 * (`n × classes`): every uncertainty is the predictive entropy, epistemic is 0, and the OOD score
 * is the entropy.
 */
export function deterministicEvaluation(
  accuracy: number,
  logits: Float32Array,
  classes: number,
): Evaluation {
  const h = entropyBits(softmaxRows(logits, classes), classes);
  const n = h.length;
  return { accuracy, total: h, aleatoric: h, epistemic: new Float32Array(n), score: h };
}

/** Options of {@linkcode evaluate}. */
export interface EvaluateOptions {
  /** Monte-Carlo samples K (ignored for deterministic networks). */
  samples: number;
  /** Noise generator for the weight samples. */
  rng: Rng;
  /** Evaluate only the first `limit` examples. */
  limit?: number;
}

/**
 * Accuracy and uncertainties of a network on a dataset: argmax of the sample-mean log-softmax
 * (MESU JAX), uncertainties in bits from the K softmax outputs.
 */
export function evaluate(net: BayesianMlp, ds: Dataset, options: EvaluateOptions): Evaluation {
  const n = Math.min(options.limit ?? ds.n, ds.n);
  const x = ds.x.subarray(0, n * ds.dim);
  const C = net.classes;
  const K = net.deterministic ? 1 : options.samples;
  const logits = net.sampleLogits(x, n, { samples: K, rng: options.rng });
  const shape = { samples: K, n, classes: C };
  const acc = accuracy(predictFromLogits(logits, shape), ds.y.subarray(0, n));
  if (net.deterministic) return deterministicEvaluation(acc, logits, C);
  const u = uncertaintyFromLogits(logits, shape);
  return { accuracy: acc, ...u, score: u.epistemic };
}
