/**
 * Preset `StMramWer2019`: spin-transfer-torque MRAM with a write-error rate (WER) set by the
 * programming pulse, for Hirtzlin et al., "Implementing binarized neural networks with
 * magnetoresistive RAM without error correction", NANOARCH 2019 (arXiv 1908.04085), following
 * `shared/papers/hirtzlin2019_stmram_bnn.md` §3.
 *
 * Precessional switching from a thermally distributed initial angle (θ0² exponential with mean
 * 1/Δ), overdrive i = I/I_c0 > 1, characteristic time τ0:
 *
 *   WER(t_p, I) = 1 − exp[−(π²Δ/4)·exp(−2(i − 1)·t_p/τ0)]
 *
 * and write energy E = V·I·t_p = V·i·I_c0·t_p (cell only; periphery not included). The
 * constants (Δ = 60, τ0 = 1 ns) are the brief's typical values and are **unverified**; I_c0 and
 * V are **placeholders** (the brief gives none) and only absolute energies depend on them, not
 * energy ratios.
 *
 * @example
 * ```ts
 * import { pulseForWer, writeErrorRate, writeEnergyRatio } from "./st_mram_2019.ts";
 * const tp = pulseForWer(1e-3, { overdrive: 2, delta: 60, tau0Ns: 1 }); // ≈ 5.95 ns
 * writeErrorRate({ pulseNs: tp, overdrive: 2, delta: 60, tau0Ns: 1 }); // ≈ 1e-3
 * writeEnergyRatio(1e-3, 1e-9, { delta: 60 }); // ≈ 2.16
 * ```
 * @module
 */
import type { Rng } from "../rng.ts";
import {
  type D2DMode,
  type Distribution,
  drawParameter,
  validateDistribution,
} from "./distributions.ts";
import { type LevelDeviceConfig, LevelModel, type LevelPopulation } from "./levels.ts";
import { type DeviceModel, IDEAL_READ, NO_RELAXATION } from "./population.ts";

/** Switching conditions of one write. */
export interface SwitchingConditions {
  /** Pulse width t_p (ns). */
  pulseNs: number;
  /** Overdrive i = I/I_c0 (dimensionless, > 1). */
  overdrive: number;
  /** Thermal stability factor Δ (dimensionless). */
  delta: number;
  /** Characteristic precession time τ0 (ns). */
  tau0Ns: number;
}

function checkOverdrive(i: number): void {
  if (!(i > 1)) {
    throw new RangeError(
      `the precessional WER model needs overdrive I/Ic0 > 1, got ${i}; below the critical ` +
        `current switching is thermally activated and this formula does not apply`,
    );
  }
}

/** Write-error rate of one pulse (brief §3). */
export function writeErrorRate(c: SwitchingConditions): number {
  checkOverdrive(c.overdrive);
  if (!(c.pulseNs >= 0) || !(c.delta > 0) || !(c.tau0Ns > 0)) {
    throw new RangeError(`need pulseNs >= 0, delta > 0, tau0Ns > 0; got ${JSON.stringify(c)}`);
  }
  const x = (Math.PI * Math.PI * c.delta / 4) *
    Math.exp(-2 * (c.overdrive - 1) * c.pulseNs / c.tau0Ns);
  return -Math.expm1(-x);
}

/** Pulse width (ns) giving write-error rate `wer` (exact inverse of {@linkcode writeErrorRate}). */
export function pulseForWer(wer: number, c: Omit<SwitchingConditions, "pulseNs">): number {
  checkOverdrive(c.overdrive);
  if (!(wer > 0 && wer < 1)) throw new RangeError(`wer must be in (0, 1), got ${wer}`);
  const k = Math.PI * Math.PI * c.delta / 4;
  const x = -Math.log1p(-wer);
  return Math.max(0, c.tau0Ns / (2 * (c.overdrive - 1)) * Math.log(k / x));
}

/** Cell write energy E = V·i·I_c0·t_p (J). */
export function writeEnergy(
  c: { pulseNs: number; overdrive: number; ic0A: number; voltageV: number },
): number {
  if (!(c.pulseNs >= 0 && c.overdrive > 0 && c.ic0A > 0 && c.voltageV > 0)) {
    throw new RangeError(`writeEnergy needs positive pulse, overdrive, Ic0 and voltage`);
  }
  return c.voltageV * c.overdrive * c.ic0A * c.pulseNs * 1e-9;
}

/**
 * Ratio of write energies (= pulse widths at a fixed current) needed for `werB` versus `werA`
 * (derived, brief §3): ln(π²Δ/(4·werB)) / ln(π²Δ/(4·werA)) for small WERs (exact inverse used).
 * Independent of the overdrive and τ0.
 */
export function writeEnergyRatio(werA: number, werB: number, options: { delta: number }): number {
  const c = { overdrive: 2, delta: options.delta, tau0Ns: 1 };
  return pulseForWer(werB, c) / pulseForWer(werA, c);
}

/**
 * Probability that a word of `n` bits with independent raw bit errors `p` has more than `t`
 * errors (what a t-error-correcting code cannot correct).
 */
