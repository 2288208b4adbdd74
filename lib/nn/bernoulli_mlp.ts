/**
 * The binary Bayesian MLP of BiMU (Cottart et al. 2026) and its BayesBiNN twin: layers of
 * {@linkcode BernoulliDense} weights without bias, each followed by a non-affine
 * {@linkcode layerNorm} (the last one too), a binary activation after the hidden layers.
 *
 * Forward and backward run on Float32Arrays with `sgemm` (OpenBLAS once the engine is up): the K
 * Monte-Carlo weight samples of the input layer are stacked into one `in × (K·out)` matrix, so
 * the whole first layer of all samples is a single GEMM. At batch 1 and τ = 1 (the protocol of
 * BiMU and BayesBiNN) the input layer instead samples, multiplies and keeps its chain factors in
 * one fused pass: the WebAssembly SIMD kernel of `backend/bernoulli_simd.ts` (float32, like the
 * JAX reference), or a scalar loop with `simd: false` or without WebAssembly SIMD.
 *
 * Training loss (the reference's): `C = −Σ_b (1/K) Σ_k log softmax(f(x_b; w̃_k))[y_b]` — summed over
 * the batch, averaged over K relaxed samples that are shared by the whole batch. Gradients reach
 * λ through the relaxation (`∂w̃/∂λ = (1 − w̃²)/τ`); `gradient: "mean"` returns instead BayesBiNN's
 * mean-parameter gradient `∂C/∂m`, with the reference's `(1 − w̃² + 1e−7)/(τ(1 − m² + 1e−7))`.
 * Inference uses K hard ±1 samples, shared by all inputs of one call.
 *
 * @example
 * ```ts
 * import { BernoulliMlp } from "./bernoulli_mlp.ts";
 * import { Rng } from "../rng.ts";
 * const net = new BernoulliMlp({ sizes: [4, 8, 3], rng: new Rng(0) });
 * const x = new Float32Array([0.5, -1, 2, 0]);
 * const { loss, grads } = net.lossAndGradient(x, new Int32Array([2]), { samples: 5, rng: new Rng(1) });
 * const logits = net.forward(x, { samples: 10, rng: new Rng(2) }); // 10 × 1 × 3
 * ```
 * @module
 */
import type { Rng } from "../rng.ts";
import { sgemm } from "../backend/gemm.ts";
import { BernoulliInputKernel } from "../backend/bernoulli_simd.ts";
import { BernoulliDense, type RelaxedForward } from "./bernoulli_dense.ts";
import { type GateActivation, gateActivationByName, reverseBinaryGate } from "./binary_gate.ts";
import { layerNorm, layerNormBackward, type LayerNormCache } from "./layer_norm.ts";

/** Options of {@linkcode BernoulliMlp}. */
export interface BernoulliMlpOptions {
  /** Layer sizes, input first, e.g. `[784, 100, 10]`. */
  sizes: number[];
  /** Activation after hidden layers (default the reverse binary gate). */
  activation?: GateActivation | string;
  /** Gumbel-softmax temperature τ (default 1). */
  tau?: number;
  /** λ initialisation (default `"uniform"`, U(±1/√fan_in)); BayesBiNN's layer uses `"zero"`. */
  init?: "uniform" | "zero";
  /** Generator for the initial λ. */
  rng?: Rng;
  /** LayerNorm epsilon (default 1e-5). */
  eps?: number;
  /**
   * Use the WebAssembly SIMD input-layer kernel at batch 1 where it can run (default true). Off,
   * the scalar fused path runs; the two draw the same noise and differ by float32 rounding.
   */
  simd?: boolean;
}

/** `"lambda"`: ∂C/∂λ (BiMU). `"mean"`: ∂C/∂m, m = tanh λ, as coded for BayesBiNN. */
export type BernoulliGradient = "lambda" | "mean";

/** Options of {@linkcode BernoulliMlp.lossAndGradient}. */
export interface BernoulliLossOptions {
  /** Monte-Carlo samples K (shared by the batch). */
  samples: number;
  /** Noise generator. */
  rng: Rng;
  /** Which gradient to return (default `"lambda"`). */
  gradient?: BernoulliGradient;
  /** Per-row weights of the loss (e.g. 0 for rows whose label was not queried); default all 1. */
  rowWeights?: ArrayLike<number>;
  /** Output buffers, one per layer (overwritten). */
  grads?: Float32Array[];
}

