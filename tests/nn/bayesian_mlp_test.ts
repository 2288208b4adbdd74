import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import { BayesianMlp, predictFromLogits } from "../../lib/nn/bayesian_mlp.ts";
import { Rng } from "../../lib/rng.ts";

function toyBatch(rows: number, dim: number, classes: number, seed: number) {
  const rng = new Rng(seed);
  const x = rng.fillNormal(new Float32Array(rows * dim));
  const y = Int32Array.from({ length: rows }, () => rng.int(classes));
  return { x, y };
}

/** Central differences of the loss w.r.t. one entry, with common random numbers (same seed). */
function fdCheck(
  net: BayesianMlp,
  x: Float32Array,
  y: Int32Array,
  opts: { samples: number; localReparam?: boolean; reduction?: "sum" | "mean"; fused?: boolean },
  seed: number,
) {
  const { grads } = net.lossAndGrad(x, y, { ...opts, rng: new Rng(seed) });
  const copy = grads.map((g) => g.slice());
  const params = net.params();
  const h = 1e-3;
  let checked = 0;
  for (let p = 0; p < params.length; p++) {
    for (const idx of [0, Math.floor(params[p].length / 2), params[p].length - 1]) {
      const old = params[p][idx];
      params[p][idx] = old + h;
      const lp = net.lossAndGrad(x, y, { ...opts, rng: new Rng(seed) }).loss;
      params[p][idx] = old - h;
      const lm = net.lossAndGrad(x, y, { ...opts, rng: new Rng(seed) }).loss;
      params[p][idx] = old;
      const fd = (lp - lm) / (2 * h);
      const an = copy[p][idx];
      assert(
        Math.abs(fd - an) <= 2e-3 * Math.max(1, Math.abs(an)),
        `param ${p}[${idx}]: fd ${fd} vs ${an}`,
      );
      checked++;
    }
  }
  return checked;
}

Deno.test("BayesianMlp: μ and σ gradients match finite differences (shared weight sample)", () => {
  const net = new BayesianMlp({ sizes: [5, 4, 3], rng: new Rng(2), bias: true, sigmaInit: 0.3 });
  const { x, y } = toyBatch(6, 5, 3, 3);
  assertEquals(fdCheck(net, x, y, { samples: 3 }, 11), 8 * 3); // engine's fused DenseStackMc
  assertEquals(fdCheck(net, x, y, { samples: 3, fused: false }, 11), 8 * 3); // reference path
  assertEquals(fdCheck(net, x, y, { samples: 2, reduction: "mean" }, 12), 8 * 3);
});

Deno.test("fused (DenseStackMc) and reference paths agree exactly when σ = 0", () => {
  const net = new BayesianMlp({ sizes: [5, 4, 3], rng: new Rng(20), bias: true, sigmaInit: 0 });
  const { x, y } = toyBatch(6, 5, 3, 21);
  const a = net.lossAndGrad(x, y, { samples: 3, rng: new Rng(1) });
  const ga = a.grads.map((g) => g.slice());
  const b = net.lossAndGrad(x, y, { samples: 3, rng: new Rng(1), fused: false });
  assertAlmostEquals(a.loss, b.loss, 1e-5);
  for (const i of [0, 2, 4, 6]) ga[i].forEach((v, j) => assertAlmostEquals(v, b.grads[i][j], 1e-5));
  const k = net.lossAndGrad(x, y, { samples: 3, rng: new Rng(1), likelihoodScale: 2 });
  assertAlmostEquals(k.loss, 2 * a.loss, 1e-4);
  assertAlmostEquals(k.grads[0][3], 2 * ga[0][3], 1e-5);
});

Deno.test("BayesianMlp: local-reparameterisation gradients match finite differences", () => {
  const net = new BayesianMlp({ sizes: [5, 4, 3], rng: new Rng(4), bias: true, sigmaInit: 0.3 });
  const { x, y } = toyBatch(6, 5, 3, 5);
  fdCheck(net, x, y, { samples: 2, localReparam: true }, 13);
});

