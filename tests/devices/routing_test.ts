import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import { Rng } from "../../lib/rng.ts";
import { deviceRouted, roundHalfEven, updateToPulses } from "../../lib/devices/routing.ts";
import type { SynapseArray } from "../../lib/devices/synapse.ts";
import type { Optimizer } from "../../lib/optim/types.ts";
import { adam } from "../../lib/optim/adam.ts";

Deno.test("updateToPulses: scale, clip to ±maxPulses, round half to even (torch.round)", () => {
  const p = updateToPulses([0.4, -2.6, 30, -30, 0.5, 1.5, 2.5, -0.5, -1.5], {
    pulsesPerUnit: 1,
    maxPulses: 14,
  });
  assertEquals(Array.from(p), [0, -3, 14, -14, 0, 2, 2, 0, -2]);
  const q = updateToPulses([1e-4, -3.3e-4], { pulsesPerUnit: 12_500, maxPulses: 14 });
  assertEquals(Array.from(q), [1, -4]);
  assertEquals(roundHalfEven(-2.5), -2);
  assertEquals(roundHalfEven(3.5), 4);
  assertThrows(() => updateToPulses([NaN], { pulsesPerUnit: 1, maxPulses: 14 }), RangeError);
  assertThrows(() => updateToPulses([1], { pulsesPerUnit: 0, maxPulses: 14 }), RangeError);
  assertThrows(
    () => updateToPulses([1], { pulsesPerUnit: 1, maxPulses: 14, rounding: "stochastic" }),
    TypeError,
  );
});

Deno.test("updateToPulses: stochastic rounding is unbiased", () => {
  const rng = new Rng(1);
  const n = 100_000;
  const d = new Float64Array(n).fill(0.3);
  const p = updateToPulses(d, { pulsesPerUnit: 1, maxPulses: 14, rounding: "stochastic", rng });
  let s = 0;
  for (const x of p) {
    assert(x === 0 || x === 1);
    s += x;
  }
  assertAlmostEquals(s / n, 0.3, 4 * Math.sqrt(0.21 / n));
});

/** A synapse array that records what it receives and holds weight = Σ pulses · 0.1. */
class Recorder implements SynapseArray {
  received: number[][] = [];
  acc: Float64Array;
  constructor(readonly size: number) {
    this.acc = new Float64Array(size);
  }
  applyPulses(counts: ArrayLike<number>): void {
    this.received.push(Array.from(counts));
    for (let i = 0; i < this.size; i++) this.acc[i] += counts[i];
  }
  weights(out: Float32Array): Float32Array {
    for (let i = 0; i < this.size; i++) out[i] = 0.1 * this.acc[i];
    return out;
  }
}

Deno.test("deviceRouted: Adam's step becomes round(clip(Δ·k)) pulses; unrouted params get Adam", () => {
  const rng = new Rng(0);
  const syn = new Recorder(3);
  const lr = 8e-3, k = 100 / lr;
  const opt = deviceRouted(adam({ lr }), {
    routes: [{ param: 0, synapses: syn, pulsesPerUnit: k, maxPulses: 14 }],
    rng,
  });
  const params = [new Float32Array([5, 5, 5]), new Float32Array([1, 2])];
  const state = opt.init(params);
  assertEquals(Array.from(params[0]), [0, 0, 0], "init writes the device weights");
  const g = [new Float32Array([0.5, -0.5, 0]), new Float32Array([1, -1])];
  opt.step(params, g, state);
  // first Adam step: Δ = −lr·sign(g) (m̂/√v̂ = ±1), so pulses = round(clip(−100·sign(g))) = ∓14, 0
  assertEquals(syn.received[0], [-14, 14, 0]);
  const w = params[0];
  assertAlmostEquals(w[0], -1.4, 1e-6);
  assertAlmostEquals(w[1], 1.4, 1e-6);
  assertAlmostEquals(params[1][0], 1 - lr, 1e-6);
  assertAlmostEquals(params[1][1], 2 + lr, 1e-6);
  assertEquals(state.stats[0].clipped, 2);
  assertEquals(state.stats[0].zero, 1);
  assertEquals(state.stats[0].pulses, 28);
  assertEquals(state.stats[0].signFlips, 2);
  assertEquals(state.steps, 1);
});

Deno.test("deviceRouted: the intended update is computed on a shadow copy (params untouched by inner)", () => {
  const seen: Float32Array[][] = [];
  const inner: Optimizer<null> = {
    name: "spy",
    init: () => null,
    step(params, grads) {
      seen.push(params.map((p) => p.slice()));
      for (let i = 0; i < params.length; i++) {
        for (let j = 0; j < params[i].length; j++) params[i][j] -= grads[i][j];
      }
    },
  };
  const syn = new Recorder(2);
  const opt = deviceRouted(inner, {
    routes: [{ param: 0, synapses: syn, pulsesPerUnit: 10, maxPulses: 5 }],
    rng: new Rng(1),
  });
  const params = [new Float32Array(2)];
  const st = opt.init(params);
  opt.step(params, [new Float32Array([-0.26, 0.04])], st);
  assertEquals(syn.received[0], [3, 0]);
  assertAlmostEquals(params[0][0], 0.3, 1e-6);
  opt.step(params, [new Float32Array([-1, 1])], st);
  assertEquals(syn.received[1], [5, -5]);
  assertAlmostEquals(seen[1][0][0], 0.3, 1e-6, "inner saw the device weights");
  assertThrows(() =>
    deviceRouted(inner, {
      routes: [{ param: 0, synapses: syn, pulsesPerUnit: 1, maxPulses: 1 }, {
        param: 0,
        synapses: syn,
        pulsesPerUnit: 1,
        maxPulses: 1,
      }],
      rng: new Rng(0),
    }), RangeError);
  const bad = deviceRouted(inner, {
    routes: [{ param: 0, synapses: new Recorder(3), pulsesPerUnit: 1, maxPulses: 1 }],
    rng: new Rng(0),
  });
  assertThrows(() => bad.init([new Float32Array(2)]), RangeError);
});

Deno.test("deviceRouted + HfOx pairs: Adam's step as weak-RESET pulses on one device per sign", async () => {
  const { DifferentialPair } = await import("../../lib/devices/synapse.ts");
  const { WeakResetModel } = await import("../../lib/devices/weak_reset.ts");
  const { HfOxWeakReset2021 } = await import("../../lib/devices/hfox_weak_reset_2021.ts");
  const rng = new Rng(3);
  const n = 50;
  const pair = DifferentialPair.sample(new WeakResetModel(HfOxWeakReset2021), { n, rng });
  const opt = deviceRouted(adam({ lr: 8e-3 }), {
    routes: [{ param: 0, synapses: pair, pulsesPerUnit: 100 / 8e-3, maxPulses: 14 }],
    rng,
  });
  const params = [new Float32Array(n)];
  const st = opt.init(params);
  const g = new Float32Array(n).map((_, i) => (i % 5 - 2) * 0.1);
  opt.step(params, [g], st);
  for (let i = 0; i < n; i++) {
    const expected = g[i] > 0 ? -14 : g[i] < 0 ? 14 : 0; // first step: −100·sign(g), clipped
    assertEquals(pair.plus.counters.pulses[i], Math.max(0, expected));
    assertEquals(pair.minus.counters.pulses[i], Math.max(0, -expected));
    assert(params[0][i] === 1 || params[0][i] === -1);
  }
});
