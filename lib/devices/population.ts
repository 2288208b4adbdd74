/**
 * The device-population contract shared by every model: a struct of arrays (per-device
 * parameters drawn once, per-device state), composable noise processes, counters and energy,
 * and the four entry points
 *
 * - `applyPulses(counts, rng)`: incremental programming; `counts[i]` signed pulses for device i
 *   (positive = the model's "up" direction). C2C noise processes advance here.
 * - `program(targets, rng)`: write an absolute target (programming error, failed writes).
 * - `read(rng)`: the stored value plus read noise, quantised by the ADC; read noise is redrawn at
 *   every read and never stored.
 * - `relax(dtSeconds, rng)`: retention (decay towards a rest value, diffusion) where modelled.
 *
 * `values()` is the stored value without read noise (what an ideal sense amplifier sees).
 * A population is created by a {@linkcode DeviceModel}'s `sample(n, rng)` (device-to-device draw).
 *
 * @example
 * ```ts
 * import { quantize } from "./population.ts";
 * quantize(new Float32Array([0.26, -0.74]), { step: 0.5 }); // Float32Array [0.5, -0.5]
 * ```
 * @module
 */
import type { Rng } from "../rng.ts";
import { type CountersSnapshot, DeviceCounters, type EnergyModel } from "./counters.ts";
import { type NoiseConfig, type NoiseProcess, noiseProcess, type StateArrays } from "./noise.ts";
import type { D2DMode } from "./distributions.ts";

/** Read path: read noise (redrawn at every read) and ADC quantisation. */
export interface ReadConfig {
  /** Absolute read-noise standard deviation, in the population's value unit. */
  std: number;
  /** Relative read-noise standard deviation, as a fraction of |value|. */
  relStd: number;
  /** ADC step in the value unit (0: no quantisation). */
  quantStep: number;
  /** ADC range `[min, max]`: reads are clipped to it (optional). */
  range?: readonly [number, number];
}

/** A noiseless, unquantised read. */
export const IDEAL_READ: ReadConfig = { std: 0, relStd: 0, quantStep: 0 };

/** Retention: decay towards `rest` with time constant `lifetimeS`, plus diffusion. */
export interface RelaxationConfig {
  /** Decay time constant (s); `Infinity` for none. */
  lifetimeS: number;
  /** Value the device decays towards (value unit). */
  rest: number;
  /** Diffusion: standard deviation added per √second (value unit / √s). */
  diffusionStd: number;
}

/** No retention loss (non-volatile, no diffusion). */
export const NO_RELAXATION: RelaxationConfig = { lifetimeS: Infinity, rest: 0, diffusionStd: 0 };

/** What a `program` call did. */
export interface ProgramResult {
  /** Devices for which a write was attempted. */
  attempted: number;
  /** Attempts that failed (device left unchanged or target unreachable). */
  failed: number;
  /** Devices skipped because they already held the target. */
  skipped: number;
  /** Pulses spent by the write (pulse-based programming), else 0. */
  pulses: number;
}

/** Plain-data copy of a population (for `ctx.cached` units and checkpoints). */
export interface PopulationSnapshot {
  /** Model kind. */
  kind: string;
  /** Devices. */
  n: number;
  /** Per-device parameters. */
  params: Record<string, Float32Array>;
  /** Per-device state, noise state included (keys `"<process>.<array>"`). */
  state: StateArrays;
  /** Counters. */
  counters: CountersSnapshot;
}

/** A device model: a configuration that can draw populations. */
export interface DeviceModel {
  /** Model kind, e.g. `"weakReset"`, `"pulsed"`, `"levels"`. */
  readonly kind: string;
  /** Preset or user name. */
  readonly name: string;
  /** Draws `n` devices (device-to-device variability) from `rng`. */
  sample(n: number, rng: Rng): DevicePopulation;
}

/** Options of the {@linkcode DevicePopulation} constructor. */
export interface PopulationOptions {
  /** C2C noise processes, in the model's noise domain. */
  noise: readonly NoiseConfig[];
  /** Read path. */
  read: ReadConfig;
  /** Per-event energies. */
  energy: EnergyModel;
  /** D2D mode, passed to noise processes with per-device parameters. */
  d2d: D2DMode;
  /** Unit of `values()`, e.g. `"Ω"`, `"µS"`, `"normalised weight"`. */
  unit: string;
  /** Generator for the noise processes' D2D draws. */
  rng: Rng;
}

