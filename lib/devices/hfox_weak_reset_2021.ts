/**
 * Preset `HfOxWeakReset2021`: the weak-RESET HfOx RRAM model of Majumdar, Bocquet, Hirtzlin
 * et al., "Model of the weak reset process in HfOx resistive memory for deep learning
 * frameworks", IEEE TED 68(10), 2021 (arXiv 2107.06064), with the parameter table exactly as in
 * the authors' reference code (`ConvNet/utils_device.py`, github.com/Atreya95/
 * Learning-with-memory-device-imperfections), as summarised in
 * `shared/papers/majumdar2021_weak_reset_hfox.md` §4.
 *
 * Choices kept from the reference code (brief §4, §7): the pink-noise draws are uniform on
 * [0, 1) (so the pink term has a mean offset ≈ 0.054 in log-resistance, i.e. a systematic
 * upward drift of ≈ +5.5 % in R once the 15-tap history is full); the filter history starts at
 * zero; the RTN starts in the low state and its high-state offset U(0, U(0,1)·A_dev) is redrawn at
 * every update (even for a device receiving 0 pulses). The energy per pulse is not in the brief:
 * it is `null` (unknown) and energy reports say so.
 *
 * @example
 * ```ts
 * import { HfOxWeakReset2021, hfoxAblation } from "./hfox_weak_reset_2021.ts";
 * import { WeakResetModel } from "./weak_reset.ts";
 * import { Rng } from "../rng.ts";
 * const full = new WeakResetModel(HfOxWeakReset2021).sample(100, new Rng(1));
 * const noD2D = new WeakResetModel(hfoxAblation("noD2D")).sample(100, new Rng(1));
 * ```
 * @module
 */
import type { PinkNoiseConfig, RtnConfig } from "./noise.ts";
import { IDEAL_READ } from "./population.ts";
import type { WeakResetConfig } from "./weak_reset.ts";

/**
 * Pink (1/f) C2C noise of the preset: 15-tap fractional-integration filter, α = 1, coupling
 * 0.025, uniform [0, 1) draws as coded (brief §4.2).
 */
export const HFOX_PINK_NOISE: PinkNoiseConfig = {
  kind: "pink",
  enabled: true,
  /** α_pink = 2.5e-2 (dimensionless, log-resistance per unit draw); reference code `alpha`. */
  scale: 0.025,
  /** 1/f^α with α = 1 (dimensionless); reference code filter coefficients. */
  exponent: 1,
  /** P = 15 taps (`pole = 15`); reference code. */
  taps: 15,
  /** Uniform [0, 1) draws (`torch.rand_like`), as coded; not zero-mean (brief §4.2, §7.1). */
  draws: "uniform01",
};

/** RTN of the preset (brief §4.2). */
export const HFOX_RTN: RtnConfig = {
  kind: "rtn",
  enabled: true,
  /** P(low→high) per pulse = 0.0008 (dimensionless); reference code `Phigh`. */
  pUp: 0.0008,
  /** P(high→low) per pulse = 0.002 (dimensionless); reference code `Plow`. */
  pDown: 0.002,
  /** A_dev ~ U(0, 0.5) per device (log-resistance); reference code `amp_BL = rand·0.5`. */
  amplitude: { kind: "uniform", low: 0, high: 0.5 },
  /** High-state offset U(0, U(0,1)·A_dev) as coded. */
  offset: "uniformUniform",
  /** Offset redrawn at every update, as coded. */
  redraw: "everyUpdate",
  /** M_tensor initialised with zeros: low state. */
  initial: "low",
};

/**
 * The full HfOx weak-RESET model of Majumdar et al. 2021. Units: slopes in log-resistance per
 * pulse, knee in pulses, c1 dimensionless (log-resistance), R0 in Ω. Distributions and
 * truncations from the reference code (brief §4.4 table, scipy parametrisation).
 */