/** Result of {@linkcode BernoulliMlp.lossAndGradient}. */
export interface BernoulliLossResult {
  /** Summed (over the batch) MC-averaged negative log-likelihood, in nats. */
  loss: number;
  /** Gradient per layer (`in × out`), of the kind requested. */
  grads: Float32Array[];
  /** Relaxed-sample logits after the final LayerNorm, `K × B × classes`. */
  logits: Float32Array;
}

/** Options of {@linkcode BernoulliMlp.forward}. */
export interface BernoulliForwardOptions {
  /** Monte-Carlo samples K (default 1). */
  samples?: number;
  /** Noise generator. */
  rng: Rng;
  /** `"hard"`: ±1 Bernoulli samples (default, inference). `"relaxed"`: Gumbel samples. */
  mode?: "hard" | "relaxed";
  /** Rows per GEMM block (default 500, the reference's test batch). */
  chunk?: number;
}

/** A binary Bayesian MLP: `BernoulliDense → LayerNorm → activation → … → BernoulliDense → LayerNorm`. */
export class BernoulliMlp {
  /** Layer sizes, input first. */
  readonly sizes: number[];
  /** The layers (λ lives in `layers[l].lambda`). */
  readonly layers: BernoulliDense[];
  /** Hidden activation. */
  readonly activation: GateActivation;
  /** Gumbel temperature. */
  readonly tau: number;
  /** LayerNorm epsilon. */
  readonly eps: number;
  /** Whether the SIMD input-layer kernel is used at batch 1. */
  readonly simd: boolean;

