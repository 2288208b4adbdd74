import * as tf from "@tensorflow/tfjs";
import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import { assertClose, lcg, randArray } from "./helpers.ts";
import { DenseStackMc, type DenseStackParams } from "../../lib/backend/dense_stack.ts";
import { loadBlas } from "../../lib/backend/blas.ts";
import { jsSgemm, setSgemm } from "../../lib/backend/gemm.ts";

await tf.setBackend("cpu");
(tf.backend() as unknown as { firstUse: boolean }).firstUse = false;

function params(sizes: number[], seed: number, bias: boolean): DenseStackParams {
  const u = lcg(seed);
  const L = sizes.length - 1;
  const mk = (n: number, f: () => number) => new Float32Array(n).map(f);
  const p: DenseStackParams = {
    mu: Array.from({ length: L }, (_, l) => mk(sizes[l] * sizes[l + 1], () => (u() * 2 - 1) * 0.5)),
    sigma: Array.from({ length: L }, (_, l) => mk(sizes[l] * sizes[l + 1], () => 0.05 + 0.2 * u())),
  };
  if (bias) {
    p.biasMu = Array.from({ length: L }, (_, l) => mk(sizes[l + 1], () => u() - 0.5));
    p.biasSigma = Array.from({ length: L }, (_, l) => mk(sizes[l + 1], () => 0.1 * u()));
  }
  return p;
}

/** Autodiff reference with tfjs, using the noise the fused pass drew. */
function reference(
  net: DenseStackMc,
  p: DenseStackParams,
  x: Float32Array,
  labels: Int32Array,
): {
  loss: number;
  gm: Float32Array[];
  gs: Float32Array[];
  gbm: Float32Array[];
  gbs: Float32Array[];
} {
  const sizes = net.sizes, L = sizes.length - 1, n = labels.length, K = net.samples;
  return tf.tidy(() => {
    const mu = p.mu.map((m, l) => tf.variable(tf.tensor2d(m, [sizes[l], sizes[l + 1]])));
    const sg = p.sigma.map((s, l) => tf.variable(tf.tensor2d(s, [sizes[l], sizes[l + 1]])));
    const bm = (p.biasMu ?? []).map((b) => tf.variable(tf.tensor1d(b)));
    const bs = (p.biasSigma ?? []).map((b) => tf.variable(tf.tensor1d(b)));
    const X = tf.tensor2d(x, [n, sizes[0]]);
    const Y = tf.oneHot(tf.tensor1d(labels, "int32"), sizes[L]);
    const { value, grads } = tf.variableGrads(() => {
      let total: tf.Tensor = tf.scalar(0);
      for (let k = 0; k < K; k++) {
        let h: tf.Tensor = X;
        for (let l = 0; l < L; l++) {
          const eps = tf.tensor2d(net.noise(k, l).slice(), [sizes[l], sizes[l + 1]]);
          h = h.matMul(mu[l].add(sg[l].mul(eps)));
          if (net.bias) h = h.add(bm[l].add(bs[l].mul(tf.tensor1d(net.biasNoise(k, l).slice()))));
          if (l < L - 1) h = net.activation === "relu" ? tf.relu(h) : tf.tanh(h);
        }
        const nll = tf.neg(tf.sum(tf.mul(Y, tf.logSoftmax(h))));
        total = total.add(nll);
      }
      return total.div(K * (net.reduction === "mean" ? n : 1)) as tf.Scalar;
    }, [...mu, ...sg, ...bm, ...bs]);
    const g = (vs: tf.Variable[]) =>
      vs.map((v) => (grads[v.name].dataSync() as Float32Array).slice());
    const out = { loss: value.dataSync()[0], gm: g(mu), gs: g(sg), gbm: g(bm), gbs: g(bs) };
    tf.dispose([...mu, ...sg, ...bm, ...bs]);
    return out;
  });
}

function check(net: DenseStackMc, p: DenseStackParams, x: Float32Array, y: Int32Array): void {
  const got = net.lossAndGrads(p, x, y);
  const ref = reference(net, p, x, y);
  assertAlmostEquals(got.loss, ref.loss, 1e-4 * Math.max(1, Math.abs(ref.loss)), "loss");
  for (let l = 0; l < net.sizes.length - 1; l++) {
    assertClose(got.gradMu[l], ref.gm[l], 1e-4, `gradMu ${l}`);
    assertClose(got.gradSigma[l], ref.gs[l], 1e-4, `gradSigma ${l}`);
    if (net.bias) {
      assertClose(got.gradBiasMu[l], ref.gbm[l], 1e-4, `gradBiasMu ${l}`);
      assertClose(got.gradBiasSigma[l], ref.gbs[l], 1e-4, `gradBiasSigma ${l}`);
    }
  }
}