/** Base class of every population: arrays, noise, counters, read path, snapshots. */
export abstract class DevicePopulation {
  /** Model kind. */
  abstract readonly kind: string;
  /** Per-device parameters drawn once (D2D), by name. */
  readonly params: Record<string, Float32Array> = {};
  /** Per-device state arrays, by name (noise state under `"<process>.<array>"`). */
  readonly state: StateArrays = {};
  /** Event counters and energy. */
  readonly counters: DeviceCounters;
  /** The C2C noise processes, in the order they are applied. */
  readonly noise: readonly NoiseProcess[];
  /** Read path. */
  readonly readConfig: ReadConfig;
  /** Unit of `values()`. */
  readonly unit: string;
  /** Per-process state (the same arrays as in `state`). */
  protected readonly noiseStates: StateArrays[];

  /** Allocates counters and noise state for `n` devices. */
  protected constructor(readonly n: number, options: PopulationOptions) {
    if (!(Number.isInteger(n) && n >= 1)) {
      throw new RangeError(`a population needs an integer number of devices >= 1, got ${n}`);
    }
    this.counters = new DeviceCounters(n, options.energy);
    this.readConfig = options.read;
    this.unit = options.unit;
    checkRead(options.read);
    const names = new Set<string>();
    this.noise = options.noise.map((c) => noiseProcess(c));
    this.noiseStates = this.noise.map((p) => {
      if (names.has(p.name)) {
        throw new RangeError(
          `two noise processes are named "${p.name}"; give one a distinct \`name\``,
        );
      }
      names.add(p.name);
      const s = p.init(n, options.rng, { d2d: options.d2d });
      for (const [k, v] of Object.entries(s)) this.state[`${p.name}.${k}`] = v;
      return s;
    });
  }

  /** The stored value of every device (C2C terms included, no read noise). */
  abstract values(out?: Float32Array): Float32Array;

  /** Applies `counts[i]` signed pulses to device `i` (one update). */
  abstract applyPulses(counts: ArrayLike<number>, rng: Rng): void;

  /** Writes absolute targets (value unit); see the model for its programming error. */
  abstract program(targets: ArrayLike<number>, rng: Rng): ProgramResult;

  /** Retention over `dtSeconds`; models without retention data leave the devices unchanged. */
  relax(dtSeconds: number, _rng: Rng): void {
    if (!(dtSeconds >= 0)) throw new RangeError(`relax needs dt >= 0 s, got ${dtSeconds}`);
  }

  /** Reads every device: stored value, plus read noise, then ADC quantisation. */
  read(rng: Rng, out?: Float32Array): Float32Array {
    const v = this.values(out);
    applyRead(v, this.readConfig, rng);
    this.counters.reads += this.n;
    return v;
  }

  /** A noise process by name, or `undefined`. */
  noiseProcess(name: string): NoiseProcess | undefined {
    return this.noise.find((p) => p.name === name);
  }

  /** Current contribution of process `name` for every device (zeros when disabled). */
  noiseTerm(name: string, out: Float64Array = new Float64Array(this.n)): Float64Array {
    const k = this.noise.findIndex((p) => p.name === name);
    if (k < 0) {
      throw new RangeError(
        `no noise process "${name}"; this population has: ${
          this.noise.map((p) => p.name).join(", ") || "none"
        }`,
      );
    }
    out.fill(0);
    this.noise[k].addTo(this.noiseStates[k], out);
    return out;
  }

  /** Advances every noise process by `counts` (non-negative pulse magnitudes). */
  protected advanceNoise(counts: ArrayLike<number>, rng: Rng): void {
    for (let k = 0; k < this.noise.length; k++) {
      this.noise[k].advance(this.noiseStates[k], counts, rng);
    }
  }

  /** Adds every noise process's term to `out`. */
  protected addNoise(out: Float64Array | Float32Array): void {
    for (let k = 0; k < this.noise.length; k++) this.noise[k].addTo(this.noiseStates[k], out);
  }

  /** Checks a counts/targets array length. */
  protected checkLength(a: { length: number }, what: string): void {
    if (a.length !== this.n) {
      throw new RangeError(`${this.kind}: got ${a.length} ${what} for ${this.n} devices`);
    }
  }

  /** A deep, plain-data copy. */
  snapshot(): PopulationSnapshot {
    const params: Record<string, Float32Array> = {};
    for (const [k, v] of Object.entries(this.params)) params[k] = v.slice();
    const state: StateArrays = {};
    for (const [k, v] of Object.entries(this.state)) state[k] = v.slice();
    return { kind: this.kind, n: this.n, params, state, counters: this.counters.snapshot() };
  }

