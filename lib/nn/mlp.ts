/**
 * Multilayer perceptrons of Laborieux et al. 2021: `784-H-…-10`, every layer a bias-free
 * {@linkcode BinaryDense} followed by a normalisation layer, an activation after every hidden
 * normalisation, and the last normalisation's output as logits.
 *
 * - {@linkcode binaryMlp}: the BNN (binary weights, sign activation with the |z| ≤ 1 STE,
 *   affine BatchNorm using batch statistics at train and test time, real-valued input).
 * - {@linkcode fullPrecisionMlp}: the Fig. 2f control (real weights, ReLU, BatchNorm with
 *   running statistics).
 *
 * The dense layer is pluggable (`layer`, a {@linkcode DenseFactory}): the quantized network of
 * `quantized_dense.ts` is this MLP built from quantized layers.
 *
 * {@linkcode Mlp.squaredSampleGrads} gives Σᵢ(∂ℓᵢ/∂W)² over a batch in one backward pass, for
 * EWC's empirical Fisher (see its docs for how BatchNorm is treated).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { binaryMlp } from "./mlp.ts";
 * import { Rng } from "../rng.ts";
 * const net = binaryMlp({ sizes: [784, 256, 256, 10], rng: new Rng(0) });
 * const logits = net.logits(tf.zeros([2, 784]), { training: false }); // [2, 10]
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../rng.ts";
import { signSte } from "./binary.ts";
import { BinaryDense, type WeightInit } from "./binary_dense.ts";
import { BatchNorm, type GammaInit, InstanceNorm, type NormLayer } from "./norm.ts";
import type { Model, ParamInfo } from "./model.ts";

/** Hidden activation of an {@linkcode Mlp}. */
export type Activation = "sign" | "relu" | "hardtanh";

const ACTIVATIONS: readonly string[] = ["sign", "relu", "hardtanh"];

/** A bias-free dense layer an {@linkcode Mlp} can be built from (e.g. {@linkcode BinaryDense}). */
export interface DenseLayer {
  /** Layer name. */
  readonly name: string;
  /** Input features. */
  readonly inFeatures: number;
  /** Output features. */
  readonly outFeatures: number;
  /** The trainable (hidden) weight, shape `[in, out]`. */
  readonly hidden: tf.Variable;
  /** `x · W` for `x` of shape `[N, in]`; `training` tells a training pass from inference. */
  apply(x: tf.Tensor2D, options?: { training?: boolean }): tf.Tensor2D;
}

/** What a {@linkcode DenseFactory} is asked to build: layer `fc{l+1}` of the MLP. */
export interface DenseSpec {
  /** Input features. */
  inFeatures: number;
  /** Output features. */
  outFeatures: number;
  /** Random source of the initialisation (shared by all layers, in layer order). */
  rng: Rng;
  /** Initialisation family (the MLP's `init` option). */
  init?: WeightInit;
  /** Initialisation width (the MLP's `initWidth` option). */
  initWidth?: number;
  /** Layer name, `fc1`, `fc2`, … */
  name: string;
}

/** Builds one dense layer of an {@linkcode Mlp}. */
export type DenseFactory<L extends DenseLayer> = (spec: DenseSpec) => L;

/** Normalisation after each layer: BatchNorm, InstanceNorm (no affine) or none. */
export type NormKind = "bn" | "in" | "none";

/** Options of {@linkcode Mlp}. */
export interface MlpOptions<L extends DenseLayer = BinaryDense> {
  /** Layer sizes, input first, e.g. `[784, 4096, 4096, 10]`. */
  sizes: readonly number[];
  /** Random source of the initialisation. */
  rng: Rng;
  /**
   * Binary weights (default true): the default layers binarize, and the weight parameters are
   * marked `binary` (what `metaplasticAdam` consolidates).
   */
  binary?: boolean;
  /** Builds each dense layer (default: a {@linkcode BinaryDense} with `binary`). */
  layer?: DenseFactory<L>;
  /** Name prefix (default `"BNN"` when binary, else `"FP"`). */
  label?: string;
  /** Hidden activation (default `"sign"` when binary, else `"relu"`). */
  activation?: Activation;
  /** Normalisation kind (default `"bn"`). */
  norm?: NormKind;
  /** BatchNorm γ/β (default true). */
  bnAffine?: boolean;
  /** BatchNorm running statistics (default false when binary, true otherwise, as in the reference). */
  trackRunningStats?: boolean;
  /** BatchNorm momentum (default 0.1). */
  bnMomentum?: number;
  /** BatchNorm ε (default 1e-5). */
  bnEps?: number;
  /** BatchNorm γ start (default `"ones"`; `"uniform"` = PyTorch 1.1). */
  gammaInit?: GammaInit;
  /** Weight initialisation (default `"uniform"`). */
  init?: WeightInit;
  /** Initialisation width (default 0.1: U(−0.05, 0.05)). */
  initWidth?: number;
}

