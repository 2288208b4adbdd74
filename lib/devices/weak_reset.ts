/**
 * Progressive (weak-RESET) resistive switching with a two-slope mean model in log-resistance,
 * the model of Majumdar et al. 2021 (IEEE TED 68(10); arXiv 2107.06064) in general form.
 *
 * State per device: the cumulative number of weak-RESET pulses t since the last SET, plus the
 * state of the C2C noise processes. With per-device parameters m1, t*, c1, m2, R0 (D2D):
 *
 *   w_mean(t) = m1·t + c1                    for t < t*
 *   w_mean(t) = m2·t + t*·(m1 − m2) + c1     for t ≥ t*   (continuous at the knee)
 *   R = R0·exp(w_mean(t) + Σ noise terms)
 *
 * Noise processes (pink, RTN, white) are added in the log-resistance domain and advance only in
 * `applyPulses`. Pulses are weak RESETs only (counts ≥ 0: resistance can only grow); `program`
 * is a full SET back to the LRS (t ← 0) followed by the open-loop number of weak-RESET pulses
 * that the device's own mean curve needs to reach the target.
 *
 * @example
 * ```ts
 * import { WeakResetModel } from "./weak_reset.ts";
 * import { HfOxWeakReset2021 } from "./hfox_weak_reset_2021.ts";
 * import { Rng } from "../rng.ts";
 * const rng = new Rng(0);
 * const pop = new WeakResetModel(HfOxWeakReset2021).sample(3, rng);
 * pop.applyPulses([0, 10, 100], rng);
 * pop.values(); // resistances in Ω
 * ```
 * @module
 */
import type { Rng } from "../rng.ts";
import type { EnergyModel } from "./counters.ts";
import {
  type D2DMode,
  type Distribution,
  drawParameter,
  validateDistribution,
} from "./distributions.ts";
import type { NoiseConfig } from "./noise.ts";
import {
  type DeviceModel,
  DevicePopulation,
  type ProgramResult,
  type ReadConfig,
} from "./population.ts";

/** Configuration of a weak-RESET device (every field documented in the preset). */
export interface WeakResetConfig {
  /** Discriminant. */
  kind: "weakReset";
  /** Preset or user name. */
  name: string;
  /** Log-resistance slope per pulse before the knee (1/pulse), D2D. */
  m1: Distribution;
  /** Knee position (pulses), D2D. */
  tStar: Distribution;
  /** Log-resistance offset at t = 0 (dimensionless), D2D. */
  c1: Distribution;
  /** Log-resistance slope per pulse after the knee (1/pulse), D2D. */
  m2: Distribution;
  /** Low-resistance state after SET (Ω), D2D. */
  r0: Distribution;
  /** `"sampled"`: per-device draws; `"median"`/`"mean"`: every device identical (no-D2D ablation). */
  d2d: D2DMode;
  /** C2C noise processes in the log-resistance domain. */
  noise: NoiseConfig[];
  /** Read path, in Ω. */
  read: ReadConfig;
  /** Per-event energies (J): `pulseJ` per weak RESET, `programJ` per SET. */
  energy: EnergyModel;
  /** Largest pulse count `program` may use to reach a target (pulses). */
  maxProgramPulses: number;
}

/** The mean log-resistance of the two-slope model after `t` pulses. */
export function twoSlopeMean(
  t: number,
  p: { m1: number; tStar: number; c1: number; m2: number },
): number {
  return t < p.tStar ? p.m1 * t + p.c1 : p.m2 * t + p.tStar * (p.m1 - p.m2) + p.c1;
}

/**
 * Pulses `t ≥ 0` at which the mean model reaches log-resistance `w` (its inverse), `Infinity`
 * when unreachable (m2 = 0 past the knee), 0 at or below c1.
 */