export function wordFailureProbability(p: number, options: { n: number; t: number }): number {
  const { n, t } = options;
  if (!(p >= 0 && p <= 1)) {
    throw new RangeError(`bit error probability must be in [0, 1], got ${p}`);
  }
  if (!(Number.isInteger(n) && n >= 1 && Number.isInteger(t) && t >= 0 && t < n)) {
    throw new RangeError(`need integers n >= 1, 0 <= t < n; got n=${n}, t=${t}`);
  }
  // Sum the tail directly (stable for tiny p): Σ_{k>t} C(n,k) p^k (1−p)^{n−k}.
  let term = 0, sum = 0;
  const lq = Math.log1p(-p);
  for (let k = t + 1; k <= n; k++) {
    term = Math.exp(logChoose(n, k) + k * Math.log(p) + (n - k) * lq);
    sum += term;
  }
  return Math.min(1, sum);
}

function logChoose(n: number, k: number): number {
  let s = 0;
  for (let j = 1; j <= k; j++) s += Math.log((n - k + j) / j);
  return s;
}

/** Physical constants and write conditions of an ST-MRAM cell. */
export interface StMramConfig {
  /** Preset or user name. */
  name: string;
  /** Thermal stability factor Δ (dimensionless), D2D. */
  delta: Distribution;
  /** Characteristic precession time τ0 (ns). */
  tau0Ns: number;
  /** Critical switching current I_c0 (A). */
  ic0A: number;
  /** Write voltage across the cell (V). */
  voltageV: number;
  /** Write pulse width t_p (ns). */
  pulseNs: number;
  /** Write overdrive i = I/I_c0 (dimensionless, > 1). */
  overdrive: number;
  /** Read energy per bit (J), `null` when unknown. */
  readJ: number | null;
  /** D2D mode for Δ. */
  d2d: D2DMode;
}

/**
 * ST-MRAM preset for Hirtzlin et al. 2019. Δ = 60 and τ0 = 1 ns: typical values from the brief
 * §3 (unverified). I_c0 = 100 µA and V = 0.5 V: placeholders (not in the brief). The default
 * write (i = 2, t_p = pulseForWer(1e-3)) is the ECC-free "weak" programming condition the paper
 * argues for (WER 1e-3).
 */
export const StMramWer2019: StMramConfig = {
  name: "StMramWer2019",
  /** Δ (dimensionless), typical 40–60; brief §3 (unverified). No D2D spread in the brief. */
  delta: { kind: "constant", value: 60 },
  /** τ0 = 1 ns ("of order 1 ns"), brief §3 (unverified). */
  tau0Ns: 1,
  /** I_c0 = 100 µA (A): placeholder, not in the brief. */
  ic0A: 100e-6,
  /** V = 0.5 V: placeholder, not in the brief. */
  voltageV: 0.5,
  /** t_p (ns) giving WER = 1e-3 at i = 2, Δ = 60, τ0 = 1 ns (derived, ≈ 5.95 ns). */
  pulseNs: pulseForWer(1e-3, { overdrive: 2, delta: 60, tau0Ns: 1 }),
  /** i = 2 (dimensionless): a toolkit choice inside the brief's sweep {1.5, 2, 3}. */
  overdrive: 2,
  /** Read energy: not in the brief. */
  readJ: null,
  /** D2D mode. */
  d2d: "sampled",
};

/** A model that draws binary ST-MRAM populations (levels −1, +1) with WER-driven write failures. */
export class StMramModel implements DeviceModel {
  /** Model kind. */
  readonly kind: "levels" = "levels";
  /** Preset or user name. */
  readonly name: string;

  /** Validates the configuration. */
  constructor(readonly config: StMramConfig) {
    validateDistribution(config.delta, "delta");
    writeErrorRate({
      pulseNs: config.pulseNs,
      overdrive: config.overdrive,
      delta: 60,
      tau0Ns: config.tau0Ns,
    });
    writeEnergy({
      pulseNs: config.pulseNs,
      overdrive: config.overdrive,
      ic0A: config.ic0A,
      voltageV: config.voltageV,
    });
    this.name = config.name;
  }

  /** Write energy per bit of the configured pulse (J). */
  energyPerWrite(): number {
    const c = this.config;
    return writeEnergy({
      pulseNs: c.pulseNs,
      overdrive: c.overdrive,
      ic0A: c.ic0A,
      voltageV: c.voltageV,
    });
  }

  /** The binary level configuration (failures come from the per-device WER at sampling). */
  levelConfig(): LevelDeviceConfig {
    return {
      kind: "levels",
      name: this.config.name,
      levels: [-1, 1],
      programStd: 0,
      programRelStd: 0,
      clip: [-1, 1],
      failProb: { kind: "constant", value: 0 },
      // A write of the bit already stored does not switch the cell and cannot fail.
      skipUnchanged: true,
      initialLevel: "random",
      noise: [],
      read: IDEAL_READ,
      relaxation: NO_RELAXATION,
      d2d: this.config.d2d,
      energy: { pulseJ: null, programJ: this.energyPerWrite(), readJ: this.config.readJ },
      unit: "binary weight (±1)",
    };
  }

  /** Draws `n` cells: Δ per device, then WER per device, then random initial bits. */
  sample(n: number, rng: Rng): LevelPopulation {
    const c = this.config;
    const delta = drawParameter(c.delta, new Float32Array(n), { rng, mode: c.d2d });
    const fp = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      fp[i] = writeErrorRate({
        pulseNs: c.pulseNs,
        overdrive: c.overdrive,
        delta: delta[i],
        tau0Ns: c.tau0Ns,
      });
    }
    const pop = new LevelModel(this.levelConfig()).sample(n, rng, { failProb: fp });
    pop.params.delta = delta;
    return pop;
  }
}
