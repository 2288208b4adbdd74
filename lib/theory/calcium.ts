/**
 * The calcium-control plasticity rule with NMDA-receptor metaplasticity (Shouval, Bear & Cooper
 * 2002; Yeung, Blais, Cooper & Shouval 2003/2004; theory_synaptic_models.md §7). Units: time in
 * ms, calcium in µM, voltage in mV, conductance in µM/(ms·mV); η is given per second and
 * converted internally.
 *
 * - dW/dt = η([Ca])·(Ω([Ca]) − λW);
 *   Ω(Ca) = 0.25 + sig(Ca − α₂, β₂) − 0.25·sig(Ca − α₁, β₁), sig(x, β) = 1/(1 + e^{−βx});
 *   η(Ca) = (P1/(P2 + Ca^P3) + P4)^{−1} (unverified).
 * - d[Ca]/dt = I_NMDA − [Ca]/τ_Ca; I_NMDA = P₀·G_NMDA·Σ_pre [I_f e^{−t/τ_f} + I_s e^{−t/τ_s}]·H(V),
 *   H(V) = B(V)(V − V_r), B(V) = 1/(1 + e^{−0.062V}[Mg]/3.57).
 * - V = V_rest + Σ_post BPAP, BPAP(t) = A·(I_bf e^{−t/τ_bf} + I_bs e^{−t/τ_bs}) (unverified shape).
 * - NMDAR metaplasticity: dg_N/dt = a·[k₊(g_t − g_N) − k₋·v^n·g_N] with v the depolarisation
 *   above rest (our reading; the brief leaves the voltage reference open), so sustained
 *   postsynaptic activity lowers |g_N|, less calcium enters, and the LTD→LTP crossover rate
 *   slides up (a BCM-like sliding threshold).
 *
 * Values marked unverified in the brief: η's constants, τ_Ca, the BPAP shape, λ's value and the
 * metaplasticity equation's form. λ = 1 with W₀ = 0.25 is our choice (proposal): it makes
 * Ω(0) = 0.25 the resting fixed point, so "no change at low calcium" holds.
 *
 * @example
 * ```ts
 * import { omegaCa, rateResponse } from "./calcium.ts";
 * omegaCa(0.45); // ≈ 0: depression zone
 * const dw = rateResponse([1, 5, 20, 50], { pulses: 100 }); // LTD at low, LTP at high rates
 * ```
 * @module
 */
import type { Rng } from "../rng.ts";

/** Parameters of the calcium-control rule (units in the field docs). */
export interface CalciumParams {
  /** Ω's depression threshold α₁ (µM). */
  alpha1: number;
  /** Ω's potentiation threshold α₂ (µM). */
  alpha2: number;
  /** Ω's slope β₁ (1/µM). */
  beta1: number;
  /** Ω's slope β₂ (1/µM). */
  beta2: number;
  /** η constant P1 (s). */
  p1: number;
  /** η constant P2 (µM^P3; P1·1e−4 in the brief). */
  p2: number;
  /** η exponent P3. */
  p3: number;
  /** η constant P4 (s). */
  p4: number;
  /** Weight decay λ in dW/dt = η(Ω − λW). */
  lambda: number;
  /** Calcium decay time τ_Ca (ms). */
  tauCa: number;
  /** NMDA open probability P₀. */
  p0: number;
  /** NMDA conductance G_NMDA (µM/(ms·mV), negative). */
  gNmda: number;
  /** Fast NMDA fraction I_f. */
  iFast: number;
  /** Slow NMDA fraction I_s. */
  iSlow: number;
  /** Fast NMDA decay τ_f (ms). */
  tauFast: number;
  /** Slow NMDA decay τ_s (ms). */
  tauSlow: number;
  /** NMDA reversal V_r (mV). */
  vReversal: number;
  /** Extracellular magnesium (mM). */
  magnesium: number;
  /** Resting potential (mV). */
  vRest: number;
  /** BPAP peak depolarisation (mV). */
  bpapAmplitude: number;
  /** Fast BPAP fraction. */
  bpapFast: number;
  /** Slow BPAP fraction. */
  bpapSlow: number;
  /** Fast BPAP decay (ms). */
  bpapTauFast: number;
  /** Slow BPAP decay (ms). */
  bpapTauSlow: number;
  /** Metaplasticity rate factor a. */
  metaRate: number;
  /** NMDAR insertion rate k₊ (1/ms). */
  kPlus: number;
  /** NMDAR removal rate k₋ (1/(ms·mV^n)). */
  kMinus: number;
  /** Maximum NMDAR conductance g_t (µM/(ms·mV), negative). */
  gMax: number;
  /** Voltage exponent n of the removal term. */
  metaExponent: number;
}

