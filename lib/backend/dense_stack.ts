/**
 * Fused Monte-Carlo forward/backward for a stack of Bayesian dense layers on Float32Arrays:
 * the fast path for small networks (MESU's 784-50-10 at batch 1 with 10 weight samples), where
 * tfjs's per-op overhead would dominate.
 *
 * Semantics (MESU / BGD references, see the MESU paper brief §3):
 * - layer l has weights W_l (in × out, row-major, as a tfjs dense kernel) with mean μ_l and
 *   standard deviation σ_l, and optionally a bias b_l with (μ, σ) of its own;
 * - for each of K samples, ε ~ N(0, 1) is drawn for every weight and bias and
 *   W = μ + σ·ε is shared by every example of the batch (no local reparameterisation);
 * - hidden layers apply the activation (ReLU by default), the last layer gives logits;
 * - cost `C = Σ_b (1/K) Σ_k −log softmax(f(x_b; W_k))[y_b]` (sum over the batch, mean over
 *   samples), or the batch mean with `reduction: "mean"`;
 * - returned gradients are `∂C/∂μ = (1/K) Σ_k ∂ℓ_k/∂W` and `∂C/∂σ = (1/K) Σ_k ∂ℓ_k/∂W ⊙ ε_k`,
 *   exactly what `mesuStep` / `bgdStep` in `fused.ts` take.
 *
 * Noise comes from an internal seeded xoshiro128** generator (ziggurat method), so a run is
 * reproducible from its seed and {@linkcode DenseStackMc.getState}. Rows of the first layer
 * whose inputs are zero for the whole batch (blank MNIST pixels) draw no noise: they affect
 * neither the output nor any gradient, so skipping them leaves the distribution of every
 * result unchanged while removing most of the sampling work.
 *
 * @example
 * ```ts
 * import { DenseStackMc } from "./dense_stack.ts";
 * const net = new DenseStackMc([784, 50, 10], { samples: 10, seed: 1 });
 * const mu = [new Float32Array(784 * 50), new Float32Array(50 * 10)];
 * const sigma = [new Float32Array(784 * 50).fill(0.07), new Float32Array(500).fill(0.28)];
 * const r = net.lossAndGrads({ mu, sigma }, new Float32Array(784).fill(0.5), new Int32Array([3]));
 * console.log(r.loss, r.gradMu[0].length, r.gradSigma[1].length); // ≈2.3 39200 500
 * ```
 * @module
 */
import { sgemm } from "./gemm.ts";

/** Means and standard deviations of a dense stack (weights `in × out` row-major). */
export interface DenseStackParams {
  /** Weight means, one per layer. */
  mu: Float32Array[];
  /** Weight standard deviations, one per layer. */
  sigma: Float32Array[];
  /** Bias means (only when the stack was built with `bias: true`). */
  biasMu?: Float32Array[];
  /** Bias standard deviations (only with `bias: true`). */
  biasSigma?: Float32Array[];
}

/** Gradients returned by {@linkcode DenseStackMc.lossAndGrads} (buffers reused by the next call). */
export interface DenseStackGrads {
  /** The Monte-Carlo cost C. */
  loss: number;
  /** ∂C/∂μ per layer. */
  gradMu: Float32Array[];
  /** ∂C/∂σ per layer. */
  gradSigma: Float32Array[];
  /** ∂C/∂μ of the biases (with `bias: true`). */
  gradBiasMu: Float32Array[];
  /** ∂C/∂σ of the biases (with `bias: true`). */
  gradBiasSigma: Float32Array[];
}

/** Options of {@linkcode DenseStackMc}. */
export interface DenseStackMcOptions {
  /** Monte-Carlo weight samples K per step. */
  samples: number;
  /** Seed of the noise generator. */
  seed: number;
  /** Hidden activation, default "relu". */
  activation?: "relu" | "tanh";
  /** Whether layers have (Bayesian) biases, default false (the MESU JAX reference has none). */
  bias?: boolean;
  /** Batch reduction of the cost: "sum" (default, MESU/BGD) or "mean". */
  reduction?: "sum" | "mean";
}