export function twoSlopeInverse(
  w: number,
  p: { m1: number; tStar: number; c1: number; m2: number },
): number {
  if (w <= p.c1) return 0;
  const knee = p.m1 * p.tStar + p.c1;
  if (w < knee) return p.m1 > 0 ? (w - p.c1) / p.m1 : Infinity;
  return p.m2 > 0 ? p.tStar + (w - knee) / p.m2 : (w === knee ? p.tStar : Infinity);
}

/** A model that draws {@linkcode WeakResetPopulation}s. */
export class WeakResetModel implements DeviceModel {
  /** Model kind. */
  readonly kind: "weakReset" = "weakReset";
  /** Preset or user name. */
  readonly name: string;

  /** Validates the configuration. */
  constructor(readonly config: WeakResetConfig) {
    if (config.kind !== "weakReset") {
      throw new TypeError(
        `WeakResetModel needs a config of kind "weakReset", got "${config.kind}"`,
      );
    }
    for (const k of ["m1", "tStar", "c1", "m2", "r0"] as const) validateDistribution(config[k], k);
    if (!(config.maxProgramPulses >= 0)) {
      throw new RangeError(`maxProgramPulses must be >= 0, got ${config.maxProgramPulses}`);
    }
    this.name = config.name;
  }

  /** Draws `n` devices. */
  sample(n: number, rng: Rng): WeakResetPopulation {
    return new WeakResetPopulation(this.config, n, rng);
  }
}

/** A population of weak-RESET devices (resistances in Ω). */
export class WeakResetPopulation extends DevicePopulation {
  /** Model kind. */
  readonly kind: "weakReset" = "weakReset";
  /** Per-device slope before the knee (1/pulse). */
  readonly m1: Float32Array;
  /** Per-device knee (pulses). */
  readonly tStar: Float32Array;
  /** Per-device offset. */
  readonly c1: Float32Array;
  /** Per-device slope after the knee (1/pulse). */
  readonly m2: Float32Array;
  /** Per-device LRS resistance (Ω). */
  readonly r0: Float32Array;
  /** Cumulative weak-RESET pulses since the last SET, per device. */
  readonly t: Float32Array;
  private readonly scratch: Float64Array;

  /** Draws the D2D parameters (in the order m1, t*, c1, m2, R0, then noise amplitudes). */
  constructor(readonly config: WeakResetConfig, n: number, rng: Rng) {
    // D2D parameters are drawn before the noise state so the draw order is m1, t*, c1, m2, R0.
    const draw = (d: Distribution) =>
      drawParameter(d, new Float32Array(n), { rng, mode: config.d2d });
    const m1 = draw(config.m1), tStar = draw(config.tStar), c1 = draw(config.c1);
    const m2 = draw(config.m2), r0 = draw(config.r0);
    super(n, {
      noise: config.noise,
      read: config.read,
      energy: config.energy,
      d2d: config.d2d,
      unit: "Ω",
      rng,
    });
    this.m1 = this.params.m1 = m1;
    this.tStar = this.params.tStar = tStar;
    this.c1 = this.params.c1 = c1;
    this.m2 = this.params.m2 = m2;
    this.r0 = this.params.r0 = r0;
    this.t = new Float32Array(n);
    this.state.t = this.t;
    this.scratch = new Float64Array(n);
  }

  /** Mean-model log-resistance of each device (no noise). */
  meanLog(out: Float64Array = new Float64Array(this.n)): Float64Array {
    for (let i = 0; i < this.n; i++) {
      const t = this.t[i], ts = this.tStar[i];
      out[i] = t < ts
        ? this.m1[i] * t + this.c1[i]
        : this.m2[i] * t + ts * (this.m1[i] - this.m2[i]) +
          this.c1[i];
    }
    return out;
  }

  /** Log-resistance w = w_mean + noise of each device, ln(R/R0). */
  logValues(out: Float64Array = new Float64Array(this.n)): Float64Array {
    this.meanLog(out);
    this.addNoise(out);
    return out;
  }

