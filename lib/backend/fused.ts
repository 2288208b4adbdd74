/**
 * Fused, in-place, single-pass optimizer updates over Float32Arrays.
 *
 * Each function reads the gradient once and rewrites the parameters and the optimizer state in
 * the same loop, without allocating. Adam and metaplastic Adam run WebAssembly SIMD kernels
 * (`simd.ts`, float32 arithmetic) on buffers of 64 values or more, scalar float64 loops
 * otherwise ({@linkcode setFusedSimd} switches). They are the hot loops behind the toolkit's optimizers
 * (`lib/optim/`); on tfjs variables use them with {@linkcode variableData} from `storage.ts`.
 *
 * Conventions shared by every function here:
 * - buffers are updated in place and must all have the same length (a `RangeError` otherwise);
 * - `t` is the 1-based count of the step being taken (the first call uses `t = 1`);
 * - hyperparameters are plain numbers; per-tensor choices (metaplasticity only on weight
 *   matrices, ...) are the caller's.
 *
 * @example
 * ```ts
 * import { adamStep } from "./fused.ts";
 * const w = new Float32Array([1, -1]), g = new Float32Array([0.5, -0.5]);
 * const m = new Float32Array(2), v = new Float32Array(2);
 * adamStep(w, g, { m, v, lr: 0.1, t: 1 }); // w ≈ [0.9, -0.9]
 * ```
 * @module
 */

import { simdAdam, simdAvailable, simdMetaplasticAdam } from "./simd.ts";

const LOG2E = Math.LOG2E, LN2 = Math.LN2;

/** Below this length the scalar loop wins over the SIMD kernel's chunk copies. */
const SIMD_MIN = 64;
let simdOn = true;

/**
 * Turns the WebAssembly SIMD path of {@linkcode adamStep} and {@linkcode metaplasticAdamStep}
 * on or off (default on where WebAssembly SIMD exists). Off, both run their float64 scalar
 * loops; the results agree to float32 rounding. For tests and benchmarks.
 */
export function setFusedSimd(on: boolean): void {
  simdOn = on;
}

/** Whether the SIMD path is active (enabled and supported by the runtime). */
export function fusedSimdActive(): boolean {
  return simdOn && simdAvailable();
}
/** 2^−j for j = 0..150 (the fast exp's scale table). */
const POW2NEG: Float64Array = (() => {
  const t = new Float64Array(151);
  for (let j = 0; j <= 150; j++) t[j] = Math.pow(2, -j);
  return t;
})();

function checkLengths(
  name: string,
  n: number,
  bufs: Record<string, Float32Array | undefined>,
): void {
  for (const key in bufs) {
    const b = bufs[key];
    if (b !== undefined && b.length !== n) {
      throw new RangeError(`${name}: ${key} has ${b.length} values, expected ${n}`);
    }
  }
}

function checkStep(name: string, t: number): void {
  if (!Number.isInteger(t) || t < 1) {
    throw new RangeError(`${name}: t must be the 1-based step count (an integer >= 1), got ${t}`);
  }
}

/** Options of {@linkcode adamStep}. */
export interface AdamStepOptions {
  /** First-moment buffer (updated in place). */
  m: Float32Array;
  /** Second-moment buffer (updated in place). */
  v: Float32Array;
  /** Learning rate η. */
  lr: number;
  /** 1-based index of this step (bias corrections use β^t). */
  t: number;
  /** β1, default 0.9. */
  beta1?: number;
  /** β2, default 0.999. */
  beta2?: number;
  /** ε, default 1e-8. */
  eps?: number;
  /**
   * L2 coefficient λ. Coupled (PyTorch `Adam`, default): `g ← g + λ·w` before the moments.
   * With `decoupled: true` (PyTorch `AdamW`): `w ← w·(1 − η·λ)` before the step.
   */
  weightDecay?: number;
  /** Decoupled weight decay (AdamW), default false. */
  decoupled?: boolean;
  /**
   * Where ε goes. `"corrected"` (default; PyTorch ≥ 1.3, tfjs `tf.train.adam`):
   * `w ← w − η·m̂/(√v̂ + ε)`. `"uncorrected"` (PyTorch ≤ 1.2, the metaplastic BNN reference):
   * `w ← w − η·√(1−β2^t)/(1−β1^t)·m/(√v + ε)`.
   */
  epsMode?: "corrected" | "uncorrected";
}

/**
 * One Adam step, in place and in one pass: `m ← β1·m + (1−β1)·g`, `v ← β2·v + (1−β2)·g²`,
 * `w ← w − η·m̂/(√v̂ + ε)` (PyTorch `torch.optim.Adam` semantics; see
 * {@linkcode AdamStepOptions} for weight decay and the ε placement).
 */
