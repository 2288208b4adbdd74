/**
 * Memory traces of discrete-state stochastic synapses (theory_synaptic_models.md §3–§4): the
 * Amit–Fusi binary synapse and the cascade model of Fusi, Drew & Abbott 2005, written as
 * Markov chains driven by balanced potentiation/depression events (one per stored memory).
 *
 * A tracked memory ξ ∈ {±1}^N is stored, then t further random memories; its signal is the
 * overlap (1/N)Σ ξ_i s_i(t) minus chance, and the noise is the standard deviation of the
 * overlap with an unrelated random pattern, √(E[s²]/N). {@linkcode memorySignal} computes the
 * expected signal exactly by propagating the state distribution; {@linkcode simulateMemorySignal}
 * runs the population Monte Carlo it is checked against. For the binary synapse the signal is
 * q(1 − q)^t exactly (derived), so SNR(t) = √N·q(1 − q)^t ≈ √N·q·e^{−qt}.
 *
 * Transition rules are recalled in the brief and unverified (Amit & Fusi 1994, Neural
 * Computation 6:957; Fusi, Drew & Abbott 2005, Neuron 45:599).
 *
 * @example
 * ```ts
 * import { binarySynapse, memorySignal, memorySnr } from "./synapse_memory.ts";
 * const syn = binarySynapse(0.1);
 * const s = memorySignal(syn, [0, 10]); // [0.1, 0.1·0.9^10]
 * const snr = memorySnr(syn, [0, 10], { synapses: 1e4 }); // 100·s
 * ```
 * @module
 */
import type { Rng } from "../rng.ts";

/**
 * A synapse model as a Markov chain: `states` states, an efficacy per state, and the transition
 * matrices applied by a potentiation and a depression event (row-major, row = from, rows sum to 1).
 */
export interface MarkovSynapse {
  /** Name for tables. */
  name: string;
  /** Number of states S. */
  states: number;
  /** Efficacy (synaptic weight) of each state, e.g. ±1. */
  efficacy: Float64Array;
  /** S×S transition matrix of a potentiation event. */
  potentiation: Float64Array;
  /** S×S transition matrix of a depression event. */
  depression: Float64Array;
}

function checkProbability(p: number, what: string): void {
  if (!(p >= 0 && p <= 1)) {
    throw new RangeError(`${what} must be a probability in [0, 1], got ${p}`);
  }
}

/** Checks shapes and row sums of a Markov synapse. */
export function checkSynapse(syn: MarkovSynapse): void {
  const s = syn.states;
  if (!Number.isInteger(s) || s < 2) throw new RangeError(`a synapse needs >= 2 states, got ${s}`);
  if (syn.efficacy.length !== s) {
    throw new RangeError(`efficacy has ${syn.efficacy.length} entries, expected ${s}`);
  }
  for (
    const [name, m] of [["potentiation", syn.potentiation], ["depression", syn.depression]] as const
  ) {
    if (m.length !== s * s) {
      throw new RangeError(`${name} matrix has ${m.length} entries, expected ${s}×${s}`);
    }
    for (let i = 0; i < s; i++) {
      let sum = 0;
      for (let j = 0; j < s; j++) {
        const p = m[i * s + j];
        if (!(p >= 0)) throw new RangeError(`${name}[${i},${j}] = ${p} is not a probability`);
        sum += p;
      }
      if (Math.abs(sum - 1) > 1e-12) throw new RangeError(`${name} row ${i} sums to ${sum}, not 1`);
    }
  }
}

/**
 * Amit–Fusi binary synapse: states 0 (depressed, −1) and 1 (potentiated, +1); an event asking
 * for the other state switches it with probability q.
 */
export function binarySynapse(q: number): MarkovSynapse {
  checkProbability(q, "q");
  return {
    name: `binary q=${+q.toPrecision(4)}`,
    states: 2,
    efficacy: new Float64Array([-1, 1]),
    potentiation: new Float64Array([1 - q, q, 0, 1]),
    depression: new Float64Array([1, 0, q, 1 - q]),
  };
}

/** Options of {@linkcode cascadeSynapse}. */
export interface CascadeOptions {
  /** Geometric ratio x of the transition probabilities (default ½, as in Fusi et al. 2005). */
  x?: number;
}