  /** Builds the network; λ initialised as `options.init` says. */
  constructor(options: BernoulliMlpOptions) {
    const { sizes } = options;
    if (
      !Array.isArray(sizes) || sizes.length < 2 ||
      sizes.some((s) => !(Number.isInteger(s) && s >= 1))
    ) {
      throw new RangeError(
        `sizes must list at least two positive integers, got ${JSON.stringify(sizes)}`,
      );
    }
    this.sizes = sizes.slice();
    this.tau = options.tau ?? 1;
    if (!(this.tau > 0)) throw new RangeError(`tau must be > 0, got ${this.tau}`);
    this.eps = options.eps ?? 1e-5;
    this.simd = options.simd ?? true;
    const act = options.activation ?? reverseBinaryGate;
    this.activation = typeof act === "string" ? gateActivationByName(act) : act;
    this.layers = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      this.layers.push(
        new BernoulliDense(sizes[l], sizes[l + 1], { rng: options.rng, init: options.init }),
      );
    }
  }

  /** The λ buffers, one per layer (the optimizer's parameters; modified in place by it). */
  params(): Float32Array[] {
    return this.layers.map((l) => l.lambda);
  }

  /** Number of classes (last size). */
  get classes(): number {
    return this.sizes[this.sizes.length - 1];
  }

  /** Bytes of stored state (λ only, float32). */
  footprintBytes(): number {
    return this.layers.reduce((s, l) => s + l.footprintBytes(), 0);
  }

  /** Copies λ of every layer (for checkpoints). */
  getState(): Float32Array[] {
    return this.layers.map((l) => Float32Array.from(l.lambda));
  }

  /** Restores λ from {@linkcode BernoulliMlp.getState}. */
  setState(state: readonly Float32Array[]): void {
    if (state.length !== this.layers.length) {
      throw new RangeError(`state has ${state.length} layers, the network ${this.layers.length}`);
    }
    state.forEach((s, l) => {
      if (s.length !== this.layers[l].lambda.length) {
        throw new RangeError(
          `layer ${l}: state has ${s.length} values, expected ${this.layers[l].lambda.length}`,
        );
      }
      this.layers[l].lambda.set(s);
    });
  }

  /** Buffers of the scalar fused input layer, reused across updates (1.5 MB for 784-100 at K = 5). */
  private firstLayerBuffers(
    K: number,
  ): { mean: Float32Array; slope: Float32Array; z: Float32Array } {
    const layer = this.layers[0];
    const n = K * layer.inDim * layer.outDim;
    if (!this.work || this.work.slope.length !== n) {
      this.work = {
        mean: new Float32Array(layer.lambda.length),
        slope: new Float32Array(n),
        z: new Float32Array(K * layer.outDim),
      };
    }
    layer.mean(this.work.mean);
    return this.work;
  }

  private work?: { mean: Float32Array; slope: Float32Array; z: Float32Array };

  /** The SIMD input-layer kernel for K samples, or null where it cannot or should not run. */
  private inputKernel(K: number): BernoulliInputKernel | null {
    if (!this.simd) return null;
    if (this.kernel === undefined || (this.kernel && this.kernel.samples !== K)) {
      const layer = this.layers[0];
      this.kernel = BernoulliInputKernel.create(layer.inDim, layer.outDim, K);
    }
    return this.kernel;
  }

  private kernel?: BernoulliInputKernel | null;

  private checkInput(x: Float32Array, rows: number): void {
    if (x.length !== rows * this.sizes[0]) {
      throw new RangeError(
        `input has ${x.length} values, expected ${rows} rows × ${this.sizes[0]} features`,
      );
    }
  }

  /**
   * Runs K samples of the network on `x` (`n × in`) and returns the logits after the final
   * LayerNorm, `K × n × classes` (sample-major, as `predictiveUncertainty` takes them).
   */
  forward(x: Float32Array, options: BernoulliForwardOptions): Float32Array {
    const K = options.samples ?? 1;
    const d0 = this.sizes[0];
    const n = x.length / d0;
    if (!Number.isInteger(n) || n < 1) {
      throw new RangeError(`input of ${x.length} values is not n × ${d0}`);
    }
    const C = this.classes;
    const mode = options.mode ?? "hard";
    const weights = this.layers.map((layer, l) => {
      const layout = l === 0 ? "stacked" : "per-sample";
      return mode === "hard"
        ? layer.sampleHard(K, options.rng, { layout })
        : layer.sampleRelaxed(K, options.rng, { layout, tau: this.tau }).w;
    });
    const out = new Float32Array(K * n * C);
    const chunk = Math.max(1, Math.floor(options.chunk ?? 500));
    for (let start = 0; start < n; start += chunk) {
      const B = Math.min(chunk, n - start);
      const xs = x.subarray(start * d0, (start + B) * d0);
      const { acts } = this.forwardSampled(xs, B, K, weights);
      const logits = acts[acts.length - 1];
      for (let k = 0; k < K; k++) {
        out.set(logits.subarray(k * B * C, (k + 1) * B * C), (k * n + start) * C);
      }
    }
    return out;
  }

  /**
   * Forward pass with given sampled weights (`weights[0]` stacked `in × (K·out)`, others
   * per-sample; `weights[0]` is unused when the first pre-activations `z0` are given). Returns
   * per-layer LayerNorm caches and activations, all `K × B × d` (sample-major).
   */
  private forwardSampled(
    x: Float32Array,
    B: number,
    K: number,
    weights: Float32Array[],
    z0?: Float32Array,
  ): { acts: Float32Array[]; lns: LayerNormCache[] } {
    const L = this.layers.length;
    const acts: Float32Array[] = []; // acts[l] = input of layer l+1 (post-activation), last = logits
    const lns: LayerNormCache[] = [];
    for (let l = 0; l < L; l++) {
      const din = this.sizes[l], dout = this.sizes[l + 1];
      let z: Float32Array;
      if (l === 0 && z0) {
        z = z0; // computed by the fused batch-1 pass
      } else if (l === 0) {
        const zs = new Float32Array(B * K * dout);
        sgemm(false, false, B, K * dout, din, 1, x, weights[0], 0, zs);
        z = B === 1 ? zs : stackedToPerSample(zs, B, K, dout);
      } else {
        z = new Float32Array(K * B * dout);
        const a = acts[l - 1];
        for (let k = 0; k < K; k++) {
          sgemm(
            false,
            false,
            B,
            dout,
            din,
            1,
            a.subarray(k * B * din, (k + 1) * B * din),
            weights[l].subarray(k * din * dout, (k + 1) * din * dout),
            0,
            z.subarray(k * B * dout, (k + 1) * B * dout),
          );
        }
      }
      const ln = layerNorm(z, { rows: K * B, dim: dout, eps: this.eps, out: z });
      lns.push(ln);
      if (l < L - 1) {
        const a = new Float32Array(K * B * dout);
        this.activation.forward(ln.y, a);
        acts.push(a);
      } else {
        acts.push(ln.y);
      }
    }
    return { acts, lns };
  }

  /**
   * MC loss of a labelled batch `x` (`B × in`), `y` (B labels) under K relaxed samples, and its
   * gradient per layer.
   */
  lossAndGradient(
    x: Float32Array,
    y: ArrayLike<number>,
    options: BernoulliLossOptions,
  ): BernoulliLossResult {
    const B = y.length;
    if (B < 1) throw new RangeError("lossAndGradient needs at least one labelled row");
    this.checkInput(x, B);
    const K = options.samples;
    if (!(Number.isInteger(K) && K >= 1)) {
      throw new RangeError(`samples must be a positive integer, got ${K}`);
    }
    const C = this.classes;
    for (let b = 0; b < B; b++) {
      if (!(Number.isInteger(y[b]) && y[b] >= 0 && y[b] < C)) {
        throw new RangeError(`label ${y[b]} at row ${b} is outside 0..${C - 1}`);
      }
    }
    const rw = options.rowWeights;
    if (rw && rw.length !== B) {
      throw new RangeError(`rowWeights has ${rw.length} entries for ${B} rows`);
    }
    const kind = options.gradient ?? "lambda";
    const L = this.layers.length;
    const tau = this.tau;
    // batch 1 at τ = 1 (the BiMU/BayesBiNN protocol): the input layer samples, multiplies and
    // keeps its chain factors in one fused pass; the same noise as the general path is drawn
    const fused = B === 1 && tau === 1;
    const kernel = fused ? this.inputKernel(K) : null;
    const first: RelaxedForward | null = fused && !kernel
      ? this.layers[0].relaxedForward(x, K, options.rng, this.firstLayerBuffers(K))
      : null;
    const z0 = kernel
      ? Float32Array.from(kernel.forward(this.layers[0].lambda, x, options.rng))
      : first?.z;
    const samples = this.layers.map((layer, l) =>
      fused && l === 0
        ? null
        : layer.sampleRelaxed(K, options.rng, { layout: l === 0 ? "stacked" : "per-sample", tau })
    );
    const { acts, lns } = this.forwardSampled(
      x,
      B,
      K,
      samples.map((s) => s?.w ?? EMPTY),
      z0,
    );

    // loss and dC/dlogits = (softmax − onehot)·weight/K
    const logits = acts[L - 1];
    let dY: Float32Array = new Float32Array(K * B * C);
    let loss = 0;
    for (let k = 0; k < K; k++) {
      for (let b = 0; b < B; b++) {
        const o = (k * B + b) * C;
        const wgt = rw ? rw[b] : 1;
        let mx = -Infinity;
        for (let c = 0; c < C; c++) if (logits[o + c] > mx) mx = logits[o + c];
        let s = 0;
        for (let c = 0; c < C; c++) s += Math.exp(logits[o + c] - mx);
        const lse = mx + Math.log(s);
        loss -= (wgt * (logits[o + y[b]] - lse)) / K;
        for (let c = 0; c < C; c++) {
          dY[o + c] = (wgt * (Math.exp(logits[o + c] - lse) - (c === y[b] ? 1 : 0))) / K;
        }
      }
    }
    if (!Number.isFinite(loss)) {
      throw new RangeError(`loss is ${loss}: check the input for NaN/Inf`);
    }

    const grads = options.grads ?? this.layers.map((l) => new Float32Array(l.lambda.length));
    if (grads.length !== L) {
      throw new RangeError(`grads has ${grads.length} buffers for ${L} layers`);
    }
    for (let l = L - 1; l >= 0; l--) {
      const din = this.sizes[l], dout = this.sizes[l + 1];
      const g = grads[l];
      if (g.length !== din * dout) {
        throw new RangeError(`grads[${l}] has ${g.length} values, expected ${din * dout}`);
      }
      const dZ = layerNormBackward(dY, lns[l], { out: dY });
      if (kernel && l === 0) {
        kernel.gradient(dZ, g, { byMean: kind === "mean" });
        continue;
      }
      if (first && l === 0) {
        inputGradient1(x, dZ, first, g, { K, din, dout, tau, kind });
        continue;
      }
      const { w, mean } = samples[l] as NonNullable<typeof samples[number]>;
      if (l === 0) {
        const dzs = perSampleToStacked(dZ, B, K, dout);
        const G = new Float32Array(din * K * dout);
        sgemm(true, false, din, K * dout, B, 1, x, dzs, 0, G);
        reduceSamples(G, w, mean, g, { K, din, dout, tau, kind, layout: "stacked" });
      } else {
        const a = acts[l - 1];
        const G = new Float32Array(K * din * dout);
        const dA = new Float32Array(K * B * din);
        for (let k = 0; k < K; k++) {
          const ak = a.subarray(k * B * din, (k + 1) * B * din);
          const dzk = dZ.subarray(k * B * dout, (k + 1) * B * dout);
          const wk = w.subarray(k * din * dout, (k + 1) * din * dout);
          sgemm(
            true,
            false,
            din,
            dout,
            B,
            1,
            ak,
            dzk,
            0,
            G.subarray(k * din * dout, (k + 1) * din * dout),
          );
          sgemm(
            false,
            true,
            B,
            din,
            dout,
            1,
            dzk,
            wk,
            0,
            dA.subarray(k * B * din, (k + 1) * B * din),
          );
        }
        reduceSamples(G, w, mean, g, { K, din, dout, tau, kind, layout: "per-sample" });
        this.activation.backward(lns[l - 1].y, dA);
        dY = dA;
      }
    }
    return { loss, grads, logits };
  }
}

