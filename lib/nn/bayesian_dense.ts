/**
 * Gaussian mean-field Bayesian dense layer (MESU, BGD): each weight has a mean μ and a standard
 * deviation σ, both stored directly (no softplus), as in the MESU reference code.
 *
 * Weights are laid out `inputs × outputs`, row-major, so pre-activations are `z = a·W (+ b)`.
 * The default initialisation is the MESU JAX reference (`bayesianLinear.py`): no bias,
 * μ ~ U(−4/√fan_in, +4/√fan_in), σ = 2/√fan_in.
 *
 * @example
 * ```ts
 * import { BayesianDense } from "./bayesian_dense.ts";
 * import { Rng } from "../rng.ts";
 * const layer = new BayesianDense({ inputs: 784, outputs: 50, rng: new Rng(0) });
 * layer.sigma[0]; // 2/√784 ≈ 0.0714
 * const eps = new Float32Array(layer.size), w = new Float32Array(layer.size);
 * layer.sampleWeights(new Rng(1), eps, w); // w = μ + σ·ε, ε ~ N(0, 1)
 * ```
 * @module
 */
import type { Rng } from "../rng.ts";
import { fillNormalZiggurat } from "./bayesian_noise.ts";

/** Options of {@linkcode BayesianDense}. */
export interface BayesianDenseOptions {
  /** Input width (fan-in). */
  inputs: number;
  /** Output width (fan-out). */
  outputs: number;
  /** Generator for the initial means. */
  rng: Rng;
  /** Whether the layer has a bias (μ and σ too). Default false (MESU JAX reference). */
  bias?: boolean;
  /** Half-width b of the uniform μ initialisation U(−b, b). Default 4/√inputs. */
  muBound?: number;
  /** Initial σ of every weight (and bias). Default 2/√inputs. */
  sigmaInit?: number;
  /** Half-width of the bias μ initialisation. Default `muBound`. */
  biasMuBound?: number;
}

/** Plain-data state of a {@linkcode BayesianDense} (for checkpoints). */
export interface BayesianDenseState {
  /** Weight means, `inputs × outputs`. */
  mu: Float32Array;
  /** Weight standard deviations, `inputs × outputs`. */
  sigma: Float32Array;
  /** Bias means, or null. */
  biasMu: Float32Array | null;
  /** Bias standard deviations, or null. */
  biasSigma: Float32Array | null;
}

function checkWidth(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) {
    throw new RangeError(`${name} must be an integer >= 1, got ${v}`);
  }
}

/** A dense layer with a factorised Gaussian posterior over its weights (and bias). */
export class BayesianDense {
  /** Fan-in. */
  readonly inputs: number;
  /** Fan-out. */
  readonly outputs: number;
  /** Number of weights, `inputs · outputs`. */
  readonly size: number;
  /** Weight means, `inputs × outputs` row-major. */
  readonly mu: Float32Array;
  /** Weight standard deviations (stored directly). */
  readonly sigma: Float32Array;
  /** Bias means (null without bias). */
  readonly biasMu: Float32Array | null;
  /** Bias standard deviations (null without bias). */
  readonly biasSigma: Float32Array | null;

  /** A freshly initialised layer (see {@linkcode BayesianDenseOptions} for the defaults). */
  constructor(options: BayesianDenseOptions) {
    const { inputs, outputs, rng } = options;
    checkWidth("inputs", inputs);
    checkWidth("outputs", outputs);
    this.inputs = inputs;
    this.outputs = outputs;
    this.size = inputs * outputs;
    const bound = options.muBound ?? 4 / Math.sqrt(inputs);
    const s0 = options.sigmaInit ?? 2 / Math.sqrt(inputs);
    if (!(bound >= 0)) throw new RangeError(`muBound must be >= 0, got ${bound}`);
    if (!(s0 >= 0)) throw new RangeError(`sigmaInit must be >= 0, got ${s0}`);
    this.mu = rng.fillUniform(new Float32Array(this.size), -bound, bound);
    this.sigma = new Float32Array(this.size).fill(s0);
    if (options.bias) {
      const bb = options.biasMuBound ?? bound;
      this.biasMu = rng.fillUniform(new Float32Array(outputs), -bb, bb);
      this.biasSigma = new Float32Array(outputs).fill(s0);
    } else {
      this.biasMu = null;
      this.biasSigma = null;
    }
  }

  /** Whether the layer has a bias. */
  get hasBias(): boolean {
    return this.biasMu !== null;
  }

  /**
   * Draws one weight sample: fills `eps` with N(0, 1) noise (ziggurat, `bayesian_noise.ts`) and `w` with μ + σ·ε. With `bias`,
   * also fills `biasEps` and `biasW`.
   */
  sampleWeights(
    rng: Rng,
    eps: Float32Array,
    w: Float32Array,
    bias?: { eps: Float32Array; w: Float32Array },
  ): void {
    if (eps.length !== this.size || w.length !== this.size) {
      throw new RangeError(`sampleWeights needs buffers of ${this.size} values`);
    }
    fillNormalZiggurat(rng, eps);
    const mu = this.mu, sigma = this.sigma;
    for (let i = 0; i < this.size; i++) w[i] = mu[i] + sigma[i] * eps[i];
    if (bias && this.biasMu && this.biasSigma) {
      fillNormalZiggurat(rng, bias.eps);
      for (let j = 0; j < this.outputs; j++) {
        bias.w[j] = this.biasMu[j] + this.biasSigma[j] * bias.eps[j];
      }
    }
  }

  /** The trainable buffers in optimizer order: `[μ, σ]`, then `[μ_b, σ_b]` with a bias. */
  params(): Float32Array[] {
    const p = [this.mu, this.sigma];
    if (this.biasMu && this.biasSigma) p.push(this.biasMu, this.biasSigma);
    return p;
  }

  /** A copy of the layer's state. */
  getState(): BayesianDenseState {
    return {
      mu: this.mu.slice(),
      sigma: this.sigma.slice(),
      biasMu: this.biasMu?.slice() ?? null,
      biasSigma: this.biasSigma?.slice() ?? null,
    };
  }

  /** Restores a state from {@linkcode BayesianDense.getState} (shapes must match). */
  setState(state: BayesianDenseState): void {
    const copy = (name: string, dst: Float32Array | null, src: ArrayLike<number> | null) => {
      if ((dst === null) !== (src === null || src === undefined)) {
        throw new RangeError(
          `state.${name} does not match the layer (bias present on one side only)`,
        );
      }
      if (dst && src) {
        if (src.length !== dst.length) {
          throw new RangeError(`state.${name} has ${src.length} values, the layer ${dst.length}`);
        }
        dst.set(src);
      }
    };
    copy("mu", this.mu, state.mu);
    copy("sigma", this.sigma, state.sigma);
    copy("biasMu", this.biasMu, state.biasMu);
    copy("biasSigma", this.biasSigma, state.biasSigma);
  }
}