/**
 * Cascade synapse (Fusi, Drew & Abbott 2005; recalled, unverified) with n metaplastic depths per
 * efficacy (2n states; index i−1 for depressed depth i, n+i−1 for potentiated depth i). An event
 * opposing the efficacy switches it, landing at depth 1 of the other side, with probability
 * x^{i−1} (i < n) or x^{n−1}/(1 − x) (i = n); a confirming event moves one depth deeper with
 * probability x^i/(1 − x) (i < n).
 */
export function cascadeSynapse(depths: number, options: CascadeOptions = {}): MarkovSynapse {
  const n = depths;
  const x = options.x ?? 0.5;
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`depths must be a positive integer, got ${n}`);
  }
  if (!(x > 0 && x <= 0.5)) {
    throw new RangeError(`x must be in (0, 0.5] so probabilities stay <= 1, got ${x}`);
  }
  const s = 2 * n;
  const pot = new Float64Array(s * s), dep = new Float64Array(s * s);
  const sw = (i: number) => n === 1 ? 1 : i < n ? x ** (i - 1) : x ** (n - 1) / (1 - x);
  const deeper = (i: number) => i < n ? x ** i / (1 - x) : 0;
  for (let i = 1; i <= n; i++) {
    const d = i - 1, p = n + i - 1; // depressed / potentiated state indices at depth i
    // potentiation event: depressed synapses may switch, potentiated ones may go deeper
    pot[d * s + n] += sw(i);
    pot[d * s + d] += 1 - sw(i);
    pot[p * s + (i < n ? p + 1 : p)] += deeper(i);
    pot[p * s + p] += 1 - deeper(i);
    // depression event: the mirror image
    dep[p * s + 0] += sw(i);
    dep[p * s + p] += 1 - sw(i);
    dep[d * s + (i < n ? d + 1 : d)] += deeper(i);
    dep[d * s + d] += 1 - deeper(i);
  }
  const efficacy = new Float64Array(s);
  for (let i = 0; i < s; i++) efficacy[i] = i < n ? -1 : 1;
  const syn = { name: `cascade n=${n}`, states: s, efficacy, potentiation: pot, depression: dep };
  checkSynapse(syn);
  return syn;
}

/** Row vector times matrix: out = p·M. */
function vecMat(p: Float64Array, m: Float64Array, s: number): Float64Array {
  const out = new Float64Array(s);
  for (let i = 0; i < s; i++) {
    const pi = p[i];
    if (pi === 0) continue;
    for (let j = 0; j < s; j++) out[j] += pi * m[i * s + j];
  }
  return out;
}

/** The balanced-event transition matrix ½(P + D): one random memory. */
function meanTransition(syn: MarkovSynapse): Float64Array {
  const m = new Float64Array(syn.states * syn.states);
  for (let i = 0; i < m.length; i++) m[i] = 0.5 * (syn.potentiation[i] + syn.depression[i]);
  return m;
}

/**
 * Stationary distribution of the synapse under balanced random memories, by repeated squaring
 * of ½(P + D) until its rows agree to 1e-14 (fast even for deep cascades); throws if the chain
 * does not mix.
 */
export function stationaryDistribution(syn: MarkovSynapse): Float64Array {
  checkSynapse(syn);
  const s = syn.states;
  let m = meanTransition(syn);
  for (let it = 0; it < 64; it++) {
    let spread = 0;
    for (let j = 0; j < s; j++) {
      let lo = Infinity, hi = -Infinity;
      for (let i = 0; i < s; i++) {
        lo = Math.min(lo, m[i * s + j]);
        hi = Math.max(hi, m[i * s + j]);
      }
      spread = Math.max(spread, hi - lo);
    }
    if (spread < 1e-14) {
      const p = m.slice(0, s);
      const sum = p.reduce((a, b) => a + b, 0);
      return p.map((v) => v / sum);
    }
    const sq = new Float64Array(s * s);
    for (let i = 0; i < s; i++) {
      for (let k = 0; k < s; k++) {
        const a = m[i * s + k];
        if (a === 0) continue;
        for (let j = 0; j < s; j++) sq[i * s + j] += a * m[k * s + j];
      }
    }
    m = sq;
  }
  throw new RangeError(`the chain of ${syn.name} does not mix: no unique stationary distribution`);
}

function checkTimes(times: readonly number[]): void {
  for (const t of times) {
    if (!Number.isInteger(t) || t < 0) {
      throw new RangeError(`times must be integers >= 0, got ${t}`);
    }
  }
}