/** Intermediate tensors of one forward pass (see {@linkcode Mlp.forwardDetailed}). */
export interface MlpTrace {
  /** Logits `[N, classes]`. */
  logits: tf.Tensor2D;
  /** Input of each dense layer (`inputs[0]` is `x`). */
  inputs: tf.Tensor2D[];
  /** Pre-normalisation output of each dense layer, `x_l · W_l (+ perturb_l)`. */
  pre: tf.Tensor2D[];
}

/** Options of {@linkcode Mlp.forwardDetailed}. */
export interface ForwardOptions {
  /** Training mode (running statistics update). */
  training: boolean;
  /** Tensors added to each layer's pre-activation (used to take gradients with respect to it). */
  perturb?: readonly tf.Tensor2D[];
  /**
   * Normalisation statistics to use instead of computing them (constants: no gradient flows
   * through them). One `{mean, variance}` per layer; `null` entries use the layer's own rule.
   */
  fixedStats?: readonly ({ mean: tf.Tensor; variance: tf.Tensor } | null)[];
}

/** Multilayer perceptron of (binary) dense layers with normalisation; see the module docs. */
export class Mlp<L extends DenseLayer = BinaryDense> implements Model {
  /** Description, e.g. `"BNN 784-512-512-10"`. */
  readonly name: string;
  /** Layer sizes. */
  readonly sizes: readonly number[];
  /** Dense layers. */
  readonly layers: readonly L[];
  /** Normalisation layers, one per dense layer (empty for `norm: "none"`). */
  readonly norms: readonly NormLayer[];
  /** Hidden activation. */
  readonly activation: Activation;
  /** Trainable parameters: all weight matrices first (layer order), then γ/β of each norm. */
  readonly params: readonly ParamInfo[];
  /** Per-example input shape. */
  readonly inputShape: readonly number[];
  /** Output classes. */
  readonly classes: number;
  /** Normalisation kind. */
  readonly normKind: NormKind;

