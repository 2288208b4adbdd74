/**
 * The Benna–Fusi chain (Benna & Fusi 2016, Nat. Neurosci. 19:1697; theory_synaptic_models.md §5;
 * constants recalled, unverified): m coupled variables ("beakers") u_1…u_m, u_1 the efficacy,
 * C_k·du_k/dt = g_{k−1,k}(u_{k−1} − u_k) + g_{k,k+1}(u_{k+1} − u_k) with u_{m+1} ≡ 0 (the last
 * beaker leaks), capacities C_k = C_1·r_C^{k−1} and conductances g_{k,k+1} = g_12·r_g^{−(k−1)}
 * (brief: r_C = 2, r_g = 4). Each stored memory adds ±1 to u_1, one memory per unit time.
 *
 * Closed form (derived): with S = C^{−½}LC^{−½} = VΛVᵀ, the response of u_1 to a unit deposit is
 * r(t) = Σ_k V_1k²·e^{λ_k t} — a mixture of exponentials spanning timescales that grow
 * geometrically with k, hence the ~1/√t decay over a range growing exponentially with m. Random
 * ±1 deposits give the stationary variance Var u_1 = Σ_{s≥0} r(s)² = Σ_kl w_k w_l/(1 − e^{λ_k+λ_l}),
 * w_k = V_1k², so SNR(t) = √N·r(t)/√Var.
 *
 * @example
 * ```ts
 * import { bennaFusiChain, bennaFusiSnr } from "./benna_fusi.ts";
 * const chain = bennaFusiChain({ levels: 6 });
 * const snr = bennaFusiSnr(chain, [1, 10, 100], { synapses: 1e4 });
 * ```
 * @module
 */
import type { Rng } from "../rng.ts";
import { cholesky, symmetricEigen } from "./linalg.ts";

/** Options of {@linkcode bennaFusiChain}. */
export interface BennaFusiOptions {
  /** Number of variables m (≥ 1). */
  levels: number;
  /** C_1 (default 1). */
  capacity?: number;
  /** C_{k+1}/C_k (default 2). */
  capacityRatio?: number;
  /** g_12 (default 0.5; unverified, sets the fastest timescale). */
  conductance?: number;
  /** g_{k,k+1}/g_{k+1,k+2} (default 4). */
  conductanceRatio?: number;
}

/** A Benna–Fusi chain with its eigen-decomposition. */
export interface BennaFusiChain {
  /** m. */
  levels: number;
  /** Capacities C_1..C_m. */
  capacities: Float64Array;
  /** Conductances g_{k,k+1}, k = 1..m (the last one is the leak to u_{m+1} ≡ 0). */
  conductances: Float64Array;
  /** Eigenvalues λ_k of A = C^{−1}L (all < 0), ascending. */
  rates: Float64Array;
  /** Weights w_k = V_1k² of each mode in the response of u_1 (they sum to 1). */
  weights: Float64Array;
  /** The symmetric eigenvectors V (m×m row-major, columns are modes). */
  modes: Float64Array;
}

/** Builds the chain and diagonalises it. */
export function bennaFusiChain(options: BennaFusiOptions): BennaFusiChain {
  const m = options.levels;
  if (!Number.isInteger(m) || m < 1) {
    throw new RangeError(`levels must be a positive integer, got ${m}`);
  }
  const c1 = options.capacity ?? 1, rc = options.capacityRatio ?? 2;
  const g1 = options.conductance ?? 0.5, rg = options.conductanceRatio ?? 4;
  for (
    const [k, v] of Object.entries({
      capacity: c1,
      capacityRatio: rc,
      conductance: g1,
      conductanceRatio: rg,
    })
  ) {
    if (!(v > 0) || !Number.isFinite(v)) {
      throw new RangeError(`${k} must be a positive number, got ${v}`);
    }
  }
  const cap = Float64Array.from({ length: m }, (_, k) => c1 * rc ** k);
  const g = Float64Array.from({ length: m }, (_, k) => g1 / rg ** k);
  // L: (Lu)_k = g_{k−1,k}(u_{k−1} − u_k) + g_{k,k+1}(u_{k+1} − u_k), u_{m+1} = 0
  const s = new Float64Array(m * m);
  for (let k = 0; k < m; k++) {
    const left = k > 0 ? g[k - 1] : 0;
    s[k * m + k] = -(left + g[k]) / cap[k];
    if (k + 1 < m) {
      const off = g[k] / Math.sqrt(cap[k] * cap[k + 1]);
      s[k * m + k + 1] = off;
      s[(k + 1) * m + k] = off;
    }
  }
  const { values, vectors } = symmetricEigen(s);
  const weights = Float64Array.from({ length: m }, (_, k) => vectors[k] ** 2); // row 0 of V
  return { levels: m, capacities: cap, conductances: g, rates: values, weights, modes: vectors };
}

