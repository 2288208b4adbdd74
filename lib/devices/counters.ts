/**
 * Event counters and energy accounting for a device population: pulses and programming events
 * per device (endurance), failed writes, reads, and energy in joules computed from per-event
 * energies. An unknown per-event energy is `null` and makes the matching energy `null` (never a
 * silent zero) as soon as one such event happened.
 *
 * @example
 * ```ts
 * import { DeviceCounters } from "./counters.ts";
 * const c = new DeviceCounters(2, { pulseJ: 1e-12, programJ: null, readJ: 0 });
 * c.addPulses(0, 3);
 * c.energy().pulsesJ; // 3e-12
 * ```
 * @module
 */

/** Energy per event in joules; `null` when unknown for this device. */
export interface EnergyModel {
  /** Energy of one update pulse (J). */
  pulseJ: number | null;
  /** Energy of one programming event, i.e. one write of a target (J). */
  programJ: number | null;
  /** Energy of reading one device once (J). */
  readJ: number | null;
}

/** An energy model with every energy unknown. */
export const UNKNOWN_ENERGY: EnergyModel = { pulseJ: null, programJ: null, readJ: null };

/** Energy spent so far (J); `null` entries: events happened but their energy is unknown. */
export interface EnergyReport {
  /** Energy of all pulses. */
  pulsesJ: number | null;
  /** Energy of all programming events. */
  programsJ: number | null;
  /** Energy of all reads. */
  readsJ: number | null;
  /** Energy added explicitly with {@linkcode DeviceCounters.addEnergy} (e.g. per-level costs). */
  extraJ: number;
  /** Sum, or `null` when any part is unknown. */
  totalJ: number | null;
}

/** Plain-data copy of the counters (for checkpoints). */
export interface CountersSnapshot {
  /** Pulses per device. */
  pulses: Float64Array;
  /** Programming events per device. */
  programs: Uint32Array;
  /** Failed writes per device. */
  failures: Uint32Array;
  /** Device reads. */
  reads: number;
  /** `applyPulses` calls. */
  updates: number;
  /** Explicit extra energy (J). */
  extraJ: number;
}

/** Counters of a population of `n` devices. */
export class DeviceCounters {
  /** Cumulative pulses applied to each device. */
  readonly pulses: Float64Array;
  /** Programming events (write attempts) per device. */
  readonly programs: Uint32Array;
  /** Failed writes per device (write error, device left unchanged). */
  readonly failures: Uint32Array;
  /** Device reads (one per device per `read` call). */
  reads: number = 0;
  /** Number of `applyPulses` calls. */
  updates: number = 0;
  /** Energy added explicitly (J). */
  extraJ: number = 0;

  /** Zeroed counters for `n` devices with per-event energies `energyModel`. */
  constructor(readonly n: number, readonly energyModel: EnergyModel = UNKNOWN_ENERGY) {
    this.pulses = new Float64Array(n);
    this.programs = new Uint32Array(n);
    this.failures = new Uint32Array(n);
  }

  /** Records `count` pulses on device `i`. */
  addPulses(i: number, count: number): void {
    this.pulses[i] += count;
  }

  /** Records one programming event on device `i`, failed or not. */
  addProgram(i: number, failed: boolean): void {
    this.programs[i]++;
    if (failed) this.failures[i]++;
  }

  /** Adds an energy not covered by the per-event model (J). */
  addEnergy(joules: number): void {
    if (!Number.isFinite(joules) || joules < 0) {
      throw new RangeError(`energy must be a finite number >= 0 J, got ${joules}`);
    }
    this.extraJ += joules;
  }

  /** Total pulses over all devices. */
  totalPulses(): number {
    let s = 0;
    for (let i = 0; i < this.n; i++) s += this.pulses[i];
    return s;
  }

  /** Total programming events over all devices. */
  totalPrograms(): number {
    let s = 0;
    for (let i = 0; i < this.n; i++) s += this.programs[i];
    return s;
  }

  /** Total failed writes over all devices. */
  totalFailures(): number {
    let s = 0;
    for (let i = 0; i < this.n; i++) s += this.failures[i];
    return s;
  }

  /** Energy spent so far. */
  energy(): EnergyReport {
    const part = (count: number, perEvent: number | null) =>
      count === 0 ? 0 : perEvent === null ? null : count * perEvent;
    const pulsesJ = part(this.totalPulses(), this.energyModel.pulseJ);
    const programsJ = part(this.totalPrograms(), this.energyModel.programJ);
    const readsJ = part(this.reads, this.energyModel.readJ);
    const totalJ = pulsesJ === null || programsJ === null || readsJ === null
      ? null
      : pulsesJ + programsJ + readsJ + this.extraJ;
    return { pulsesJ, programsJ, readsJ, extraJ: this.extraJ, totalJ };
  }

  /** Zeroes every counter (e.g. at the start of a measured phase). */
  reset(): void {
    this.pulses.fill(0);
    this.programs.fill(0);
    this.failures.fill(0);
    this.reads = 0;
    this.updates = 0;
    this.extraJ = 0;
  }

  /** A plain-data copy. */
  snapshot(): CountersSnapshot {
    return {
      pulses: this.pulses.slice(),
      programs: this.programs.slice(),
      failures: this.failures.slice(),
      reads: this.reads,
      updates: this.updates,
      extraJ: this.extraJ,
    };
  }

  /** Restores a {@linkcode DeviceCounters.snapshot}. */
  restore(s: CountersSnapshot): void {
    if (s.pulses.length !== this.n) {
      throw new RangeError(`counter snapshot is for ${s.pulses.length} devices, not ${this.n}`);
    }
    this.pulses.set(s.pulses);
    this.programs.set(s.programs);
    this.failures.set(s.failures);
    this.reads = s.reads;
    this.updates = s.updates;
    this.extraJ = s.extraJ;
  }
}
