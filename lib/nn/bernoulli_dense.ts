/**
 * Mean-field Bernoulli binary weights: each weight `w ∈ {−1, +1}` has `q(w = +1) = sigmoid(2λ)`,
 * so `E[w] = tanh λ` and `Var[w] = sech² λ`. Only λ is stored.
 *
 * Training uses the Gumbel-softmax (concrete) relaxation of BayesBiNN and BiMU:
 * `w̃ = tanh((λ + ½·logit ε)/τ)`, `ε ~ U(0, 1)`. With `u = 2ε − 1 ~ U(−1, 1)` one has
 * `tanh(½·logit ε) = u`, hence for `τ = 1` the exact, transcendental-free form
 * `w̃ = (m + u)/(1 + m·u)` with `m = tanh λ` (used here: one `tanh` per weight, not per sample).
 * In general `w̃ = tanh((λ + atanh u)/τ)`. Hard samples are `w = sign(m + u)`, the `τ → 0` limit of
 * the same noise, which has `P(w = +1) = (1 + m)/2 = sigmoid(2λ)`.
 *
 * Layout: λ of a layer is `in × out`, row-major (like a tfjs Dense kernel), so that sampled
 * weights of K Monte-Carlo samples can be stacked into one `in × (K·out)` matrix and the input
 * layer of all samples computed with one GEMM.
 *
 * @example
 * ```ts
 * import { BernoulliDense } from "./bernoulli_dense.ts";
 * import { Rng } from "../rng.ts";
 * const layer = new BernoulliDense(4, 3, { rng: new Rng(0) });
 * const w = layer.sampleHard(2, new Rng(1)); // 2 samples, stacked 4 × (2·3), entries ±1
 * ```
 * @module
 */
import type { Rng } from "../rng.ts";
import { tanhF32 } from "../fast_tanh.ts";

/** Options of {@linkcode BernoulliDense}. */
export interface BernoulliDenseOptions {
  /** Generator for the initial λ (needed unless `init` is `"zero"` or `lambda` is given). */
  rng?: Rng;
  /**
   * `"uniform"`: λ ~ U(±1/√in) (Equinox `Linear` default, BiMU). `"zero"`: λ = 0 (BayesBiNN
   * layer of the BiMU repository). Default `"uniform"`.
   */
  init?: "uniform" | "zero";
  /** Initial λ (`in × out`), copied. */
  lambda?: Float32Array;
}

/** Where relaxed samples land: the stacked `in × (K·out)` layout or per-sample `K × in × out`. */
export type SampleLayout = "stacked" | "per-sample";

/** Options of {@linkcode BernoulliDense.sampleRelaxed}. */
export interface RelaxedSampleOptions {
  /** Gumbel-softmax temperature τ (default 1). */
  tau?: number;
  /** Output layout (default `"stacked"`). */
  layout?: SampleLayout;
  /** Output buffer of `K·in·out` values. */
  out?: Float32Array;
  /** `tanh λ` if the caller already has it (saves one `tanh` per weight). */
  mean?: Float32Array;
}

/** A relaxed sample and what its gradient needs. */
export interface RelaxedSample {
  /** Relaxed weights `w̃`, `K·in·out` values in the requested layout. */
  w: Float32Array;
  /** `m = tanh λ`, `in × out`. */
  mean: Float32Array;
  /** Number of samples K. */
  samples: number;
  /** Layout of `w`. */
  layout: SampleLayout;
  /** Temperature used. */
  tau: number;
}

/** `sigmoid(2λ)`, the probability that a weight is +1. */
export function probPlus(lambda: number): number {
  return 1 / (1 + Math.exp(-2 * lambda));
}

/**
 * One relaxed weight from its λ and the noise `u = 2ε − 1 ∈ (−1, 1)`:
 * `tanh((λ + atanh u)/τ)`, i.e. `tanh((λ + ½·logit ε)/τ)`.
 */
export function relaxedWeight(lambda: number, u: number, options: { tau?: number } = {}): number {
  const tau = options.tau ?? 1;
  if (tau === 1) {
    const m = Math.tanh(lambda);
    return (m + u) / (1 + m * u);
  }
  return Math.tanh((lambda + Math.atanh(u)) / tau);
}

/**
 * Closed-form mean of the τ = 1 relaxed weight: `E[w̃] = (m − λ(1 − m²))/m²` with `m = tanh λ`
 * (0 at λ = 0). The relaxation shrinks the mean towards 0 compared with `E[w] = m` (derived).
 */