interface ReduceShape {
  K: number;
  din: number;
  dout: number;
  tau: number;
  kind: BernoulliGradient;
}

/** `∂w̃/∂λ` or (BayesBiNN) `∂w̃/∂m` from a relaxed weight and its mean. */
function chainFactor(wt: number, m: number, tau: number, kind: BernoulliGradient): number {
  return kind === "lambda"
    ? (1 - wt * wt) / tau
    : (1 - wt * wt + 1e-7) / (tau * (1 - m * m + 1e-7));
}

/** g[i,o] = Σ_k G_k[i,o]·∂w̃_k[i,o] for the per-sample or stacked layout of G and w̃. */
function reduceSamples(
  G: Float32Array,
  w: Float32Array,
  mean: Float32Array,
  g: Float32Array,
  shape: ReduceShape & { layout: "stacked" | "per-sample" },
): void {
  const { K, din, dout, tau, kind, layout } = shape;
  g.fill(0);
  for (let i = 0; i < din; i++) {
    for (let k = 0; k < K; k++) {
      const base = layout === "stacked" ? (i * K + k) * dout : (k * din + i) * dout;
      const gb = i * dout;
      for (let o = 0; o < dout; o++) {
        g[gb + o] += G[base + o] * chainFactor(w[base + o], mean[gb + o], tau, kind);
      }
    }
  }
}