  /** Resistances R = R0·exp(w) (Ω). */
  values(out: Float32Array = new Float32Array(this.n)): Float32Array {
    const w = this.logValues(this.scratch);
    for (let i = 0; i < this.n; i++) out[i] = this.r0[i] * Math.exp(w[i]);
    return out;
  }

  /** Applies `counts[i]` ≥ 0 weak-RESET pulses (integers) to device `i`. */
  applyPulses(counts: ArrayLike<number>, rng: Rng): void {
    this.checkLength(counts, "pulse counts");
    for (let i = 0; i < this.n; i++) {
      const c = counts[i];
      if (!(c >= 0) || !Number.isInteger(c)) {
        throw new RangeError(
          `${this.config.name}: pulse counts must be integers >= 0 (weak RESET only; use program() ` +
            `for a SET), got ${c} for device ${i}`,
        );
      }
    }
    for (let i = 0; i < this.n; i++) {
      const c = counts[i];
      if (c > 0) {
        this.t[i] += c;
        this.counters.addPulses(i, c);
      }
    }
    this.advanceNoise(counts, rng);
    this.counters.updates++;
  }

  /**
   * SET to the LRS (t ← 0), then the open-loop number of weak-RESET pulses that the device's
   * own mean curve needs to reach `targets[i]` (Ω): round(t⁻¹(ln(target/R0))), capped at
   * `maxProgramPulses` (failed when the target needs more, or lies below the LRS). The C2C noise
   * of those pulses is the programming error. Devices with a NaN target are left untouched.
   */
  program(targets: ArrayLike<number>, rng: Rng): ProgramResult {
    this.checkLength(targets, "targets");
    const counts = new Float64Array(this.n);
    let attempted = 0, failed = 0, pulses = 0;
    for (let i = 0; i < this.n; i++) {
      const target = targets[i];
      if (Number.isNaN(target)) continue;
      if (!(target > 0)) throw new RangeError(`target resistance must be > 0 Ω, got ${target}`);
      attempted++;
      const p = { m1: this.m1[i], tStar: this.tStar[i], c1: this.c1[i], m2: this.m2[i] };
      const need = twoSlopeInverse(Math.log(target / this.r0[i]), p);
      const tooLow = Math.log(target / this.r0[i]) < p.c1;
      let c = Math.round(need);
      let fail = tooLow;
      if (!(c <= this.config.maxProgramPulses)) {
        c = this.config.maxProgramPulses;
        fail = true;
      }
      if (fail) failed++;
      this.t[i] = 0;
      counts[i] = c;
      pulses += c;
      this.counters.addProgram(i, fail);
    }
    // The SET is one programming event; the weak RESETs that follow are counted as pulses.
    this.applyPulsesUnchecked(counts, rng);
    return { attempted, failed, skipped: 0, pulses };
  }

  /**
   * Full SET back to the LRS (t ← 0) of the devices where `mask[i]` is true (all by default),
   * one programming event each. Noise-process state (filter history, RTN) is kept: it is the
   * device's, not the filament's.
   */
  set(mask?: ArrayLike<boolean>): number {
    if (mask) this.checkLength(mask, "mask entries");
    let c = 0;
    for (let i = 0; i < this.n; i++) {
      if (mask && !mask[i]) continue;
      this.t[i] = 0;
      this.counters.addProgram(i, false);
      c++;
    }
    return c;
  }

  /** `applyPulses` without validation (counts built internally). */
  private applyPulsesUnchecked(counts: Float64Array, rng: Rng): void {
    for (let i = 0; i < this.n; i++) {
      if (counts[i] > 0) {
        this.t[i] += counts[i];
        this.counters.addPulses(i, counts[i]);
      }
    }
    this.advanceNoise(counts, rng);
    this.counters.updates++;
  }

  /** Number of devices past their knee (t ≥ t*, the slow m2 regime). */
  pastKnee(): number {
    let c = 0;
    for (let i = 0; i < this.n; i++) if (this.t[i] >= this.tStar[i]) c++;
    return c;
  }
}