/** Response of u_1 at times t after a unit deposit: r(t) = Σ_k w_k e^{λ_k t}. */
export function bennaFusiSignal(chain: BennaFusiChain, times: readonly number[]): Float64Array {
  return Float64Array.from(times, (t) => {
    if (!(t >= 0)) throw new RangeError(`times must be >= 0, got ${t}`);
    let r = 0;
    for (let k = 0; k < chain.levels; k++) r += chain.weights[k] * Math.exp(chain.rates[k] * t);
    return r;
  });
}

/** Stationary variance of u_1 under one random ±1 deposit per unit time. */
export function bennaFusiVariance(chain: BennaFusiChain): number {
  let v = 0;
  const { weights: w, rates: l } = chain;
  for (let k = 0; k < chain.levels; k++) {
    for (let j = 0; j < chain.levels; j++) v += w[k] * w[j] / -Math.expm1(l[k] + l[j]);
  }
  return v;
}

/** SNR(t) = √N·r(t)/√Var(u_1) for N independent synapses. */
export function bennaFusiSnr(
  chain: BennaFusiChain,
  times: readonly number[],
  options: { synapses: number },
): Float64Array {
  if (!(options.synapses >= 1)) {
    throw new RangeError(`synapses must be >= 1, got ${options.synapses}`);
  }
  const f = Math.sqrt(options.synapses / bennaFusiVariance(chain));
  return bennaFusiSignal(chain, times).map((v) => v * f);
}

/**
 * Explicit-Euler integration of the chain ODE from u = e_1 (an independent check of the closed
 * form): returns u_1 at the requested (increasing) times.
 */
export function integrateBennaFusi(
  chain: BennaFusiChain,
  times: readonly number[],
  options: { dt?: number } = {},
): Float64Array {
  const m = chain.levels, c = chain.capacities, g = chain.conductances;
  let maxRate = 0;
  for (let k = 0; k < m; k++) maxRate = Math.max(maxRate, ((k > 0 ? g[k - 1] : 0) + g[k]) / c[k]);
  const dt = options.dt ?? 0.05 / maxRate;
  const u = new Float64Array(m), du = new Float64Array(m);
  u[0] = 1;
  const out = new Float64Array(times.length);
  let t = 0;
  times.forEach((target, idx) => {
    if (target < t) throw new RangeError("integrateBennaFusi needs increasing times");
    while (t < target - 1e-12) {
      const h = Math.min(dt, target - t);
      for (let k = 0; k < m; k++) {
        const left = k > 0 ? g[k - 1] * (u[k - 1] - u[k]) : 0;
        const right = g[k] * ((k + 1 < m ? u[k + 1] : 0) - u[k]);
        du[k] = (left + right) / c[k];
      }
      for (let k = 0; k < m; k++) u[k] += h * du[k];
      t += h;
    }
    out[idx] = u[0];
  });
  return out;
}

/** Result of {@linkcode simulateBennaFusi}. */
export interface SimulatedChain {
  /** Recording times. */
  times: number[];
  /** Mean over trials of the overlap (1/N)Σ ξ_i u_1,i. */
  signal: Float64Array;
  /** Standard error of `signal` (from the spread over all independent chains). */
  signalSe: Float64Array;
  /** SNR = signal/√(mean u_1²/N). */
  snr: Float64Array;
}

/**
 * Monte Carlo of N×trials chains. The start is stationary: mode coordinates are drawn from a
 * Gaussian with the exact stationary covariance, then `burnIn` (default 200) random ±1 memories
 * replace the recent past by true deposits — the slow modes would need ~5× the slowest timescale
 * (10⁵–10⁸ memories) to fill by burn-in alone, and without them the noise is underestimated.
 * Then a tracked ±1 memory is stored and random memories follow; each step evolves the chain
 * exactly for one unit of time (in the mode basis, O(m) per synapse) and deposits the next memory.
 */