export function relaxedWeightMean(lambda: number): number {
  if (Math.abs(lambda) < 1e-4) return (2 / 3) * lambda; // series: (2/3)λ + O(λ³)
  const m = Math.tanh(lambda);
  return (m - lambda * (1 - m * m)) / (m * m);
}

/** Uniform noise on (−1, 1), never exactly ±1 (the reference clips ε to [1e-10, 1 − 1e-10]). */
export function fillSignedUniform(rng: Rng, out: Float32Array): Float32Array {
  for (let i = 0; i < out.length; i++) out[i] = signedUniform(rng);
  return out;
}

/** One draw of U(−1, 1), strictly inside the interval in float32. */
function signedUniform(rng: Rng): number {
  return signedFromU32(rng.nextU32());
}

/** `(k + 0.5)/2³¹ − 1` for a raw 32-bit draw k: symmetric about 0, clipped so float32 never rounds to ±1. */
function signedFromU32(k: number): number {
  const v = (k + 0.5) * 4.656612873077393e-10 - 1; // × 2⁻³¹, exact
  return v > 0.99999994 ? 0.99999994 : v < -0.99999994 ? -0.99999994 : v;
}

/** Options of {@linkcode BernoulliDense.relaxedForward}. */
export interface RelaxedForwardOptions {
  /** `tanh λ` if the caller already has it. */
  mean?: Float32Array;
  /** Output buffer for the pre-activations, `K × out`. */
  z?: Float32Array;
  /** Output buffer for the chain factors `1 − w̃²`, `in × (K·out)` (stacked). */
  slope?: Float32Array;
}

/** Result of {@linkcode BernoulliDense.relaxedForward}. */
export interface RelaxedForward {
  /** Pre-activations `x·w̃_k`, `K × out`. */
  z: Float32Array;
  /** `∂w̃/∂λ = 1 − w̃²` of every sampled weight, `in × (K·out)` (stacked layout). */
  slope: Float32Array;
  /** `m = tanh λ`, `in × out`. */
  mean: Float32Array;
}

/** A dense layer of Bernoulli binary weights without bias, parameterised by λ (`in × out`). */
export class BernoulliDense {
  /** Input features. */
  readonly inDim: number;
  /** Output features. */
  readonly outDim: number;
  /** Natural parameters λ, `in × out` row-major (the only stored state). */
  readonly lambda: Float32Array;

  /** A layer of `inDim × outDim` Bernoulli weights. */
  constructor(inDim: number, outDim: number, options: BernoulliDenseOptions = {}) {
    if (!(Number.isInteger(inDim) && inDim >= 1 && Number.isInteger(outDim) && outDim >= 1)) {
      throw new RangeError(`BernoulliDense needs positive integer sizes, got ${inDim} × ${outDim}`);
    }
    this.inDim = inDim;
    this.outDim = outDim;
    const n = inDim * outDim;
    if (options.lambda) {
      if (options.lambda.length !== n) {
        throw new RangeError(
          `lambda has ${options.lambda.length} values, expected ${inDim} × ${outDim}`,
        );
      }
      this.lambda = Float32Array.from(options.lambda);
    } else if ((options.init ?? "uniform") === "zero") {
      this.lambda = new Float32Array(n);
    } else {
      if (!options.rng) throw new RangeError("BernoulliDense with uniform init needs options.rng");
      const lim = 1 / Math.sqrt(inDim);
      this.lambda = options.rng.fillUniform(new Float32Array(n), -lim, lim);
    }
  }

  /** `tanh λ` (the mean weight, to float32 accuracy: {@linkcode tanhF32}), into `out` if given. */
  mean(out: Float32Array = new Float32Array(this.lambda.length)): Float32Array {
    const l = this.lambda;
    for (let i = 0; i < l.length; i++) out[i] = tanhF32(l[i]);
    return out;
  }

  /** `sigmoid(2λ)` for every weight (for the p(w = +1) histograms). */
  probPlus(): Float32Array {
    const l = this.lambda, p = new Float32Array(l.length);
    for (let i = 0; i < l.length; i++) p[i] = probPlus(l[i]);
    return p;
  }

