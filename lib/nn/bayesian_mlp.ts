/**
 * A ReLU multilayer perceptron of {@linkcode BayesianDense} layers with the MESU Monte-Carlo
 * loss, its gradients with respect to μ and σ, and Monte-Carlo prediction — all on Float32Arrays
 * with `sgemm` (per-op tensor overhead dominates at the papers' batch size 1).
 *
 * **Loss** (MESU JAX `bayesian_loss_fn`): for K weight samples ω_k = μ + σ⊙ε_k, each shared by the
 * whole minibatch, C = −Σ_b (1/K)Σ_k log softmax(f(x_b; ω_k))_{y_b} — the batch **sum** of the NLL
 * of the sample-mean log-probabilities. Gradients: ∂C/∂μ = (1/K)Σ_k ∇_ω ℓ(ω_k) and
 * ∂C/∂σ = (1/K)Σ_k ∇_ω ℓ(ω_k)⊙ε_k. `reduction: "mean"` divides by the batch size (the references'
 * deterministic baselines); `likelihoodScale` κ multiplies the likelihood (emulates seeing every
 * example κ times).
 *
 * **Local reparameterisation** (Kingma et al. 2015; an explicitly labelled speed/variance option,
 * not the papers' default): pre-activations are sampled per example as N(a·μ, (a⊙a)·(σ⊙σ)).
 *
 * **Deterministic mode** (`deterministic: true`): the same network with point weights (μ only) for
 * the SGD / EWC / SI baselines; `params()` then lists the weight buffers only.
 *
 * @example
 * ```ts
 * import { BayesianMlp } from "./bayesian_mlp.ts";
 * import { Rng } from "../rng.ts";
 * const net = new BayesianMlp({ sizes: [4, 3, 2], rng: new Rng(0) });
 * const x = new Float32Array([1, 0, -1, 0.5]), y = new Int32Array([1]);
 * const { loss, grads } = net.lossAndGrad(x, y, { samples: 4, rng: new Rng(1) });
 * // grads = [∂C/∂μ₁, ∂C/∂σ₁, ∂C/∂μ₂, ∂C/∂σ₂], loss = C
 * ```
 * @module
 */
import { sgemm } from "../backend/gemm.ts";
import { DenseStackMc, type DenseStackParams } from "../backend/dense_stack.ts";
import type { Rng } from "../rng.ts";
import { BayesianDense, type BayesianDenseState } from "./bayesian_dense.ts";
import { fillNormalZiggurat } from "./bayesian_noise.ts";

/** Initialisation presets. */
export type MlpInit =
  /** MESU JAX Bayesian layers: μ ~ U(±4/√fan_in), σ = 2/√fan_in. */
  | "mesu-jax"
  /** djo1996 PyTorch (Hessian figure): μ ~ U(±√(2/fan_in)), σ = 0.5/√fan_out. */
  | "mesu-torch"
  /** Equinox `Linear` (deterministic baselines): U(±1/√fan_in), σ = 0. */
  | "equinox";

/** Options of {@linkcode BayesianMlp}. */
export interface BayesianMlpOptions {
  /** Layer widths, input first, e.g. `[784, 50, 10]`. */
  sizes: number[];
  /** Generator for the initial means. */
  rng: Rng;
  /** Biases on every layer (default false, as the MESU JAX reference). */
  bias?: boolean;
  /** Point weights (μ only) instead of a posterior. Default false. */
  deterministic?: boolean;
  /** Initialisation preset (default `"mesu-jax"`, or `"equinox"` when deterministic). */
  init?: MlpInit;
  /** Overrides the initial σ of every layer. */
  sigmaInit?: number;
}

/** Options of {@linkcode BayesianMlp.lossAndGrad}. */
export interface McLossOptions {
  /** Monte-Carlo weight samples K (ignored, i.e. 1, for a deterministic network). */
  samples: number;
  /** Noise generator (unused by a deterministic network). */
  rng?: Rng;
  /** `"sum"` over the batch (MESU/BGD, default) or `"mean"` (reference SGD baselines). */
  reduction?: "sum" | "mean";
  /** Sample pre-activations per example instead of one weight sample per minibatch. */
  localReparam?: boolean;
  /** Likelihood multiplier κ (default 1). */
  likelihoodScale?: number;
  /**
   * Use the compute engine's fused kernel `DenseStackMc` (`lib/backend/dense_stack.ts`) for the
   * plain weight-sampling path (default true; seeded from `rng`, one 32-bit draw per call). Same
   * semantics, different noise stream than the reference path of this file (`fused: false`).
   */
  fused?: boolean;
}

