/**
 * Devices programmed to one of a few discrete levels: multi-level RRAM (target conductance set
 * by a compliance current), domain-wall synapses with K states, binary ST-MRAM. A write
 * (`program`) snaps the target to the nearest level, then either fails (device unchanged, with
 * a per-device probability) or stores `level + N(0, σ_level² + (relStd·level)²)` clipped to the
 * physical range. Pulses (`applyPulses`) move a device up/down by whole levels, with the same
 * programming error per move. Additive C2C noise processes advance by one event per write.
 *
 * Counters: one programming event per attempted write (skipped writes, where the device already
 * holds the target level, are not counted when `skipUnchanged` is set), failures, pulses.
 *
 * @example
 * ```ts
 * import { LevelModel, uniformLevels } from "./levels.ts";
 * import { Rng } from "../rng.ts";
 * const rng = new Rng(0);
 * const pop = new LevelModel({ ...uniformLevels(4, [20, 120]), programStd: 0 }).sample(2, rng);
 * pop.program([50, 200], rng);
 * pop.values(); // Float32Array [53.33…, 120]
 * ```
 * @module
 */
import type { Rng } from "../rng.ts";
import { type EnergyModel, UNKNOWN_ENERGY } from "./counters.ts";
import {
  constant,
  type D2DMode,
  type Distribution,
  drawParameter,
  validateDistribution,
} from "./distributions.ts";
import type { NoiseConfig } from "./noise.ts";
import {
  checkRelaxation,
  type DeviceModel,
  DevicePopulation,
  IDEAL_READ,
  nearestLevel,
  NO_RELAXATION,
  type ProgramResult,
  type ReadConfig,
  type RelaxationConfig,
  relaxValues,
} from "./population.ts";

/** Configuration of a level-programmed device. */
export interface LevelDeviceConfig {
  /** Discriminant. */
  kind: "levels";
  /** Preset or user name. */
  name: string;
  /** Nominal level values, strictly ascending (value unit). */
  levels: number[];
  /** Absolute programming-error sd, one per level or one for all (value unit). */
  programStd: number | number[];
  /** Relative programming-error sd (fraction of |level|). */
  programRelStd: number;
  /** Physical range `[min, max]` the programmed value is clipped (truncated) to. */
  clip: [number, number];
  /** Per-device probability that a write fails (device unchanged), D2D. */
  failProb: Distribution;
  /** Skip (and do not count) writes of the level a device already holds. */
  skipUnchanged: boolean;
  /** Initial level index, or `"random"` (uniform over levels). */
  initialLevel: number | "random";
  /** Additive C2C noise processes (value unit), advanced once per write. */
  noise: NoiseConfig[];
  /** Read path. */
  read: ReadConfig;
  /** Retention. */
  relaxation: RelaxationConfig;
  /** D2D mode for `failProb` and noise amplitudes. */
  d2d: D2DMode;
  /** Per-event energies (J): `programJ` per write attempt, `pulseJ` per level move. */
  energy: EnergyModel;
  /** Optional energy per write by target level (J); added to the counters' extra energy. */
  programJPerLevel?: number[];
  /** Unit of the value. */
  unit: string;
}

/** Options of {@linkcode LevelModel.sample} overrides. */
export interface LevelSampleOverrides {
  /** Explicit per-device write-failure probabilities (instead of drawing `failProb`). */
  failProb?: Float32Array;
}

/**
 * A configuration with `count` uniformly spaced levels on `range` and defaults: no error, no
 * failures, ideal read, unknown energy. Spread the result and set the fields you know.
 */
export function uniformLevels(count: number, range: [number, number] = [-1, 1]): LevelDeviceConfig {
  if (!(Number.isInteger(count) && count >= 2)) {
    throw new RangeError(`uniformLevels needs an integer count >= 2, got ${count}`);
  }
  const [lo, hi] = range;
  if (!(hi > lo)) throw new RangeError(`level range must be [min, max] with max > min`);
  const levels = Array.from({ length: count }, (_, k) => lo + (hi - lo) * k / (count - 1));
  return {
    kind: "levels",
    name: `${count}-level`,
    levels,
    programStd: 0,
    programRelStd: 0,
    clip: [lo, hi],
    failProb: constant(0),
    skipUnchanged: true,
    initialLevel: 0,
    noise: [],
    read: IDEAL_READ,
    relaxation: NO_RELAXATION,
    d2d: "sampled",
    energy: UNKNOWN_ENERGY,
    unit: "value",
  };
}