export function adamStep(params: Float32Array, grads: Float32Array, opts: AdamStepOptions): void {
  const { m, v, lr, t } = opts;
  const n = params.length;
  checkLengths("adamStep", n, { grads, m, v });
  checkStep("adamStep", t);
  const b1 = opts.beta1 ?? 0.9, b2 = opts.beta2 ?? 0.999, eps = opts.eps ?? 1e-8;
  const wd = opts.weightDecay ?? 0, decoupled = opts.decoupled ?? false;
  const bc1 = 1 - Math.pow(b1, t), bc2 = 1 - Math.pow(b2, t);
  const c1 = 1 - b1, c2 = 1 - b2;
  // Both ε placements are w ← w − a·m/(√v + e) with the constants below.
  const sqrtBc2 = Math.sqrt(bc2);
  const corrected = (opts.epsMode ?? "corrected") === "corrected";
  const a = (lr * sqrtBc2) / bc1;
  const e = corrected ? eps * sqrtBc2 : eps;
  const coupledWd = decoupled ? 0 : wd;
  const shrink = decoupled ? 1 - lr * wd : 1;
  if (n >= SIMD_MIN && fusedSimdActive()) {
    simdAdam(params, grads, m, v, { b1, b2, c1, c2, a, e, wd: coupledWd, shrink });
    return;
  }
  for (let i = 0; i < n; i++) {
    let w = params[i];
    const g = grads[i] + coupledWd * w;
    const mi = b1 * m[i] + c1 * g;
    const vi = b2 * v[i] + c2 * g * g;
    m[i] = mi;
    v[i] = vi;
    w *= shrink;
    params[i] = w - (a * mi) / (Math.sqrt(vi) + e);
  }
}

/** Options of {@linkcode metaplasticAdamStep}: Adam's plus the metaplasticity coefficient. */
export interface MetaplasticAdamStepOptions extends AdamStepOptions {
  /** Metaplasticity coefficient m ≥ 0 (`meta`); 0 gives plain Adam on unbounded hidden weights. */
  meta: number;
  /**
   * Optional buffer that receives `sign(W_h)` of the updated hidden weights in the same pass
   * (−1, 0 or 1): the binary weights of the next forward pass, without a separate sign op.
   */
  signOut?: Float32Array;
}

/**
 * One metaplastic Adam step (Laborieux et al. 2021, §4 of the paper brief), in place and in one
 * pass over the hidden weights W_h:
 *
 * 1. `g ← ∂C/∂W_b + λ·W_h`; `M ← β1·M + (1−β1)·g`; `V ← β2·V + (1−β2)·g²`;
 * 2. `U = M/(√V + ε)`, `α_t = η·√(1−β2^t)/(1−β1^t)`;
 * 3. where `sign(W_h)·M > 0` (the step points towards zero): `W_h ← W_h − α_t·f_meta·U` with
 *    `f_meta = 1 − tanh²(meta·W_h)`; elsewhere `W_h ← W_h − α_t·U`.
 *
 * The default `epsMode` is `"uncorrected"` (ε added to the uncorrected √V), as in the reference
 * code. Use it on weight matrices only; 1-D parameters (BatchNorm γ, β) take {@linkcode adamStep}
 * with the same options.
 */
export function metaplasticAdamStep(
  params: Float32Array,
  grads: Float32Array,
  opts: MetaplasticAdamStepOptions,
): void {
  const { m, v, lr, t, meta } = opts;
  const n = params.length;
  checkLengths("metaplasticAdamStep", n, { grads, m, v, signOut: opts.signOut });
  checkStep("metaplasticAdamStep", t);
  if (!(meta >= 0)) throw new RangeError(`metaplasticAdamStep: meta must be >= 0, got ${meta}`);
  const b1 = opts.beta1 ?? 0.9, b2 = opts.beta2 ?? 0.999, eps = opts.eps ?? 1e-8;
  const wd = opts.weightDecay ?? 0;
  const bc1 = 1 - Math.pow(b1, t), bc2 = 1 - Math.pow(b2, t);
  const c1 = 1 - b1, c2 = 1 - b2;
  const sqrtBc2 = Math.sqrt(bc2);
  const a = (lr * sqrtBc2) / bc1;
  const e = (opts.epsMode ?? "uncorrected") === "corrected" ? eps * sqrtBc2 : eps;
  if (n >= SIMD_MIN && fusedSimdActive()) {
    simdMetaplasticAdam(params, grads, m, v, {
      b1,
      b2,
      c1,
      c2,
      a,
      e,
      wd,
      shrink: 1,
      meta,
      signOut: opts.signOut,
    });
    return;
  }
  const twoMeta = 2 * meta;
  for (let i = 0; i < n; i++) {
    const w = params[i];
    const g = grads[i] + wd * w;
    const mi = b1 * m[i] + c1 * g;
    const vi = b2 * v[i] + c2 * g * g;
    m[i] = mi;
    v[i] = vi;
    // f_meta = 1 − tanh²(meta·w) = 4q/(1+q)² with q = exp(−2·meta·|w|), q from a branch-free
    // exp (range reduction to [−ln2/2, ln2/2] and a degree-6 polynomial, relative error < 2e-7):
    // Math.exp and a data-dependent branch cost twice the whole Adam pass.
    const y = -twoMeta * (w < 0 ? -w : w);
    const jf = 0.5 - y * LOG2E;
    const j = jf < 150 ? jf | 0 : 150;
    const r = y + j * LN2;
    const q = POW2NEG[j] *
      (1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720)))))));
    const d = 1 + q, d2 = d * d;
    // toward zero (sign(w)·M > 0): scale by f_meta; elsewhere by 1 — merged into one division
    const towardZero = +(w * mi > 0);
    params[i] = w - (a * mi * (d2 - towardZero * (d2 - 4 * q))) / ((Math.sqrt(vi) + e) * d2);
  }
  const out = opts.signOut;
  if (out) {
    // a second, cache-friendly pass: branch-free sign of the new hidden weights
    for (let i = 0; i < n; i++) {
      const w = params[i];
      out[i] = +(w > 0) - +(w < 0);
    }
  }
}

