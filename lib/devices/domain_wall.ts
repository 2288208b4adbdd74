/**
 * Preset `DwSynapse2021`: voltage-controlled domain-wall (DW) synapses with 2, 3 or 5 states and
 * a stochastic wall position, for Misba, Lozano, Querlioz & Atulasimha, "Energy efficient
 * learning with low resolution stochastic domain wall synapse based deep neural networks",
 * IEEE Access 10 (2022), arXiv 2111.07284, following `shared/papers/misba2021_domain_wall.md` §3.
 *
 * Model (the brief's proposal, not fitted to the device paper's histograms):
 * - K states with nominal normalised weights w_k evenly spaced on [−1, 1] (the DW position along
 *   the track, x/L = (w + 1)/2; the MTJ conductance is linear in x, {@linkcode dwConductance});
 * - programming to state k lands the wall at w = w_k + σ·Δw·ξ, ξ ~ N(0, 1), with Δw = 2/(K − 1)
 *   the state spacing and σ = `positionSpread`; the wall cannot leave the track, so w is clipped
 *   to [−1, 1] (the outer states put half their mass on the track end);
 * - reads are deterministic between writes (no read noise);
 * - energy: `programJ` per programming event. Its default, 3 fJ, is a PLACEHOLDER for the device
 *   paper's "few fJ" per write (unverified).
 *
 * {@linkcode dwStateStatistics} gives the closed-form statistics of the programmed states (mean
 * and sd of the clipped normal, probability of landing in each state's read window) that the
 * tests check against sampled populations.
 *
 * @example
 * ```ts
 * import { dwStateStatistics, dwSynapse2021 } from "./domain_wall.ts";
 * import { LevelModel } from "./levels.ts";
 * import { Rng } from "../rng.ts";
 * const cfg = dwSynapse2021({ states: 3, positionSpread: 0.2 });
 * const pop = new LevelModel(cfg).sample(100, new Rng(0));
 * pop.programLevels(new Int32Array(100).fill(1), new Rng(1)); // walls near the middle, w ≈ 0 ± 0.2
 * dwStateStatistics(cfg).confusion[1][1]; // ≈ 0.988: P(|ξ|·0.2 < 0.5)
 * ```
 * @module
 */
import { normCdf, normPdf } from "./distributions.ts";
import { type LevelDeviceConfig, uniformLevels } from "./levels.ts";

/** State counts of the published DW synapses. */
export type DwStates = 2 | 3 | 5;

/** PLACEHOLDER energy of one DW programming event (J): "a few fJ" (device paper, unverified). */
export const DW_WRITE_ENERGY_J = 3e-15;

/** PLACEHOLDER default position spread σ/Δw (the brief sweeps 0, 0.1, 0.2, 0.3). */
export const DW_POSITION_SPREAD = 0.2;

/** Options of {@linkcode dwSynapse2021}. */
export interface DwSynapseOptions {
  /** Number of states K ≥ 2 (the paper: 2, 3, 5; default 5). */
  states?: number;
  /** Wall-position spread σ in units of the state spacing Δw (default 0.2, placeholder). */
  positionSpread?: number;
  /** Energy per programming event (J; default 3 fJ, placeholder). */
  writeEnergyJ?: number;
  /** Name (default `"DwSynapse2021-<K>"`). */
  name?: string;
}

/** A DW synapse configuration (normalised-weight units); see the module docs. */
export function dwSynapse2021(options: DwSynapseOptions = {}): LevelDeviceConfig {
  const K = options.states ?? 5;
  if (!(Number.isInteger(K) && K >= 2)) {
    throw new RangeError(`a DW synapse needs an integer number of states >= 2, got ${K}`);
  }
  const sigma = options.positionSpread ?? DW_POSITION_SPREAD;
  if (!(sigma >= 0 && Number.isFinite(sigma))) {
    throw new RangeError(`positionSpread (σ/Δw) must be a finite number >= 0, got ${sigma}`);
  }
  const e = options.writeEnergyJ ?? DW_WRITE_ENERGY_J;
  if (!(e >= 0)) throw new RangeError(`writeEnergyJ must be >= 0 J, got ${e}`);
  const base = uniformLevels(K, [-1, 1]);
  return {
    ...base,
    name: options.name ?? `DwSynapse2021-${K}`,
    programStd: sigma * (2 / (K - 1)),
    clip: [-1, 1],
    skipUnchanged: false,
    initialLevel: 0,
    energy: { pulseJ: null, programJ: e, readJ: 0 },
    unit: "normalised weight (DW position, −1 … 1 along the track)",
  };
}