/**
 * Exact expected memory signal E[ξ_i s_i(t)] at each time t (memories stored after the tracked
 * one; the chance level of a random ±1 pattern is 0), starting from the stationary state:
 * p_0 = π·P (or π·D for ξ_i = −1, averaged), p_t = p_0·(½(P + D))^t.
 */
export function memorySignal(syn: MarkovSynapse, times: readonly number[]): Float64Array {
  checkTimes(times);
  const s = syn.states, m = meanTransition(syn);
  const pi = stationaryDistribution(syn);
  let pp = vecMat(pi, syn.potentiation, s), pd = vecMat(pi, syn.depression, s);
  const order = times.map((t, k) => [t, k]).sort((a, b) => a[0] - b[0]);
  const out = new Float64Array(times.length);
  let now = 0;
  for (const [t, k] of order) {
    for (; now < t; now++) {
      pp = vecMat(pp, m, s);
      pd = vecMat(pd, m, s);
    }
    let sig = 0;
    for (let i = 0; i < s; i++) sig += 0.5 * (pp[i] - pd[i]) * syn.efficacy[i];
    out[k] = sig;
  }
  return out;
}

/** Options of {@linkcode memorySnr}. */
export interface SnrOptions {
  /** Number of synapses N. */
  synapses: number;
}

/**
 * Exact memory SNR(t) = √N·signal(t)/√E_π[s²]: the signal over the standard deviation of
 * the overlap with an unrelated random ±1 pattern.
 */
export function memorySnr(
  syn: MarkovSynapse,
  times: readonly number[],
  options: SnrOptions,
): Float64Array {
  if (!(options.synapses >= 1)) {
    throw new RangeError(`synapses must be >= 1, got ${options.synapses}`);
  }
  const pi = stationaryDistribution(syn);
  let e2 = 0;
  for (let i = 0; i < syn.states; i++) e2 += pi[i] * syn.efficacy[i] ** 2;
  const sig = memorySignal(syn, times);
  const f = Math.sqrt(options.synapses / e2);
  return sig.map((v) => v * f);
}

/** Closed form of the binary synapse: signal q(1 − q)^t and SNR √N·q(1 − q)^t (derived). */
export function binarySynapseSnr(
  q: number,
  times: readonly number[],
  options: SnrOptions,
): Float64Array {
  checkProbability(q, "q");
  checkTimes(times);
  return Float64Array.from(times, (t) => Math.sqrt(options.synapses) * q * (1 - q) ** t);
}

/** Options of {@linkcode simulateMemorySignal}. */
export interface SimulateMemoryOptions {
  /** Synapses per trial N (the SNR is for this N). */
  synapses: number;
  /** Independent trials (tracked memories); the population is synapses × trials. */
  trials: number;
  /** Random memories stored before the tracked one, after a start drawn from the stationary law. */
  burnIn?: number;
}

/** Result of {@linkcode simulateMemorySignal}. */
export interface SimulatedMemory {
  /** The recording times. */
  times: number[];
  /** Mean over trials of the tracked overlap (chance level 0). */
  signal: Float64Array;
  /** Standard error of `signal` (from the spread over all independent synapses). */
  signalSe: Float64Array;
  /** Noise: std over trials of the overlap with an unrelated random pattern. */
  noise: Float64Array;
  /** SNR = signal / √(mean s²/N) (the random-pattern noise given the states). */
  snr: Float64Array;
}

/**
 * Population Monte Carlo of the memory trace: trials × N synapses start from the stationary law,
 * a random ±1 memory is stored (each synapse gets a potentiation or depression event), then
 * random memories follow; overlaps of the tracked pattern and of an unrelated pattern are
 * recorded at `times`. Typed-array loop over sparse transition rows.
 */
