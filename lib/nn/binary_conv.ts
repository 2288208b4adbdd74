/**
 * Binarized convolution and the small convolutional BNN of the MNIST→USPS experiment
 * (Laborieux et al. 2021, Fig. 4c–d; reference `MNIST-USPS/models_utils.py::ConvBNN`).
 *
 * {@linkcode BinaryConv2d}: bias-free 2-D convolution with kernel `sign(W_h)` (weight STE), stride
 * 1, NHWC layout. Like the reference `BinarizeConv2d` it applies `sign` to its input (the
 * reference does so whenever the input does not have 3 channels, hence also to the 1-channel
 * MNIST pixels, which become 0/1).
 *
 * {@linkcode ConvBnn}: for each channel step `conv(k, padding 1) → 2×2 average pool → BatchNorm
 * → sign`, then a binary dense layer to the classes and a last BatchNorm giving the logits. The
 * reference builds it with `bnl=False`: BatchNorm without affine parameters and without running
 * statistics.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { convBnnUsps } from "./binary_conv.ts";
 * import { Rng } from "../rng.ts";
 * const net = convBnnUsps({ channels: [1, 12, 20, 30], rng: new Rng(0) });
 * const logits = net.logits(tf.zeros([2, 28, 28, 1]), { training: false }); // [2, 10]
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { sgemm } from "../backend/gemm.ts";
import type { Rng } from "../rng.ts";
import { binarizeWeights, signSte } from "./binary.ts";
import { BinaryDense, initWeights, ownedVariable, type WeightInit } from "./binary_dense.ts";
import { BatchNorm, type NormLayer } from "./norm.ts";
import type { Model, ParamInfo } from "./model.ts";

/** Options of {@linkcode BinaryConv2d}. */
export interface BinaryConv2dOptions {
  /** Input channels. */
  inChannels: number;
  /** Output channels. */
  outChannels: number;
  /** Square kernel size. */
  kernel: number;
  /** Zero padding on each side (default 0). */
  padding?: number;
  /** Random source of the initialisation. */
  rng: Rng;
  /** Binary kernel (default true). */
  binary?: boolean;
  /** Apply `sign` to the input (default true, as the reference for non-RGB input). */
  binarizeInput?: boolean;
  /** Initialisation family (default `"uniform"`). */
  init?: WeightInit;
  /** Initialisation width (default 0.1). */
  initWidth?: number;
  /** Layer name (default `"cv"`). */
  name?: string;
}

/** Bias-free binarized 2-D convolution, NHWC, stride 1. */
export class BinaryConv2d {
  /** Layer name. */
  readonly name: string;
  /** Hidden kernel W_h, shape `[k, k, in, out]`. */
  readonly hidden: tf.Variable;
  /** Kernel size. */
  readonly kernel: number;
  /** Padding per side. */
  readonly padding: number;
  /** Binary forward pass. */
  readonly binary: boolean;
  /** Binarised input. */
  readonly binarizeInput: boolean;
  /** Input channels. */
  readonly inChannels: number;
  /** Output channels. */
  readonly outChannels: number;

  /** Creates the layer; see {@linkcode BinaryConv2dOptions}. */
  constructor(options: BinaryConv2dOptions) {
    const { inChannels, outChannels, kernel } = options;
    for (
      const [k, v] of [["inChannels", inChannels], ["outChannels", outChannels], [
        "kernel",
        kernel,
      ]] as const
    ) {
      if (!(Number.isInteger(v) && v >= 1)) {
        throw new RangeError(`BinaryConv2d: ${k} must be a positive integer, got ${v}`);
      }
    }
    this.name = options.name ?? "cv";
    this.kernel = kernel;
    this.padding = options.padding ?? 0;
    this.binary = options.binary ?? true;
    this.binarizeInput = options.binarizeInput ?? true;
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    const w = initWeights(
      kernel * kernel * inChannels * outChannels,
      options.rng,
      options.init,
      options.initWidth,
    );
    this.hidden = ownedVariable(tf.tensor4d(w, [kernel, kernel, inChannels, outChannels]), true);
  }