/** The 2-, 3- and 5-state presets with the placeholder spread σ/Δw = 0.2 and 3 fJ per write. */
export const DwSynapse2021: Readonly<Record<DwStates, LevelDeviceConfig>> = {
  2: dwSynapse2021({ states: 2 }),
  3: dwSynapse2021({ states: 3 }),
  5: dwSynapse2021({ states: 5 }),
};

/**
 * MTJ conductance for normalised weight `w` (wall position x/L = (w + 1)/2):
 * G = G_AP + (G_P − G_AP)·x/L, in the unit of `gAP`/`gP`.
 */
export function dwConductance(w: number, options: { gAP: number; gP: number }): number {
  const { gAP, gP } = options;
  if (!(gP > gAP && gAP >= 0)) throw new RangeError(`need 0 <= gAP < gP, got gAP ${gAP}, gP ${gP}`);
  const x = Math.min(1, Math.max(0, (w + 1) / 2));
  return gAP + (gP - gAP) * x;
}

/** Closed-form statistics of the programmed states of a level device. */
export interface StateStatistics {
  /** Nominal level of each state. */
  nominal: number[];
  /** Programming sd of each state before clipping. */
  sd: number[];
  /** Mean of the programmed (clipped) value of each state. */
  mean: number[];
  /** Sd of the programmed (clipped) value of each state. */
  programmedSd: number[];
  /** `confusion[k][j]`: P(a write of state k lands in the read window of state j). */
  confusion: number[][];
  /** P(a write of state k lands outside its own window) = 1 − confusion[k][k]. */
  errorRate: number[];
}

/**
 * Statistics of `level + N(0, sd_k² + (relStd·level)²)` clipped to `config.clip`, read back by
 * the nearest level (windows between the midpoints; a value on a midpoint reads as the lower
 * state). For a DW preset: the wall-position statistics of each state.
 */
export function dwStateStatistics(config: LevelDeviceConfig): StateStatistics {
  const L = config.levels, K = L.length;
  const [lo, hi] = config.clip;
  const sds = L.map((l, k) => {
    const a = Array.isArray(config.programStd) ? config.programStd[k] : config.programStd;
    return Math.sqrt(a * a + (config.programRelStd * l) ** 2);
  });
  const bounds = L.slice(1).map((l, k) => (L[k] + l) / 2);
  const mean: number[] = [], programmedSd: number[] = [], confusion: number[][] = [];
  for (let k = 0; k < K; k++) {
    const mu = L[k], s = sds[k];
    // CDF of the clipped value
    const cdf = (y: number) =>
      y < lo ? 0 : y >= hi ? 1 : s === 0 ? (y >= mu ? 1 : 0) : normCdf((y - mu) / s);
    const row: number[] = [];
    for (let j = 0; j < K; j++) {
      const upper = j < K - 1 ? cdf(bounds[j]) : 1;
      const lower = j > 0 ? cdf(bounds[j - 1]) : 0;
      row.push(Math.max(0, upper - lower));
    }
    confusion.push(row);
    if (s === 0) {
      const c = Math.min(hi, Math.max(lo, mu));
      mean.push(c);
      programmedSd.push(0);
      continue;
    }
    const a = (lo - mu) / s, b = (hi - mu) / s;
    const Fa = Number.isFinite(a) ? normCdf(a) : a > 0 ? 1 : 0;
    const Fb = Number.isFinite(b) ? normCdf(b) : b > 0 ? 1 : 0;
    const fa = Number.isFinite(a) ? normPdf(a) : 0, fb = Number.isFinite(b) ? normPdf(b) : 0;
    const afa = Number.isFinite(a) ? a * fa : 0, bfb = Number.isFinite(b) ? b * fb : 0;
    const P = Fb - Fa;
    const loMass = Number.isFinite(lo) ? lo * Fa : 0,
      hiMass = Number.isFinite(hi) ? hi * (1 - Fb) : 0;
    const m1 = loMass + hiMass + mu * P + s * (fa - fb);
    const lo2 = Number.isFinite(lo) ? lo * lo * Fa : 0,
      hi2 = Number.isFinite(hi) ? hi * hi * (1 - Fb) : 0;
    const m2 = lo2 + hi2 + mu * mu * P + 2 * mu * s * (fa - fb) + s * s * (P + afa - bfb);
    mean.push(m1);
    programmedSd.push(Math.sqrt(Math.max(0, m2 - m1 * m1)));
  }
  return {
    nominal: L.slice(),
    sd: sds,
    mean,
    programmedSd,
    confusion,
    errorRate: confusion.map((r, k) => 1 - r[k]),
  };
}