  /** Restores a snapshot of a population of the same model and size (arrays copied in place). */
  restore(s: PopulationSnapshot): void {
    if (s.kind !== this.kind || s.n !== this.n) {
      throw new RangeError(
        `snapshot is of a ${s.kind} population of ${s.n} devices, not ${this.kind} × ${this.n}`,
      );
    }
    for (const [k, v] of Object.entries(this.params)) {
      if (!s.params[k]) throw new RangeError(`snapshot lacks parameter "${k}"`);
      v.set(s.params[k]);
    }
    for (const [k, v] of Object.entries(this.state)) {
      if (!s.state[k]) throw new RangeError(`snapshot lacks state "${k}"`);
      (v as Float32Array).set(s.state[k] as Float32Array);
    }
    this.counters.restore(s.counters);
  }
}

function checkRead(r: ReadConfig): void {
  if (!(r.std >= 0) || !(r.relStd >= 0) || !(r.quantStep >= 0)) {
    throw new RangeError(`read config needs std, relStd, quantStep >= 0, got ${JSON.stringify(r)}`);
  }
  if (r.range && !(r.range[1] > r.range[0])) {
    throw new RangeError(`read range must be [min, max] with max > min, got ${r.range}`);
  }
}

/** Applies read noise and quantisation to `v` in place. */
export function applyRead(v: Float32Array, r: ReadConfig, rng: Rng): Float32Array {
  if (r.std > 0 || r.relStd > 0) {
    for (let i = 0; i < v.length; i++) {
      v[i] += r.std * rng.normal() + r.relStd * Math.abs(v[i]) * rng.normal();
    }
  }
  if (r.quantStep > 0 || r.range) {
    quantize(v, { step: r.quantStep, min: r.range?.[0], max: r.range?.[1] }, v);
  }
  return v;
}

/**
 * Rounds to the nearest multiple of `step` (offset by `offset`), then clips to `[min, max]`.
 * `step = 0` only clips.
 */
export function quantize(
  values: ArrayLike<number>,
  options: { step: number; offset?: number; min?: number; max?: number },
  out: Float32Array = new Float32Array(values.length),
): Float32Array {
  const { step } = options;
  if (!(step >= 0)) throw new RangeError(`quantisation step must be >= 0, got ${step}`);
  const off = options.offset ?? 0;
  const lo = options.min ?? -Infinity, hi = options.max ?? Infinity;
  for (let i = 0; i < values.length; i++) {
    let x = values[i];
    if (step > 0) x = off + Math.round((x - off) / step) * step;
    out[i] = x < lo ? lo : x > hi ? hi : x;
  }
  return out;
}

/**
 * Index of the nearest level for each value (`levels` ascending). Ties go to the lower level.
 */
export function nearestLevel(
  values: ArrayLike<number>,
  levels: ArrayLike<number>,
  out: Int32Array = new Int32Array(values.length),
): Int32Array {
  const L = levels.length;
  if (L === 0) throw new RangeError("nearestLevel needs at least one level");
  for (let k = 1; k < L; k++) {
    if (!(levels[k] > levels[k - 1])) throw new RangeError(`levels must be strictly ascending`);
  }
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    let lo = 0, hi = L - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (levels[mid] <= x) lo = mid;
      else hi = mid;
    }
    out[i] = L === 1 ? 0 : Math.abs(x - levels[lo]) <= Math.abs(levels[hi] - x) ? lo : hi;
  }
  return out;
}

/** Checks a relaxation config. */
export function checkRelaxation(r: RelaxationConfig): void {
  if (!(r.lifetimeS > 0) || !(r.diffusionStd >= 0) || !Number.isFinite(r.rest)) {
    throw new RangeError(
      `relaxation needs lifetimeS > 0 (Infinity for none), diffusionStd >= 0 and a finite rest; got ${
        JSON.stringify(r)
      }`,
    );
  }
}

/** Applies decay and diffusion over `dt` to `v` in place, then clips to `[lo[i], hi[i]]`. */
export function relaxValues(
  v: Float32Array,
  r: RelaxationConfig,
  options: { dt: number; rng: Rng; lo?: ArrayLike<number>; hi?: ArrayLike<number> },
): void {
  const { dt, rng } = options;
  const f = r.lifetimeS === Infinity ? 1 : Math.exp(-dt / r.lifetimeS);
  const d = r.diffusionStd * Math.sqrt(dt);
  if (f === 1 && d === 0) return;
  for (let i = 0; i < v.length; i++) {
    let x = r.rest + (v[i] - r.rest) * f;
    if (d > 0) x += d * rng.normal();
    if (options.lo && x < options.lo[i]) x = options.lo[i];
    if (options.hi && x > options.hi[i]) x = options.hi[i];
    v[i] = x;
  }
}
