import { assert, assertAlmostEquals, assertArrayClose, assertThrows } from "../assert.ts";
import {
  bennaFusiChain,
  bennaFusiSignal,
  bennaFusiSnr,
  bennaFusiVariance,
  integrateBennaFusi,
  simulateBennaFusi,
} from "../../lib/theory/benna_fusi.ts";
import { decayFits } from "../../lib/theory/fit.ts";
import { logTimes } from "../../lib/theory/synapse_memory.ts";
import { Rng } from "../../lib/rng.ts";

Deno.test("Benna–Fusi closed form equals direct integration of the chain ODE", () => {
  const chain = bennaFusiChain({ levels: 5 });
  const times = [0.5, 2, 10, 50, 200];
  assertArrayClose(
    integrateBennaFusi(chain, times, { dt: 0.002 }),
    bennaFusiSignal(chain, times),
    2e-3,
  );
  assertAlmostEquals(chain.weights.reduce((a, b) => a + b, 0), 1, 1e-12); // r(0) = 1
  for (const l of chain.rates) assert(l < 0, "every mode decays (the last beaker leaks)");
});

Deno.test("stationary variance equals Σ r(s)² summed directly", () => {
  const chain = bennaFusiChain({ levels: 3 });
  let v = 0;
  for (let s = 0; s < 20000; s++) v += bennaFusiSignal(chain, [s])[0] ** 2;
  assertAlmostEquals(bennaFusiVariance(chain), v, 1e-9 * v);
});

Deno.test("power-law decay: exponent −ln r_C / ln(r_C·r_g) — −1/2 for (2, 2), −1/3 for (2, 4)", () => {
  for (const [rg, expected] of [[2, -0.5], [4, -1 / 3]]) {
    const chain = bennaFusiChain({ levels: 8, conductanceRatio: rg });
    const slow = -1 / chain.rates[chain.levels - 1];
    const t = logTimes(10, Math.floor(slow / 10), { perDecade: 8 });
    const f = decayFits(t, bennaFusiSnr(chain, t, { synapses: 1e4 }));
    assert(f.powerR2 > 0.999, `R² ${f.powerR2}`);
    assertAlmostEquals(f.powerExponent, expected, 0.03);
  }
});

Deno.test("Monte Carlo of the chain agrees with the closed form (stationary start)", () => {
  const chain = bennaFusiChain({ levels: 4 });
  const times = [0, 1, 5, 20, 80];
  const sim = simulateBennaFusi(chain, times, { synapses: 2000, trials: 5, rng: new Rng(6) });
  const exact = bennaFusiSignal(chain, times);
  const snr = bennaFusiSnr(chain, times, { synapses: 2000 });
  times.forEach((t, k) => {
    const z = (sim.signal[k] - exact[k]) / sim.signalSe[k];
    assert(Math.abs(z) < 4.5, `t=${t}: z = ${z}`);
    // SNR normalisation uses the measured stationary variance: close to the exact one
    assertAlmostEquals(
      sim.snr[k] / snr[k],
      sim.signal[k] / exact[k],
      0.1 * Math.abs(sim.signal[k] / exact[k]),
    );
  });
  assertThrows(() => bennaFusiChain({ levels: 0 }), RangeError, "levels");
});