// Ziggurat tables (Marsaglia & Tsang 2000, 128 layers), values scaled for 32-bit signed draws.
const ZIG_R = 3.442619855899;
const ZIG_K = new Float64Array(128);
const ZIG_W = new Float64Array(128);
const ZIG_F = new Float64Array(128);
(() => {
  const m1 = 2147483648, vn = 9.91256303526217e-3;
  let dn = ZIG_R, tn = dn;
  const q = vn / Math.exp(-0.5 * dn * dn);
  ZIG_K[0] = (dn / q) * m1;
  ZIG_K[1] = 0;
  ZIG_W[0] = q / m1;
  ZIG_W[127] = dn / m1;
  ZIG_F[0] = 1;
  ZIG_F[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    ZIG_K[i + 1] = (dn / tn) * m1;
    tn = dn;
    ZIG_F[i] = Math.exp(-0.5 * dn * dn);
    ZIG_W[i] = dn / m1;
  }
})();

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** One xoshiro128** output (signed 32-bit), advancing `st[0..3]`. */
function xoshiro(st: Int32Array): number {
  const s1 = st[1];
  const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
  const t = s1 << 9;
  st[2] ^= st[0];
  st[3] ^= s1;
  st[1] ^= st[2];
  st[0] ^= st[3];
  st[2] ^= t;
  st[3] = rotl(st[3], 11);
  return r;
}

/** Uniform in (0, 1). */
function uniform(st: Int32Array): number {
  return ((xoshiro(st) >>> 0) + 0.5) / 4294967296;
}

/** The ziggurat's slow path (wedges and the tail beyond r). */
function zigTail(st: Int32Array, hz: number, iz: number): number {
  const r = ZIG_R;
  for (;;) {
    const x = hz * ZIG_W[iz];
    if (iz === 0) {
      let xt = 0, y = 0;
      do {
        xt = -Math.log(uniform(st)) / r;
        y = -Math.log(uniform(st));
      } while (y + y < xt * xt);
      return hz > 0 ? r + xt : -r - xt;
    }
    if (ZIG_F[iz] + uniform(st) * (ZIG_F[iz - 1] - ZIG_F[iz]) < Math.exp(-0.5 * x * x)) return x;
    hz = xoshiro(st);
    iz = xoshiro(st) & 127;
    if (Math.abs(hz) < ZIG_K[iz]) return hz * ZIG_W[iz];
  }
}

/**
 * Standard normal deviates into `out[from, to)`: Marsaglia–Tsang ziggurat (128 layers) on
 * xoshiro128**, the layer index taken from separate random bits (one 32-bit draw gives four)
 * so that it is independent of the value bits. `st` = [4 state words, layer bits, count].
 */
function fillNormalZiggurat(st: Int32Array, out: Float32Array, from: number, to: number): void {
  const kn = ZIG_K, wn = ZIG_W;
  let s0 = st[0], s1 = st[1], s2 = st[2], s3 = st[3], bits = st[4], nb = st[5];
  for (let i = from; i < to; i++) {
    let m5 = 0, t = 0;
    if (nb === 0) {
      m5 = Math.imul(s1, 5);
      bits = Math.imul((m5 << 7) | (m5 >>> 25), 9);
      t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      nb = 4;
    }
    const iz = bits & 127;
    bits >>>= 8;
    nb--;
    m5 = Math.imul(s1, 5);
    const hz = Math.imul((m5 << 7) | (m5 >>> 25), 9);
    t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    if (Math.abs(hz) < kn[iz]) {
      out[i] = hz * wn[iz];
    } else {
      st[0] = s0;
      st[1] = s1;
      st[2] = s2;
      st[3] = s3;
      out[i] = zigTail(st, hz, iz);
      s0 = st[0];
      s1 = st[1];
      s2 = st[2];
      s3 = st[3];
    }
  }
  st[0] = s0;
  st[1] = s1;
  st[2] = s2;
  st[3] = s3;
  st[4] = bits;
  st[5] = nb;
}

/** A dense stack with fused Monte-Carlo forward and backward passes. */
export class DenseStackMc {
  /** Layer sizes, input first. */
  readonly sizes: readonly number[];
  /** Samples K per step. */
  readonly samples: number;
  /** Hidden activation. */
  readonly activation: "relu" | "tanh";
  /** Whether layers have biases. */
  readonly bias: boolean;
  /** Batch reduction. */
  readonly reduction: "sum" | "mean";
  // xoshiro128** state (4 words), buffered layer bits, how many layer indices they still hold
  private readonly rng = new Int32Array(6);
  private cap = 0;
  // per sample k, per layer l: sampled weights, their noise, activations (a[0] = input)
  private w: Float32Array[][] = [];
  private eps: Float32Array[][] = [];
  private bw: Float32Array[][] = [];
  private beps: Float32Array[][] = [];
  private acts: Float32Array[][] = [];
  private delta: Float32Array[] = [];
  private dW: Float32Array[] = [];
  private readonly grads: DenseStackGrads;