/**
 * Default parameters: Ω, NMDA and η values as listed in the brief (Shouval et al. 2002;
 * η, τ_Ca = 50 ms and the BPAP shape unverified), metaplasticity table of later Shouval-lab
 * models (verified table, unverified equation form), λ = 1 (proposal).
 */
export const SHOUVAL_2002: Readonly<CalciumParams> = Object.freeze({
  alpha1: 0.35,
  alpha2: 0.55,
  beta1: 80,
  beta2: 80,
  p1: 0.1,
  p2: 0.1 * 1e-4,
  p3: 3,
  p4: 1,
  lambda: 1,
  tauCa: 50,
  p0: 0.5,
  gNmda: -1 / 500,
  iFast: 0.5,
  iSlow: 0.5,
  tauFast: 50,
  tauSlow: 200,
  vReversal: 130,
  magnesium: 1,
  vRest: -65,
  bpapAmplitude: 100,
  bpapFast: 0.75,
  bpapSlow: 0.25,
  bpapTauFast: 3,
  bpapTauSlow: 25,
  metaRate: 1,
  kPlus: 8e-5,
  kMinus: 8e-7,
  gMax: -1e-3,
  metaExponent: 2,
});

function params(p?: Partial<CalciumParams>): CalciumParams {
  return p ? { ...SHOUVAL_2002, ...p } : SHOUVAL_2002;
}

function sig(x: number, beta: number): number {
  return 1 / (1 + Math.exp(-beta * x));
}

/**
 * Ω(Ca) = 0.25 + sig(Ca − α₂, β₂) − 0.25·sig(Ca − α₁, β₁): ≈ 0.25 at low calcium, ≈ 0 between
 * α₁ and α₂ (depression), ≈ 1 above α₂ (potentiation).
 */
export function omegaCa(ca: number, p?: Partial<CalciumParams>): number {
  const q = params(p);
  return 0.25 + sig(ca - q.alpha2, q.beta2) - 0.25 * sig(ca - q.alpha1, q.beta1);
}

/** Learning rate η(Ca) = (P1/(P2 + Ca^P3) + P4)^{−1}, per second (unverified constants). */
export function etaCa(ca: number, p?: Partial<CalciumParams>): number {
  const q = params(p);
  if (!(ca >= 0)) throw new RangeError(`calcium must be >= 0 µM, got ${ca}`);
  return 1 / (q.p1 / (q.p2 + ca ** q.p3) + q.p4);
}

/** Magnesium block B(V) = 1/(1 + e^{−0.062V}[Mg]/3.57). */
export function nmdaBlock(v: number, p?: Partial<CalciumParams>): number {
  return 1 / (1 + Math.exp(-0.062 * v) * params(p).magnesium / 3.57);
}

/** H(V) = B(V)(V − V_r) (mV; negative at physiological voltages). */
export function nmdaVoltageFactor(v: number, p?: Partial<CalciumParams>): number {
  const q = params(p);
  return nmdaBlock(v, q) * (v - q.vReversal);
}

/**
 * NMDA calcium current (µM/ms) at time t ≥ 0 after one presynaptic spike, at voltage v:
 * P₀·G·[I_f e^{−t/τ_f} + I_s e^{−t/τ_s}]·H(v) (positive, since G < 0 and H < 0).
 */
export function nmdaCalciumCurrent(
  t: number,
  v: number,
  p?: Partial<CalciumParams> & { g?: number },
): number {
  const q = params(p);
  if (t < 0) return 0;
  const g = p?.g ?? q.gNmda;
  return q.p0 * g * (q.iFast * Math.exp(-t / q.tauFast) + q.iSlow * Math.exp(-t / q.tauSlow)) *
    nmdaVoltageFactor(v, q);
}

