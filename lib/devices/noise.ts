/**
 * Composable cycle-to-cycle (C2C) noise processes for device populations, each configured by
 * plain data with an `enabled` flag so that an ablation is a one-field change:
 *
 * - {@linkcode WhiteNoise}: Gaussian, either a fresh term per update (not accumulated, like
 *   aihwkit's `write_noise_std`) or a per-pulse random walk (σ·√n per n pulses, like NeuroSim).
 * - {@linkcode PinkNoise}: 1/f^α noise by a fixed-length fractional-integration filter
 *   (Kasdin 1995) over the device's last `taps` random draws; it advances by one draw per pulse,
 *   so no pulse means no change. Draws are uniform on [0, 1) as in Majumdar et al.'s code, or
 *   zero-mean Gaussian.
 * - {@linkcode RandomTelegraphNoise}: a two-state Markov chain per device with per-pulse
 *   transition probabilities; n pulses use the exact n-step matrix Tⁿ. In the high state it adds
 *   a positive offset scaled by a per-device amplitude drawn once (D2D).
 *
 * When each source is applied: a process changes only inside the population's `applyPulses`
 * (it is part of the stored device value); read noise is separate and only appears in `read`.
 * Every process draws from the one `Rng` passed to `applyPulses`.
 *
 * @example
 * ```ts
 * import { noiseProcess } from "./noise.ts";
 * import { Rng } from "../rng.ts";
 * const rng = new Rng(0);
 * const pink = noiseProcess({ kind: "pink", enabled: true, scale: 0.025, exponent: 1, taps: 15, draws: "uniform01" });
 * const s = pink.init(4, rng);
 * pink.advance(s, [1, 0, 3, 20], rng);
 * const out = new Float64Array(4);
 * pink.addTo(s, out); // out[1] === 0 (no pulse yet)
 * ```
 * @module
 */
import type { Rng } from "../rng.ts";
import { type D2DMode, type Distribution, drawParameter } from "./distributions.ts";

/** A per-device typed array. */
export type StateArray = Float32Array | Float64Array | Int32Array | Uint8Array | Uint16Array;

/** Named per-device state arrays. */
export type StateArrays = Record<string, StateArray>;

/** Gaussian noise. */
export interface WhiteNoiseConfig {
  /** Discriminant. */
  kind: "white";
  /** Switch (false: the process contributes 0 and draws nothing). */
  enabled: boolean;
  /** Standard deviation, in the unit of the domain the model adds it to. */
  std: number;
  /**
   * `"perUpdate"`: a fresh N(0, std²) term at every update of every device, replacing the last
   * one. `"perPulse"`: a random walk, each pulse adds N(0, std²) (σ·√n for n pulses).
   */
  mode: "perUpdate" | "perPulse";
  /** State-key prefix when a model holds several processes of one kind (default the kind). */
  name?: string;
}

/** 1/f^α noise by fractional integration of the last `taps` draws. */
export interface PinkNoiseConfig {
  /** Discriminant. */
  kind: "pink";
  /** Switch. */
  enabled: boolean;
  /** Coupling factor multiplying the filter output (Majumdar: α_pink = 0.025). */
  scale: number;
  /** Spectral exponent α of 1/f^α (1 for pink noise). */
  exponent: number;
  /** Filter length P (Majumdar: 15). */
  taps: number;
  /**
   * `"uniform01"`: draws uniform on [0, 1), as coded by Majumdar et al. (mean offset
   * `scale·0.5·Σh`); `"gaussian"`: zero-mean unit normal draws.
   */
  draws: "uniform01" | "gaussian";
  /** State-key prefix (default `"pink"`). */
  name?: string;
}

/** Two-state random telegraph noise. */
export interface RtnConfig {
  /** Discriminant. */
  kind: "rtn";
  /** Switch. */
  enabled: boolean;
  /** Per-pulse probability of a low→high transition. */
  pUp: number;
  /** Per-pulse probability of a high→low transition. */
  pDown: number;
  /** Per-device amplitude A_dev, drawn once (D2D). */
  amplitude: Distribution;
  /**
   * Offset in the high state: `"fixed"` adds A_dev; `"uniformUniform"` adds U(0, U(0,1)·A_dev)
   * (Majumdar et al.'s code).
   */
  offset: "fixed" | "uniformUniform";
  /**
   * When the random offset is redrawn: `"everyUpdate"` (at every update call, even with 0
   * pulses, as in Majumdar et al.'s code) or `"onTransition"` (only when entering the high state).
   */
  redraw: "everyUpdate" | "onTransition";
  /** Initial state: all low (as coded) or drawn from the stationary distribution. */
  initial: "low" | "stationary";
  /** State-key prefix (default `"rtn"`). */
  name?: string;
}