  /** Creates the stack for `sizes` = [in, hidden..., classes]. */
  constructor(sizes: readonly number[], options: DenseStackMcOptions) {
    if (sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
      throw new RangeError(`sizes must be >= 2 positive integers, got [${sizes.join(", ")}]`);
    }
    if (!Number.isInteger(options.samples) || options.samples < 1) {
      throw new RangeError(`samples must be an integer >= 1, got ${options.samples}`);
    }
    this.sizes = [...sizes];
    this.samples = options.samples;
    this.activation = options.activation ?? "relu";
    this.bias = options.bias ?? false;
    this.reduction = options.reduction ?? "sum";
    this.seed(options.seed);
    const L = sizes.length - 1;
    const per = (f: (l: number) => number) =>
      Array.from({ length: L }, (_, l) => new Float32Array(f(l)));
    for (let k = 0; k < this.samples; k++) {
      this.w.push(per((l) => sizes[l] * sizes[l + 1]));
      this.eps.push(per((l) => sizes[l] * sizes[l + 1]));
      this.bw.push(per((l) => (this.bias ? sizes[l + 1] : 0)));
      this.beps.push(per((l) => (this.bias ? sizes[l + 1] : 0)));
    }
    this.dW = per((l) => sizes[l] * sizes[l + 1]);
    this.grads = {
      loss: 0,
      gradMu: per((l) => sizes[l] * sizes[l + 1]),
      gradSigma: per((l) => sizes[l] * sizes[l + 1]),
      gradBiasMu: per((l) => (this.bias ? sizes[l + 1] : 0)),
      gradBiasSigma: per((l) => (this.bias ? sizes[l + 1] : 0)),
    };
  }

  /** Reseeds the noise generator (splitmix32 expansion of the seed). */
  seed(seed: number): void {
    let x = seed >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    const r = this.rng;
    for (let i = 0; i < 4; i++) r[i] = next();
    if ((r[0] | r[1] | r[2] | r[3]) === 0) r[0] = 1;
    r[4] = 0;
    r[5] = 0;
  }

  /** Generator state, for checkpoints. */
  getState(): number[] {
    return Array.from(this.rng);
  }

  /** Restores a state from {@linkcode DenseStackMc.getState}. */
  setState(state: readonly number[]): void {
    if (state.length !== 6) {
      throw new RangeError(`expected a state of 6 numbers, got ${state.length}`);
    }
    this.rng.set(state.map((v) => v | 0));
  }

  /** Fills `out[from, to)` with standard normal deviates (see {@linkcode fillNormalZiggurat}). */
  private fillNormal(out: Float32Array, from: number, to: number): void {
    fillNormalZiggurat(this.rng, out, from, to);
  }

  /** Allocates the activation buffers for batches of up to `n` examples. */
  private ensure(n: number): void {
    if (n <= this.cap) return;
    const L = this.sizes.length - 1;
    this.acts = [];
    for (let k = 0; k < this.samples; k++) {
      const a: Float32Array[] = [new Float32Array(0)];
      for (let l = 0; l < L; l++) a.push(new Float32Array(n * this.sizes[l + 1]));
      this.acts.push(a);
    }
    this.delta = [0, 1].map(() => new Float32Array(n * Math.max(...this.sizes)));
    this.cap = n;
  }