/** Depolarisation (mV above rest) t ms after a postsynaptic spike's back-propagating AP. */
export function bpap(t: number, p?: Partial<CalciumParams>): number {
  const q = params(p);
  if (t < 0) return 0;
  return q.bpapAmplitude *
    (q.bpapFast * Math.exp(-t / q.bpapTauFast) + q.bpapSlow * Math.exp(-t / q.bpapTauSlow));
}

/** A plasticity protocol for one synapse. */
export interface SynapseProtocol {
  /** Presynaptic spike times (ms, any order). */
  pre: readonly number[];
  /** Postsynaptic spike (BPAP) times (ms). Default none. */
  post?: readonly number[];
  /** Simulated duration (ms); default: last spike + 1000 ms. */
  duration?: number;
  /** Euler step (ms, default 0.2). */
  dt?: number;
  /** NMDA conductance G (default the params' `gNmda`). */
  g?: number;
  /** Initial weight (default 0.25, the resting fixed point with λ = 1). */
  w0?: number;
  /** Keep calcium and weight traces, sampled every `recordEvery` ms. */
  recordEvery?: number;
}

/** Result of {@linkcode simulateCalciumSynapse}. */
export interface SynapseResult {
  /** Final weight. */
  w: number;
  /** w − w0. */
  dw: number;
  /** Peak calcium (µM). */
  maxCa: number;
  /** Mean calcium (µM). */
  meanCa: number;
  /** Sample times of the traces (ms), when recorded. */
  t?: Float64Array;
  /** Calcium trace (µM), when recorded. */
  ca?: Float64Array;
  /** Weight trace, when recorded. */
  wTrace?: Float64Array;
}

function sortedTimes(xs: readonly number[], what: string): Float64Array {
  const a = Float64Array.from(xs).sort();
  for (const x of a) {
    if (!Number.isFinite(x) || x < 0) {
      throw new RangeError(`${what} spike times must be finite and >= 0`);
    }
  }
  return a;
}

/**
 * Integrates calcium and weight of one synapse through a spike protocol (exact exponential decay
 * of the NMDA and BPAP traces, Euler for calcium and weight).
 */
export function simulateCalciumSynapse(
  protocol: SynapseProtocol,
  p?: Partial<CalciumParams>,
): SynapseResult {
  const q = params(p);
  const pre = sortedTimes(protocol.pre, "pre"), post = sortedTimes(protocol.post ?? [], "post");
  const dt = protocol.dt ?? 0.2;
  if (!(dt > 0 && dt <= 1)) throw new RangeError(`dt must be in (0, 1] ms, got ${dt}`);
  const last = Math.max(
    pre.length ? pre[pre.length - 1] : 0,
    post.length ? post[post.length - 1] : 0,
  );
  const duration = protocol.duration ?? last + 1000;
  const steps = Math.ceil(duration / dt);
  const g = protocol.g ?? q.gNmda;
  const w0 = protocol.w0 ?? 0.25;
  const dNf = Math.exp(-dt / q.tauFast), dNs = Math.exp(-dt / q.tauSlow);
  const dBf = Math.exp(-dt / q.bpapTauFast), dBs = Math.exp(-dt / q.bpapTauSlow);
  const every = protocol.recordEvery;
  const nrec = every ? Math.floor(duration / every) + 1 : 0;
  const tr = every ? new Float64Array(nrec) : undefined;
  const car = every ? new Float64Array(nrec) : undefined;
  const wr = every ? new Float64Array(nrec) : undefined;
  let nf = 0, ns = 0, bf = 0, bs = 0, ca = 0, w = w0, maxCa = 0, sumCa = 0;
  let ip = 0, iq = 0, rec = 0;
  const restH = nmdaVoltageFactor(q.vRest, q);
  for (let k = 0; k < steps; k++) {
    const t = k * dt;
    while (ip < pre.length && pre[ip] <= t) {
      nf += q.iFast;
      ns += q.iSlow;
      ip++;
    }
    while (iq < post.length && post[iq] <= t) {
      bf += q.bpapAmplitude * q.bpapFast;
      bs += q.bpapAmplitude * q.bpapSlow;
      iq++;
    }
    const depol = bf + bs;
    const h = depol > 1e-9 ? nmdaVoltageFactor(q.vRest + depol, q) : restH;
    const current = q.p0 * g * (nf + ns) * h;
    ca += dt * (current - ca / q.tauCa);
    if (ca < 0) ca = 0;
    const caP = q.p3 === 3 ? ca * ca * ca : ca ** q.p3;
    const e = 1e-3 / (q.p1 / (q.p2 + caP) + q.p4); // η per ms
    w += dt * e *
      (0.25 + sig(ca - q.alpha2, q.beta2) - 0.25 * sig(ca - q.alpha1, q.beta1) - q.lambda * w);
    if (ca > maxCa) maxCa = ca;
    sumCa += ca;
    nf *= dNf;
    ns *= dNs;
    bf *= dBf;
    bs *= dBs;
    if (every && rec < nrec && t >= rec * every) {
      tr![rec] = t;
      car![rec] = ca;
      wr![rec] = w;
      rec++;
    }
  }
  if (!Number.isFinite(w)) {
    throw new RangeError("weight became non-finite: check parameters and dt");
  }
  return {
    w,
    dw: w - w0,
    maxCa,
    meanCa: sumCa / Math.max(1, steps),
    ...(every
      ? { t: tr!.subarray(0, rec), ca: car!.subarray(0, rec), wTrace: wr!.subarray(0, rec) }
      : {}),
  };
}

