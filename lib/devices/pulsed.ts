/**
 * Generic pulsed-update device families, in the spirit of aihwkit's `PulsedDevice` presets, so a
 * user can bring their own device: {@linkcode ConstantStep}, {@linkcode SoftBounds},
 * {@linkcode ExpStep} and a {@linkcode Tabulated} measured value-vs-pulse curve.
 *
 * Each device has a stored value w in [w_min, w_max]. An up (down) pulse changes it by the
 * family's step s(w) ≥ 0 times (1 + dwStd·ξ) (cycle-to-cycle, accumulated in w), then clips:
 *
 * - constant: s = Δw_d
 * - softBounds: s_up = Δw_up·(w_max − w)/(w_max − c), s_down = Δw_down·(w − w_min)/(c − w_min),
 *   c = (w_min + w_max)/2 (aihwkit's soft bounds for symmetric ranges)
 * - exp: z = 2a·w/(w_max − w_min) + b, s_d = Δw_d·max(0, 1 − A_d·exp(d·γ_d·z)) (aihwkit ExpStep)
 * - table: the device moves along a measured curve by `gain` table entries per pulse.
 *
 * Δw_up = Δw·(1 + β), Δw_down = Δw·(1 − β), with Δw (`dwMin`) and the up/down asymmetry β
 * (`upDown`) drawn per device. Additive noise processes (white, pink, RTN) add a term to the
 * observed value; they advance in `applyPulses`. `program` writes a target with Gaussian
 * error or fails with probability `failProb`; `relax` applies decay and diffusion.
 *
 * @example
 * ```ts
 * import { PulsedModel, constantStep } from "./pulsed.ts";
 * import { Rng } from "../rng.ts";
 * const rng = new Rng(0);
 * const pop = new PulsedModel(constantStep({ dwMin: 0.01 })).sample(2, rng);
 * pop.applyPulses([3, -2], rng);
 * pop.values(); // ≈ [0.03, -0.02]
 * ```
 * @module
 */
import type { Rng } from "../rng.ts";
import type { EnergyModel } from "./counters.ts";
import { UNKNOWN_ENERGY } from "./counters.ts";
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
  NO_RELAXATION,
  type ProgramResult,
  type ReadConfig,
  type RelaxationConfig,
  relaxValues,
} from "./population.ts";

/** Constant step. */
export interface ConstantStep {
  /** Discriminant. */
  type: "constant";
}

/** Step shrinking linearly to zero at the bounds. */
export interface SoftBounds {
  /** Discriminant. */
  type: "softBounds";
}

/** aihwkit's exponential step. */
export interface ExpStep {
  /** Discriminant. */
  type: "exp";
  /** a_es (dimensionless). */
  a: number;
  /** b_es (dimensionless). */
  b: number;
  /** γ of up pulses (dimensionless). */
  gammaUp: number;
  /** γ of down pulses (dimensionless). */
  gammaDown: number;
  /** A of up pulses (dimensionless). */
  aUp: number;
  /** A of down pulses (dimensionless). */
  aDown: number;
}

/** A measured curve: value after k pulses, k = 0, 1, …. */
export interface Tabulated {
  /** Discriminant. */
  type: "table";
  /** Values after k up pulses from the bottom (strictly increasing, value unit). */
  up: readonly number[];
  /** Values after k down pulses from the top (strictly decreasing); default `up` reversed. */
  down?: readonly number[];
  /** Table entries advanced per pulse, per device (D2D; default 1). */
  gain?: Distribution;
}

/** A step-response family. */
export type StepFamily = ConstantStep | SoftBounds | ExpStep | Tabulated;

/** Absolute programming (`program`): Gaussian error and write failures. */
export interface ProgrammingConfig {
  /** Absolute programming-error sd (value unit). */
  std: number;
  /** Relative programming-error sd (fraction of |target|). */
  relStd: number;
  /** Probability that a write fails and leaves the device unchanged. */
  failProb: number;
}

/** Configuration of a pulsed device. */
export interface PulsedDeviceConfig {
  /** Discriminant. */
  kind: "pulsed";
  /** Preset or user name. */
  name: string;
  /** Step-response family. */
  step: StepFamily;
  /** Mean step Δw per pulse (value unit), D2D (ignored by `table`). */
  dwMin: Distribution;
  /** Up/down asymmetry β (dimensionless), D2D: Δw_up = Δw(1+β), Δw_down = Δw(1−β). */
  upDown: Distribution;
  /** Lower bound (value unit), D2D (a `table` uses its own ends). */
  wMin: Distribution;
  /** Upper bound (value unit), D2D. */
  wMax: Distribution;
  /** Relative C2C spread of each pulse's step, accumulated in the value (aihwkit `dw_min_std`). */
  dwStd: number;
  /** Initial value per device (value unit). */
  init: Distribution;
  /** Additive observation noise processes (value unit). */
  noise: NoiseConfig[];
  /** Absolute programming. */
  programming: ProgrammingConfig;
  /** Read path. */
  read: ReadConfig;
  /** Retention. */
  relaxation: RelaxationConfig;
  /** D2D mode. */
  d2d: D2DMode;
  /** Per-event energies (J). */
  energy: EnergyModel;
  /** Unit of the value. */
  unit: string;
}

