/**
 * Preset `MultiLevelHfO2_2023`: multi-level 1T1R HfO2 RRAM as used by D'Agostino et al.,
 * "Synaptic metaplasticity with multi-level memristive devices", AICAS 2023 (arXiv 2306.12142),
 * following `shared/papers/dagostino2023_multilevel_metaplasticity.md` §5.
 *
 * **Every numerical value here is a PLACEHOLDER**: the brief has no level table from the paper.
 * They follow the brief's guidance (4 levels, 2 bits, spanning ≈ 20–120 µS, σ ≈ 3–6 µS, read
 * noise ≈ 1 %) and must be refitted to the paper's measured conductance distributions.
 *
 * Physics encoded (standard for this technology, unverified for this paper):
 * - a level is written by a SET with a compliance current I_cc set by the access transistor's
 *   gate voltage; the resulting conductance is ≈ proportional to I_cc, G = I_cc/V_c
 *   ({@linkcode complianceToConductance});
 * - programming error G = G_l + σ_l·ξ, ξ ~ N(0, 1), with a level-dependent σ_l (larger relative
 *   spread at low conductance), clipped to the physical window `clip`;
 * - read noise G·(1 + σ_read·ξ), redrawn at every read (the population's read path);
 * - endurance: the population counters count programming events per device. The energy per
 *   write is unknown (`null`: energy reports say so instead of a silent zero).
 *
 * Signed weights use a differential pair (`QuantizedSynapseMemory` with `"differential"`):
 * weight level k ↦ (G_k, G_{N−1−k}).
 *
 * @example
 * ```ts
 * import { MultiLevelHfO2_2023, multiLevelHfO2 } from "./multilevel_hfo2.ts";
 * import { LevelModel } from "./levels.ts";
 * import { Rng } from "../rng.ts";
 * const pop = new LevelModel(MultiLevelHfO2_2023).sample(1000, new Rng(0));
 * pop.programLevels(new Int32Array(1000).fill(2), new Rng(1)); // ≈ 86.7 µS ± 4 µS
 * const ideal = multiLevelHfO2({ programStdScale: 0, readRelStd: 0 }); // noise-free ablation
 * ```
 * @module
 */
import { type LevelDeviceConfig, uniformLevels } from "./levels.ts";
import { UNKNOWN_ENERGY } from "./counters.ts";

/** PLACEHOLDER SET compliance currents of the 4 levels (µA). */
export const HFO2_COMPLIANCE_UA: readonly number[] = [8, 64 / 3, 104 / 3, 48];

/** PLACEHOLDER voltage V_c of G = I_cc/V_c (V): the ≈ 0.4 V of the usual R_on·I_cc relation. */
export const HFO2_COMPLIANCE_VOLTAGE_V = 0.4;

/** PLACEHOLDER programming spread σ_l per level (µS): 6, 5, 4, 3 (relative 30 % … 2.5 %). */
export const HFO2_PROGRAM_STD_US: readonly number[] = [6, 5, 4, 3];

/** PLACEHOLDER relative read-noise standard deviation (fraction of G). */
export const HFO2_READ_REL_STD = 0.01;

/** Conductance (µS) reached by a SET with compliance current `iccUA` (µA): G = I_cc/V_c. */
export function complianceToConductance(
  iccUA: number,
  voltageV: number = HFO2_COMPLIANCE_VOLTAGE_V,
): number {
  if (!(iccUA > 0) || !(voltageV > 0)) {
    throw new RangeError(
      `compliance current and voltage must be > 0, got ${iccUA} µA, ${voltageV} V`,
    );
  }
  return iccUA / voltageV; // µA / V = µS
}

/** Options of {@linkcode multiLevelHfO2}. */
export interface MultiLevelHfO2Options {
  /** Compliance currents of the levels (µA, ascending; default {@linkcode HFO2_COMPLIANCE_UA}). */
  complianceUA?: readonly number[];
  /** V_c of G = I_cc/V_c (V; default 0.4). */
  complianceVoltageV?: number;
  /** σ_l per level (µS; default {@linkcode HFO2_PROGRAM_STD_US}, interpolated if the count differs). */
  programStdUS?: readonly number[];
  /** Multiplies every σ_l (default 1; 0 = ideal programming, for ablations and sweeps). */
  programStdScale?: number;
  /** Relative read noise (default 0.01). */
  readRelStd?: number;
  /** Physical conductance window the programmed value is clipped to (µS; default [1, 200]). */
  clipUS?: [number, number];
  /** Name (default `"MultiLevelHfO2_2023"`). */
  name?: string;
}

/**
 * The multi-level HfO2 configuration with overrides (all values placeholders; see the module
 * docs). Use with `LevelModel` or `deviceModel`.
 */
export function multiLevelHfO2(options: MultiLevelHfO2Options = {}): LevelDeviceConfig {
  const icc = options.complianceUA ?? HFO2_COMPLIANCE_UA;
  const vc = options.complianceVoltageV ?? HFO2_COMPLIANCE_VOLTAGE_V;
  const levels = icc.map((i) => complianceToConductance(i, vc));
  for (let k = 1; k < levels.length; k++) {
    if (!(levels[k] > levels[k - 1])) {
      throw new RangeError(`compliance currents must be ascending, got [${icc}]`);
    }
  }
  const scale = options.programStdScale ?? 1;
  if (!(scale >= 0)) throw new RangeError(`programStdScale must be >= 0, got ${scale}`);
  const table = options.programStdUS ?? HFO2_PROGRAM_STD_US;
  const sd = levels.map((_, k) =>
    scale * interpolate(table, levels.length === 1 ? 0 : k / (levels.length - 1))
  );
  const readRel = options.readRelStd ?? HFO2_READ_REL_STD;
  if (!(readRel >= 0)) throw new RangeError(`readRelStd must be >= 0, got ${readRel}`);
  const base = uniformLevels(2, [levels[0], levels[levels.length - 1]]);
  return {
    ...base,
    name: options.name ?? "MultiLevelHfO2_2023",
    levels,
    programStd: sd,
    programRelStd: 0,
    clip: options.clipUS ?? [1, 200],
    // the hybrid memory decides what to write; a forced (initial) write is always performed
    skipUnchanged: false,
    initialLevel: 0,
    read: { std: 0, relStd: readRel, quantStep: 0 },
    energy: UNKNOWN_ENERGY,
    unit: "µS",
  };
}

/** Linear interpolation in a table sampled evenly on [0, 1]. */
function interpolate(table: readonly number[], x: number): number {
  if (table.length === 0) throw new RangeError("programStdUS needs at least one value");
  if (table.length === 1) return table[0];
  const p = x * (table.length - 1), j = Math.min(table.length - 2, Math.floor(p));
  return table[j] + (p - j) * (table[j + 1] - table[j]);
}

/**
 * The PLACEHOLDER preset: 4 levels G = 20, 53.3, 86.7, 120 µS (I_cc = 8 … 48 µA at V_c = 0.4 V),
 * σ_l = 6, 5, 4, 3 µS, 1 % read noise, clip [1, 200] µS, unknown write energy.
 */
export const MultiLevelHfO2_2023: LevelDeviceConfig = multiLevelHfO2();