Deno.test("BayesianMlp: deterministic gradients and mean reduction", () => {
  const net = new BayesianMlp({
    sizes: [5, 4, 3],
    rng: new Rng(6),
    deterministic: true,
    bias: true,
  });
  assertEquals(net.params().length, 4);
  const { x, y } = toyBatch(4, 5, 3, 7);
  fdCheck(net, x, y, { samples: 1, reduction: "mean" }, 0);
  const sum = net.lossAndGrad(x, y, { samples: 1 }).loss;
  const mean = net.lossAndGrad(x, y, { samples: 1, reduction: "mean" }).loss;
  assertAlmostEquals(mean, sum / 4, 1e-6);
});

Deno.test("MC loss: sum over the batch, mean over samples", () => {
  const net = new BayesianMlp({ sizes: [3, 2], rng: new Rng(8), sigmaInit: 0 });
  // σ = 0: every sample equals μ; the loss is the summed NLL, computed by hand.
  const x = new Float32Array([1, 0, 0, 0, 1, 0]), y = new Int32Array([0, 1]);
  const w = net.layers[0].mu; // 3×2
  let hand = 0;
  for (let r = 0; r < 2; r++) {
    const z = [0, 1].map((c) =>
      x[r * 3] * w[c] + x[r * 3 + 1] * w[2 + c] + x[r * 3 + 2] * w[4 + c]
    );
    hand += Math.log(Math.exp(z[0]) + Math.exp(z[1])) - z[y[r]];
  }
  assertAlmostEquals(net.lossAndGrad(x, y, { samples: 5, rng: new Rng(1) }).loss, hand, 1e-5);
  // σ > 0: the K-sample loss is the mean of K one-sample losses drawn in sequence.
  const net2 = new BayesianMlp({ sizes: [3, 4, 2], rng: new Rng(9) });
  const rng = new Rng(21);
  const K = net2.lossAndGrad(x, y, { samples: 4, rng, fused: false }).loss;
  const rng2 = new Rng(21);
  let s = 0;
  for (let k = 0; k < 4; k++) {
    s += net2.lossAndGrad(x, y, { samples: 1, rng: rng2, fused: false }).loss;
  }
  assertAlmostEquals(K, s / 4, 1e-5);
  // κ multiplies the likelihood.
  const k3 =
    net2.lossAndGrad(x, y, { samples: 4, rng: new Rng(21), likelihoodScale: 3, fused: false }).loss;
  assertAlmostEquals(k3, 3 * K, 1e-4);
});

Deno.test("one weight sample is shared by the whole minibatch; local reparam is per example", () => {
  const net = new BayesianMlp({ sizes: [4, 6, 3], rng: new Rng(10) });
  const row = new Rng(3).fillNormal(new Float32Array(4));
  const x = new Float32Array(12);
  for (let r = 0; r < 3; r++) x.set(row, r * 4);
  const logits = net.sampleLogits(x, 3, { samples: 2, rng: new Rng(4) });
  for (let k = 0; k < 2; k++) {
    for (let c = 0; c < 3; c++) {
      assertEquals(logits[(k * 3 + 1) * 3 + c], logits[(k * 3) * 3 + c]);
      assertEquals(logits[(k * 3 + 2) * 3 + c], logits[(k * 3) * 3 + c]);
    }
  }
  // different samples differ
  assert(logits[0] !== logits[9]);
});