export function simulateBennaFusi(
  chain: BennaFusiChain,
  times: readonly number[],
  options: { synapses: number; trials: number; burnIn?: number; rng: Rng },
): SimulatedChain {
  const { synapses: n, trials, rng } = options;
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`synapses must be a positive integer, got ${n}`);
  }
  if (!Number.isInteger(trials) || trials < 2) {
    throw new RangeError(`trials must be an integer >= 2, got ${trials}`);
  }
  for (const t of times) {
    if (!Number.isInteger(t) || t < 0) {
      throw new RangeError(`times must be integers >= 0, got ${t}`);
    }
  }
  const m = chain.levels, total = n * trials;
  const decay = chain.rates.map((l) => Math.exp(l));
  // mode coordinates y = Vᵀ C^{½} u; a deposit ±e_1 adds ±√C_1·V_1k; u_1 = C_1^{−½} Σ_k V_1k y_k
  const sc = Math.sqrt(chain.capacities[0]);
  const inject = Float64Array.from({ length: m }, (_, k) => sc * chain.modes[k]);
  const read = Float64Array.from({ length: m }, (_, k) => chain.modes[k] / sc);
  const y = new Float64Array(total * m);
  const step = (deposits: Int8Array | null) => {
    for (let i = 0; i < total; i++) {
      const sgn = deposits ? deposits[i] : (rng.uniform() < 0.5 ? -1 : 1);
      const o = i * m;
      for (let k = 0; k < m; k++) y[o + k] = decay[k] * y[o + k] + sgn * inject[k];
    }
  };
  // stationary covariance of y: Σ_kl = inject_k·inject_l/(1 − e^{λ_k+λ_l})
  const cov = new Float64Array(m * m);
  for (let k = 0; k < m; k++) {
    for (let l = 0; l < m; l++) {
      cov[k * m + l] = inject[k] * inject[l] / -Math.expm1(chain.rates[k] + chain.rates[l]);
    }
  }
  let lower: Float64Array;
  try {
    lower = cholesky(cov);
  } catch {
    for (let k = 0; k < m; k++) cov[k * m + k] *= 1 + 1e-9; // rounding can make Σ semi-definite
    lower = cholesky(cov);
  }
  const z = new Float64Array(m);
  for (let i = 0; i < total; i++) {
    for (let k = 0; k < m; k++) z[k] = rng.normal();
    for (let k = 0; k < m; k++) {
      let v = 0;
      for (let l = 0; l <= k; l++) v += lower[k * m + l] * z[l];
      y[i * m + k] = v;
    }
  }
  const burn = options.burnIn ?? 200;
  if (!Number.isInteger(burn) || burn < 0) {
    throw new RangeError(`burnIn must be an integer >= 0, got ${burn}`);
  }
  for (let b = 0; b < burn; b++) step(null);
  const xi = new Int8Array(total);
  for (let i = 0; i < total; i++) xi[i] = rng.uniform() < 0.5 ? -1 : 1;
  // the tracked memory is the deposit made at time 0 (after the burn-in's evolution)
  for (let i = 0; i < total; i++) {
    const o = i * m;
    for (let k = 0; k < m; k++) y[o + k] += xi[i] * inject[k];
  }
  const order = times.map((t, k) => [t, k]).sort((a, b) => a[0] - b[0]);
  const signal = new Float64Array(times.length), signalSe = new Float64Array(times.length);
  const snr = new Float64Array(times.length);
  const ov = new Float64Array(trials);
  let now = 0;
  for (const [t, idx] of order) {
    for (; now < t; now++) step(null);
    let e2 = 0;
    for (let r = 0; r < trials; r++) {
      let a = 0;
      for (let i = r * n; i < (r + 1) * n; i++) {
        let u1 = 0;
        const o = i * m;
        for (let k = 0; k < m; k++) u1 += read[k] * y[o + k];
        a += xi[i] * u1;
        e2 += u1 * u1;
      }
      ov[r] = a / n;
    }
    let mu = 0;
    for (let r = 0; r < trials; r++) mu += ov[r];
    mu /= trials;
    signal[idx] = mu;
    // chains are independent: (ξu₁)² = u₁², so the per-synapse spread gives the standard error
    signalSe[idx] = Math.sqrt(Math.max(0, e2 / total - mu * mu) / (total - 1));
    snr[idx] = mu / Math.sqrt(e2 / total / n);
  }
  return { times: [...times], signal, signalSe, snr };
}