  /** Validates parameter and input sizes. */
  private check(p: DenseStackParams, x: Float32Array, n: number): void {
    const L = this.sizes.length - 1;
    if (p.mu.length !== L || p.sigma.length !== L) {
      throw new RangeError(
        `expected ${L} layers of mu and sigma, got ${p.mu.length} and ${p.sigma.length}`,
      );
    }
    for (let l = 0; l < L; l++) {
      const want = this.sizes[l] * this.sizes[l + 1];
      if (p.mu[l].length !== want || p.sigma[l].length !== want) {
        throw new RangeError(
          `layer ${l}: mu/sigma need ${want} values (${this.sizes[l]}×${this.sizes[l + 1]}), got ` +
            `${p.mu[l].length}/${p.sigma[l].length}`,
        );
      }
      if (this.bias) {
        const b = this.sizes[l + 1];
        if (p.biasMu?.[l]?.length !== b || p.biasSigma?.[l]?.length !== b) {
          throw new RangeError(`layer ${l}: biasMu/biasSigma need ${b} values each`);
        }
      }
    }
    if (x.length !== n * this.sizes[0]) {
      throw new RangeError(`x has ${x.length} values, expected ${n}×${this.sizes[0]}`);
    }
  }

  /** Samples every layer's weights and runs the forward pass for all samples. */
  private forwardAll(p: DenseStackParams, x: Float32Array, n: number): void {
    this.ensure(n);
    const L = this.sizes.length - 1, K = this.samples;
    // rows of layer 0 whose input is zero for the whole batch need no noise
    const din = this.sizes[0];
    const active = new Uint8Array(din);
    for (let b = 0; b < n; b++) {
      const o = b * din;
      for (let i = 0; i < din; i++) if (x[o + i] !== 0) active[i] = 1;
    }
    for (let k = 0; k < K; k++) {
      const acts = this.acts[k];
      acts[0] = x;
      for (let l = 0; l < L; l++) {
        const fin = this.sizes[l], fout = this.sizes[l + 1];
        const mu = p.mu[l], sg = p.sigma[l], w = this.w[k][l], e = this.eps[k][l];
        const z = acts[l + 1];
        if (l === 0 && n === 1) {
          // batch 1: sample only the active rows and accumulate z in the same pass (layer 0
          // needs no W afterwards: there is no gradient w.r.t. the input)
          z.fill(0, 0, fout);
          for (let i = 0; i < fin; i++) {
            const ai = x[i];
            if (ai === 0) continue;
            const o = i * fout;
            this.fillNormal(e, o, o + fout);
            for (let j = 0; j < fout; j++) z[j] += ai * (mu[o + j] + sg[o + j] * e[o + j]);
          }
        } else {
          // inactive rows of layer 0 keep stale but finite weights: they multiply zeros
          for (let i = 0; i < fin; i++) {
            if (l === 0 && active[i] === 0) continue;
            const o = i * fout;
            this.fillNormal(e, o, o + fout);
            for (let j = 0; j < fout; j++) w[o + j] = mu[o + j] + sg[o + j] * e[o + j];
          }
          sgemm(false, false, n, fout, fin, 1, acts[l], w, 0, z);
        }
        if (this.bias) {
          const bw = this.bw[k][l], be = this.beps[k][l];
          const bm = p.biasMu![l], bs = p.biasSigma![l];
          this.fillNormal(be, 0, fout);
          for (let j = 0; j < fout; j++) bw[j] = bm[j] + bs[j] * be[j];
          for (let b = 0; b < n; b++) for (let j = 0; j < fout; j++) z[b * fout + j] += bw[j];
        }
        if (l < L - 1) {
          const m = n * fout;
          if (this.activation === "relu") { for (let i = 0; i < m; i++) z[i] *= +(z[i] > 0); }
          else for (let i = 0; i < m; i++) z[i] = Math.tanh(z[i]);
        }
      }
    }
  }