/** Options of {@linkcode sgdStep}. */
export interface SgdStepOptions {
  /** Learning rate η. */
  lr: number;
  /** Momentum μ (default 0: plain SGD, `buf` unused). */
  momentum?: number;
  /** Momentum buffer, required when `momentum > 0` (updated in place). */
  buf?: Float32Array;
  /** 1-based step index; on `t = 1` the buffer is set to the gradient (PyTorch semantics). */
  t?: number;
  /** Dampening τ of the momentum term, default 0. */
  dampening?: number;
  /** Nesterov momentum, default false. */
  nesterov?: boolean;
  /** Coupled L2 coefficient λ (`g ← g + λ·w`), default 0. */
  weightDecay?: number;
}

/**
 * One SGD step in place (PyTorch `torch.optim.SGD` semantics): `g ← g + λw`;
 * with momentum `b ← μ·b + (1−τ)·g` (`b ← g` on the first step), `d = nesterov ? g + μ·b : b`;
 * `w ← w − η·d`.
 */
export function sgdStep(params: Float32Array, grads: Float32Array, opts: SgdStepOptions): void {
  const n = params.length;
  const mu = opts.momentum ?? 0, wd = opts.weightDecay ?? 0, lr = opts.lr;
  checkLengths("sgdStep", n, { grads, buf: opts.buf });
  if (mu === 0) {
    for (let i = 0; i < n; i++) params[i] -= lr * (grads[i] + wd * params[i]);
    return;
  }
  const buf = opts.buf;
  if (!buf) throw new RangeError("sgdStep: momentum > 0 needs a momentum buffer `buf`");
  const t = opts.t ?? 2;
  checkStep("sgdStep", t);
  const damp = 1 - (opts.dampening ?? 0), nesterov = opts.nesterov ?? false;
  const first = t === 1;
  for (let i = 0; i < n; i++) {
    const g = grads[i] + wd * params[i];
    const b = first ? g : mu * buf[i] + damp * g;
    buf[i] = b;
    params[i] -= lr * (nesterov ? g + mu * b : b);
  }
}

/** Options of {@linkcode mesuStep}. */
export interface MesuStepOptions {
  /** Prior standard deviation σ_p. */
  sigmaPrior: number;
  /** Prior mean μ_p, default 0. */
  muPrior?: number;
  /** Memory window N, in updates (1e15 ≈ no forgetting). */
  N: number;
  /** Learning-rate factor on the μ step, default 1. */
  lrMu?: number;
  /** Learning-rate factor on the σ step, default 1. */
  lrSigma?: number;
  /**
   * Whether the σ step carries the ½ of the 2025 rule (JAX reference, default true). The
   * PyTorch reference has no ½: use `halfSigmaStep: false` (or `lrSigma: 2`) to match it.
   */
  halfSigmaStep?: boolean;
  /** JAX `clamp_grad` c: clips g_μ and g_σ to ±c/σ before the step (0 = off, default). */
  clampGrad?: number;
  /** PyTorch `ratio_max` r: clips |Δμ| and |Δσ| to r·σ (0 = off, default). */
  ratioMax?: number;
  /**
   * Lower bound applied to σ after the step (default none: an oversized step can make σ
   * negative, as in the references — see the MESU brief's pitfalls).
   */
  sigmaMin?: number;
  /** Upper bound applied to σ after the step (default Infinity: none). */
  sigmaMax?: number;
}

