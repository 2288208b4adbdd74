import { assert, assertEquals, assertThrows } from "../assert.ts";
import { Rng } from "../../lib/rng.ts";
import { DifferentialPair, SignedDevice } from "../../lib/devices/synapse.ts";
import { WeakResetModel } from "../../lib/devices/weak_reset.ts";
import { hfoxAblation, HfOxWeakReset2021 } from "../../lib/devices/hfox_weak_reset_2021.ts";
import { constantStep, PulsedModel } from "../../lib/devices/pulsed.ts";

Deno.test("differential pair: positive counts RESET the BL device, negative the BLb device", () => {
  const rng = new Rng(0);
  const pair = DifferentialPair.sample(new WeakResetModel(HfOxWeakReset2021), { n: 4, rng });
  pair.applyPulses([5, -7, 0, 14], rng);
  assertEquals(Array.from(pair.plus.counters.pulses), [5, 0, 0, 14]);
  assertEquals(Array.from(pair.minus.counters.pulses), [0, 7, 0, 0]);
  assertEquals(pair.plus.counters.updates, 1);
  assertEquals(pair.minus.counters.updates, 1, "both devices are updated every step");
  const w = pair.weights(new Float32Array(4), rng);
  const { plus, minus } = pair.deviceValues(rng);
  for (let i = 0; i < 4; i++) assertEquals(w[i], Math.sign(plus[i] - minus[i]));
});

Deno.test("differential pair: many pulses on one side set the sign; randomizeSigns breaks ties", () => {
  const rng = new Rng(1);
  const pair = DifferentialPair.sample(new WeakResetModel(hfoxAblation("noD2D")), { n: 1000, rng });
  // identical devices: exact ties, weight 0 (as torch.sign)
  const w0 = pair.weights(new Float32Array(1000), rng);
  assert(w0.every((x) => x === 0));
  pair.randomizeSigns(rng);
  const w1 = pair.weights(new Float32Array(1000), rng);
  let pos = 0;
  for (const x of w1) {
    assert(x === 1 || x === -1);
    if (x > 0) pos++;
  }
  assert(Math.abs(pos - 500) < 4 * Math.sqrt(250), `${pos} positive`);
  const counts = new Float64Array(1000).fill(-14);
  for (let k = 0; k < 10; k++) pair.applyPulses(counts, rng);
  assert(pair.weights(new Float32Array(1000), rng).every((x) => x === -1));
});

Deno.test("push-pull pair and signed device with a difference readout", () => {
  const rng = new Rng(2);
  const model = new PulsedModel(constantStep({ dwMin: 0.01, wMin: 0, wMax: 1 }));
  const pair = DifferentialPair.sample(model, {
    n: 2,
    rng,
    readout: "difference",
    scheme: "pushPull",
    scale: 10,
  });
  pair.applyPulses([3, -2], rng);
  const w = pair.weights(new Float32Array(2), rng);
  assertEquals(Array.from(w).map((x) => Math.round(x * 1e6) / 1e6), [0.3, -0.2]);
  const single = new SignedDevice(new PulsedModel(constantStep({ dwMin: 0.1 })).sample(2, rng), {
    scale: 2,
    offset: 0.1,
  });
  single.applyPulses([2, -1], rng);
  const s = single.weights(new Float32Array(2), rng);
  assertEquals(Array.from(s).map((x) => Math.round(x * 1e6) / 1e6), [0.2, -0.4]);
  assertThrows(() => new DifferentialPair(model.sample(2, rng), model.sample(3, rng)), RangeError);
});