export const HfOxWeakReset2021: WeakResetConfig = {
  kind: "weakReset",
  name: "HfOxWeakReset2021",
  /**
   * m1 (1/pulse): exponential, loc 3.7416e-5, scale 6.5647e-4, truncated [3.74e-5, 7.6e-3];
   * truncated mean 6.97e-4, median 4.97e-4 (derived). Reference code `x1, y1`.
   */
  m1: {
    kind: "exponential",
    loc: 3.7415768289771944e-05,
    scale: 6.564678011593196e-4,
    truncate: [3.74e-5, 7.6e-3],
  },
  /**
   * t* (pulses): lognormal, shape 0.80338, loc 0, scale 542.54, truncated [41, 2000];
   * mean 627, median 516 (derived). Reference code `a, b, c`.
   */
  tStar: {
    kind: "lognormal",
    shape: 0.8033817700570505,
    loc: 0,
    scale: 542.5385224079308,
    truncate: [41, 2000],
  },
  /** c1 (log-resistance): normal, mean 5.2931e-3, sd 5.3208e-2, truncated [−0.15, 0.15]. */
  c1: {
    kind: "normal",
    mean: 0.005293141020227579,
    sd: 0.05320804175540371,
    truncate: [-0.15, 0.15],
  },
  /** m2 (1/pulse): exponential, loc ≈ 0 (1.6e-34), scale 2.8891e-5, truncated [0, 1.3e-4]; mean 2.7e-5. */
  m2: {
    kind: "exponential",
    loc: 1.644496812189661e-34,
    scale: 2.8890516951651312e-05,
    truncate: [0, 1.3e-4],
  },
  /** R0 (Ω): normal, mean 6988, sd 381.7, truncated [6252, 7897]. Reference code `m_R0, s_R0`. */
  r0: { kind: "normal", mean: 6988, sd: 381.7, truncate: [6252, 7897] },
  /** Device-to-device variability on (the reference code draws every parameter per device). */
  d2d: "sampled",
  /** C2C noise: pink then RTN, both in log-resistance (`ConvNet/utils_device.py` keeps both). */
  noise: [HFOX_PINK_NOISE, HFOX_RTN],
  /** The reference code reads resistances exactly (no read noise, no ADC). */
  read: IDEAL_READ,
  /** Energies are not in the brief: unknown. */
  energy: { pulseJ: null, programJ: null, readJ: null },
  /** Cap for open-loop programming (pulses); a toolkit choice (proposal). */
  maxProgramPulses: 20000,
};

/** Named ablations of Majumdar et al.'s training study (brief §8). */
export type HfOxAblation = "full" | "noD2D" | "noPink" | "noRtn" | "noC2C";

/** Every ablation, in report order. */
export const HFOX_ABLATIONS: readonly HfOxAblation[] = [
  "full",
  "noD2D",
  "noPink",
  "noRtn",
  "noC2C",
];

/**
 * The preset with one imperfection removed: `noD2D` gives every device the median parameters
 * (the reference code has no such switch; brief §5), `noPink` / `noRtn` disable one noise
 * process, `noC2C` both.
 */
export function hfoxAblation(
  ablation: HfOxAblation,
  base: WeakResetConfig = HfOxWeakReset2021,
): WeakResetConfig {
  const noise = base.noise.map((p) => ({ ...p }));
  const off = (kind: string) => {
    for (const p of noise) if (p.kind === kind) p.enabled = false;
  };
  switch (ablation) {
    case "full":
      break;
    case "noD2D":
      return { ...base, name: `${base.name} (no D2D)`, d2d: "median", noise };
    case "noPink":
      off("pink");
      break;
    case "noRtn":
      off("rtn");
      break;
    case "noC2C":
      off("pink");
      off("rtn");
      off("white");
      break;
    default:
      throw new RangeError(
        `unknown ablation "${ablation}"; use one of ${HFOX_ABLATIONS.join(", ")}`,
      );
  }
  return { ...base, name: ablation === "full" ? base.name : `${base.name} (${ablation})`, noise };
}
