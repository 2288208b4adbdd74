import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import { BernoulliMlp } from "../../lib/nn/bernoulli_mlp.ts";
import type { GateActivation } from "../../lib/nn/binary_gate.ts";
import { predictFromLogits } from "../../lib/nn/bayesian_mlp.ts";
import { bimu } from "../../lib/optim/bimu.ts";
import { Rng } from "../../lib/rng.ts";

// A smooth activation so that finite differences are meaningful (the gates are piecewise constant).
const smoothTanh: GateActivation = {
  name: "tanh",
  forward(x, out) {
    for (let i = 0; i < x.length; i++) out[i] = Math.tanh(x[i]);
  },
  backward(x, dy) {
    for (let i = 0; i < x.length; i++) dy[i] *= 1 - Math.tanh(x[i]) ** 2;
  },
};

function gradientCheck(B: number, kind: "lambda" | "mean") {
  const sizes = [5, 4, 3, 3];
  const net = new BernoulliMlp({ sizes, rng: new Rng(1), activation: smoothTanh });
  const rng = new Rng(2);
  const x = rng.fillNormal(new Float32Array(B * 5));
  const y = Int32Array.from({ length: B }, (_, b) => b % 3);
  const rowWeights = B > 1 ? Array.from({ length: B }, (_, b) => (b === 1 ? 0 : 1)) : undefined;
  const seed = 77; // the same noise for every evaluation: the loss is a smooth function of λ
  const loss = () => net.lossAndGradient(x, y, { samples: 3, rng: new Rng(seed), rowWeights }).loss;
  const { grads } = net.lossAndGradient(x, y, {
    samples: 3,
    rng: new Rng(seed),
    gradient: kind,
    rowWeights,
  });
  const h = 2e-3;
  for (let l = 0; l < net.layers.length; l++) {
    const lam = net.layers[l].lambda;
    for (let i = 0; i < lam.length; i++) {
      const v = lam[i];
      lam[i] = v + h;
      const lp = loss();
      lam[i] = v - h;
      const lm = loss();
      lam[i] = v;
      let fd = (lp - lm) / (2 * h); // ∂C/∂λ
      if (kind === "mean") fd /= 1 - Math.tanh(v) ** 2; // ∂C/∂m = ∂C/∂λ / sech²λ
      assertAlmostEquals(
        grads[l][i],
        fd,
        3e-3 + 3e-3 * Math.abs(fd),
        `layer ${l} weight ${i} (B = ${B}, ${kind})`,
      );
    }
  }
}

Deno.test("BernoulliMlp gradient = finite differences under fixed noise, batch 1 (fused input layer)", () => {
  gradientCheck(1, "lambda");
});

Deno.test("BernoulliMlp gradient = finite differences, batch 4 with a masked row (GEMM path)", () => {
  gradientCheck(4, "lambda");
});

Deno.test("BernoulliMlp BayesBiNN mean-parameter gradient = ∂C/∂λ / sech²λ", () => {
  gradientCheck(1, "mean");
  gradientCheck(3, "mean");
});

Deno.test("BernoulliMlp fused batch-1 pass = GEMM path on the row plus a masked copy", () => {
  for (const kind of ["lambda", "mean"] as const) {
    const net = new BernoulliMlp({ sizes: [9, 6, 4], rng: new Rng(8) });
    const x = new Rng(9).fillNormal(new Float32Array(9));
    const one = net.lossAndGradient(x, [2], { samples: 4, rng: new Rng(10), gradient: kind });
    const x2 = new Float32Array(18);
    x2.set(x);
    x2.set(x, 9);
    const two = net.lossAndGradient(x2, [2, 2], {
      samples: 4,
      rng: new Rng(10), // the noise is shared by the batch and drawn in the same order
      gradient: kind,
      rowWeights: [1, 0],
    });
    assertAlmostEquals(one.loss, two.loss, 1e-5);
    one.grads.forEach((g, l) =>
      g.forEach((v, i) => assertAlmostEquals(v, two.grads[l][i], 1e-5, `${kind} ${l}:${i}`))
    );
  }
});

Deno.test("BernoulliMlp SIMD input-layer kernel = scalar fused path (same noise, float32 rounding)", () => {
  for (const kind of ["lambda", "mean"] as const) {
    const nets = [true, false].map((simd) =>
      new BernoulliMlp({ sizes: [13, 8, 4], rng: new Rng(3), simd })
    );
    const x = new Rng(4).fillNormal(new Float32Array(13));
    const [a, b] = nets.map((net) => {
      const rng = new Rng(5);
      const r = net.lossAndGradient(x, [1], { samples: 3, rng, gradient: kind });
      return { ...r, next: rng.nextU32() }; // both consumed the same number of draws
    });
    assertEquals(a.next, b.next);
    assertAlmostEquals(a.loss, b.loss, 1e-4);
    a.grads.forEach((g, l) =>
      g.forEach((v, i) =>
        assertAlmostEquals(v, b.grads[l][i], 1e-4 + 1e-4 * Math.abs(v), `${kind} ${l}:${i}`)
      )
    );
  }
});

