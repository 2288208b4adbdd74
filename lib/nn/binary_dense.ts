/**
 * Fully connected layer without bias whose forward pass uses the binary weights
 * `W_b = sign(W_h)` of its hidden weights `W_h` (Laborieux et al. 2021, `BinarizeLinear`); the
 * gradient with respect to `W_b` is applied to `W_h` unchanged (weight straight-through
 * estimator), and `W_h` is never clipped. With `binary: false` it is an ordinary bias-free dense
 * layer (the full-precision control of Fig. 2f).
 *
 * The layer does not binarise its input: the first layer of the MLP receives real pixels and
 * later layers receive the ±1 output of {@linkcode signSte}. Set `binarizeInput` to apply
 * `sign` to the input as the reference's convolutional layers do (forward only: the gradient
 * passes unchanged, as the reference's in-place `input.data` assignment does).
 *
 * Weights are stored `[in, out]` (so `y = x · W`), not PyTorch's `[out, in]`.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { BinaryDense } from "./binary_dense.ts";
 * import { Rng } from "../rng.ts";
 * const fc = new BinaryDense({ inFeatures: 3, outFeatures: 2, rng: new Rng(1) });
 * const y = fc.apply(tf.ones([1, 3])); // sums of ±1 weights
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../rng.ts";
import { binarizeWeights } from "./binary.ts";

/** Hidden-weight initialisation: `"uniform"` U(−w/2, w/2) or `"gauss"` N(0, w²). */
export type WeightInit = "uniform" | "gauss";

/** Options of {@linkcode BinaryDense}. */
export interface BinaryDenseOptions {
  /** Input features. */
  inFeatures: number;
  /** Output features. */
  outFeatures: number;
  /** Random source of the initialisation. */
  rng: Rng;
  /** Binarised forward pass (default true). */
  binary?: boolean;
  /** Initialisation family (default `"uniform"`, the reference's `--init uniform`). */
  init?: WeightInit;
  /** Initialisation width w (default 0.1: U(−0.05, 0.05), the reference's `--init-width 0.1`). */
  initWidth?: number;
  /** Apply `sign` (no gradient change) to the input first (default false). */
  binarizeInput?: boolean;
  /** Layer name (default `"fc"`). */
  name?: string;
}

/** Draws an initial weight array of `n` values. */
export function initWeights(
  n: number,
  rng: Rng,
  init: WeightInit = "uniform",
  width = 0.1,
): Float32Array {
  if (!(width > 0)) throw new RangeError(`initWidth must be > 0, got ${width}`);
  const out = new Float32Array(n);
  if (init === "uniform") return rng.fillUniform(out, -width / 2, width / 2);
  if (init === "gauss") return rng.fillNormal(out, 0, width);
  throw new RangeError(`unknown init "${init}" (use "uniform" or "gauss")`);
}

/** A variable initialised from `t`; `t` itself is disposed (the variable keeps the data). */
export function ownedVariable(t: tf.Tensor, trainable: boolean): tf.Variable {
  const v = tf.variable(t, trainable);
  t.dispose();
  return v;
}

/** Bias-free dense layer with binarised (or real) weights; see the module docs. */
export class BinaryDense {
  /** Layer name. */
  readonly name: string;
  /** Input features. */
  readonly inFeatures: number;
  /** Output features. */
  readonly outFeatures: number;
  /** Whether the forward pass uses `sign(W_h)`. */
  readonly binary: boolean;
  /** Whether the input is binarised first. */
  readonly binarizeInput: boolean;
  /** Hidden weights W_h, shape `[in, out]` (the real weights when `binary` is false). */
  readonly hidden: tf.Variable;

  /** Creates the layer; see {@linkcode BinaryDenseOptions}. */
  constructor(options: BinaryDenseOptions) {
    const { inFeatures, outFeatures } = options;
    for (const [k, v] of [["inFeatures", inFeatures], ["outFeatures", outFeatures]] as const) {
      if (!(Number.isInteger(v) && v >= 1)) {
        throw new RangeError(`BinaryDense: ${k} must be a positive integer, got ${v}`);
      }
    }
    this.name = options.name ?? "fc";
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.binary = options.binary ?? true;
    this.binarizeInput = options.binarizeInput ?? false;
    const w = initWeights(inFeatures * outFeatures, options.rng, options.init, options.initWidth);
    this.hidden = ownedVariable(tf.tensor2d(w, [inFeatures, outFeatures]), true);
  }

  /** The weights used in the forward pass: `sign(W_h)` (STE) or `W_h`. */
  effectiveWeights(): tf.Tensor2D {
    return this.binary ? binarizeWeights(this.hidden as tf.Tensor2D) : (this.hidden as tf.Tensor2D);
  }

  /** `x · W_b` for `x` of shape `[N, in]`. */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    if (x.rank !== 2 || x.shape[1] !== this.inFeatures) {
      throw new RangeError(`${this.name}: input must be [N, ${this.inFeatures}], got [${x.shape}]`);
    }
    // Like the reference's `input.data = sign(input.data)`: sign forward, gradient passed unchanged.
    const input = this.binarizeInput ? binarizeWeights(x) : x;
    return tf.matMul(input, this.effectiveWeights());
  }
}