for (const [label, gemm] of [["js", jsSgemm], ["blas", loadBlas()?.sgemm]] as const) {
  if (!gemm) continue;
  Deno.test(`denseStackMc (${label} gemm): gradients equal tfjs autodiff with the same noise`, () => {
    setSgemm(gemm);
    // MESU's case: 784-50-10, batch 1, 10 samples, a sparse (MNIST-like) input
    const u = lcg(3);
    const x1 = new Float32Array(784).map(() => (u() < 0.2 ? u() : 0));
    const net1 = new DenseStackMc([784, 50, 10], { samples: 10, seed: 1 });
    const p1 = params([784, 50, 10], 2, false);
    check(net1, p1, x1, new Int32Array([7]));
    check(net1, p1, x1, new Int32Array([2])); // second call: buffers reused, fresh noise
    // batch > 1, biases, tanh, mean reduction, three layers, some all-zero input columns
    const sizes = [13, 9, 7, 4];
    const x4 = randArray(5 * 13, 4);
    for (let b = 0; b < 5; b++) x4[b * 13 + 3] = 0;
    const net4 = new DenseStackMc(sizes, {
      samples: 3,
      seed: 5,
      bias: true,
      activation: "tanh",
      reduction: "mean",
    });
    check(net4, params(sizes, 6, true), x4, new Int32Array([0, 3, 1, 2, 3]));
    const net5 = new DenseStackMc([6, 5, 3], { samples: 2, seed: 9 });
    check(net5, params([6, 5, 3], 7, false), randArray(12, 8), new Int32Array([2, 0]));
    setSgemm(jsSgemm);
  });
}

Deno.test("denseStackMc: seeded, resumable from its state, predict gives probabilities", () => {
  const sizes = [20, 8, 5];
  const p = params(sizes, 11, false), x = randArray(2 * 20, 12), y = new Int32Array([1, 4]);
  const a = new DenseStackMc(sizes, { samples: 4, seed: 42 }),
    b = new DenseStackMc(sizes, { samples: 4, seed: 42 });
  const ga = a.lossAndGrads(p, x, y).gradSigma[0].slice();
  assertEquals(b.lossAndGrads(p, x, y).gradSigma[0], ga);
  const state = a.getState();
  const next = a.lossAndGrads(p, x, y).gradSigma[0].slice();
  b.setState(state);
  assertEquals(b.lossAndGrads(p, x, y).gradSigma[0], next);
  const c = new DenseStackMc(sizes, { samples: 4, seed: 43 });
  assert(c.lossAndGrads(p, x, y).gradSigma[0].some((v, i) => v !== ga[i]), "another seed differs");
  const probs = a.predict(p, x, 2);
  assertEquals(probs.length, 4 * 2 * 5);
  for (let r = 0; r < 8; r++) {
    let s = 0;
    for (let j = 0; j < 5; j++) s += probs[r * 5 + j];
    assertAlmostEquals(s, 1, 1e-6);
  }
  // σ = 0: every sample is the mean network
  const p0 = { mu: p.mu, sigma: p.sigma.map((s) => new Float32Array(s.length)) };
  const det = a.predict(p0, x, 2);
  assertClose(det.subarray(0, 10), det.subarray(30, 40), 1e-7, "σ = 0 samples agree");
});

Deno.test("denseStackMc: the ziggurat draws standard normal noise", () => {
  const net = new DenseStackMc([2, 100000], { samples: 1, seed: 7 });
  const p = { mu: [new Float32Array(200000)], sigma: [new Float32Array(200000)] };
  net.lossAndGrads(p, new Float32Array([1, -1]), new Int32Array([0]));
  const e = net.noise(0, 0);
  let m = 0, v = 0, k4 = 0, over2 = 0, over3 = 0;
  for (const z of e) {
    m += z;
    v += z * z;
    k4 += z ** 4;
    if (Math.abs(z) > 2) over2++;
    if (Math.abs(z) > 3.5) over3++;
  }
  const n = e.length;
  assertAlmostEquals(m / n, 0, 0.01, "mean");
  assertAlmostEquals(v / n, 1, 0.015, "variance");
  assertAlmostEquals(k4 / n, 3, 0.1, "fourth moment");
  assertAlmostEquals(over2 / n, 0.0455, 0.003, "P(|z| > 2)");
  assertAlmostEquals(over3 / n, 4.65e-4, 1.6e-4, "P(|z| > 3.5) (tail beyond the ziggurat's base)");
});

Deno.test("denseStackMc: clear errors for bad shapes and labels", () => {
  assertThrows(() => new DenseStackMc([784], { samples: 1, seed: 1 }), RangeError);
  assertThrows(() => new DenseStackMc([4, 2], { samples: 0, seed: 1 }), RangeError);
  const net = new DenseStackMc([4, 3], { samples: 1, seed: 1 });
  const p = { mu: [new Float32Array(12)], sigma: [new Float32Array(12)] };
  assertThrows(
    () => net.lossAndGrads(p, new Float32Array(5), new Int32Array([0])),
    RangeError,
    "x has",
  );
  assertThrows(
    () => net.lossAndGrads(p, new Float32Array(4), new Int32Array([3])),
    RangeError,
    "labels",
  );
  assertThrows(
    () =>
      net.lossAndGrads(
        { mu: [new Float32Array(11)], sigma: p.sigma },
        new Float32Array(4),
        new Int32Array([0]),
      ),
    RangeError,
    "layer 0",
  );
});
