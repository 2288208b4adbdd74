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
 * {@linkcode QuantizedMlp} is `Mlp` of `mlp.ts` built from quantized layers, so `lib/train/`
 * trains it unchanged (and EWC's per-example Fisher pass works on it).
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
import { initWeights, type WeightInit } from "./binary_dense.ts";
import { Mlp, type MlpOptions } from "./mlp.ts";

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

/** Options of {@linkcode QuantizedMlp}: those of `Mlp` plus the grid. */
export interface QuantizedMlpOptions
  extends Omit<MlpOptions<QuantizedDense>, "binary" | "layer" | "label"> {
  /** Quantization grid of every layer (default `uniformGrid(4)`). */
  grid?: QuantGrid;
}

/**
 * `Mlp` of {@linkcode QuantizedDense} layers (layer → BatchNorm → activation, the last
 * normalisation's output as logits). Defaults as the BNN: sign activations, affine BatchNorm
 * with batch statistics at train and test time.
 */
export class QuantizedMlp extends Mlp<QuantizedDense> {
  /** The quantization grid of every layer. */
  readonly grid: QuantGrid;

  /** Builds the network; see {@linkcode QuantizedMlpOptions}. */
  constructor(options: QuantizedMlpOptions) {
    const grid = options.grid ?? uniformGrid(4);
    super({
      ...options,
      binary: grid.levels.length === 2,
      activation: options.activation ?? "sign",
      trackRunningStats: options.trackRunningStats ?? false,
      label: `QNN${grid.levels.length}`,
      layer: (spec) => new QuantizedDense({ ...spec, grid }),
    });
    this.grid = grid;
  }

  /** Grids of `params`, in order (`null` for γ/β): the `grid` option of `metaplasticQuantized`. */
  paramGrids(): (QuantGrid | null)[] {
    return this.params.map((p) => (p.kind === "weight" ? this.grid : null));
  }
}

/** A {@linkcode QuantizedMlp}; see {@linkcode QuantizedMlpOptions}. */
export function quantizedMlp(options: QuantizedMlpOptions): QuantizedMlp {
  return new QuantizedMlp(options);
}

let counter = 0;
function uid(): number {
  return counter++;
}
