import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import {
  diagonalNewtonComparison,
  lastLayerBatchFisher,
  lastLayerHessianDiagonal,
} from "../../lib/theory/curvature_comparison.ts";
import { diagonalHessianFiniteDiff } from "../../lib/theory/diagonal_newton.ts";
import { BayesianMlp } from "../../lib/nn/bayesian_mlp.ts";
import { Rng } from "../../lib/rng.ts";
import type { Dataset } from "../../lib/data/datasets.ts";

function toy(n: number, dim: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const x = rng.fillNormal(new Float32Array(n * dim));
  const y = Int32Array.from(
    { length: n },
    (_, i) => (x[i * dim] > 0 ? 1 : 0) + (x[i * dim + 1] > 0.5 ? 1 : 0),
  );
  return { name: "toy", x, y, n, dim, classes: 3 };
}

Deno.test("lastLayerHessianDiagonal equals second differences of the summed NLL (deterministic net)", () => {
  const ds = toy(7, 4, 1);
  const net = new BayesianMlp({
    sizes: [4, 5, 3],
    rng: new Rng(2),
    deterministic: true,
    bias: true,
  });
  const exact = lastLayerHessianDiagonal(net, ds.x, ds.n, { samples: 1, chunk: 3 });
  const W = net.layers[1].mu;
  const loss = (w: Float64Array) => {
    W.set(w);
    return net.lossAndGrad(ds.x, ds.y, { samples: 1 }).loss;
  };
  const w0 = Float64Array.from(W);
  const fd = diagonalHessianFiniteDiff(loss, w0, { h: 1e-2 });
  W.set(w0);
  for (let i = 0; i < fd.length; i++) {
    assertAlmostEquals(exact[i], fd[i], 2e-3 * Math.max(1, Math.abs(fd[i])));
  }
});

Deno.test("lastLayerHessianDiagonal of a Bayesian net averages over weight draws", () => {
  const ds = toy(5, 4, 3);
  const net = new BayesianMlp({ sizes: [4, 5, 3], rng: new Rng(4), sigmaInit: 0 });
  const det = lastLayerHessianDiagonal(net, ds.x, ds.n, { samples: 3, rng: new Rng(1) });
  const one = lastLayerHessianDiagonal(net, ds.x, ds.n, { samples: 1, rng: new Rng(9) });
  for (let i = 0; i < det.length; i++) assertAlmostEquals(det[i], one[i], 1e-9); // σ = 0: all draws equal
  const noisy = new BayesianMlp({ sizes: [4, 5, 3], rng: new Rng(4), sigmaInit: 0.3 });
  const a = lastLayerHessianDiagonal(noisy, ds.x, ds.n, { samples: 2, rng: new Rng(1) });
  const b = lastLayerHessianDiagonal(noisy, ds.x, ds.n, { samples: 2, rng: new Rng(1), chunk: 2 });
  for (let i = 0; i < a.length; i++) assertAlmostEquals(a[i], b[i], 1e-6); // chunks share one draw
});

Deno.test("lastLayerBatchFisher: mean of squared minibatch gradients", () => {
  const ds = toy(8, 4, 5);
  const net = new BayesianMlp({ sizes: [4, 5, 3], rng: new Rng(6), deterministic: true });
  const f = lastLayerBatchFisher(net, ds, { n: 8, batchSize: 4 });
  const g1 = net.lossAndGrad(ds.x.subarray(0, 16), ds.y.subarray(0, 4), { samples: 1 }).grads[1]
    .slice();
  const g2 = net.lossAndGrad(ds.x.subarray(16, 32), ds.y.subarray(4, 8), { samples: 1 }).grads[1]
    .slice();
  for (let i = 0; i < f.length; i++) assertAlmostEquals(f[i], (g1[i] ** 2 + g2[i] ** 2) / 2, 1e-6);
  assertThrows(() =>
    lastLayerBatchFisher(new BayesianMlp({ sizes: [4, 3], rng: new Rng(0) }), ds, {
      n: 8,
      batchSize: 4,
    })
  );
});

Deno.test("diagonalNewtonComparison: rows per estimator and checkpoint, deterministic", () => {
  const ds = toy(256, 12, 7);
  const run = () =>
    diagonalNewtonComparison(ds, {
      rng: new Rng(3),
      checkpoints: [20, 5],
      batchSize: 16,
      trainSamples: 2,
      hessianImages: 64,
      hessianSamples: 2,
      memory: 100,
      sgdLr: 1e-2,
    });
  const rows = run();
  assertEquals(rows.map((r) => `${r.estimator}@${r.updates}`), [
    "mesu@5",
    "mesu@20",
    "bgd@5",
    "bgd@20",
    "ewc@5",
    "si@5",
    "ewc@20",
    "si@20",
  ]);
  for (const r of rows) {
    assert(Number.isFinite(r.pearson) && Math.abs(r.pearson) <= 1, `${r.estimator} ${r.pearson}`);
  }
  // the Fisher and the exact Hessian of a softmax layer are strongly related even early on
  assert(rows.find((r) => r.estimator === "ewc")!.pearson > 0.3);
  assertEquals(run(), rows);
});