/** A model that draws {@linkcode LevelPopulation}s. */
export class LevelModel implements DeviceModel {
  /** Model kind. */
  readonly kind: "levels" = "levels";
  /** Preset or user name. */
  readonly name: string;

  /** Validates the configuration. */
  constructor(readonly config: LevelDeviceConfig) {
    if (config.kind !== "levels") {
      throw new TypeError(`LevelModel needs a config of kind "levels", got "${config.kind}"`);
    }
    const L = config.levels.length;
    if (L < 1) throw new RangeError(`a level device needs at least one level`);
    nearestLevel([0], config.levels);
    const sd = config.programStd;
    if (Array.isArray(sd) ? sd.length !== L || sd.some((s) => !(s >= 0)) : !(sd >= 0)) {
      throw new RangeError(`programStd must be >= 0, one value or one per level (${L})`);
    }
    if (!(config.programRelStd >= 0)) throw new RangeError(`programRelStd must be >= 0`);
    if (!(config.clip[1] >= config.clip[0])) throw new RangeError(`clip must be [min, max]`);
    validateDistribution(config.failProb, "failProb");
    const il = config.initialLevel;
    if (il !== "random" && !(Number.isInteger(il) && il >= 0 && il < L)) {
      throw new RangeError(`initialLevel must be "random" or an index in [0, ${L - 1}], got ${il}`);
    }
    if (config.programJPerLevel && config.programJPerLevel.length !== L) {
      throw new RangeError(`programJPerLevel needs one energy per level (${L})`);
    }
    checkRelaxation(config.relaxation);
    this.name = config.name;
  }

  /** Draws `n` devices (optionally with explicit per-device failure probabilities). */
  sample(n: number, rng: Rng, overrides: LevelSampleOverrides = {}): LevelPopulation {
    return new LevelPopulation(this.config, n, { rng, ...overrides });
  }
}

/** A population of level-programmed devices. */
export class LevelPopulation extends DevicePopulation {
  /** Model kind. */
  readonly kind: "levels" = "levels";
  /** Level index each device was last successfully programmed to. */
  readonly level: Int32Array;
  /** Stored value (level + programming error, before additive noise terms). */
  readonly stored: Float32Array;
  /** Per-device write-failure probability. */
  readonly failProb: Float32Array;
  private readonly levels: Float64Array;
  private readonly sd: Float64Array;
  private readonly scratch: Float64Array;
  private readonly lo: Float32Array;
  private readonly hi: Float32Array;

  /** Draws `failProb` (unless given), then noise, then the initial levels. */
  constructor(
    readonly config: LevelDeviceConfig,
    n: number,
    options: { rng: Rng; failProb?: Float32Array },
  ) {
    const { rng } = options;
    let fp: Float32Array;
    if (options.failProb) {
      if (options.failProb.length !== n) {
        throw new RangeError(
          `got ${options.failProb.length} failure probabilities for ${n} devices`,
        );
      }
      fp = options.failProb.slice();
    } else fp = drawParameter(config.failProb, new Float32Array(n), { rng, mode: config.d2d });
    for (let i = 0; i < n; i++) {
      if (!(fp[i] >= 0 && fp[i] <= 1)) {
        throw new RangeError(
          `write-failure probability must be in [0, 1], got ${fp[i]} (device ${i})`,
        );
      }
    }
    super(n, {
      noise: config.noise,
      read: config.read,
      energy: config.energy,
      d2d: config.d2d,
      unit: config.unit,
      rng,
    });
    this.failProb = this.params.failProb = fp;
    const L = config.levels.length;
    this.levels = Float64Array.from(config.levels);
    this.sd = Array.isArray(config.programStd)
      ? Float64Array.from(config.programStd)
      : new Float64Array(L).fill(config.programStd);
    this.level = new Int32Array(n);
    this.stored = new Float32Array(n);
    this.state.level = this.level;
    this.state.stored = this.stored;
    this.scratch = new Float64Array(n);
    this.lo = new Float32Array(n).fill(config.clip[0]);
    this.hi = new Float32Array(n).fill(config.clip[1]);
    for (let i = 0; i < n; i++) {
      const k = config.initialLevel === "random" ? rng.int(L) : config.initialLevel;
      this.level[i] = k;
      this.stored[i] = this.levels[k];
    }
  }