  /** Builds the network; see {@linkcode MlpOptions}. */
  constructor(options: MlpOptions<L>) {
    const sizes = options.sizes;
    if (sizes.length < 2 || !sizes.every((s) => Number.isInteger(s) && s >= 1)) {
      throw new RangeError(`Mlp: sizes must be >= 2 positive integers, got [${sizes}]`);
    }
    const binary = options.binary ?? true;
    this.activation = options.activation ?? (binary ? "sign" : "relu");
    if (!ACTIVATIONS.includes(this.activation)) {
      throw new RangeError(
        `Mlp: unknown activation "${this.activation}" (use "sign", "relu" or "hardtanh")`,
      );
    }
    this.normKind = options.norm ?? "bn";
    this.sizes = sizes.slice();
    this.inputShape = [sizes[0]];
    this.classes = sizes[sizes.length - 1];
    const rng = options.rng;
    const make: DenseFactory<L> = options.layer ??
      ((spec) => new BinaryDense({ ...spec, binary }) as unknown as L);
    const layers: L[] = [];
    const norms: NormLayer[] = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      layers.push(make({
        inFeatures: sizes[l],
        outFeatures: sizes[l + 1],
        rng,
        init: options.init,
        initWidth: options.initWidth,
        name: `fc${l + 1}`,
      }));
    }
    for (let l = 0; l + 1 < sizes.length; l++) {
      if (this.normKind === "bn") {
        norms.push(
          new BatchNorm({
            features: sizes[l + 1],
            affine: options.bnAffine ?? true,
            trackRunningStats: options.trackRunningStats ?? !binary,
            momentum: options.bnMomentum,
            eps: options.bnEps,
            gammaInit: options.gammaInit,
            rng,
            name: `bn${l + 1}`,
          }),
        );
      } else if (this.normKind === "in") {
        norms.push(new InstanceNorm({ eps: options.bnEps, name: `in${l + 1}` }));
      } else if (this.normKind !== "none") {
        throw new RangeError(`Mlp: unknown norm "${this.normKind}" (use "bn", "in" or "none")`);
      }
    }
    this.layers = layers;
    this.norms = norms;
    const params: ParamInfo[] = layers.map((d) => ({
      name: d.name,
      variable: d.hidden,
      kind: "weight",
      binary,
    }));
    for (const n of norms) {
      const t = n.trainable();
      if (t.length === 2) {
        params.push({ name: `${n.name}/gamma`, variable: t[0], kind: "norm", binary: false });
        params.push({ name: `${n.name}/beta`, variable: t[1], kind: "norm", binary: false });
      }
    }
    this.params = params;
    this.name = `${options.label ?? (binary ? "BNN" : "FP")} ${sizes.join("-")}`;
  }

  /** Logits of a batch `[N, sizes[0]]`. */
  logits(x: tf.Tensor, options: { training: boolean }): tf.Tensor2D {
    return this.forwardDetailed(x as tf.Tensor2D, options).logits;
  }

  /** Forward pass keeping each layer's input and pre-activation (for Fisher and sign-switch tools). */
  forwardDetailed(x: tf.Tensor2D, options: ForwardOptions): MlpTrace {
    if (x.rank !== 2 || x.shape[1] !== this.sizes[0]) {
      throw new RangeError(`${this.name}: input must be [N, ${this.sizes[0]}], got [${x.shape}]`);
    }
    const inputs: tf.Tensor2D[] = [];
    const pre: tf.Tensor2D[] = [];
    let h: tf.Tensor2D = x;
    for (let l = 0; l < this.layers.length; l++) {
      inputs.push(h);
      let z = this.layers[l].apply(h, { training: options.training });
      const p = options.perturb?.[l];
      if (p) z = tf.add(z, p);
      pre.push(z);
      h = this.continueLayer(l, z, options);
    }
    return { logits: h, inputs, pre };
  }

  /**
   * Runs the network from layer `l`'s pre-activation `z` (output of `x_l · W_l`) to the logits:
   * normalisation, activation, and all later layers.
   */
  forwardFrom(l: number, z: tf.Tensor2D, options: { training: boolean }): tf.Tensor2D {
    if (!(Number.isInteger(l) && l >= 0 && l < this.layers.length)) {
      throw new RangeError(`${this.name}: layer index ${l} outside 0..${this.layers.length - 1}`);
    }
    let h = this.continueLayer(l, z, options);
    for (let k = l + 1; k < this.layers.length; k++) {
      h = this.continueLayer(k, this.layers[k].apply(h, options), options);
    }
    return h;
  }

  /** Normalisation and activation of layer `l` applied to its pre-activation. */
  private continueLayer(l: number, z: tf.Tensor2D, options: ForwardOptions): tf.Tensor2D {
    let h: tf.Tensor2D = z;
    if (this.norms.length) {
      const fixed = options.fixedStats?.[l];
      h = fixed
        ? normalizeWith(this.norms[l], z, fixed)
        : (this.norms[l].apply(z, { training: options.training }) as tf.Tensor2D);
    }
    if (l < this.layers.length - 1) h = activate(h, this.activation);
    return h;
  }

  /**
   * Σᵢ (∂ℓᵢ/∂W_l)² over the examples of a batch, for every parameter (zeros for the
   * normalisation parameters, which EWC excludes), where ℓᵢ is example i's cross-entropy and
   * the gradient is the one the training loop applies (binary-weight gradient, through both
   * STEs).
   *
   * Per-example gradients need per-example normalisation statistics to be well defined: they
   * are taken at the batch's statistics held constant (the role running statistics played in
   * the original PyTorch 1.1 runs, where the Fisher pass ran in eval mode). This avoids the
   * batch-size-1 failure of the current reference (its issue #5). Each dense layer's
   * per-example gradient is the outer product xᵢ ⊗ δᵢ, so the sum of squares is
   * `(x∘x)ᵀ (δ∘δ)`: one forward and one backward pass per batch.
   */
  squaredSampleGrads(x: tf.Tensor2D, labels: tf.Tensor1D): Float32Array[] {
    const n = x.shape[0];
    // Pass 1: the statistics to hold constant, and each layer's squared input (the same with
    // constant statistics, since the perturbations below are zero).
    const first = tf.tidy(() => {
      const trace = this.forwardDetailed(x, { training: false });
      const stats = trace.pre.map((z, l) => this.statsFor(l, z));
      return {
        means: stats.map((s) => s?.mean ?? tf.scalar(0)),
        vars: stats.map((s) => s?.variance ?? tf.scalar(0)),
        sqIn: trace.inputs.map((t) => tf.square(t)),
      };
    });
    const stats = this.layers.map((
      _,
      l,
    ) => (this.hasBatchNorm(l) ? { mean: first.means[l], variance: first.vars[l] } : null));
    try {
      const sq = tf.tidy(() => {
        const zeros = this.layers.map((d) => tf.zeros([n, d.outFeatures]) as tf.Tensor2D);
        const f = (...perturb: tf.Tensor[]) => {
          const trace = this.forwardDetailed(x, {
            training: false,
            perturb: perturb as tf.Tensor2D[],
            fixedStats: stats,
          });
          return sumCrossEntropy(trace.logits, labels, this.classes);
        };
        const deltas = tf.grads(f)(zeros);
        return deltas.map((d, l) => tf.matMul(first.sqIn[l], tf.square(d), true, false));
      });
      const out = this.params.map((p) => new Float32Array(p.variable.size));
      sq.forEach((t, l) => {
        out[l].set(t.dataSync() as Float32Array);
        t.dispose();
      });
      return out;
    } finally {
      tf.dispose([...first.means, ...first.vars, ...first.sqIn]);
    }
  }

  /** Whether layer `l` is followed by a BatchNorm. */
  private hasBatchNorm(l: number): boolean {
    return this.norms[l] instanceof BatchNorm;
  }

  /** The statistics layer `l`'s BatchNorm would use on `z` (null for other norms). */
  private statsFor(l: number, z: tf.Tensor2D): { mean: tf.Tensor; variance: tf.Tensor } | null {
    const norm = this.norms[l];
    if (!(norm instanceof BatchNorm)) return null; // instance norm is per example already
    if (norm.trackRunningStats) {
      return { mean: norm.runningMean!.clone(), variance: norm.runningVar!.clone() };
    }
    const m = tf.moments(z, [0]);
    return { mean: m.mean, variance: m.variance };
  }
}