  /**
   * K relaxed (Gumbel-softmax) weight samples. `"stacked"` layout: `in × (K·out)`, entry
   * `[i, k·out + o]`; `"per-sample"`: `K × in × out`.
   */
  sampleRelaxed(samples: number, rng: Rng, options: RelaxedSampleOptions = {}): RelaxedSample {
    const tau = options.tau ?? 1;
    if (!(tau > 0)) throw new RangeError(`temperature must be > 0, got ${tau}`);
    const layout = options.layout ?? "stacked";
    const { inDim, outDim } = this;
    const n = inDim * outDim;
    const m = options.mean ?? this.mean();
    const w = checkOut(options.out, samples * n, "sampleRelaxed");
    const rowStride = layout === "stacked" ? samples * outDim : outDim;
    const draws = new Uint32Array(outDim);
    for (let i = 0; i < inDim; i++) {
      const mb = i * outDim;
      for (let k = 0; k < samples; k++) {
        const base = layout === "stacked" ? i * rowStride + k * outDim : k * n + i * outDim;
        if (tau === 1) {
          rng.fillU32(draws);
          for (let o = 0; o < outDim; o++) {
            const mm = m[mb + o], uu = signedFromU32(draws[o]);
            w[base + o] = (mm + uu) / (1 + mm * uu);
          }
        } else {
          for (let o = 0; o < outDim; o++) {
            w[base + o] = Math.tanh((this.lambda[mb + o] + Math.atanh(signedUniform(rng))) / tau);
          }
        }
      }
    }
    return { w, mean: m, samples, layout, tau };
  }

  /**
   * The batch-1 training forward pass at τ = 1, fused: draws the same K relaxed samples as
   * {@linkcode BernoulliDense.sampleRelaxed} (same noise, same order) but never stores them. It
   * accumulates `z_k = x·w̃_k` while sampling and keeps only `1 − w̃²`, all the input layer's
   * backward pass needs. One pass over the weights instead of sample, GEMM and gradient passes.
   */
  relaxedForward(
    x: Float32Array,
    samples: number,
    rng: Rng,
    options: RelaxedForwardOptions = {},
  ): RelaxedForward {
    const { inDim, outDim } = this;
    if (x.length !== inDim) {
      throw new RangeError(`relaxedForward: input has ${x.length} values, expected ${inDim}`);
    }
    const KO = samples * outDim;
    const m = options.mean ?? this.mean();
    const slope = checkOut(options.slope, inDim * KO, "relaxedForward");
    const acc = new Float64Array(KO);
    const draws = new Uint32Array(KO);
    for (let i = 0; i < inDim; i++) {
      rng.fillU32(draws); // row i's K·out draws, in sampleRelaxed's order (k-major)
      const xi = x[i], mb = i * outDim, sb = i * KO;
      for (let k = 0; k < samples; k++) {
        const kb = k * outDim;
        for (let o = 0; o < outDim; o++) {
          const mm = m[mb + o], uu = signedFromU32(draws[kb + o]);
          const wt = (mm + uu) / (1 + mm * uu);
          slope[sb + kb + o] = 1 - wt * wt;
          acc[kb + o] += xi * wt;
        }
      }
    }
    const z = checkOut(options.z, KO, "relaxedForward");
    z.set(acc);
    return { z, slope, mean: m };
  }

  /** K hard samples `w = ±1` with `P(+1) = sigmoid(2λ)`, in the given layout. */
  sampleHard(
    samples: number,
    rng: Rng,
    options: { layout?: SampleLayout; out?: Float32Array; mean?: Float32Array } = {},
  ): Float32Array {
    const layout = options.layout ?? "stacked";
    const { inDim, outDim } = this;
    const n = inDim * outDim;
    const m = options.mean ?? this.mean();
    const w = checkOut(options.out, samples * n, "sampleHard");
    const rowStride = layout === "stacked" ? samples * outDim : outDim;
    const draws = new Uint32Array(outDim);
    for (let i = 0; i < inDim; i++) {
      const mb = i * outDim;
      for (let k = 0; k < samples; k++) {
        const base = layout === "stacked" ? i * rowStride + k * outDim : k * n + i * outDim;
        rng.fillU32(draws);
        for (let o = 0; o < outDim; o++) {
          // P(m + u > 0) = (1 + m)/2 = sigmoid(2λ) for u ~ U(−1, 1)
          w[base + o] = m[mb + o] + (draws[o] + 0.5) / 2147483648 - 1 > 0 ? 1 : -1;
        }
      }
    }
    return w;
  }

  /** Bytes of stored state (λ in float32): the footprint column of the BiMU table. */
  footprintBytes(): number {
    return this.lambda.length * 4;
  }
}

function checkOut(out: Float32Array | undefined, n: number, what: string): Float32Array {
  if (!out) return new Float32Array(n);
  if (out.length !== n) {
    throw new RangeError(`${what}: out has ${out.length} values, expected ${n}`);
  }
  return out;
}