  /** Nominal level values. */
  levelValues(): Float64Array {
    return this.levels.slice();
  }

  /** Stored value plus additive noise terms. */
  values(out: Float32Array = new Float32Array(this.n)): Float32Array {
    const v = this.scratch;
    for (let i = 0; i < this.n; i++) v[i] = this.stored[i];
    this.addNoise(v);
    for (let i = 0; i < this.n; i++) out[i] = v[i];
    return out;
  }

  /** The value a write of level `k` stores (programming error, clipped). */
  private write(k: number, rng: Rng): number {
    const l = this.levels[k];
    let x = l;
    const s = this.sd[k];
    if (s > 0) x += s * rng.normal();
    if (this.config.programRelStd > 0) x += this.config.programRelStd * Math.abs(l) * rng.normal();
    const [lo, hi] = this.config.clip;
    return x < lo ? lo : x > hi ? hi : x;
  }

  /** Programs level indices directly (`-1` skips a device). */
  programLevels(indices: ArrayLike<number>, rng: Rng): ProgramResult {
    this.checkLength(indices, "level indices");
    const L = this.levels.length;
    const events = new Float64Array(this.n);
    let attempted = 0, failed = 0, skipped = 0;
    for (let i = 0; i < this.n; i++) {
      const k = indices[i];
      if (k === -1) {
        skipped++;
        continue;
      }
      if (!(Number.isInteger(k) && k >= 0 && k < L)) {
        throw new RangeError(`level index must be an integer in [0, ${L - 1}] or -1, got ${k}`);
      }
      if (this.config.skipUnchanged && k === this.level[i]) {
        skipped++;
        continue;
      }
      attempted++;
      const p = this.failProb[i];
      const fail = p > 0 && rng.uniform() < p;
      this.counters.addProgram(i, fail);
      if (this.config.programJPerLevel) this.counters.addEnergy(this.config.programJPerLevel[k]);
      if (fail) {
        failed++;
        continue;
      }
      this.level[i] = k;
      this.stored[i] = this.write(k, rng);
      events[i] = 1;
    }
    this.advanceNoise(events, rng);
    return { attempted, failed, skipped, pulses: 0 };
  }

  /** Programs targets (value unit), snapped to the nearest level; NaN skips a device. */
  program(targets: ArrayLike<number>, rng: Rng): ProgramResult {
    this.checkLength(targets, "targets");
    const idx = nearestLevel(targets, this.levels);
    for (let i = 0; i < this.n; i++) if (Number.isNaN(targets[i])) idx[i] = -1;
    return this.programLevels(idx, rng);
  }

  /**
   * Moves device `i` by `counts[i]` levels (clamped to the level range); each moved device gets
   * a fresh programming error and its pulses are counted (not as programming events).
   */
  applyPulses(counts: ArrayLike<number>, rng: Rng): void {
    this.checkLength(counts, "pulse counts");
    const L = this.levels.length;
    const events = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) {
      const c = counts[i];
      if (!Number.isInteger(c)) throw new RangeError(`pulse counts must be integers, got ${c}`);
      if (c === 0) continue;
      const k = Math.min(L - 1, Math.max(0, this.level[i] + c));
      this.counters.addPulses(i, Math.abs(c));
      if (k === this.level[i]) continue;
      this.level[i] = k;
      this.stored[i] = this.write(k, rng);
      events[i] = 1;
    }
    this.advanceNoise(events, rng);
    this.counters.updates++;
  }

  /** Decay and diffusion of the stored value over `dtSeconds` (clipped to `clip`). */
  override relax(dtSeconds: number, rng: Rng): void {
    super.relax(dtSeconds, rng);
    relaxValues(this.stored, this.config.relaxation, {
      dt: dtSeconds,
      rng,
      lo: this.lo,
      hi: this.hi,
    });
  }
}