  /**
   * Monte-Carlo cost and its gradients w.r.t. μ and σ for one batch (`x`: n × in row-major,
   * `labels`: n class indices). The returned buffers belong to this object and are
   * overwritten by the next call.
   */
  lossAndGrads(params: DenseStackParams, x: Float32Array, labels: Int32Array): DenseStackGrads {
    const n = labels.length;
    this.check(params, x, n);
    const L = this.sizes.length - 1, K = this.samples, C = this.sizes[L];
    if (labels.some((y) => !(y >= 0 && y < C))) {
      throw new RangeError(`labels must lie in [0, ${C}), got [${Array.from(labels).join(", ")}]`);
    }
    this.forwardAll(params, x, n);
    const g = this.grads;
    for (let l = 0; l < L; l++) {
      g.gradMu[l].fill(0);
      g.gradSigma[l].fill(0);
      g.gradBiasMu[l].fill(0);
      g.gradBiasSigma[l].fill(0);
    }
    const scale = (this.reduction === "mean" ? 1 / n : 1) / K;
    let loss = 0;
    for (let k = 0; k < K; k++) {
      const acts = this.acts[k];
      // softmax cross-entropy on the logits: δ = (p − onehot)·scale
      let d = this.delta[0];
      const logits = acts[L];
      for (let b = 0; b < n; b++) {
        const o = b * C;
        let mx = -Infinity;
        for (let c = 0; c < C; c++) if (logits[o + c] > mx) mx = logits[o + c];
        let s = 0;
        for (let c = 0; c < C; c++) s += Math.exp(logits[o + c] - mx);
        const lse = mx + Math.log(s);
        loss -= (logits[o + labels[b]] - lse) * scale;
        for (let c = 0; c < C; c++) d[o + c] = Math.exp(logits[o + c] - lse) * scale;
        d[o + labels[b]] -= scale;
      }
      for (let l = L - 1; l >= 0; l--) {
        const fin = this.sizes[l], fout = this.sizes[l + 1];
        const a = acts[l], e = this.eps[k][l], gm = g.gradMu[l], gs = g.gradSigma[l];
        if (n === 1) {
          // outer product a ⊗ δ, skipping zero inputs (their gradient is exactly zero)
          for (let i = 0; i < fin; i++) {
            const ai = a[i];
            if (ai === 0) continue;
            const o = i * fout;
            for (let j = 0; j < fout; j++) {
              const dw = ai * d[j];
              gm[o + j] += dw;
              gs[o + j] += dw * e[o + j];
            }
          }
        } else {
          const dW = this.dW[l];
          sgemm(true, false, fin, fout, n, 1, a, d, 0, dW);
          const m = fin * fout;
          for (let i = 0; i < m; i++) {
            gm[i] += dW[i];
            gs[i] += dW[i] * e[i];
          }
        }
        if (this.bias) {
          const be = this.beps[k][l], gbm = g.gradBiasMu[l], gbs = g.gradBiasSigma[l];
          for (let j = 0; j < fout; j++) {
            let s = 0;
            for (let b = 0; b < n; b++) s += d[b * fout + j];
            gbm[j] += s;
            gbs[j] += s * be[j];
          }
        }
        if (l === 0) break;
        // δ_{l−1} = (δ·Wᵀ) ⊙ act′(z_{l−1})
        const nd = d === this.delta[0] ? this.delta[1] : this.delta[0];
        sgemm(false, true, n, fin, fout, 1, d, this.w[k][l], 0, nd);
        const h = acts[l], m = n * fin;
        if (this.activation === "relu") { for (let i = 0; i < m; i++) nd[i] *= +(h[i] > 0); }
        else for (let i = 0; i < m; i++) nd[i] *= 1 - h[i] * h[i];
        d = nd;
      }
    }
    g.loss = loss;
    return g;
  }

  /**
   * The noise ε of sample `k`, layer `l` drawn by the last call (read-only view, `in × out`).
   * Rows of layer 0 whose inputs were all zero hold stale values: they took no part in it.
   */
  noise(k: number, l: number): Float32Array {
    return this.eps[k][l];
  }

  /** The bias noise of sample `k`, layer `l` drawn by the last call (with `bias: true`). */
  biasNoise(k: number, l: number): Float32Array {
    return this.beps[k][l];
  }

  /**
   * Class probabilities of every sample: `K × n × classes` (softmax per sample), for accuracy
   * of the sample mean and for predictive / aleatoric / epistemic uncertainty.
   */
  predict(params: DenseStackParams, x: Float32Array, n: number): Float32Array {
    this.check(params, x, n);
    this.forwardAll(params, x, n);
    const L = this.sizes.length - 1, C = this.sizes[L], K = this.samples;
    const out = new Float32Array(K * n * C);
    for (let k = 0; k < K; k++) {
      const z = this.acts[k][L];
      for (let b = 0; b < n; b++) {
        const o = b * C;
        let mx = -Infinity;
        for (let c = 0; c < C; c++) if (z[o + c] > mx) mx = z[o + c];
        let s = 0;
        for (let c = 0; c < C; c++) s += Math.exp(z[o + c] - mx);
        for (let c = 0; c < C; c++) out[(k * n + b) * C + c] = Math.exp(z[o + c] - mx) / s;
      }
    }
    return out;
  }
}
