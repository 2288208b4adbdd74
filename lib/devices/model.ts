/**
 * One entry point from a plain configuration to a device model: `deviceModel(config)` picks the
 * model class by `config.kind`, so presets and user configurations are interchangeable.
 *
 * @example
 * ```ts
 * import { deviceModel } from "./model.ts";
 * import { HfOxWeakReset2021 } from "./hfox_weak_reset_2021.ts";
 * import { Rng } from "../rng.ts";
 * const pop = deviceModel(HfOxWeakReset2021).sample(10, new Rng(0));
 * ```
 * @module
 */
import { type LevelDeviceConfig, LevelModel } from "./levels.ts";
import type { DeviceModel } from "./population.ts";
import { type PulsedDeviceConfig, PulsedModel } from "./pulsed.ts";
import { type WeakResetConfig, WeakResetModel } from "./weak_reset.ts";

/** Any device configuration understood by {@linkcode deviceModel}. */
export type DeviceConfig = WeakResetConfig | PulsedDeviceConfig | LevelDeviceConfig;

/** The model for a configuration (by its `kind`). */
export function deviceModel(config: DeviceConfig): DeviceModel {
  if (!config || typeof config !== "object") {
    throw new TypeError(`deviceModel needs a device config object, got ${config}`);
  }
  switch (config.kind) {
    case "weakReset":
      return new WeakResetModel(config);
    case "pulsed":
      return new PulsedModel(config);
    case "levels":
      return new LevelModel(config);
    default:
      throw new TypeError(
        `unknown device kind "${(config as { kind: string }).kind}"; ` +
          `use "weakReset", "pulsed" or "levels" (or StMramModel for ST-MRAM)`,
      );
  }
}