/** Result of {@linkcode BayesianMlp.lossAndGrad}. */
export interface McLossResult {
  /** The cost C (after reduction and κ). */
  loss: number;
  /**
   * Gradients in `params()` order. The buffers belong to the network and are overwritten by the
   * next call: copy them to keep them.
   */
  grads: Float32Array[];
}

/** Options of {@linkcode BayesianMlp.sampleLogits}. */
export interface SampleLogitsOptions {
  /** Monte-Carlo weight samples K (1 for a deterministic network or with `useMean`). */
  samples: number;
  /** Noise generator (required unless deterministic or `useMean`). */
  rng?: Rng;
  /** Use the mean weights μ (MAP prediction) instead of samples. */
  useMean?: boolean;
  /** Rows per forward chunk (default 1000). */
  chunk?: number;
}

/** Plain-data state of a {@linkcode BayesianMlp}. */
export interface BayesianMlpState {
  /** Layer states, input side first. */
  layers: BayesianDenseState[];
}

const INIT: Record<
  MlpInit,
  { mu: (i: number, o: number) => number; sigma: (i: number, o: number) => number }
> = {
  "mesu-jax": { mu: (i) => 4 / Math.sqrt(i), sigma: (i) => 2 / Math.sqrt(i) },
  "mesu-torch": { mu: (i) => Math.sqrt(2 / i), sigma: (_i, o) => 0.5 / Math.sqrt(o) },
  "equinox": { mu: (i) => 1 / Math.sqrt(i), sigma: () => 0 },
};

interface Scratch {
  rows: number;
  /** Activations a_l (a_0 is a view of the input, so index 0 is unused). */
  a: Float32Array[];
  /** Pre-activations z_l. */
  z: Float32Array[];
  /** Backpropagated δ_l = ∂C/∂z_l. */
  delta: Float32Array[];
  /** Local reparameterisation: a_l², ζ_l, √Δ_l. */
  a2: Float32Array[];
  zeta: Float32Array[];
  sd: Float32Array[];
}

/** A ReLU MLP of Bayesian (or point-weight) dense layers. */
export class BayesianMlp {
  /** The layers, input side first. */
  readonly layers: BayesianDense[];
  /** Layer widths. */
  readonly sizes: number[];
  /** Point weights (μ only). */
  readonly deterministic: boolean;
  private readonly gradBufs: Float32Array[];
  private readonly w: Float32Array[];
  private readonly eps: Float32Array[];
  private readonly gw: Float32Array[];
  private readonly bw: (Float32Array | null)[];
  private readonly beps: (Float32Array | null)[];
  private readonly s2: Float32Array[];
  private scratch: Scratch | null = null;
  private stack: DenseStackMc | null = null;
  private stackParams: DenseStackParams | null = null;