/** Options of the family helpers ({@linkcode constantStep} and friends). */
export interface PulsedOptions {
  /** Mean step per pulse (value unit; default 0.001). */
  dwMin?: number;
  /** Relative D2D spread of the step (default 0). */
  dwMinDtod?: number;
  /** Up/down asymmetry β (default 0). */
  upDown?: number;
  /** D2D sd of β (default 0). */
  upDownDtod?: number;
  /** Lower bound (default −1). */
  wMin?: number;
  /** Upper bound (default 1). */
  wMax?: number;
  /** Relative D2D spread of the bounds (default 0). */
  boundsDtod?: number;
  /** C2C relative step spread (default 0). */
  dwStd?: number;
  /** Name (default the family). */
  name?: string;
}

function basePulsed(step: StepFamily, o: PulsedOptions): PulsedDeviceConfig {
  const dw = o.dwMin ?? 0.001;
  const rel = (mean: number, r: number | undefined): Distribution =>
    !r ? constant(mean) : { kind: "normal", mean, sd: r * Math.abs(mean) };
  const wMin = o.wMin ?? -1, wMax = o.wMax ?? 1;
  return {
    kind: "pulsed",
    name: o.name ?? step.type,
    step,
    dwMin: !o.dwMinDtod ? constant(dw) : {
      kind: "normal",
      mean: dw,
      sd: o.dwMinDtod * dw,
      truncate: [0, Infinity],
    },
    upDown: !o.upDownDtod
      ? constant(o.upDown ?? 0)
      : { kind: "normal", mean: o.upDown ?? 0, sd: o.upDownDtod, truncate: [-1, 1] },
    wMin: rel(wMin, o.boundsDtod),
    wMax: rel(wMax, o.boundsDtod),
    dwStd: o.dwStd ?? 0,
    init: constant(0),
    noise: [],
    programming: { std: 0, relStd: 0, failProb: 0 },
    read: IDEAL_READ,
    relaxation: NO_RELAXATION,
    d2d: "sampled",
    energy: UNKNOWN_ENERGY,
    unit: "normalised weight",
  };
}

/** A constant-step device configuration (aihwkit `ConstantStepDevice`-like). */
export function constantStep(options: PulsedOptions = {}): PulsedDeviceConfig {
  return basePulsed({ type: "constant" }, options);
}

/** A soft-bounds device configuration (aihwkit `SoftBoundsDevice`-like). */
export function softBounds(options: PulsedOptions = {}): PulsedDeviceConfig {
  return basePulsed({ type: "softBounds" }, options);
}

/** An exponential-step device configuration (aihwkit `ExpStepDevice`-like). */
export function expStep(
  exp: Omit<ExpStep, "type">,
  options: PulsedOptions = {},
): PulsedDeviceConfig {
  return basePulsed({ type: "exp", ...exp }, options);
}

/**
 * A device that follows a measured value-vs-pulse table (`up`, optional `down`), e.g. a
 * conductance (µS) after each potentiation pulse. Bounds are the table's ends; the initial
 * value is the bottom of the up curve.
 */
export function tabulated(
  table: Omit<Tabulated, "type">,
  options: PulsedOptions & { unit?: string } = {},
): PulsedDeviceConfig {
  const cfg = basePulsed({ type: "table", ...table }, options);
  const lo = table.up[0], hi = table.up[table.up.length - 1];
  return {
    ...cfg,
    name: options.name ?? "table",
    wMin: constant(lo),
    wMax: constant(hi),
    init: constant(lo),
    unit: options.unit ?? "value",
  };
}

function checkTable(t: Tabulated): { up: Float64Array; down: Float64Array } {
  const up = Float64Array.from(t.up);
  const down = Float64Array.from(t.down ?? [...t.up].reverse());
  if (up.length < 2) throw new RangeError(`a tabulated device needs >= 2 up entries`);
  for (let k = 1; k < up.length; k++) {
    if (!(up[k] > up[k - 1])) {
      throw new RangeError(
        `table.up must be strictly increasing (entry ${k}: ${up[k - 1]} → ${up[k]})`,
      );
    }
  }
  for (let k = 1; k < down.length; k++) {
    if (!(down[k] < down[k - 1])) {
      throw new RangeError(
        `table.down must be strictly decreasing (entry ${k}: ${down[k - 1]} → ${down[k]})`,
      );
    }
  }
  return { up, down };
}