/** Any noise-process configuration. */
export type NoiseConfig = WhiteNoiseConfig | PinkNoiseConfig | RtnConfig;

/** A noise process acting on per-device state arrays it allocates. */
export interface NoiseProcess {
  /** State-key prefix. */
  readonly name: string;
  /** Whether the process is active. */
  readonly enabled: boolean;
  /** The configuration it was built from. */
  readonly config: NoiseConfig;
  /** Allocates the state for `n` devices (D2D draws, if any, come from `rng`). */
  init(n: number, rng: Rng, options?: { d2d?: D2DMode }): StateArrays;
  /** Advances device `i` by `counts[i]` pulses (`counts` ≥ 0; one call = one update). */
  advance(state: StateArrays, counts: ArrayLike<number>, rng: Rng): void;
  /** Contribution of device `i`. */
  value(state: StateArrays, i: number): number;
  /** Adds every device's contribution to `out`. */
  addTo(state: StateArrays, out: Float32Array | Float64Array): void;
}

function checkCounts(counts: ArrayLike<number>, n: number, who: string): void {
  if (counts.length !== n) {
    throw new RangeError(`${who}: got ${counts.length} pulse counts for ${n} devices`);
  }
}

/** Gaussian noise, see {@linkcode WhiteNoiseConfig}. */
export class WhiteNoise implements NoiseProcess {
  /** State-key prefix. */
  readonly name: string;
  /** Whether the process is active. */
  readonly enabled: boolean;

  /** Builds the process; throws on a negative std. */
  constructor(readonly config: WhiteNoiseConfig) {
    if (!(config.std >= 0)) throw new RangeError(`white noise std must be >= 0, got ${config.std}`);
    if (config.mode !== "perUpdate" && config.mode !== "perPulse") {
      throw new RangeError(
        `white noise mode must be "perUpdate" or "perPulse", got ${config.mode}`,
      );
    }
    this.name = config.name ?? "white";
    this.enabled = config.enabled && config.std > 0;
  }

  /** One `value` array, zero. */
  init(n: number): StateArrays {
    return { value: new Float32Array(n) };
  }

  /** Redraws (perUpdate) or accumulates (perPulse). */
  advance(state: StateArrays, counts: ArrayLike<number>, rng: Rng): void {
    if (!this.enabled) return;
    const v = state.value as Float32Array;
    checkCounts(counts, v.length, "white noise");
    const s = this.config.std;
    if (this.config.mode === "perUpdate") {
      for (let i = 0; i < v.length; i++) v[i] = s * rng.normal();
    } else {
      for (let i = 0; i < v.length; i++) {
        const c = counts[i];
        if (c > 0) v[i] += s * Math.sqrt(c) * rng.normal();
      }
    }
  }

  /** Current term of device `i`. */
  value(state: StateArrays, i: number): number {
    return this.enabled ? (state.value as Float32Array)[i] : 0;
  }

  /** Adds the terms to `out`. */
  addTo(state: StateArrays, out: Float32Array | Float64Array): void {
    if (!this.enabled) return;
    const v = state.value as Float32Array;
    for (let i = 0; i < out.length; i++) out[i] += v[i];
  }
}

/**
 * Fractional-integration weights for 1/f^α noise (Kasdin 1995): h₀ = 1,
 * hₖ = hₖ₋₁·(k − 1 + α/2)/k. For α = 1: 1, 0.5, 0.375, 0.3125, 0.2734, …
 */
export function fractionalIntegrationWeights(taps: number, exponent = 1): Float64Array {
  if (!(Number.isInteger(taps) && taps >= 1)) {
    throw new RangeError(`taps must be an integer >= 1, got ${taps}`);
  }
  const h = new Float64Array(taps);
  h[0] = 1;
  for (let k = 1; k < taps; k++) h[k] = h[k - 1] * (k - 1 + exponent / 2) / k;
  return h;
}

/** 1/f^α noise, see {@linkcode PinkNoiseConfig}. */
export class PinkNoise implements NoiseProcess {
  /** State-key prefix. */
  readonly name: string;
  /** Whether the process is active. */
  readonly enabled: boolean;
  /** Filter weights h₀ … h_{P−1}. */
  readonly weights: Float64Array;

  /** Builds the filter; throws on invalid taps. */
  constructor(readonly config: PinkNoiseConfig) {
    if (config.draws !== "uniform01" && config.draws !== "gaussian") {
      throw new RangeError(
        `pink noise draws must be "uniform01" or "gaussian", got ${config.draws}`,
      );
    }
    if (!Number.isFinite(config.scale)) throw new RangeError(`pink noise scale must be finite`);
    this.name = config.name ?? "pink";
    this.enabled = config.enabled && config.scale !== 0;
    this.weights = fractionalIntegrationWeights(config.taps, config.exponent);
  }

