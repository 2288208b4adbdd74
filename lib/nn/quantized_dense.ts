/**
 * Quantized dense layer and quantized MLP (D'Agostino et al. 2023; Hubara et al. 2017): a
 * bias-free layer whose forward pass uses quantized weights W_Q = Q(W_H) of an unbounded
 * high-precision hidden weight W_H, with the straight-through estimator `∂C/∂W_H := ∂C/∂W_Q`
 * (as {@linkcode binarizeWeights} does for the BNN). With the two-level grid (±1) the layer
 * computes what {@linkcode BinaryDense} computes (except for a hidden weight exactly 0, which
 * `sign` maps to 0 and the grid to −1).
 *
 * Hybrid memory: the weights the forward pass uses can come from a device array instead of
 * Q(W_H) (`layer.weightSource`): the hidden weight stays in (noise-free) digital memory, the
 * devices hold the level, and the gradient still reaches W_H through the same estimator.
 *
 * {@linkcode QuantizedMlp} mirrors `Mlp` of `mlp.ts` (layer → BatchNorm → activation, the last
 * normalisation's output as logits) with quantized layers, and implements the {@linkcode Model}
 * contract, so `lib/train/` trains it unchanged.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { quantizedMlp } from "./quantized_dense.ts";
 * import { uniformGrid } from "../optim/quantized_metaplastic.ts";
 * import { Rng } from "../rng.ts";
 * const net = quantizedMlp({ sizes: [784, 256, 10], grid: uniformGrid(4), rng: new Rng(0) });
 * const logits = net.logits(tf.zeros([2, 784]), { training: false }); // [2, 10]
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../rng.ts";
import { type QuantGrid, quantizeToGrid, uniformGrid } from "../optim/quantized_metaplastic.ts";
import { signSte } from "./binary.ts";
import { initWeights, type WeightInit } from "./binary_dense.ts";
import type { Activation } from "./mlp.ts";
import type { Model, ParamInfo } from "./model.ts";
import { BatchNorm, type GammaInit, type NormLayer } from "./norm.ts";

// Forward value `q`, gradient handed unchanged to `hidden` (nothing flows into `q`).
const steOp = tf.customGrad(
  ((_hidden: tf.Tensor, q: tf.Tensor) => ({
    value: tf.clone(q),
    gradFunc: (dy: tf.Tensor) => [dy, tf.zerosLike(dy)],
  })) as unknown as Parameters<typeof tf.customGrad>[0],
);

/**
 * The straight-through weight estimator: the forward value is `forward` (quantized or
 * device-read weights), the backward pass hands the gradient to `hidden` unchanged.
 */
export function straightThrough<T extends tf.Tensor>(hidden: T, forward: T): T {
  if (hidden.shape.join() !== forward.shape.join()) {
    throw new RangeError(
      `straightThrough: hidden [${hidden.shape}] and forward [${forward.shape}] differ`,
    );
  }
  return steOp(hidden, forward) as T;
}

/** Options of {@linkcode QuantizedDense}. */
export interface QuantizedDenseOptions {
  /** Input features. */
  inFeatures: number;
  /** Output features. */
  outFeatures: number;
  /** Random source of the initialisation. */
  rng: Rng;
  /** Quantization grid (default `uniformGrid(4)`: −1, −1/3, 1/3, 1). */
  grid?: QuantGrid;
  /** Initialisation family (default `"uniform"`). */
  init?: WeightInit;
  /** Initialisation width (default 0.1: U(−0.05, 0.05), as the metaplastic BNN). */
  initWidth?: number;
  /** Layer name (default `"fc"`). */
  name?: string;
}

/**
 * Supplies the weights of the forward pass (row-major `[in, out]`, normalised units), e.g. a
 * read of the device array that holds the layer's levels; `training` tells a training forward
 * pass from an inference one (a device array may add read noise only at inference). Return a
 * fresh array each call: tfjs may keep a reference to the array a tensor was made from.
 */
export type WeightSource = (training: boolean) => Float32Array;

