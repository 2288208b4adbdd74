/**
 * Synapses built from device populations, behind one small interface ({@linkcode SynapseArray})
 * that the device-routed optimizer drives: signed pulse counts in, represented weights out.
 *
 * - {@linkcode DifferentialPair}: two devices per weight (bit line BL and its complement BLb);
 *   the weight is sign(v_BL − v_BLb) (a binary weight, Majumdar et al. 2021) or the scaled
 *   difference. A positive count goes to the BL device, the magnitude of a negative count to the
 *   BLb device (`"onePerSign"`, the weak-RESET scheme: devices only ever receive "up" pulses),
 *   or both devices move in opposite directions (`"pushPull"`).
 * - {@linkcode SignedDevice}: one bidirectional device per weight, w = (v − offset)·scale.
 *
 * @example
 * ```ts
 * import { DifferentialPair } from "./synapse.ts";
 * import { WeakResetModel } from "./weak_reset.ts";
 * import { HfOxWeakReset2021 } from "./hfox_weak_reset_2021.ts";
 * import { Rng } from "../rng.ts";
 * const rng = new Rng(0);
 * const pair = DifferentialPair.sample(new WeakResetModel(HfOxWeakReset2021), { n: 4, rng });
 * pair.applyPulses([5, -5, 0, 14], rng);
 * pair.weights(new Float32Array(4), rng); // ±1 each
 * ```
 * @module
 */
import type { Rng } from "../rng.ts";
import type { DeviceModel, DevicePopulation } from "./population.ts";

/** What a device-routed optimizer needs from a synapse array. */
export interface SynapseArray {
  /** Number of synapses (weights). */
  readonly size: number;
  /** Applies `counts[i]` signed pulses to synapse `i` (positive: increase the weight). */
  applyPulses(counts: ArrayLike<number>, rng: Rng): void;
  /** Writes the weights the devices represent now into `out` and returns it. */
  weights(out: Float32Array, rng: Rng): Float32Array;
}

/** Options of {@linkcode DifferentialPair}. */
export interface PairOptions {
  /** `"sign"`: ±1 (0 on an exact tie, like torch.sign); `"difference"`: (v⁺ − v⁻)·scale. */
  readout?: "sign" | "difference";
  /** Scale of the `"difference"` readout (weight per value unit; default 1). */
  scale?: number;
  /** `"onePerSign"` (default): a count goes to one device by its sign; `"pushPull"`: both. */
  scheme?: "onePerSign" | "pushPull";
  /** Read through the populations' read path (read noise, ADC, read counters); default false. */
  noisyRead?: boolean;
}

/** Two devices per weight. */
export class DifferentialPair implements SynapseArray {
  /** Number of weights. */
  readonly size: number;
  /** Readout. */
  readonly readout: "sign" | "difference";
  /** Difference scale. */
  readonly scale: number;
  /** Pulse scheme. */
  readonly scheme: "onePerSign" | "pushPull";
  /** Whether weights are read through the read path. */
  readonly noisyRead: boolean;
  private readonly bufPlus: Float32Array;
  private readonly bufMinus: Float32Array;
  private readonly cPlus: Float64Array;
  private readonly cMinus: Float64Array;

  /** Pairs two populations of equal size (`plus` = BL, `minus` = BLb). */
  constructor(
    readonly plus: DevicePopulation,
    readonly minus: DevicePopulation,
    options: PairOptions = {},
  ) {
    if (plus.n !== minus.n) {
      throw new RangeError(
        `a differential pair needs equal populations, got ${plus.n} and ${minus.n}`,
      );
    }
    this.size = plus.n;
    this.readout = options.readout ?? "sign";
    this.scale = options.scale ?? 1;
    this.scheme = options.scheme ?? "onePerSign";
    this.noisyRead = options.noisyRead ?? false;
    if (this.readout !== "sign" && this.readout !== "difference") {
      throw new RangeError(`readout must be "sign" or "difference", got ${this.readout}`);
    }
    if (this.scheme !== "onePerSign" && this.scheme !== "pushPull") {
      throw new RangeError(`scheme must be "onePerSign" or "pushPull", got ${this.scheme}`);
    }
    this.bufPlus = new Float32Array(this.size);
    this.bufMinus = new Float32Array(this.size);
    this.cPlus = new Float64Array(this.size);
    this.cMinus = new Float64Array(this.size);
  }