  /**
   * State: `history` (n × P ring buffers of draws, zero before the first pulses as in the
   * reference code), `head` (next write slot) and `sum` (cached filter output, unscaled).
   */
  init(n: number): StateArrays {
    const P = this.config.taps;
    return {
      history: new Float32Array(this.enabled ? n * P : 0),
      head: new Uint16Array(this.enabled ? n : 0),
      sum: new Float32Array(n),
    };
  }

  /** Pushes `counts[i]` new draws into device `i`'s history and refreshes its output. */
  advance(state: StateArrays, counts: ArrayLike<number>, rng: Rng): void {
    if (!this.enabled) return;
    const sum = state.sum as Float32Array;
    checkCounts(counts, sum.length, "pink noise");
    const hist = state.history as Float32Array, head = state.head as Uint16Array;
    const P = this.config.taps, h = this.weights, gauss = this.config.draws === "gaussian";
    for (let i = 0; i < sum.length; i++) {
      const c = counts[i];
      if (!(c > 0)) continue;
      // Only the newest P draws are inside the filter window; older ones are not drawn.
      const draws = Math.min(c, P);
      const base = i * P;
      let hd = head[i];
      for (let d = 0; d < draws; d++) {
        hist[base + hd] = gauss ? rng.normal() : rng.uniform();
        hd = hd + 1 === P ? 0 : hd + 1;
      }
      head[i] = hd;
      // Newest draw (slot hd − 1) gets h₀.
      let s = 0, idx = hd === 0 ? P - 1 : hd - 1;
      for (let k = 0; k < P; k++) {
        s += h[k] * hist[base + idx];
        idx = idx === 0 ? P - 1 : idx - 1;
      }
      sum[i] = s;
    }
  }

  /** Current term of device `i` (scale · filter output). */
  value(state: StateArrays, i: number): number {
    return this.enabled ? this.config.scale * (state.sum as Float32Array)[i] : 0;
  }

  /** Adds the terms to `out`. */
  addTo(state: StateArrays, out: Float32Array | Float64Array): void {
    if (!this.enabled) return;
    const s = state.sum as Float32Array, a = this.config.scale;
    for (let i = 0; i < out.length; i++) out[i] += a * s[i];
  }

  /**
   * Stationary mean and standard deviation of the term once the history is full (derived):
   * uniform draws give mean scale·Σh/2 and sd scale·√(Σh²/12); Gaussian draws 0 and scale·√Σh².
   */
  stationaryMoments(): { mean: number; sd: number } {
    let s1 = 0, s2 = 0;
    for (const w of this.weights) {
      s1 += w;
      s2 += w * w;
    }
    const a = Math.abs(this.config.scale);
    return this.config.draws === "uniform01"
      ? { mean: this.config.scale * s1 / 2, sd: a * Math.sqrt(s2 / 12) }
      : { mean: 0, sd: a * Math.sqrt(s2) };
  }
}

/**
 * n-step transition matrix of a two-state chain with per-step probabilities `pUp` (low→high)
 * and `pDown` (high→low), in closed form: P(low→high in n) = pUp/(pUp+pDown)·(1 − λⁿ),
 * P(high→low in n) = pDown/(pUp+pDown)·(1 − λⁿ), λ = 1 − pUp − pDown.
 * Returns `[[p(l→l), p(l→h)], [p(h→l), p(h→h)]]`.
 */
export function rtnTransitionMatrix(pUp: number, pDown: number, n: number): [[number, number], [
  number,
  number,
]] {
  if (!(pUp >= 0 && pUp <= 1 && pDown >= 0 && pDown <= 1)) {
    throw new RangeError(`RTN probabilities must be in [0, 1], got pUp=${pUp}, pDown=${pDown}`);
  }
  if (!(n >= 0)) throw new RangeError(`step count must be >= 0, got ${n}`);
  const s = pUp + pDown;
  if (s === 0) return [[1, 0], [0, 1]];
  const f = 1 - Math.pow(1 - s, n);
  const up = pUp / s * f, down = pDown / s * f;
  return [[1 - up, up], [down, 1 - down]];
}

/** Two-state random telegraph noise, see {@linkcode RtnConfig}. */
export class RandomTelegraphNoise implements NoiseProcess {
  /** State-key prefix. */
  readonly name: string;
  /** Whether the process is active. */
  readonly enabled: boolean;
  private cacheN = new Float64Array(0);
  private cacheUp = new Float64Array(0);
  private cacheDown = new Float64Array(0);