/** `count` regularly spaced spike times at `rate` Hz starting at `start` ms. */
export function regularTrain(rate: number, options: { count: number; start?: number }): number[] {
  if (!(rate > 0)) throw new RangeError(`rate must be > 0 Hz, got ${rate}`);
  const isi = 1000 / rate, s = options.start ?? 0;
  return Array.from({ length: options.count }, (_, i) => s + i * isi);
}

/** Poisson spike times at `rate` Hz over `duration` ms. */
export function poissonTrain(
  rate: number,
  options: { duration: number; rng: Rng; start?: number },
): number[] {
  if (!(rate >= 0)) throw new RangeError(`rate must be >= 0 Hz, got ${rate}`);
  const out: number[] = [];
  if (rate === 0) return out;
  let t = options.start ?? 0;
  const end = t + options.duration;
  for (;;) {
    t += -Math.log(1 - options.rng.uniform()) * 1000 / rate;
    if (t >= end) return out;
    out.push(t);
  }
}

/** Options of {@linkcode rateResponse}. */
export interface RateResponseOptions {
  /** Presynaptic pulses per frequency (e.g. 900 as in classic LTD/LTP protocols). */
  pulses: number;
  /** NMDA conductance during the test (default the params' `gNmda`). */
  g?: number;
  /** Euler step (ms, default 0.5). */
  dt?: number;
}

/**
 * Rate-dependent plasticity: ΔW after `pulses` regular presynaptic pulses at each rate (Hz),
 * postsynaptic voltage at rest — LTD at low, LTP at high rates for the default parameters.
 */
export function rateResponse(
  rates: readonly number[],
  options: RateResponseOptions,
  p?: Partial<CalciumParams>,
): Float64Array {
  return Float64Array.from(rates, (r) =>
    simulateCalciumSynapse({
      pre: regularTrain(r, { count: options.pulses }),
      duration: options.pulses * 1000 / r + 500,
      dt: options.dt ?? 0.5,
      g: options.g,
    }, p).dw);
}

/**
 * The LTD→LTP crossover rate θ_m: the first rate where ΔW turns from negative to positive,
 * linearly interpolated (NaN when there is no such crossing).
 */
export function crossoverRate(rates: readonly number[], dw: ArrayLike<number>): number {
  if (rates.length !== dw.length) {
    throw new RangeError(`${rates.length} rates for ${dw.length} responses`);
  }
  for (let i = 1; i < rates.length; i++) {
    if (dw[i - 1] < 0 && dw[i] >= 0) {
      return rates[i - 1] + (rates[i] - rates[i - 1]) * (-dw[i - 1]) / (dw[i] - dw[i - 1]);
    }
  }
  return NaN;
}

/** The rate where ΔW first turns from ≈ 0 to negative (onset of LTD, |ΔW| > tol), or NaN. */
export function ltdOnsetRate(
  rates: readonly number[],
  dw: ArrayLike<number>,
  options: { tol?: number } = {},
): number {
  const tol = options.tol ?? 1e-3;
  for (let i = 0; i < rates.length; i++) if (dw[i] < -tol) return rates[i];
  return NaN;
}