  /** Draws the BL population, then the BLb population, of `options.n` devices each from `model`. */
  static sample(
    model: DeviceModel,
    options: PairOptions & { n: number; rng: Rng },
  ): DifferentialPair {
    const plus = model.sample(options.n, options.rng);
    const minus = model.sample(options.n, options.rng);
    return new DifferentialPair(plus, minus, options);
  }

  /** Routes signed counts to the two devices; both populations get one update. */
  applyPulses(counts: ArrayLike<number>, rng: Rng): void {
    if (counts.length !== this.size) {
      throw new RangeError(`got ${counts.length} pulse counts for ${this.size} synapses`);
    }
    const p = this.cPlus, m = this.cMinus;
    for (let i = 0; i < this.size; i++) {
      const c = counts[i];
      if (this.scheme === "onePerSign") {
        p[i] = c > 0 ? c : 0;
        m[i] = c < 0 ? -c : 0;
      } else {
        p[i] = c;
        m[i] = -c;
      }
    }
    this.plus.applyPulses(p, rng);
    this.minus.applyPulses(m, rng);
  }

  /** Device values of both halves (Ω, S, … as the model says). */
  deviceValues(rng: Rng): { plus: Float32Array; minus: Float32Array } {
    if (this.noisyRead) {
      this.plus.read(rng, this.bufPlus);
      this.minus.read(rng, this.bufMinus);
    } else {
      this.plus.values(this.bufPlus);
      this.minus.values(this.bufMinus);
    }
    return { plus: this.bufPlus, minus: this.bufMinus };
  }

  /** The represented weights. */
  weights(out: Float32Array, rng: Rng): Float32Array {
    const { plus, minus } = this.deviceValues(rng);
    if (this.readout === "sign") {
      for (let i = 0; i < this.size; i++) {
        const d = plus[i] - minus[i];
        out[i] = d > 0 ? 1 : d < 0 ? -1 : 0;
      }
    } else {
      for (let i = 0; i < this.size; i++) out[i] = (plus[i] - minus[i]) * this.scale;
    }
    return out;
  }

  /**
   * Gives each synapse a random initial sign by `pulses` "up" pulses on one device chosen at
   * random (symmetry breaking when all devices are identical, e.g. without D2D variability).
   */
  randomizeSigns(rng: Rng, options: { pulses?: number } = {}): void {
    const k = options.pulses ?? 1;
    if (!(Number.isInteger(k) && k >= 1)) {
      throw new RangeError(`pulses must be an integer >= 1, got ${k}`);
    }
    const p = this.cPlus, m = this.cMinus;
    for (let i = 0; i < this.size; i++) {
      const up = rng.uniform() < 0.5;
      p[i] = up ? k : 0;
      m[i] = up ? 0 : k;
    }
    this.plus.applyPulses(p, rng);
    this.minus.applyPulses(m, rng);
  }
}

/** One bidirectional device per weight: w = (v − offset)·scale. */
export class SignedDevice implements SynapseArray {
  /** Number of weights. */
  readonly size: number;
  /** Value subtracted before scaling. */
  readonly offset: number;
  /** Weight per value unit. */
  readonly scale: number;
  /** Whether weights are read through the read path. */
  readonly noisyRead: boolean;

  /** Wraps a population. */
  constructor(
    readonly population: DevicePopulation,
    options: { offset?: number; scale?: number; noisyRead?: boolean } = {},
  ) {
    this.size = population.n;
    this.offset = options.offset ?? 0;
    this.scale = options.scale ?? 1;
    this.noisyRead = options.noisyRead ?? false;
  }

  /** Passes signed counts to the device. */
  applyPulses(counts: ArrayLike<number>, rng: Rng): void {
    this.population.applyPulses(counts, rng);
  }

  /** The represented weights. */
  weights(out: Float32Array, rng: Rng): Float32Array {
    if (this.noisyRead) this.population.read(rng, out);
    else this.population.values(out);
    for (let i = 0; i < this.size; i++) out[i] = (out[i] - this.offset) * this.scale;
    return out;
  }
}