Deno.test("BernoulliMlp forward: K × n × C logits after LayerNorm, chunking does not change them", () => {
  const net = new BernoulliMlp({ sizes: [6, 8, 4], rng: new Rng(3) });
  const x = new Rng(4).fillNormal(new Float32Array(7 * 6));
  const a = net.forward(x, { samples: 3, rng: new Rng(5) });
  const b = net.forward(x, { samples: 3, rng: new Rng(5), chunk: 2 });
  assertEquals(a.length, 3 * 7 * 4);
  assertEquals(a, b);
  for (let r = 0; r < 21; r++) {
    let s = 0, s2 = 0;
    for (let c = 0; c < 4; c++) {
      s += a[r * 4 + c];
      s2 += a[r * 4 + c] ** 2;
    }
    assertAlmostEquals(s / 4, 0, 1e-5);
    assert(s2 / 4 < 1 + 1e-4);
  }
  // hard samples of a saturated network reproduce the mean network exactly
  for (const layer of net.layers) layer.lambda.fill(20);
  const sat = net.forward(x, { samples: 2, rng: new Rng(6) });
  assertEquals(sat.subarray(0, 28), sat.subarray(28, 56));
});

Deno.test("BernoulliMlp + BiMU (reverse gate) learns a 4-prototype toy problem online at batch 1", () => {
  const rng = new Rng(10);
  const d = 16, n = 600;
  // 4 noisy prototypes (a final LayerNorm over 2 logits would make them ±1 whatever the weights,
  // so the toy has 4 classes)
  const proto = rng.fillNormal(new Float32Array(4 * d));
  const x = rng.fillNormal(new Float32Array(n * d));
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rng.int(4);
    for (let j = 0; j < d; j++) x[i * d + j] = proto[y[i] * d + j] + 0.8 * x[i * d + j];
  }
  const net = new BernoulliMlp({ sizes: [d, 64, 4], rng: new Rng(11) });
  const opt = bimu({
    lr: 4.9,
    likelihoodMultiplier: 161.3,
    klMultiplier: 3.76,
    lrMax: 0.0023,
    memory: 700,
  });
  const state = opt.init(net.params());
  const grads = net.params().map((p) => new Float32Array(p.length));
  const noise = new Rng(12);
  for (let epoch = 0; epoch < 2; epoch++) {
    for (let i = 0; i < 500; i++) {
      net.lossAndGradient(x.subarray(i * d, (i + 1) * d), y.subarray(i, i + 1), {
        samples: 5,
        rng: noise,
        grads,
      });
      opt.step(net.params(), grads, state);
    }
  }
  const test = x.subarray(500 * d);
  const pred = predictFromLogits(net.forward(test, { samples: 5, rng: noise }), {
    samples: 5,
    n: 100,
    classes: 4,
  });
  let ok = 0;
  for (let i = 0; i < 100; i++) if (pred[i] === y[500 + i]) ok++;
  assert(ok >= 90, `held-out accuracy ${ok}/100`);
  assertEquals(state.step, 1000);
});

Deno.test("BernoulliMlp: state round trip, footprint and input errors", () => {
  const net = new BernoulliMlp({ sizes: [784, 100, 10], rng: new Rng(0) });
  assertEquals(net.footprintBytes(), (784 * 100 + 100 * 10) * 4); // 0.32 MB, as in the paper's table
  const s = net.getState();
  net.layers[0].lambda[0] = 9;
  net.setState(s);
  assertEquals(net.layers[0].lambda[0], s[0][0]);
  const small = new BernoulliMlp({ sizes: [2, 2], init: "zero" });
  assertThrows(() =>
    small.lossAndGradient(new Float32Array(3), [0], { samples: 1, rng: new Rng(0) })
  );
  assertThrows(() =>
    small.lossAndGradient(new Float32Array(2), [2], { samples: 1, rng: new Rng(0) })
  );
  assertThrows(() =>
    small.lossAndGradient(new Float32Array([NaN, 0]), [0], { samples: 1, rng: new Rng(0) })
  );
  assertThrows(() => new BernoulliMlp({ sizes: [3] }));
  assertThrows(() => new BernoulliMlp({ sizes: [3, 2], activation: "softplus", init: "zero" }));
});