export function simulateMemorySignal(
  syn: MarkovSynapse,
  times: readonly number[],
  options: SimulateMemoryOptions & { rng: Rng },
): SimulatedMemory {
  checkSynapse(syn);
  checkTimes(times);
  const { synapses: n, trials, rng } = options;
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`synapses must be a positive integer, got ${n}`);
  }
  if (!Number.isInteger(trials) || trials < 2) {
    throw new RangeError(`trials must be an integer >= 2, got ${trials}`);
  }
  const s = syn.states, total = n * trials;
  // sparse rows: for event e and state i, candidate next states with cumulative probabilities
  const rows = [syn.depression, syn.potentiation].map((m) =>
    Array.from({ length: s }, (_, i) => {
      const next: number[] = [], cum: number[] = [];
      let c = 0;
      for (let j = 0; j < s; j++) {
        if (m[i * s + j] > 0) {
          c += m[i * s + j];
          next.push(j);
          cum.push(c);
        }
      }
      cum[cum.length - 1] = 1;
      return { next: Int32Array.from(next), cum: Float64Array.from(cum) };
    })
  );
  const pi = stationaryDistribution(syn);
  const cumPi = new Float64Array(s);
  for (let i = 0, c = 0; i < s; i++) cumPi[i] = c += pi[i];
  cumPi[s - 1] = 1;
  const state = new Int32Array(total);
  for (let k = 0; k < total; k++) {
    const u = rng.uniform();
    let i = 0;
    while (u >= cumPi[i]) i++;
    state[k] = i;
  }
  const event = (e: number, k: number) => {
    const row = rows[e][state[k]];
    if (row.next.length === 1) {
      state[k] = row.next[0];
      return;
    }
    const u = rng.uniform();
    let j = 0;
    while (u >= row.cum[j]) j++;
    state[k] = row.next[j];
  };
  const randomMemory = () => {
    for (let k = 0; k < total; k++) event(rng.uniform() < 0.5 ? 0 : 1, k);
  };
  for (let b = 0; b < (options.burnIn ?? 0); b++) randomMemory();
  const tracked = new Int8Array(total), other = new Int8Array(total);
  for (let k = 0; k < total; k++) {
    tracked[k] = rng.uniform() < 0.5 ? -1 : 1;
    other[k] = rng.uniform() < 0.5 ? -1 : 1;
    event(tracked[k] > 0 ? 1 : 0, k);
  }
  const order = times.map((t, k) => [t, k]).sort((a, b) => a[0] - b[0]);
  const signal = new Float64Array(times.length), signalSe = new Float64Array(times.length);
  const noise = new Float64Array(times.length), snr = new Float64Array(times.length);
  let now = 0;
  const ov = new Float64Array(trials), ovr = new Float64Array(trials);
  for (const [t, idx] of order) {
    for (; now < t; now++) randomMemory();
    let e2 = 0, sumSq = 0;
    for (let r = 0; r < trials; r++) {
      let a = 0, b = 0;
      for (let k = r * n; k < (r + 1) * n; k++) {
        const w = syn.efficacy[state[k]];
        const c = tracked[k] * w;
        a += c;
        sumSq += c * c;
        b += other[k] * w;
        e2 += w * w;
      }
      ov[r] = a / n;
      ovr[r] = b / n;
    }
    let m = 0, mr = 0;
    for (let r = 0; r < trials; r++) {
      m += ov[r];
      mr += ovr[r];
    }
    m /= trials;
    mr /= trials;
    let vr = 0;
    for (let r = 0; r < trials; r++) vr += (ovr[r] - mr) ** 2;
    signal[idx] = m;
    // synapses are independent, so the per-synapse spread gives a precise standard error
    signalSe[idx] = Math.sqrt(Math.max(0, sumSq / total - m * m) / (total - 1));
    noise[idx] = Math.sqrt(vr / (trials - 1));
    snr[idx] = m / Math.sqrt(e2 / total / n);
  }
  return { times: [...times], signal, signalSe, noise, snr };
}

/**
 * Roughly log-spaced distinct integer times from `start` to `end` (inclusive), `perDecade` per
 * factor of ten; 0 is kept when `start` is 0.
 */
export function logTimes(
  start: number,
  end: number,
  options: { perDecade?: number } = {},
): number[] {
  const per = options.perDecade ?? 10;
  if (!(end >= start) || start < 0) {
    throw new RangeError(`need 0 <= start <= end, got ${start}, ${end}`);
  }
  const out = new Set<number>();
  if (start === 0) out.add(0);
  const lo = Math.max(1, start);
  const steps = Math.ceil(Math.log10(Math.max(end, lo) / lo) * per);
  for (let k = 0; k <= steps; k++) out.add(Math.min(end, Math.round(lo * 10 ** (k / per))));
  out.add(end);
  return [...out].sort((a, b) => a - b);
}
