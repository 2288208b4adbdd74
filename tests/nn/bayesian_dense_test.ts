import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import { BayesianDense } from "../../lib/nn/bayesian_dense.ts";
import { Rng } from "../../lib/rng.ts";

Deno.test("BayesianDense: MESU JAX initialisation for 784-50", () => {
  const layer = new BayesianDense({ inputs: 784, outputs: 50, rng: new Rng(0) });
  const bound = 4 / 28;
  let max = 0;
  for (const v of layer.mu) max = Math.max(max, Math.abs(v));
  assert(max <= bound && max > 0.95 * bound, `max |μ| = ${max}`);
  assertAlmostEquals(layer.sigma[123], 2 / 28, 1e-7);
  assertEquals(layer.biasMu, null);
  assertEquals(layer.params().length, 2);
});

Deno.test("BayesianDense: sampleWeights gives μ + σ·ε and state round-trips", () => {
  const layer = new BayesianDense({ inputs: 3, outputs: 2, rng: new Rng(1), bias: true });
  assertEquals(layer.params().length, 4);
  const eps = new Float32Array(6), w = new Float32Array(6);
  const be = new Float32Array(2), bw = new Float32Array(2);
  layer.sampleWeights(new Rng(5), eps, w, { eps: be, w: bw });
  for (let i = 0; i < 6; i++) assertAlmostEquals(w[i], layer.mu[i] + layer.sigma[i] * eps[i], 1e-6);
  for (let j = 0; j < 2; j++) {
    assertAlmostEquals(bw[j], layer.biasMu![j] + layer.biasSigma![j] * be[j], 1e-6);
  }
  const st = layer.getState();
  layer.mu.fill(0);
  layer.setState(st);
  assertEquals(layer.mu, st.mu);
  assertThrows(() => layer.setState({ ...st, biasMu: null }));
  assertThrows(() => new BayesianDense({ inputs: 0, outputs: 2, rng: new Rng(0) }));
});
