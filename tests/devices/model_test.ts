import { assert, assertEquals, assertThrows } from "../assert.ts";
import { type DeviceConfig, deviceModel } from "../../lib/devices/model.ts";
import { HfOxWeakReset2021 } from "../../lib/devices/hfox_weak_reset_2021.ts";
import { WeakResetModel } from "../../lib/devices/weak_reset.ts";
import { constantStep, PulsedModel } from "../../lib/devices/pulsed.ts";
import { LevelModel, uniformLevels } from "../../lib/devices/levels.ts";
import { Rng } from "../../lib/rng.ts";

Deno.test("deviceModel: picks the model class by config.kind", () => {
  const w = deviceModel(HfOxWeakReset2021);
  assert(w instanceof WeakResetModel);
  assertEquals(w.kind, "weakReset");
  const p = deviceModel(constantStep());
  assert(p instanceof PulsedModel);
  assertEquals(p.kind, "pulsed");
  const l = deviceModel(uniformLevels(4));
  assert(l instanceof LevelModel);
  assertEquals(l.kind, "levels");
});

Deno.test("deviceModel: the model samples like the class built directly (same seed)", () => {
  for (const cfg of [HfOxWeakReset2021, constantStep(), uniformLevels(4)] as DeviceConfig[]) {
    const a = deviceModel(cfg).sample(16, new Rng(3)).values();
    let direct;
    if (cfg.kind === "weakReset") direct = new WeakResetModel(cfg);
    else if (cfg.kind === "pulsed") direct = new PulsedModel(cfg);
    else direct = new LevelModel(cfg);
    assertEquals(a, direct.sample(16, new Rng(3)).values(), cfg.kind);
    assertEquals(a.length, 16);
  }
  // a weak-RESET device starts at its LRS R0·exp(c1), inside the R0 window widened by e^±0.15
  const r = deviceModel(HfOxWeakReset2021).sample(100, new Rng(1)).values();
  for (const v of r) assert(v > 6252 * Math.exp(-0.15) && v < 7897 * Math.exp(0.15), `R ${v}`);
});

Deno.test("deviceModel: bad configs throw clear errors", () => {
  assertThrows(
    () => deviceModel({ kind: "memristor" } as unknown as DeviceConfig),
    TypeError,
    'unknown device kind "memristor"',
  );
  assertThrows(
    () => deviceModel(undefined as unknown as DeviceConfig),
    TypeError,
  );
  // the chosen class validates the rest of the config
  assertThrows(
    () => deviceModel({ ...HfOxWeakReset2021, maxProgramPulses: -1 }),
    RangeError,
    "maxProgramPulses",
  );
  assertThrows(
    () => deviceModel({ ...constantStep(), dwStd: -0.1 }),
    RangeError,
    "dwStd",
  );
  assertThrows(
    () => deviceModel({ ...uniformLevels(3), programRelStd: -1 }),
    RangeError,
    "programRelStd",
  );
});