/** Fractional index p with table(p) = x (table monotone), clamped to [0, L−1]. */
function tableIndex(tab: Float64Array, x: number, increasing: boolean): number {
  const L = tab.length;
  const sgn = increasing ? 1 : -1;
  if (sgn * (x - tab[0]) <= 0) return 0;
  if (sgn * (x - tab[L - 1]) >= 0) return L - 1;
  let lo = 0, hi = L - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (sgn * (tab[mid] - x) <= 0) lo = mid;
    else hi = mid;
  }
  return lo + (x - tab[lo]) / (tab[hi] - tab[lo]);
}

function tableValue(tab: Float64Array, p: number): number {
  const L = tab.length;
  if (p <= 0) return tab[0];
  if (p >= L - 1) return tab[L - 1];
  const k = Math.floor(p);
  return tab[k] + (p - k) * (tab[k + 1] - tab[k]);
}

/** A model that draws {@linkcode PulsedPopulation}s. */
export class PulsedModel implements DeviceModel {
  /** Model kind. */
  readonly kind: "pulsed" = "pulsed";
  /** Preset or user name. */
  readonly name: string;

  /** Validates the configuration. */
  constructor(readonly config: PulsedDeviceConfig) {
    if (config.kind !== "pulsed") {
      throw new TypeError(`PulsedModel needs a config of kind "pulsed", got "${config.kind}"`);
    }
    for (const k of ["dwMin", "upDown", "wMin", "wMax", "init"] as const) {
      validateDistribution(config[k], k);
    }
    if (config.step.type === "table") checkTable(config.step);
    else if (!["constant", "softBounds", "exp"].includes(config.step.type)) {
      throw new TypeError(
        `unknown step family "${(config.step as { type: string }).type}"; ` +
          `use constant, softBounds, exp or table`,
      );
    }
    if (!(config.dwStd >= 0)) throw new RangeError(`dwStd must be >= 0, got ${config.dwStd}`);
    const pr = config.programming;
    if (!(pr.std >= 0 && pr.relStd >= 0 && pr.failProb >= 0 && pr.failProb <= 1)) {
      throw new RangeError(`programming needs std, relStd >= 0 and failProb in [0, 1]`);
    }
    checkRelaxation(config.relaxation);
    this.name = config.name;
  }

  /** Draws `n` devices. */
  sample(n: number, rng: Rng): PulsedPopulation {
    return new PulsedPopulation(this.config, n, rng);
  }
}

/** A population of pulsed devices. */
export class PulsedPopulation extends DevicePopulation {
  /** Model kind. */
  readonly kind: "pulsed" = "pulsed";
  /** Stored value per device (before the additive noise terms). */
  readonly w: Float32Array;
  /** Up step per device (value unit; table: entries per pulse). */
  readonly dwUp: Float32Array;
  /** Down step per device. */
  readonly dwDown: Float32Array;
  /** Lower bound per device. */
  readonly wMin: Float32Array;
  /** Upper bound per device. */
  readonly wMax: Float32Array;
  private readonly table?: { up: Float64Array; down: Float64Array };
  private readonly scratch: Float64Array;

