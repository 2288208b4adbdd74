import * as tf from "@tensorflow/tfjs";
import { assertEquals } from "../assert.ts";
import { assertClose, rand } from "./helpers.ts";
import { patchTfOptimizers, unpatchTfOptimizers } from "../../lib/backend/tf_optimizers.ts";
import { installCpuKernels, uninstallCpuKernels } from "../../lib/backend/kernels.ts";
import { jsSgemm } from "../../lib/backend/gemm.ts";

await tf.setBackend("cpu");
(tf.backend() as unknown as { firstUse: boolean }).firstUse = false;

/** Trains a small regression for a few steps; returns the weights and the optimizer's state. */
async function train(
  make: () => tf.Optimizer,
  steps: number,
): Promise<{ w: number[][]; state: number[][] }> {
  const w1 = tf.variable(rand([6, 4], 1, 0.5)), b1 = tf.variable(rand([4], 2, 0.1));
  const x = rand([10, 6], 3), y = rand([10, 4], 4);
  const opt = make();
  for (let i = 0; i < steps; i++) {
    opt.minimize(
      () => tf.losses.meanSquaredError(y, tf.tanh(x.matMul(w1).add(b1))) as tf.Scalar,
      false,
      [w1, b1],
    );
  }
  const w = [Array.from(w1.dataSync()), Array.from(b1.dataSync())];
  const state = (await opt.getWeights()).map((s) => Array.from(s.tensor.dataSync()));
  tf.dispose([w1, b1, x, y]);
  opt.dispose();
  return { w, state };
}

for (
  const [name, make] of [
    ["adam", () => tf.train.adam(0.05)],
    ["adam betas", () => tf.train.adam(0.01, 0.5, 0.9, 1e-4)],
    ["sgd", () => tf.train.sgd(0.1)],
    ["momentum", () => tf.train.momentum(0.1, 0.9)],
    ["nesterov", () => tf.train.momentum(0.1, 0.8, true)],
  ] as const
) {
  Deno.test(`patched tf.train.${name} matches the stock optimizer`, async () => {
    unpatchTfOptimizers();
    const ref = await train(make, 5);
    patchTfOptimizers();
    const got = await train(make, 5);
    unpatchTfOptimizers();
    for (let i = 0; i < ref.w.length; i++) {
      assertClose(got.w[i], ref.w[i], 1e-5, `${name} weights ${i}`);
    }
    assertEquals(got.state.length, ref.state.length);
    assertEquals(ref.state.length > 0, true);
    for (let i = 0; i < ref.state.length; i++) {
      assertClose(got.state[i], ref.state[i], 1e-5, `${name} state ${i}`);
    }
  });
}

Deno.test("patched tf.train.adam leaves the initial tensor of a variable untouched", () => {
  patchTfOptimizers();
  const init = tf.tensor1d([1, 2, 3]);
  const v = tf.variable(init);
  tf.train.adam(0.1).minimize(() => v.square().sum() as tf.Scalar, false, [v]);
  unpatchTfOptimizers();
  assertEquals(Array.from(init.dataSync()), [1, 2, 3]);
  assertClose(v.dataSync(), [0.9, 1.9, 2.9], 1e-5, "first Adam step moves by lr");
});

Deno.test("tf.layers model.fit gives the same losses with the fast kernels and fused Adam", async () => {
  const fit = async (): Promise<number[]> => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({
          units: 16,
          inputShape: [8],
          activation: "relu",
          kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
        }),
        tf.layers.dense({
          units: 3,
          activation: "softmax",
          kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
        }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.01), loss: "categoricalCrossentropy" });
    const x = rand([32, 8], 5),
      y = tf.oneHot(tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 3), "int32"), 3);
    const h = await model.fit(x, y, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });
    tf.dispose([x, y]);
    model.dispose();
    return h.history.loss as number[];
  };
  uninstallCpuKernels();
  unpatchTfOptimizers();
  const ref = await fit();
  installCpuKernels(jsSgemm);
  patchTfOptimizers();
  const got = await fit();
  unpatchTfOptimizers();
  uninstallCpuKernels();
  assertClose(got, ref, 1e-5, "loss history");
});