  /** A freshly initialised network. */
  constructor(options: BayesianMlpOptions) {
    const { sizes, rng } = options;
    if (!Array.isArray(sizes) || sizes.length < 2) {
      throw new RangeError(
        `sizes must list at least an input and an output width, got ${JSON.stringify(sizes)}`,
      );
    }
    this.sizes = sizes.slice();
    this.deterministic = options.deterministic ?? false;
    const preset = options.init ?? (this.deterministic ? "equinox" : "mesu-jax");
    const init = INIT[preset];
    if (!init) {
      throw new RangeError(`unknown init "${preset}"; known: ${Object.keys(INIT).join(", ")}`);
    }
    this.layers = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const i = sizes[l], o = sizes[l + 1];
      this.layers.push(
        new BayesianDense({
          inputs: i,
          outputs: o,
          rng,
          bias: options.bias ?? false,
          muBound: init.mu(i, o),
          sigmaInit: this.deterministic ? 0 : options.sigmaInit ?? init.sigma(i, o),
        }),
      );
    }
    this.gradBufs = this.params().map((p) => new Float32Array(p.length));
    this.w = this.layers.map((l) => new Float32Array(l.size));
    this.eps = this.layers.map((l) => new Float32Array(l.size));
    this.gw = this.layers.map((l) => new Float32Array(l.size));
    this.bw = this.layers.map((l) => l.hasBias ? new Float32Array(l.outputs) : null);
    this.beps = this.layers.map((l) => l.hasBias ? new Float32Array(l.outputs) : null);
    this.s2 = this.layers.map((l) => new Float32Array(l.size));
  }

  /** Number of classes (output width). */
  get classes(): number {
    return this.sizes[this.sizes.length - 1];
  }

  /**
   * Trainable buffers: per layer `[μ, σ]` (+ `[μ_b, σ_b]`) for a Bayesian network — the pairing
   * that `mesu` and `bgd` expect — or `[W]` (+ `[b]`) for a deterministic one.
   */
  params(): Float32Array[] {
    const out: Float32Array[] = [];
    for (const l of this.layers) {
      if (this.deterministic) {
        out.push(l.mu);
        if (l.biasMu) out.push(l.biasMu);
      } else out.push(...l.params());
    }
    return out;
  }

  /** Mean of every σ of the network (weights and biases), the quantity of MESU 2025 Fig. 4b. */
  meanSigma(): number {
    let s = 0, n = 0;
    for (const l of this.layers) {
      for (const buf of [l.sigma, l.biasSigma]) {
        if (!buf) continue;
        for (let i = 0; i < buf.length; i++) s += buf[i];
        n += buf.length;
      }
    }
    return n ? s / n : 0;
  }

  /** A copy of the state (for checkpoints). */
  getState(): BayesianMlpState {
    return { layers: this.layers.map((l) => l.getState()) };
  }

  /** Restores a state from {@linkcode BayesianMlp.getState}. */
  setState(state: BayesianMlpState): void {
    if (!state || state.layers?.length !== this.layers.length) {
      throw new RangeError(
        `state has ${state?.layers?.length} layers, the network ${this.layers.length}`,
      );
    }
    state.layers.forEach((s, l) => this.layers[l].setState(s));
  }

  /** Scratch buffers for batches of up to `rows` rows (grown on demand). */
  private ensureScratch(rows: number): Scratch {
    if (this.scratch && this.scratch.rows >= rows) return this.scratch;
    const L = this.layers.length;
    const mk = (w: (l: number) => number) =>
      Array.from({ length: L }, (_, l) => new Float32Array(rows * w(l)));
    this.scratch = {
      rows,
      a: Array.from({ length: L }, (_, l) => new Float32Array(l === 0 ? 0 : rows * this.sizes[l])),
      z: mk((l) => this.sizes[l + 1]),
      delta: mk((l) => this.sizes[l + 1]),
      a2: mk((l) => this.sizes[l]),
      zeta: mk((l) => this.sizes[l + 1]),
      sd: mk((l) => this.sizes[l + 1]),
    };
    return this.scratch;
  }

  /** Throws a clear error for a batch of the wrong size. */
  private checkBatch(x: Float32Array, rows: number): void {
    if (!Number.isInteger(rows) || rows < 1) {
      throw new RangeError(`batch needs >= 1 rows, got ${rows}`);
    }
    if (x.length < rows * this.sizes[0]) {
      throw new RangeError(
        `x has ${x.length} values, ${rows} rows of ${this.sizes[0]} need ${rows * this.sizes[0]}`,
      );
    }
  }

  /** Draws one weight sample per layer into the internal buffers (or copies μ). */
  private drawWeights(rng: Rng | undefined, useMean: boolean): void {
    for (let l = 0; l < this.layers.length; l++) {
      const layer = this.layers[l];
      const bw = this.bw[l], be = this.beps[l];
      if (useMean || this.deterministic) {
        this.w[l].set(layer.mu);
        if (bw && layer.biasMu) bw.set(layer.biasMu);
        continue;
      }
      if (!rng) throw new RangeError("a Bayesian network needs an `rng` to sample weights");
      layer.sampleWeights(rng, this.eps[l], this.w[l], bw && be ? { eps: be, w: bw } : undefined);
    }
  }

  /** Forward of `rows` rows with the weights in `this.w`; returns the logits buffer (z_{L−1}). */
  private forward(x: Float32Array, rows: number, s: Scratch): Float32Array {
    const L = this.layers.length;
    for (let l = 0; l < L; l++) {
      const i = this.sizes[l], o = this.sizes[l + 1];
      const a = l === 0 ? x : s.a[l];
      const z = s.z[l];
      sgemm(false, false, rows, o, i, 1, a, this.w[l], 0, z);
      const bw = this.bw[l];
      if (bw) { for (let r = 0; r < rows; r++) for (let j = 0; j < o; j++) z[r * o + j] += bw[j]; }
      if (l + 1 < L) {
        const next = s.a[l + 1];
        for (let k = 0; k < rows * o; k++) next[k] = z[k] > 0 ? z[k] : 0;
      }
    }
    return s.z[L - 1];
  }

  /** Forward with local reparameterisation (samples ζ per example and unit). */
  private forwardLocal(x: Float32Array, rows: number, s: Scratch, rng: Rng): Float32Array {
    const L = this.layers.length;
    for (let l = 0; l < L; l++) {
      const layer = this.layers[l];
      const i = this.sizes[l], o = this.sizes[l + 1];
      const a = l === 0 ? x : s.a[l];
      const a2 = s.a2[l], z = s.z[l], sd = s.sd[l], zeta = s.zeta[l];
      for (let k = 0; k < rows * i; k++) a2[k] = a[k] * a[k];
      sgemm(false, false, rows, o, i, 1, a, layer.mu, 0, z); // Γ
      sgemm(false, false, rows, o, i, 1, a2, this.s2[l], 0, sd); // Δ
      if (layer.biasMu && layer.biasSigma) {
        for (let r = 0; r < rows; r++) {
          for (let j = 0; j < o; j++) {
            z[r * o + j] += layer.biasMu[j];
            sd[r * o + j] += layer.biasSigma[j] * layer.biasSigma[j];
          }
        }
      }
      const zv = zeta.subarray(0, rows * o);
      fillNormalZiggurat(rng, zv);
      for (let k = 0; k < rows * o; k++) {
        const d = Math.sqrt(sd[k] > 0 ? sd[k] : 0);
        sd[k] = d;
        z[k] += d * zeta[k];
      }
      if (l + 1 < L) {
        const next = s.a[l + 1];
        for (let k = 0; k < rows * o; k++) next[k] = z[k] > 0 ? z[k] : 0;
      }
    }
    return s.z[L - 1];
  }

  /** Softmax NLL of the logits; writes δ = scale·(p − onehot) and returns Σ NLL. */
  private nllDelta(
    logits: Float32Array,
    y: Int32Array,
    rows: number,
    scale: number,
    delta: Float32Array,
  ): number {
    const C = this.classes;
    let nll = 0;
    for (let r = 0; r < rows; r++) {
      const o = r * C;
      const label = y[r];
      if (!(label >= 0 && label < C)) {
        throw new RangeError(`label ${label} of row ${r} is outside 0..${C - 1}`);
      }
      let m = -Infinity;
      for (let c = 0; c < C; c++) if (logits[o + c] > m) m = logits[o + c];
      let sum = 0;
      for (let c = 0; c < C; c++) {
        const e = Math.exp(logits[o + c] - m);
        delta[o + c] = e;
        sum += e;
      }
      nll += Math.log(sum) + m - logits[o + label];
      const inv = scale / sum;
      for (let c = 0; c < C; c++) delta[o + c] *= inv;
      delta[o + label] -= scale;
    }
    if (!Number.isFinite(nll)) {
      throw new RangeError(
        "the loss is not finite: weights diverged (lower the step, or clip it with ratioMax)",
      );
    }
    return nll;
  }

  /**
   * The Monte-Carlo cost C of a minibatch and its gradients (see the module doc).
   *
   * @param x inputs, `rows × sizes[0]` row-major.
   * @param y labels, one per row (the batch size is `y.length`).
   * @param options samples, noise, reduction, local reparameterisation, κ.
   */
  lossAndGrad(x: Float32Array, y: Int32Array, options: McLossOptions): McLossResult {
    const rows = y.length;
    this.checkBatch(x, rows);
    const K = this.deterministic ? 1 : options.samples;
    if (!Number.isInteger(K) || K < 1) {
      throw new RangeError(`samples must be an integer >= 1, got ${K}`);
    }
    const kappa = options.likelihoodScale ?? 1;
    if (!(kappa > 0)) throw new RangeError(`likelihoodScale must be > 0, got ${kappa}`);
    const reduction = options.reduction ?? "sum";
    if (reduction !== "sum" && reduction !== "mean") {
      throw new RangeError(`reduction must be "sum" or "mean", got ${JSON.stringify(reduction)}`);
    }
    const scale = kappa * (reduction === "mean" ? 1 / rows : 1);
    const local = (options.localReparam ?? false) && !this.deterministic;
    const rng = options.rng;
    if (!this.deterministic && !rng) throw new RangeError("a Bayesian network needs options.rng");
    const s = this.ensureScratch(rows);
    for (const g of this.gradBufs) g.fill(0);
    if (local) {
      for (let l = 0; l < this.layers.length; l++) {
        const sg = this.layers[l].sigma, s2 = this.s2[l];
        for (let k = 0; k < sg.length; k++) s2[k] = sg[k] * sg[k];
      }
    }
    if (!local && !this.deterministic && (options.fused ?? true)) {
      return this.fusedLossAndGrad(x, y, K, reduction, kappa, rng!);
    }
    const L = this.layers.length;
    const invK = 1 / K;
    let loss = 0;
    for (let k = 0; k < K; k++) {
      let logits: Float32Array;
      if (local) logits = this.forwardLocal(x, rows, s, rng!);
      else {
        this.drawWeights(rng, false);
        logits = this.forward(x, rows, s);
      }
      loss += this.nllDelta(logits, y, rows, scale, s.delta[L - 1]) * scale;
      let gi = this.gradBufs.length;
      for (let l = L - 1; l >= 0; l--) {
        const layer = this.layers[l];
        const i = this.sizes[l], o = this.sizes[l + 1];
        const a = l === 0 ? x : s.a[l];
        const delta = s.delta[l];
        const hasBias = layer.hasBias;
        const per = this.deterministic ? 1 : 2;
        gi -= per * (hasBias ? 2 : 1);
        const gMu = this.gradBufs[gi];
        const gSigma = this.deterministic ? null : this.gradBufs[gi + 1];
        const gBias = hasBias ? this.gradBufs[gi + per] : null;
        const gBiasSigma = hasBias && !this.deterministic ? this.gradBufs[gi + per + 1] : null;
        if (local) this.backLocal(l, a, rows, s, invK, gMu, gSigma!, gBias, gBiasSigma);
        else {
          const gw = this.gw[l];
          sgemm(true, false, i, o, rows, 1, a, delta, 0, gw);
          if (gSigma) {
            const e = this.eps[l];
            for (let q = 0; q < gw.length; q++) {
              const g = gw[q] * invK;
              gMu[q] += g;
              gSigma[q] += g * e[q];
            }
          } else {
            for (let q = 0; q < gw.length; q++) gMu[q] += gw[q] * invK;
          }
          if (gBias) {
            const be = this.beps[l];
            for (let r = 0; r < rows; r++) {
              for (let j = 0; j < o; j++) {
                const g = delta[r * o + j] * invK;
                gBias[j] += g;
                if (gBiasSigma && be) gBiasSigma[j] += g * be[j];
              }
            }
          }
          if (l > 0) {
            const prev = s.delta[l - 1];
            sgemm(false, true, rows, i, o, 1, delta, this.w[l], 0, prev);
            const zp = s.z[l - 1];
            for (let q = 0; q < rows * i; q++) if (!(zp[q] > 0)) prev[q] = 0;
          }
        }
      }
    }
    return { loss: loss * invK, grads: this.gradBufs };
  }

  /** The weight-sampling path through the engine's fused `DenseStackMc`. */
  private fusedLossAndGrad(
    x: Float32Array,
    y: Int32Array,
    K: number,
    reduction: "sum" | "mean",
    kappa: number,
    rng: Rng,
  ): McLossResult {
    const bias = this.layers[0].hasBias;
    if (!this.stack || this.stack.samples !== K || this.stack.reduction !== reduction) {
      this.stack = new DenseStackMc(this.sizes, { samples: K, seed: 0, bias, reduction });
      const ls = this.layers;
      this.stackParams = {
        mu: ls.map((l) => l.mu),
        sigma: ls.map((l) => l.sigma),
        ...(bias
          ? { biasMu: ls.map((l) => l.biasMu!), biasSigma: ls.map((l) => l.biasSigma!) }
          : {}),
      };
    }
    this.stack.seed(rng.nextU32());
    const g = this.stack.lossAndGrads(
      this.stackParams!,
      x.subarray(0, y.length * this.sizes[0]),
      y,
    );
    if (!Number.isFinite(g.loss)) {
      throw new RangeError(
        "the loss is not finite: weights diverged (lower the step, or clip it with ratioMax)",
      );
    }
    const grads: Float32Array[] = [];
    for (let l = 0; l < this.layers.length; l++) {
      grads.push(g.gradMu[l], g.gradSigma[l]);
      if (bias) grads.push(g.gradBiasMu[l], g.gradBiasSigma[l]);
    }
    if (kappa !== 1) { for (const b of grads) for (let i = 0; i < b.length; i++) b[i] *= kappa; }
    return { loss: g.loss * kappa, grads };
  }

  /** Backward of one layer under local reparameterisation. */
  private backLocal(
    l: number,
    a: Float32Array,
    rows: number,
    s: Scratch,
    invK: number,
    gMu: Float32Array,
    gSigma: Float32Array,
    gBias: Float32Array | null,
    gBiasSigma: Float32Array | null,
  ): void {
    const layer = this.layers[l];
    const i = this.sizes[l], o = this.sizes[l + 1];
    const delta = s.delta[l], zeta = s.zeta[l], sd = s.sd[l];
    // v = δ⊙ζ/√Δ is ∂C/∂Δ·2; reuse the ζ buffer for it.
    for (let k = 0; k < rows * o; k++) zeta[k] = sd[k] > 0 ? delta[k] * zeta[k] / sd[k] : 0;
    const v = zeta;
    sgemm(true, false, i, o, rows, invK, a, delta, 1, gMu);
    const gw = this.gw[l];
    sgemm(true, false, i, o, rows, 1, s.a2[l], v, 0, gw);
    const sg = layer.sigma;
    for (let q = 0; q < gw.length; q++) gSigma[q] += invK * sg[q] * gw[q];
    if (gBias && gBiasSigma && layer.biasSigma) {
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < o; j++) {
          gBias[j] += invK * delta[r * o + j];
          gBiasSigma[j] += invK * layer.biasSigma[j] * v[r * o + j];
        }
      }
    }
    if (l > 0) {
      const prev = s.delta[l - 1];
      sgemm(false, true, rows, i, o, 1, delta, layer.mu, 0, prev);
      // + a ⊙ (v·(σ²)ᵀ): the variance path; gw is free again, use the a² buffer as scratch.
      const tmp = s.a2[l];
      sgemm(false, true, rows, i, o, 1, v, this.s2[l], 0, tmp);
      const zp = s.z[l - 1];
      for (let q = 0; q < rows * i; q++) prev[q] = zp[q] > 0 ? prev[q] + a[q] * tmp[q] : 0;
    }
  }

  /**
   * Sums over the batch of squared **per-example** NLL gradients, Σ_b (∂ℓ_b/∂W)², in `params()`
   * order, for a deterministic network (EWC's empirical Fisher without a per-example loop: for a
   * dense layer Σ_b (a_b ⊗ δ_b)² = (a⊙a)ᵀ(δ⊙δ)). New buffers.
   */
  squaredSampleGrads(x: Float32Array, y: Int32Array): Float32Array[] {
    if (!this.deterministic) {
      throw new RangeError("squaredSampleGrads is for deterministic networks (EWC baselines)");
    }
    const rows = y.length;
    this.checkBatch(x, rows);
    const s = this.ensureScratch(rows);
    this.drawWeights(undefined, true);
    const L = this.layers.length;
    const logits = this.forward(x, rows, s);
    this.nllDelta(logits, y, rows, 1, s.delta[L - 1]);
    const out = this.params().map((p) => new Float32Array(p.length));
    let gi = out.length;
    for (let l = L - 1; l >= 0; l--) {
      const layer = this.layers[l];
      const i = this.sizes[l], o = this.sizes[l + 1];
      const a = l === 0 ? x : s.a[l];
      const delta = s.delta[l];
      gi -= layer.hasBias ? 2 : 1;
      const a2 = s.a2[l], d2 = s.sd[l]; // scratch: a², δ²
      for (let q = 0; q < rows * i; q++) a2[q] = a[q] * a[q];
      for (let q = 0; q < rows * o; q++) d2[q] = delta[q] * delta[q];
      sgemm(true, false, i, o, rows, 1, a2, d2, 0, out[gi]);
      if (layer.hasBias) {
        const gb = out[gi + 1];
        for (let r = 0; r < rows; r++) for (let j = 0; j < o; j++) gb[j] += d2[r * o + j];
      }
      if (l > 0) {
        const prev = s.delta[l - 1];
        sgemm(false, true, rows, i, o, 1, delta, this.w[l], 0, prev);
        const zp = s.z[l - 1];
        for (let q = 0; q < rows * i; q++) if (!(zp[q] > 0)) prev[q] = 0;
      }
    }
    return out;
  }

  /**
   * Monte-Carlo logits laid out `samples × n × classes`: one weight sample per Monte-Carlo draw,
   * shared by all `n` inputs (as the references evaluate).
   *
   * @param x inputs, `n × sizes[0]`.
   * @param n number of rows.
   * @param options samples, noise, MAP mode, chunk size.
   */
  sampleLogits(x: Float32Array, n: number, options: SampleLogitsOptions): Float32Array {
    this.checkBatch(x, n);
    const useMean = options.useMean ?? false;
    const K = this.deterministic || useMean ? 1 : options.samples;
    if (!Number.isInteger(K) || K < 1) {
      throw new RangeError(`samples must be an integer >= 1, got ${K}`);
    }
    const chunk = Math.min(options.chunk ?? 1000, n);
    const s = this.ensureScratch(chunk);
    const C = this.classes, D = this.sizes[0];
    const out = new Float32Array(K * n * C);
    for (let k = 0; k < K; k++) {
      this.drawWeights(options.rng, useMean);
      for (let start = 0; start < n; start += chunk) {
        const rows = Math.min(chunk, n - start);
        const logits = this.forward(x.subarray(start * D, (start + rows) * D), rows, s);
        out.set(logits.subarray(0, rows * C), (k * n + start) * C);
      }
    }
    return out;
  }

  /**
   * Inputs and logits of the last layer for one weight draw (μ with `useMean`), for curvature
   * analyses: `activations` is `n × sizes[L−1]`, `logits` is `n × classes`.
   */
  lastLayerForward(
    x: Float32Array,
    n: number,
    options: { rng?: Rng; useMean?: boolean },
  ): { activations: Float32Array; logits: Float32Array } {
    this.checkBatch(x, n);
    const s = this.ensureScratch(n);
    this.drawWeights(options.rng, options.useMean ?? false);
    const L = this.layers.length;
    const logits = this.forward(x, n, s).slice(0, n * this.classes);
    const J = this.sizes[L - 1];
    const activations = L === 1 ? x.slice(0, n * J) : s.a[L - 1].slice(0, n * J);
    return { activations, logits };
  }
}

/**
 * Predictions from Monte-Carlo logits (`samples × n × classes`): argmax of the sample-mean
 * log-softmax (MESU JAX convention).
 */
export function predictFromLogits(
  logits: Float32Array,
  shape: { samples: number; n: number; classes: number },
): Int32Array {
  const { samples: K, n, classes: C } = shape;
  if (logits.length !== K * n * C) {
    throw new RangeError(`logits has ${logits.length} values, ${K}×${n}×${C} expected`);
  }
  const out = new Int32Array(n);
  const acc = new Float64Array(C);
  for (let i = 0; i < n; i++) {
    acc.fill(0);
    for (let k = 0; k < K; k++) {
      const o = (k * n + i) * C;
      let m = -Infinity;
      for (let c = 0; c < C; c++) if (logits[o + c] > m) m = logits[o + c];
      let s = 0;
      for (let c = 0; c < C; c++) s += Math.exp(logits[o + c] - m);
      const lse = m + Math.log(s);
      for (let c = 0; c < C; c++) acc[c] += logits[o + c] - lse;
    }
    let best = 0;
    for (let c = 1; c < C; c++) if (acc[c] > acc[best]) best = c;
    out[i] = best;
  }
  return out;
}
