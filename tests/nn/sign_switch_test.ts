import * as tf from "@tensorflow/tfjs";
import { assertAlmostEquals, assertEquals } from "../assert.ts";
import { binaryMlp } from "../../lib/nn/mlp.ts";
import { disposeModel } from "../../lib/nn/model.ts";
import { signSwitchLossIncrease } from "../../lib/nn/sign_switch.ts";
import { evaluate } from "../../lib/train/evaluate.ts";
import { Rng } from "../../lib/rng.ts";

Deno.test("signSwitchLossIncrease matches flipping the hidden weights and re-evaluating", () => {
  const rng = new Rng(11);
  const net = binaryMlp({ sizes: [6, 5, 4, 3], rng, initWidth: 2 });
  const n = 40;
  const data = {
    name: "toy",
    x: rng.fillNormal(new Float32Array(n * 6)),
    y: Int32Array.from({ length: n }, (_, i) => i % 3),
    n,
    dim: 6,
    classes: 3,
  };
  for (const layer of [0, 1]) {
    const W = net.layers[layer].hidden;
    const w = W.dataSync() as Float32Array;
    let max = 0;
    for (const v of w) max = Math.max(max, Math.abs(v));
    const cand = Array.from(w).map((v, i) => [Math.abs(v), i]).filter(([a]) => a > 0 && a < max)
      .map(([, i]) => i);
    // One bin, every candidate flipped: the selection is deterministic.
    const res = signSwitchLossIncrease(net, data, {
      layer,
      sample: cand.length,
      bins: 1,
      draws: 2,
      rng,
      batchSize: 20,
    });
    const before = evaluate(net, data, { batchSize: 20 }).loss;
    const flipped = new Float32Array(w);
    for (const i of cand) flipped[i] = -flipped[i];
    const original = new Float32Array(w);
    W.assign(tf.tensor(flipped, W.shape));
    const after = evaluate(net, data, { batchSize: 20 }).loss;
    W.assign(tf.tensor(original, W.shape));
    assertEquals(res.bins.length, 1);
    assertAlmostEquals(res.bins[0].mean, (after - before) / cand.length, 1e-5);
    assertAlmostEquals(res.bins[0].std, 0, 1e-6);
    assertAlmostEquals(res.baseLoss, before, 1e-5);
  }
  disposeModel(net);
});