/**
 * Batch-1 input layer from the fused forward pass: `g[i,o] = x[i]·Σ_k dz_k[o]·∂w̃_k[i,o]`, with
 * `∂w̃/∂λ = slope/τ`, or BayesBiNN's `∂w̃/∂m = (slope + 1e−7)/(τ(1 − m² + 1e−7))` whose common
 * denominator is applied once per weight.
 */
function inputGradient1(
  x: Float32Array,
  dz: Float32Array,
  fwd: RelaxedForward,
  g: Float32Array,
  shape: ReduceShape,
): void {
  const { K, din, dout, tau, kind } = shape;
  const { slope, mean } = fwd;
  const KO = K * dout;
  const eps = kind === "lambda" ? 0 : 1e-7;
  for (let i = 0; i < din; i++) {
    const xi = x[i], gb = i * dout, sb = i * KO;
    for (let o = 0; o < dout; o++) g[gb + o] = 0;
    if (xi === 0) continue;
    for (let k = 0; k < K; k++) {
      const kb = sb + k * dout, db = k * dout;
      for (let o = 0; o < dout; o++) g[gb + o] += dz[db + o] * (slope[kb + o] + eps);
    }
    if (kind === "lambda") {
      const c = xi / tau;
      for (let o = 0; o < dout; o++) g[gb + o] *= c;
    } else {
      for (let o = 0; o < dout; o++) {
        const m = mean[gb + o];
        g[gb + o] *= xi / (tau * (1 - m * m + 1e-7));
      }
    }
  }
}

/** Placeholder for the input layer's weights when the fused pass replaces them. */
const EMPTY = new Float32Array(0);

/** (B × K·d) → (K × B × d). */
function stackedToPerSample(zs: Float32Array, B: number, K: number, d: number): Float32Array {
  const z = new Float32Array(K * B * d);
  for (let b = 0; b < B; b++) {
    for (let k = 0; k < K; k++) {
      z.set(zs.subarray((b * K + k) * d, (b * K + k + 1) * d), (k * B + b) * d);
    }
  }
  return z;
}

/** (K × B × d) → (B × K·d). */
function perSampleToStacked(z: Float32Array, B: number, K: number, d: number): Float32Array {
  const zs = new Float32Array(B * K * d);
  for (let k = 0; k < K; k++) {
    for (let b = 0; b < B; b++) {
      zs.set(z.subarray((k * B + b) * d, (k * B + b + 1) * d), (b * K + k) * d);
    }
  }
  return zs;
}