  /** Convolves `x` `[N, H, W, inChannels]`. */
  apply(x: tf.Tensor4D): tf.Tensor4D {
    if (x.rank !== 4 || x.shape[3] !== this.inChannels) {
      throw new RangeError(
        `${this.name}: input must be [N, H, W, ${this.inChannels}], got [${x.shape}]`,
      );
    }
    // Like the reference's `input.data = sign(input.data)`: sign forward, gradient passed unchanged.
    const input = this.binarizeInput ? binarizeWeights(x) : x;
    const w = this.binary
      ? binarizeWeights(this.hidden as tf.Tensor4D)
      : (this.hidden as tf.Tensor4D);
    return conv2dFast(input, w, this.padding);
  }
}

/** im2col of an NHWC batch: rows (b, oy, ox), columns (ky, kx, c); zero padding `pad`, stride 1. */
function im2col(
  x: Float32Array,
  n: number,
  h: number,
  w: number,
  c: number,
  k: number,
  pad: number,
): Float32Array {
  const ho = h + 2 * pad - k + 1, wo = w + 2 * pad - k + 1, kc = k * k * c;
  const cols = new Float32Array(n * ho * wo * kc);
  let r = 0;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++, r++) {
        const row = r * kc;
        for (let ky = 0; ky < k; ky++) {
          const iy = oy + ky - pad;
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < k; kx++) {
            const ix = ox + kx - pad;
            if (ix < 0 || ix >= w) continue;
            const src = ((b * h + iy) * w + ix) * c, dst = row + (ky * k + kx) * c;
            for (let ch = 0; ch < c; ch++) cols[dst + ch] = x[src + ch];
          }
        }
      }
    }
  }
  return cols;
}

/** Adjoint of {@linkcode im2col}: scatter-adds the columns back into an NHWC batch. */
function col2im(
  cols: Float32Array,
  n: number,
  h: number,
  w: number,
  c: number,
  k: number,
  pad: number,
): Float32Array {
  const ho = h + 2 * pad - k + 1, wo = w + 2 * pad - k + 1, kc = k * k * c;
  const x = new Float32Array(n * h * w * c);
  let r = 0;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++, r++) {
        const row = r * kc;
        for (let ky = 0; ky < k; ky++) {
          const iy = oy + ky - pad;
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < k; kx++) {
            const ix = ox + kx - pad;
            if (ix < 0 || ix >= w) continue;
            const dst = ((b * h + iy) * w + ix) * c, src = row + (ky * k + kx) * c;
            for (let ch = 0; ch < c; ch++) x[dst + ch] += cols[src + ch];
          }
        }
      }
    }
  }
  return x;
}

const conv2dOp = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor4D, wt = args[1] as tf.Tensor4D, padT = args[2] as tf.Tensor;
  const save = args[3] as tf.GradSaveFunc;
  const pad = padT.dataSync()[0];
  const [n, h, w, c] = x.shape;
  const [k, , , out] = wt.shape;
  const ho = h + 2 * pad - k + 1, wo = w + 2 * pad - k + 1, kc = k * k * c, m = n * ho * wo;
  const xv = x.dataSync() as Float32Array, wv = wt.dataSync() as Float32Array;
  const y = new Float32Array(m * out);
  sgemm(false, false, m, out, kc, 1, im2col(xv, n, h, w, c, k, pad), wv, 0, y);
  save([x, wt]);
  return {
    value: tf.tensor4d(y, [n, ho, wo, out]),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const dyv = dy.dataSync() as Float32Array;
      const xs = saved[0].dataSync() as Float32Array, ws = saved[1].dataSync() as Float32Array;
      const dw = new Float32Array(kc * out), dcols = new Float32Array(m * kc);
      sgemm(true, false, kc, out, m, 1, im2col(xs, n, h, w, c, k, pad), dyv, 0, dw);
      sgemm(false, true, m, kc, out, 1, dyv, ws, 0, dcols);
      return [
        tf.tensor4d(col2im(dcols, n, h, w, c, k, pad), [n, h, w, c]),
        tf.tensor4d(dw, [k, k, c, out]),
        tf.zerosLike(padT),
      ];
    },
  };
});

