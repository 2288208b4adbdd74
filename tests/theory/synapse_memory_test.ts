import {
  assert,
  assertAlmostEquals,
  assertArrayClose,
  assertEquals,
  assertThrows,
} from "../assert.ts";
import {
  binarySynapse,
  binarySynapseSnr,
  cascadeSynapse,
  checkSynapse,
  logTimes,
  memorySignal,
  memorySnr,
  simulateMemorySignal,
  stationaryDistribution,
} from "../../lib/theory/synapse_memory.ts";
import { decayFits } from "../../lib/theory/fit.ts";
import { Rng } from "../../lib/rng.ts";

Deno.test("binary synapse: exact signal is q(1−q)^t and SNR √N·q(1−q)^t", () => {
  const q = 0.2, times = [0, 1, 5, 20, 50];
  assertArrayClose(
    memorySignal(binarySynapse(q), times),
    times.map((t) => q * (1 - q) ** t),
    1e-13,
  );
  const snr = memorySnr(binarySynapse(q), times, { synapses: 1e4 });
  assertArrayClose(snr, binarySynapseSnr(q, times, { synapses: 1e4 }), 1e-12);
  // exponential decay rate from the brief's formula
  const f = decayFits(times.slice(1), snr.slice(1));
  assertAlmostEquals(f.expRate, Math.log(1 - q), 1e-12);
});

Deno.test("binary synapse Monte Carlo agrees with the closed form within 4.5 standard errors", () => {
  const q = 0.3, times = [0, 1, 2, 4, 8];
  const sim = simulateMemorySignal(binarySynapse(q), times, {
    synapses: 2000,
    trials: 10,
    rng: new Rng(2),
  });
  times.forEach((t, k) => {
    const z = (sim.signal[k] - q * (1 - q) ** t) / sim.signalSe[k];
    assert(Math.abs(z) < 4.5, `t=${t}: z = ${z}`);
  });
  // noise of an unrelated pattern's overlap ≈ 1/√N
  for (const v of sim.noise) {
    assert(v > 0.5 / Math.sqrt(2000) && v < 2 / Math.sqrt(2000), `noise ${v}`);
  }
});

Deno.test("cascade: valid chain, stationary law, power-law-like decay before 2^n", () => {
  const n = 8;
  const c = cascadeSynapse(n);
  checkSynapse(c);
  const pi = stationaryDistribution(c);
  assertAlmostEquals(pi.reduce((a, b) => a + b, 0), 1, 1e-12);
  // stationary: π·½(P + D) = π
  const s = c.states;
  for (let j = 0; j < s; j++) {
    let v = 0;
    for (let i = 0; i < s; i++) {
      v += pi[i] * 0.5 * (c.potentiation[i * s + j] + c.depression[i * s + j]);
    }
    assertAlmostEquals(v, pi[j], 1e-12);
  }
  // symmetric between efficacies, deeper states less occupied at x = ½
  assertAlmostEquals(pi[0], pi[n], 1e-12);
  const times = logTimes(2, 2 ** (n - 1), { perDecade: 10 });
  const f = decayFits(times, memorySnr(c, times, { synapses: 1e4 }));
  assert(f.powerR2 > f.expR2, `power R² ${f.powerR2} vs exp R² ${f.expR2}`);
  assert(f.powerExponent < -0.3 && f.powerExponent > -1.5, `exponent ${f.powerExponent}`);
  // the binary synapse with the same initial signal forgets exponentially: log-linear is exact
  const q = memorySignal(c, [0])[0];
  const tb = logTimes(1, Math.ceil(3 / q), { perDecade: 10 });
  const fb = decayFits(tb, memorySnr(binarySynapse(q), tb, { synapses: 1e4 }));
  assert(fb.expR2 > 0.999999 && fb.expR2 > fb.powerR2);
  // the cascade outlives the matched binary synapse by far
  const tt = [100];
  assert(
    memorySnr(c, tt, { synapses: 1e4 })[0] >
      1e3 * memorySnr(binarySynapse(q), tt, { synapses: 1e4 })[0],
  );
});

Deno.test("cascade Monte Carlo agrees with the exact propagation", () => {
  const c = cascadeSynapse(5);
  const times = [0, 1, 3, 10, 30];
  const exact = memorySignal(c, times);
  const sim = simulateMemorySignal(c, times, {
    synapses: 2000,
    trials: 10,
    rng: new Rng(4),
    burnIn: 5,
  });
  times.forEach((t, k) => {
    const z = (sim.signal[k] - exact[k]) / sim.signalSe[k];
    assert(Math.abs(z) < 4.5, `t=${t}: z = ${z}`);
  });
});

Deno.test("simulation is deterministic for a seed; bad input is rejected", () => {
  const a = simulateMemorySignal(binarySynapse(0.1), [0, 3], {
    synapses: 100,
    trials: 3,
    rng: new Rng(8),
  });
  const b = simulateMemorySignal(binarySynapse(0.1), [0, 3], {
    synapses: 100,
    trials: 3,
    rng: new Rng(8),
  });
  assertEquals(a.signal, b.signal);
  assertEquals(logTimes(0, 10, { perDecade: 2 }), [0, 1, 3, 10]);
  assertThrows(() => binarySynapse(1.5), RangeError, "probability");
  assertThrows(() => cascadeSynapse(3, { x: 0.7 }), RangeError, "x");
  assertThrows(() => memorySignal(binarySynapse(0.1), [1.5]), RangeError, "integers");
});