/**
 * One MESU step (Bonnet et al. 2025), in place, every quantity on the right taken at step t−1:
 *
 * - `Δμ = lrMu·[−σ²·g_μ + σ²·(μ_p − μ)/(N·σ_p²)]`
 * - `Δσ = lrSigma·½·[−σ²·g_σ + σ·(σ_p² − σ²)/(N·σ_p²)]` (the ½ is dropped with
 *   `halfSigmaStep: false`)
 *
 * `gradMu`, `gradSigma` are ∂C/∂μ and ∂C/∂σ of the Monte-Carlo cost summed over the minibatch
 * (`denseStackMc` in `dense_stack.ts` returns exactly these). Optional clips as in the
 * references (see {@linkcode MesuStepOptions}).
 */
export function mesuStep(
  mu: Float32Array,
  sigma: Float32Array,
  grads: { gradMu: Float32Array; gradSigma: Float32Array },
  opts: MesuStepOptions,
): void {
  const n = mu.length;
  const { gradMu, gradSigma } = grads;
  checkLengths("mesuStep", n, { sigma, gradMu, gradSigma });
  const sp2 = opts.sigmaPrior * opts.sigmaPrior;
  if (!(sp2 > 0)) throw new RangeError(`mesuStep: sigmaPrior must be > 0, got ${opts.sigmaPrior}`);
  if (!(opts.N > 0)) throw new RangeError(`mesuStep: N must be > 0, got ${opts.N}`);
  const muP = opts.muPrior ?? 0;
  const lrMu = opts.lrMu ?? 1;
  const lrS = (opts.lrSigma ?? 1) * ((opts.halfSigmaStep ?? true) ? 0.5 : 1);
  const inv = 1 / (opts.N * sp2);
  const clamp = opts.clampGrad ?? 0, ratio = opts.ratioMax ?? 0;
  const sMin = opts.sigmaMin ?? -Infinity, sMax = opts.sigmaMax ?? Infinity;
  for (let i = 0; i < n; i++) {
    const s = sigma[i], m = mu[i];
    let gm = gradMu[i], gs = gradSigma[i];
    if (clamp > 0) {
      const c = clamp / s;
      gm = gm > c ? c : gm < -c ? -c : gm;
      gs = gs > c ? c : gs < -c ? -c : gs;
    }
    const s2 = s * s;
    let dm = lrMu * (-s2 * gm + s2 * (muP - m) * inv);
    let ds = lrS * (-s2 * gs + s * (sp2 - s2) * inv);
    if (ratio > 0) {
      const r = ratio * s;
      dm = dm > r ? r : dm < -r ? -r : dm;
      ds = ds > r ? r : ds < -r ? -r : ds;
    }
    mu[i] = m + dm;
    let ns = s + ds;
    if (ns < sMin) ns = sMin;
    if (ns > sMax) ns = sMax;
    sigma[i] = ns;
  }
}

/** Options of {@linkcode bgdStep}. */
export interface BgdStepOptions {
  /** Learning-rate factor η on the μ step, default 1. */
  lrMu?: number;
  /** Learning-rate factor on the σ step, default 1. */
  lrSigma?: number;
  /** Clips g_μ and g_σ to ±c/σ before the step (0 = off, default). */
  clampGrad?: number;
}

/**
 * One BGD / FOO-VB diagonal step (Zeno et al.), in place:
 * `μ ← μ − lrMu·σ²·g_μ`, `σ ← σ + lrSigma·[−½σ²·g_σ + σ·(√(1 + ¼σ²g_σ²) − 1)]` (with
 * `lrSigma = 1` this is `σ·√(1 + (½σg_σ)²) − ½σ²g_σ`). Gradients as for {@linkcode mesuStep}.
 */
export function bgdStep(
  mu: Float32Array,
  sigma: Float32Array,
  grads: { gradMu: Float32Array; gradSigma: Float32Array },
  opts: BgdStepOptions = {},
): void {
  const n = mu.length;
  const { gradMu, gradSigma } = grads;
  checkLengths("bgdStep", n, { sigma, gradMu, gradSigma });
  const lrMu = opts.lrMu ?? 1, lrS = opts.lrSigma ?? 1, clamp = opts.clampGrad ?? 0;
  for (let i = 0; i < n; i++) {
    const s = sigma[i];
    let gm = gradMu[i], gs = gradSigma[i];
    if (clamp > 0) {
      const c = clamp / s;
      gm = gm > c ? c : gm < -c ? -c : gm;
      gs = gs > c ? c : gs < -c ? -c : gs;
    }
    const s2 = s * s;
    mu[i] -= lrMu * s2 * gm;
    sigma[i] = s + lrS * (-0.5 * s2 * gs + s * (Math.sqrt(1 + 0.25 * s2 * gs * gs) - 1));
  }
}