  /** Draws parameters in the order Δw, β, w_min, w_max, (gain), init, then noise. */
  constructor(readonly config: PulsedDeviceConfig, n: number, rng: Rng) {
    const mode = config.d2d;
    const draw = (d: Distribution) => drawParameter(d, new Float32Array(n), { rng, mode });
    const isTable = config.step.type === "table";
    const dw = isTable ? new Float32Array(n).fill(1) : draw(config.dwMin);
    const beta = draw(config.upDown);
    const wMin = draw(config.wMin), wMax = draw(config.wMax);
    const gain = config.step.type === "table" && config.step.gain ? draw(config.step.gain) : null;
    const init = draw(config.init);
    super(n, {
      noise: config.noise,
      read: config.read,
      energy: config.energy,
      d2d: mode,
      unit: config.unit,
      rng,
    });
    const dwUp = new Float32Array(n), dwDown = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const g = gain ? gain[i] : 1;
      dwUp[i] = Math.max(0, dw[i] * g * (1 + beta[i]));
      dwDown[i] = Math.max(0, dw[i] * g * (1 - beta[i]));
      if (wMax[i] < wMin[i]) {
        const t = wMax[i];
        wMax[i] = wMin[i];
        wMin[i] = t;
      }
      init[i] = Math.min(wMax[i], Math.max(wMin[i], init[i]));
    }
    if (config.step.type === "table") this.table = checkTable(config.step);
    this.dwUp = this.params.dwUp = dwUp;
    this.dwDown = this.params.dwDown = dwDown;
    this.wMin = this.params.wMin = wMin;
    this.wMax = this.params.wMax = wMax;
    this.w = init;
    this.state.w = init;
    this.scratch = new Float64Array(n);
  }

  /** Deterministic step magnitude of device `i` at value `w` in direction `d` (±1). */
  stepSize(i: number, w: number, d: 1 | -1): number {
    const s = this.config.step;
    const dw = d > 0 ? this.dwUp[i] : this.dwDown[i];
    const lo = this.wMin[i], hi = this.wMax[i];
    switch (s.type) {
      case "constant":
        return dw;
      case "softBounds": {
        const c = 0.5 * (lo + hi);
        const f = d > 0 ? (hi - w) / (hi - c) : (w - lo) / (c - lo);
        return dw * Math.max(0, f);
      }
      case "exp": {
        const z = 2 * s.a * w / (hi - lo) + s.b;
        const y = d > 0
          ? 1 - s.aUp * Math.exp(s.gammaUp * z)
          : 1 - s.aDown * Math.exp(-s.gammaDown * z);
        return dw * Math.max(0, y);
      }
      case "table": {
        const t = this.table!;
        if (d > 0) return tableValue(t.up, tableIndex(t.up, w, true) + dw) - w;
        return w - tableValue(t.down, tableIndex(t.down, w, false) + dw);
      }
    }
  }

  /** Stored value plus noise terms. */
  values(out: Float32Array = new Float32Array(this.n)): Float32Array {
    const v = this.scratch;
    for (let i = 0; i < this.n; i++) v[i] = this.w[i];
    this.addNoise(v);
    for (let i = 0; i < this.n; i++) out[i] = v[i];
    return out;
  }

  /** Applies `counts[i]` signed integer pulses (positive: up). */
  applyPulses(counts: ArrayLike<number>, rng: Rng): void {
    this.checkLength(counts, "pulse counts");
    const mag = new Float64Array(this.n);
    const sd = this.config.dwStd;
    for (let i = 0; i < this.n; i++) {
      const c = counts[i];
      if (!Number.isInteger(c)) {
        throw new RangeError(
          `${this.config.name}: pulse counts must be integers, got ${c} (device ${i})`,
        );
      }
      if (c === 0) continue;
      const d: 1 | -1 = c > 0 ? 1 : -1;
      const m = Math.abs(c);
      mag[i] = m;
      let w = this.w[i];
      const lo = this.wMin[i], hi = this.wMax[i];
      for (let k = 0; k < m; k++) {
        let s = this.stepSize(i, w, d);
        if (sd > 0) s *= 1 + sd * rng.normal();
        w += d * s;
        if (w < lo) w = lo;
        else if (w > hi) w = hi;
      }
      this.w[i] = w;
      this.counters.addPulses(i, m);
    }
    this.advanceNoise(mag, rng);
    this.counters.updates++;
  }

  /**
   * Writes `targets` (value unit) with Gaussian error N(0, std² + (relStd·target)²), clipped to
   * the device's bounds; each write fails with probability `failProb` (device unchanged).
   * NaN targets are skipped.
   */
  program(targets: ArrayLike<number>, rng: Rng): ProgramResult {
    this.checkLength(targets, "targets");
    const { std, relStd, failProb } = this.config.programming;
    let attempted = 0, failed = 0;
    for (let i = 0; i < this.n; i++) {
      const x = targets[i];
      if (Number.isNaN(x)) continue;
      attempted++;
      const fail = failProb > 0 && rng.uniform() < failProb;
      this.counters.addProgram(i, fail);
      if (fail) {
        failed++;
        continue;
      }
      let w = x;
      if (std > 0) w += std * rng.normal();
      if (relStd > 0) w += relStd * Math.abs(x) * rng.normal();
      this.w[i] = Math.min(this.wMax[i], Math.max(this.wMin[i], w));
    }
    return { attempted, failed, skipped: this.n - attempted, pulses: 0 };
  }

  /** Decay towards `rest` and diffusion over `dtSeconds`, clipped to the bounds. */
  override relax(dtSeconds: number, rng: Rng): void {
    super.relax(dtSeconds, rng);
    relaxValues(this.w, this.config.relaxation, {
      dt: dtSeconds,
      rng,
      lo: this.wMin,
      hi: this.wMax,
    });
  }
}