/**
 * Stride-1 2-D convolution, NHWC, symmetric zero padding `pad`, as im2col + SGEMM on
 * Float32Arrays (the project's BLAS when the engine installed it) in both passes: the stock
 * tfjs cpu kernels are 30–100× slower on these small images, especially the filter gradient.
 */
export function conv2dFast(x: tf.Tensor4D, w: tf.Tensor4D, pad: number): tf.Tensor4D {
  if (x.shape[3] !== w.shape[2]) {
    throw new RangeError(
      `conv2dFast: input has ${x.shape[3]} channels, filter expects ${w.shape[2]}`,
    );
  }
  return conv2dOp(x, w, tf.scalar(pad)) as tf.Tensor4D;
}

const avgPoolOp = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor4D;
  const [n, h, w, c] = x.shape;
  const h2 = Math.floor(h / 2), w2 = Math.floor(w / 2);
  const xv = x.dataSync() as Float32Array;
  const y = new Float32Array(n * h2 * w2 * c);
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < h2; i++) {
      for (let j = 0; j < w2; j++) {
        const p = ((b * h + 2 * i) * w + 2 * j) * c, q = p + w * c;
        for (let ch = 0; ch < c; ch++, o++) {
          y[o] = 0.25 * (xv[p + ch] + xv[p + c + ch] + xv[q + ch] + xv[q + c + ch]);
        }
      }
    }
  }
  return {
    value: tf.tensor4d(y, [n, h2, w2, c]),
    gradFunc: (dy: tf.Tensor) => {
      const g = dy.dataSync() as Float32Array;
      const dx = new Float32Array(n * h * w * c);
      let o2 = 0;
      for (let b = 0; b < n; b++) {
        for (let i = 0; i < h2; i++) {
          for (let j = 0; j < w2; j++) {
            const p = ((b * h + 2 * i) * w + 2 * j) * c, q = p + w * c;
            for (let ch = 0; ch < c; ch++, o2++) {
              const v = 0.25 * g[o2];
              dx[p + ch] = v;
              dx[p + c + ch] = v;
              dx[q + ch] = v;
              dx[q + c + ch] = v;
            }
          }
        }
      }
      return tf.tensor4d(dx, [n, h, w, c]);
    },
  };
});

/**
 * 2×2 average pooling with stride 2 and no padding (a trailing odd row/column is dropped, as in
 * PyTorch `AvgPool2d(2, 2)`), in plain loops in both passes.
 */
export function avgPool2x2(x: tf.Tensor4D): tf.Tensor4D {
  return avgPoolOp(x) as tf.Tensor4D;
}

/** Options of {@linkcode ConvBnn}. */
export interface ConvBnnOptions {
  /** Channels, input first, e.g. `[1, 12, 20, 30]`. */
  channels: readonly number[];
  /** Random source. */
  rng: Rng;
  /** Kernel size of every convolution (default 4). */
  kernel?: number;
  /** Input image side (default 28). */
  size?: number;
  /** Classes (default 10). */
  classes?: number;
  /** BatchNorm γ/β and running statistics (the reference `bnl`; default false). */
  bnl?: boolean;
  /** Initialisation family (default `"uniform"`). */
  init?: WeightInit;
  /** Initialisation width (default 0.1). */
  initWidth?: number;
}

/** The MNIST→USPS convolutional BNN; see the module docs. */
export class ConvBnn implements Model {
  /** Description. */
  readonly name: string;
  /** Convolutions. */
  readonly convs: readonly BinaryConv2d[];
  /** Final dense layer. */
  readonly fc: BinaryDense;
  /** Normalisation layers (one per convolution, then the output one). */
  readonly norms: readonly NormLayer[];
  /** Trainable parameters. */
  readonly params: readonly ParamInfo[];
  /** `[size, size, channels[0]]`. */
  readonly inputShape: readonly number[];
  /** Output classes. */
  readonly classes: number;