function normalizeWith(
  norm: NormLayer,
  z: tf.Tensor2D,
  s: { mean: tf.Tensor; variance: tf.Tensor },
): tf.Tensor2D {
  if (!(norm instanceof BatchNorm)) return norm.apply(z, { training: false }) as tf.Tensor2D;
  let y = tf.mul(tf.sub(z, s.mean), tf.rsqrt(tf.add(s.variance, norm.eps)));
  if (norm.gamma && norm.beta) y = tf.add(tf.mul(y, norm.gamma), norm.beta);
  return y as tf.Tensor2D;
}

function activate(h: tf.Tensor2D, a: Activation): tf.Tensor2D {
  if (a === "sign") return signSte(h);
  if (a === "relu") return tf.relu(h);
  if (a === "hardtanh") return tf.clipByValue(h, -1, 1);
  throw new RangeError(`unknown activation "${a}"`);
}

/** Σᵢ cross-entropy of a batch of logits against integer labels. */
export function sumCrossEntropy(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  classes: number,
): tf.Scalar {
  const oh = tf.oneHot(tf.cast(labels, "int32"), classes);
  return tf.neg(tf.sum(tf.mul(oh, tf.logSoftmax(logits))));
}

/** The Laborieux BNN: binary weights, sign activations, affine BatchNorm with batch statistics. */
export function binaryMlp(options: Omit<MlpOptions, "binary" | "layer">): Mlp {
  return new Mlp({ ...options, binary: true });
}

/** The full-precision control (Fig. 2f): real weights, ReLU, BatchNorm with running statistics. */
export function fullPrecisionMlp(options: Omit<MlpOptions, "binary" | "layer">): Mlp {
  return new Mlp({ ...options, binary: false, activation: options.activation ?? "relu" });
}