/** Bias-free dense layer with quantized weights; see the module docs. */
export class QuantizedDense {
  /** Layer name. */
  readonly name: string;
  /** Input features. */
  readonly inFeatures: number;
  /** Output features. */
  readonly outFeatures: number;
  /** Quantization grid. */
  readonly grid: QuantGrid;
  /** Hidden weights W_H, shape `[in, out]`, never clipped. */
  readonly hidden: tf.Variable;
  /** Where the forward weights come from: `null` = Q(W_H) (software), else e.g. a device read. */
  weightSource: WeightSource | null = null;

  /** Creates the layer; see {@linkcode QuantizedDenseOptions}. */
  constructor(options: QuantizedDenseOptions) {
    const { inFeatures, outFeatures } = options;
    for (const [k, v] of [["inFeatures", inFeatures], ["outFeatures", outFeatures]] as const) {
      if (!(Number.isInteger(v) && v >= 1)) {
        throw new RangeError(`QuantizedDense: ${k} must be a positive integer, got ${v}`);
      }
    }
    this.name = options.name ?? "fc";
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.grid = options.grid ?? uniformGrid(4);
    const w = initWeights(inFeatures * outFeatures, options.rng, options.init, options.initWidth);
    this.hidden = tf.variable(
      tf.tensor2d(w, [inFeatures, outFeatures]),
      true,
      `${this.name}/WH_${uid()}`,
    );
  }

  /** Q(W_H), row-major `[in, out]`. */
  quantizedWeights(out?: Float32Array): Float32Array {
    return quantizeToGrid(this.hidden.dataSync() as Float32Array, this.grid, out);
  }

  /** The weights the forward pass uses now: the source's, or Q(W_H). */
  forwardWeights(training = false): Float32Array {
    if (!this.weightSource) return this.quantizedWeights();
    const w = this.weightSource(training);
    if (w.length !== this.inFeatures * this.outFeatures) {
      throw new RangeError(
        `${this.name}: weight source gave ${w.length} values, expected ${this.inFeatures}×${this.outFeatures}`,
      );
    }
    return w;
  }

  /** Forward weights as a tensor whose gradient goes to W_H (straight-through). */
  effectiveWeights(training = false): tf.Tensor2D {
    const q = tf.tensor2d(this.forwardWeights(training), [this.inFeatures, this.outFeatures]);
    return straightThrough(this.hidden as tf.Tensor2D, q);
  }

  /** `x · W` for `x` of shape `[N, in]` (`training` is passed to the weight source). */
  apply(x: tf.Tensor2D, options: { training?: boolean } = {}): tf.Tensor2D {
    if (x.rank !== 2 || x.shape[1] !== this.inFeatures) {
      throw new RangeError(`${this.name}: input must be [N, ${this.inFeatures}], got [${x.shape}]`);
    }
    return tf.matMul(x, this.effectiveWeights(options.training ?? false));
  }
}

/** Options of {@linkcode QuantizedMlp}. */
export interface QuantizedMlpOptions {
  /** Layer sizes, input first, e.g. `[784, 512, 10]`. */
  sizes: readonly number[];
  /** Random source of the initialisation. */
  rng: Rng;
  /** Quantization grid of every layer (default `uniformGrid(4)`). */
  grid?: QuantGrid;
  /** Hidden activation (default `"sign"`, the BNN's, with the |z| ≤ 1 estimator). */
  activation?: Activation;
  /** BatchNorm after each layer (default true); without it the last layer's output is the logits. */
  batchNorm?: boolean;
  /** BatchNorm γ/β (default true). */
  bnAffine?: boolean;
  /** BatchNorm running statistics (default false: batch statistics at train and test time). */
  trackRunningStats?: boolean;
  /** BatchNorm γ start (default `"ones"`). */
  gammaInit?: GammaInit;
  /** Weight initialisation (default `"uniform"`). */
  init?: WeightInit;
  /** Initialisation width (default 0.1). */
  initWidth?: number;
}