  /** Builds the network. */
  constructor(options: ConvBnnOptions) {
    const ch = options.channels;
    if (ch.length < 2) {
      throw new RangeError(`ConvBnn: channels needs at least 2 entries, got [${ch}]`);
    }
    const k = options.kernel ?? 4;
    let size = options.size ?? 28;
    this.classes = options.classes ?? 10;
    this.inputShape = [size, size, ch[0]];
    const bnl = options.bnl ?? false;
    const convs: BinaryConv2d[] = [];
    const norms: NormLayer[] = [];
    for (let i = 0; i + 1 < ch.length; i++) {
      convs.push(
        new BinaryConv2d({
          inChannels: ch[i],
          outChannels: ch[i + 1],
          kernel: k,
          padding: 1,
          rng: options.rng,
          init: options.init,
          initWidth: options.initWidth,
          name: `cv${i + 1}`,
        }),
      );
      norms.push(
        new BatchNorm({
          features: ch[i + 1],
          affine: bnl,
          trackRunningStats: bnl,
          name: `bn${i + 1}`,
        }),
      );
      size = size + 2 - k + 1;
      size = Math.floor((size - 2) / 2 + 1);
      if (size < 1) {
        throw new RangeError(
          `ConvBnn: ${ch.length - 1} convolutions of kernel ${k} shrink the image to nothing`,
        );
      }
    }
    const flat = size * size * ch[ch.length - 1];
    this.fc = new BinaryDense({
      inFeatures: flat,
      outFeatures: this.classes,
      rng: options.rng,
      init: options.init,
      initWidth: options.initWidth,
      name: `fc${ch.length}`,
    });
    norms.push(
      new BatchNorm({
        features: this.classes,
        affine: bnl,
        trackRunningStats: bnl,
        name: `bn${ch.length}`,
      }),
    );
    this.convs = convs;
    this.norms = norms;
    const params: ParamInfo[] = [
      ...convs.map((c): ParamInfo => ({
        name: c.name,
        variable: c.hidden,
        kind: "weight",
        binary: true,
      })),
      { name: this.fc.name, variable: this.fc.hidden, kind: "weight", binary: true },
    ];
    for (const n of norms) {
      const t = n.trainable();
      if (t.length === 2) {
        params.push({ name: `${n.name}/gamma`, variable: t[0], kind: "norm", binary: false });
        params.push({ name: `${n.name}/beta`, variable: t[1], kind: "norm", binary: false });
      }
    }
    this.params = params;
    this.name = `ConvBNN ${ch.join("-")} k${k}`;
  }

  /** Logits of a batch `[N, H, W, C]` (or `[N, H·W·C]`, reshaped). */
  logits(x: tf.Tensor, options: { training: boolean }): tf.Tensor2D {
    const [h, w, c] = this.inputShape;
    let y: tf.Tensor4D = x.rank === 4 ? (x as tf.Tensor4D) : tf.reshape(x, [-1, h, w, c]);
    for (let i = 0; i < this.convs.length; i++) {
      y = this.convs[i].apply(y);
      y = avgPool2x2(y);
      y = this.norms[i].apply(y, options) as tf.Tensor4D;
      y = signSte(y);
    }
    const flat = tf.reshape(y, [y.shape[0], -1]) as tf.Tensor2D;
    return this.norms[this.convs.length].apply(this.fc.apply(flat), options) as tf.Tensor2D;
  }
}

/** The MNIST→USPS network of Fig. 4c (`channels` 1-12-20-30) or 4d (1-10-15-20), kernel 4. */
export function convBnnUsps(options: ConvBnnOptions): ConvBnn {
  return new ConvBnn(options);
}