/**
 * One Euler step of the NMDAR metaplasticity ODE dg/dt = a·[k₊(g_t − g) − k₋·v^n·g], v the
 * depolarisation above rest (mV), dt in ms.
 */
export function nmdaConductanceStep(
  g: number,
  depolarization: number,
  options: { dt: number } & Partial<CalciumParams>,
): number {
  const q = params(options);
  const v = Math.max(0, depolarization);
  return g +
    options.dt * q.metaRate * (q.kPlus * (q.gMax - g) - q.kMinus * v ** q.metaExponent * g);
}

/** Steady state of the metaplasticity ODE for a constant ⟨v^n⟩: g = k₊g_t/(k₊ + k₋⟨v^n⟩). */
export function nmdaConductanceSteadyState(
  meanDepolPower: number,
  p?: Partial<CalciumParams>,
): number {
  const q = params(p);
  if (!(meanDepolPower >= 0)) {
    throw new RangeError(`mean depolarisation power must be >= 0, got ${meanDepolPower}`);
  }
  return q.kPlus * q.gMax / (q.kPlus + q.kMinus * meanDepolPower);
}

/** Options of {@linkcode nmdaAfterActivity}. */
export interface ActivityHistoryOptions {
  /** Duration of the activity history (ms). */
  duration: number;
  /** Euler step (ms, default 0.5). */
  dt?: number;
  /** Initial conductance (default g_t, a silent past). */
  g0?: number;
  /** Generator for Poisson postsynaptic spikes; regular spikes when absent. */
  rng?: Rng;
}

/**
 * NMDA conductance after a history of postsynaptic firing at `rate` Hz (BPAPs drive the removal
 * term): integrates the metaplasticity ODE through the spike train and returns g_N at the end.
 */
export function nmdaAfterActivity(
  rate: number,
  options: ActivityHistoryOptions,
  p?: Partial<CalciumParams>,
): number {
  const q = params(p);
  const dt = options.dt ?? 0.5;
  const post = rate <= 0
    ? []
    : options.rng
    ? poissonTrain(rate, { duration: options.duration, rng: options.rng })
    : regularTrain(rate, { count: Math.floor(options.duration * rate / 1000) });
  const dBf = Math.exp(-dt / q.bpapTauFast), dBs = Math.exp(-dt / q.bpapTauSlow);
  let g = options.g0 ?? q.gMax, bf = 0, bs = 0, ip = 0;
  const steps = Math.ceil(options.duration / dt);
  for (let k = 0; k < steps; k++) {
    const t = k * dt;
    while (ip < post.length && post[ip] <= t) {
      bf += q.bpapAmplitude * q.bpapFast;
      bs += q.bpapAmplitude * q.bpapSlow;
      ip++;
    }
    g = nmdaConductanceStep(g, bf + bs, { ...q, dt });
    bf *= dBf;
    bs *= dBs;
  }
  return g;
}

/** Options of {@linkcode stdpCurve}. */
export interface StdpOptions {
  /** Number of pre–post pairings (default 100). */
  pairings?: number;
  /** Pairing frequency (Hz, default 1). */
  rate?: number;
  /** Euler step (ms, default 0.2). */
  dt?: number;
  /** NMDA conductance (default the params' `gNmda`). */
  g?: number;
}

/**
 * Spike-timing-dependent plasticity: ΔW after repeated pairings of a presynaptic spike at 0 and a
 * postsynaptic BPAP at Δt (ms; Δt > 0 = pre before post), for each Δt.
 */
export function stdpCurve(
  deltas: readonly number[],
  options: StdpOptions = {},
  p?: Partial<CalciumParams>,
): Float64Array {
  const n = options.pairings ?? 100, rate = options.rate ?? 1;
  const period = 1000 / rate;
  const offset = 200; // keeps every spike time positive for |Δt| < 200 ms
  return Float64Array.from(deltas, (d) => {
    if (Math.abs(d) >= offset) throw new RangeError(`|Δt| must be < ${offset} ms, got ${d}`);
    const pre = Array.from({ length: n }, (_, i) => offset + i * period);
    const post = pre.map((t) => t + d);
    return simulateCalciumSynapse({
      pre,
      post,
      dt: options.dt ?? 0.2,
      g: options.g,
      duration: offset + n * period + 500,
    }, p).dw;
  });
}