/** Multilayer perceptron of quantized layers; see the module docs. */
export class QuantizedMlp implements Model {
  /** Description, e.g. `"QNN4 784-512-10"`. */
  readonly name: string;
  /** Layer sizes. */
  readonly sizes: readonly number[];
  /** Quantized layers. */
  readonly layers: readonly QuantizedDense[];
  /** BatchNorm layers, one per dense layer (empty without BatchNorm). */
  readonly norms: readonly NormLayer[];
  /** Hidden activation. */
  readonly activation: Activation;
  /** Trainable parameters: all hidden weights first (layer order), then γ/β of each norm. */
  readonly params: readonly ParamInfo[];
  /** Per-example input shape. */
  readonly inputShape: readonly number[];
  /** Output classes. */
  readonly classes: number;
  /** The quantization grid of every layer. */
  readonly grid: QuantGrid;

  /** Builds the network; see {@linkcode QuantizedMlpOptions}. */
  constructor(options: QuantizedMlpOptions) {
    const sizes = options.sizes;
    if (sizes.length < 2 || !sizes.every((s) => Number.isInteger(s) && s >= 1)) {
      throw new RangeError(`QuantizedMlp: sizes must be >= 2 positive integers, got [${sizes}]`);
    }
    this.activation = options.activation ?? "sign";
    if (!["sign", "relu", "hardtanh"].includes(this.activation)) {
      throw new RangeError(
        `QuantizedMlp: unknown activation "${this.activation}" (use "sign", "relu" or "hardtanh")`,
      );
    }
    this.grid = options.grid ?? uniformGrid(4);
    this.sizes = sizes.slice();
    this.inputShape = [sizes[0]];
    this.classes = sizes[sizes.length - 1];
    const layers: QuantizedDense[] = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      layers.push(
        new QuantizedDense({
          inFeatures: sizes[l],
          outFeatures: sizes[l + 1],
          rng: options.rng,
          grid: this.grid,
          init: options.init,
          initWidth: options.initWidth,
          name: `fc${l + 1}`,
        }),
      );
    }
    const norms: NormLayer[] = [];
    if (options.batchNorm ?? true) {
      for (let l = 0; l + 1 < sizes.length; l++) {
        norms.push(
          new BatchNorm({
            features: sizes[l + 1],
            affine: options.bnAffine ?? true,
            trackRunningStats: options.trackRunningStats ?? false,
            gammaInit: options.gammaInit,
            rng: options.rng,
            name: `bn${l + 1}`,
          }),
        );
      }
    }
    this.layers = layers;
    this.norms = norms;
    const binary = this.grid.levels.length === 2;
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
    this.name = `QNN${this.grid.levels.length} ${sizes.join("-")}`;
  }

  /** Logits of a batch `[N, sizes[0]]`. */
  logits(x: tf.Tensor, options: { training: boolean }): tf.Tensor2D {
    if (x.rank !== 2 || x.shape[1] !== this.sizes[0]) {
      throw new RangeError(`${this.name}: input must be [N, ${this.sizes[0]}], got [${x.shape}]`);
    }
    let h = x as tf.Tensor2D;
    for (let l = 0; l < this.layers.length; l++) {
      h = this.layers[l].apply(h, options);
      if (this.norms.length) h = this.norms[l].apply(h, options) as tf.Tensor2D;
      if (l < this.layers.length - 1) h = activate(h, this.activation);
    }
    return h;
  }

  /** Grids of `params`, in order (`null` for γ/β): the `grid` option of `metaplasticQuantized`. */
  paramGrids(): (QuantGrid | null)[] {
    return this.params.map((p) => (p.kind === "weight" ? this.grid : null));
  }
}

function activate(h: tf.Tensor2D, a: Activation): tf.Tensor2D {
  if (a === "sign") return signSte(h);
  if (a === "relu") return tf.relu(h);
  return tf.clipByValue(h, -1, 1);
}

/** A {@linkcode QuantizedMlp}; see {@linkcode QuantizedMlpOptions}. */
export function quantizedMlp(options: QuantizedMlpOptions): QuantizedMlp {
  return new QuantizedMlp(options);
}

let counter = 0;
function uid(): number {
  return counter++;
}