Deno.test("local reparameterisation: pre-activation mean a·μ and variance (a²)·(σ²)", () => {
  const net = new BayesianMlp({ sizes: [3, 2], rng: new Rng(12), sigmaInit: 0.5 });
  const layer = net.layers[0];
  layer.sigma.set([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
  const a = new Float32Array([1, -2, 0.5]);
  const rows = 4000;
  const x = new Float32Array(rows * 3);
  for (let r = 0; r < rows; r++) x.set(a, r * 3);
  const rng = new Rng(99);
  // One layer: the sampled pre-activations are the logits of the private local forward.
  const z = net as unknown as {
    ensureScratch(r: number): { z: Float32Array[] };
    forwardLocal(x: Float32Array, r: number, s: unknown, rng: Rng): Float32Array;
    s2: Float32Array[];
  };
  const sc = z.ensureScratch(rows);
  for (let k = 0; k < 6; k++) z.s2[0][k] = layer.sigma[k] ** 2;
  const out = z.forwardLocal(x, rows, sc, rng);
  for (let j = 0; j < 2; j++) {
    let m = 0, v = 0;
    for (let r = 0; r < rows; r++) m += out[r * 2 + j];
    m /= rows;
    for (let r = 0; r < rows; r++) v += (out[r * 2 + j] - m) ** 2;
    v /= rows - 1;
    const em = a[0] * layer.mu[j] + a[1] * layer.mu[2 + j] + a[2] * layer.mu[4 + j];
    const ev = a[0] ** 2 * layer.sigma[j] ** 2 + a[1] ** 2 * layer.sigma[2 + j] ** 2 +
      a[2] ** 2 * layer.sigma[4 + j] ** 2;
    assertAlmostEquals(m, em, 4 * Math.sqrt(ev / rows));
    assertAlmostEquals(v, ev, 0.1 * ev);
    // rows are independent draws (not one shared sample)
    assert(out[j] !== out[2 + j]);
  }
});

Deno.test("predictFromLogits: argmax of the sample-mean log-softmax", () => {
  // sample 0 prefers class 0 mildly, sample 1 prefers class 1 strongly
  const logits = new Float32Array([1, 0, 0, 5]);
  assertEquals(predictFromLogits(logits, { samples: 2, n: 1, classes: 2 }), new Int32Array([1]));
  assertThrows(() => predictFromLogits(logits, { samples: 3, n: 1, classes: 2 }));
});

Deno.test("BayesianMlp: determinism and state round-trip", () => {
  const a = new BayesianMlp({ sizes: [5, 4, 3], rng: new Rng(1) });
  const b = new BayesianMlp({ sizes: [5, 4, 3], rng: new Rng(1) });
  const { x, y } = toyBatch(3, 5, 3, 2);
  const ga = a.lossAndGrad(x, y, { samples: 2, rng: new Rng(3) }).grads.map((g) => g.slice());
  const gb = b.lossAndGrad(x, y, { samples: 2, rng: new Rng(3) }).grads;
  ga.forEach((g, i) => assertEquals(g, gb[i]));
  const st = a.getState();
  a.layers[0].mu.fill(0);
  a.setState(st);
  assertEquals(a.layers[0].mu, b.layers[0].mu);
  assertThrows(() => a.lossAndGrad(x, new Int32Array([0, 1, 7]), { samples: 1, rng: new Rng(0) }));
});

Deno.test("squaredSampleGrads equals a per-example loop of squared gradients", () => {
  const net = new BayesianMlp({
    sizes: [5, 4, 3],
    rng: new Rng(30),
    deterministic: true,
    bias: true,
  });
  const { x, y } = toyBatch(6, 5, 3, 31);
  const sq = net.squaredSampleGrads(x, y);
  const ref = net.params().map((p) => new Float32Array(p.length));
  for (let r = 0; r < 6; r++) {
    const g =
      net.lossAndGrad(x.subarray(r * 5, r * 5 + 5), y.subarray(r, r + 1), { samples: 1 }).grads;
    g.forEach((b, i) => b.forEach((v, j) => ref[i][j] += v * v));
  }
  sq.forEach((b, i) => b.forEach((v, j) => assertAlmostEquals(v, ref[i][j], 1e-5)));
  assertThrows(() => new BayesianMlp({ sizes: [2, 2], rng: new Rng(0) }).squaredSampleGrads(x, y));
});