  /** Builds the chain; throws on probabilities outside [0, 1]. */
  constructor(readonly config: RtnConfig) {
    rtnTransitionMatrix(config.pUp, config.pDown, 1);
    if (config.offset !== "fixed" && config.offset !== "uniformUniform") {
      throw new RangeError(`RTN offset must be "fixed" or "uniformUniform", got ${config.offset}`);
    }
    if (config.redraw !== "everyUpdate" && config.redraw !== "onTransition") {
      throw new RangeError(
        `RTN redraw must be "everyUpdate" or "onTransition", got ${config.redraw}`,
      );
    }
    this.name = config.name ?? "rtn";
    this.enabled = config.enabled;
    // Tabulate Tⁿ for small n (the common case: a handful of pulses per update).
    const N = 64;
    this.cacheN = new Float64Array(N);
    this.cacheUp = new Float64Array(N);
    this.cacheDown = new Float64Array(N);
    for (let k = 0; k < N; k++) {
      const t = rtnTransitionMatrix(config.pUp, config.pDown, k);
      this.cacheN[k] = k;
      this.cacheUp[k] = t[0][1];
      this.cacheDown[k] = t[1][0];
    }
  }

  /** Stationary probability of the high state, pUp/(pUp + pDown). */
  stationaryHigh(): number {
    const s = this.config.pUp + this.config.pDown;
    return s === 0 ? 0 : this.config.pUp / s;
  }

  /** State: `high` (0/1), `offset` (current term) and per-device `amplitude` (D2D). */
  init(n: number, rng: Rng, options: { d2d?: D2DMode } = {}): StateArrays {
    const high = new Uint8Array(n), offset = new Float32Array(n), amplitude = new Float32Array(n);
    if (!this.enabled) return { high, offset, amplitude };
    drawParameter(this.config.amplitude, amplitude, { rng, mode: options.d2d });
    if (this.config.initial === "stationary") {
      const p = this.stationaryHigh();
      for (let i = 0; i < n; i++) {
        if (rng.uniform() < p) {
          high[i] = 1;
          offset[i] = this.drawOffset(amplitude[i], rng);
        }
      }
    } else if (this.config.initial !== "low") {
      throw new RangeError(`RTN initial must be "low" or "stationary", got ${this.config.initial}`);
    }
    return { high, offset, amplitude };
  }

  /** One high-state offset for amplitude `a`. */
  private drawOffset(a: number, rng: Rng): number {
    return this.config.offset === "fixed" ? a : rng.uniform() * (rng.uniform() * a);
  }

  /** Probabilities of switching during `n` pulses from low and from high. */
  switchProbabilities(n: number): { fromLow: number; fromHigh: number } {
    if (n < this.cacheN.length && Number.isInteger(n)) {
      return { fromLow: this.cacheUp[n], fromHigh: this.cacheDown[n] };
    }
    const t = rtnTransitionMatrix(this.config.pUp, this.config.pDown, n);
    return { fromLow: t[0][1], fromHigh: t[1][0] };
  }

  /** Moves each device's chain by `counts[i]` steps with Tⁿ and refreshes the offsets. */
  advance(state: StateArrays, counts: ArrayLike<number>, rng: Rng): void {
    if (!this.enabled) return;
    const high = state.high as Uint8Array, offset = state.offset as Float32Array;
    const amp = state.amplitude as Float32Array;
    checkCounts(counts, high.length, "RTN");
    const every = this.config.redraw === "everyUpdate";
    const N = this.cacheN.length;
    for (let i = 0; i < high.length; i++) {
      const c = counts[i];
      const wasHigh = high[i] === 1;
      if (c > 0) {
        let p: number;
        if (c < N && Number.isInteger(c)) p = wasHigh ? this.cacheDown[c] : this.cacheUp[c];
        else {
          const sp = this.switchProbabilities(c);
          p = wasHigh ? sp.fromHigh : sp.fromLow;
        }
        if (rng.uniform() < p) high[i] = wasHigh ? 0 : 1;
      }
      if (high[i] === 1) {
        if (every || !wasHigh) offset[i] = this.drawOffset(amp[i], rng);
      } else offset[i] = 0;
    }
  }

  /** Current offset of device `i`. */
  value(state: StateArrays, i: number): number {
    return this.enabled ? (state.offset as Float32Array)[i] : 0;
  }

  /** Adds the offsets to `out`. */
  addTo(state: StateArrays, out: Float32Array | Float64Array): void {
    if (!this.enabled) return;
    const o = state.offset as Float32Array;
    for (let i = 0; i < out.length; i++) out[i] += o[i];
  }
}

/** Builds the process described by `config`. */
export function noiseProcess(config: NoiseConfig): NoiseProcess {
  switch (config.kind) {
    case "white":
      return new WhiteNoise(config);
    case "pink":
      return new PinkNoise(config);
    case "rtn":
      return new RandomTelegraphNoise(config);
    default:
      throw new TypeError(
        `unknown noise kind "${(config as { kind: string }).kind}"; use "white", "pink" or "rtn"`,
      );
  }
}
