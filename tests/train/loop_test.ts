import { assert, assertEquals, assertRejects } from "../assert.ts";
import { binaryMlp } from "../../lib/nn/mlp.ts";
import { disposeModel, getModelState } from "../../lib/nn/model.ts";
import { metaplasticAdam } from "../../lib/optim/metaplastic_adam.ts";
import { adam } from "../../lib/optim/adam.ts";
import { evaluate, paramBuffers, trainEpoch } from "../../lib/train/mod.ts";
import type { Dataset } from "../../lib/data/datasets.ts";
import { Rng } from "../../lib/rng.ts";

/** Two Gaussian blobs per class in 8 dimensions. */
function toy(seed: number, n = 200): Dataset {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 8), y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    for (let j = 0; j < 8; j++) x[i * 8 + j] = rng.normal() * 0.5 + (j % 3 === y[i] ? 1.5 : 0);
  }
  return { name: "toy", x, y, n, dim: 8, classes: 3 };
}

async function run(seed: number) {
  const net = binaryMlp({ sizes: [8, 16, 3], rng: new Rng(seed) });
  const optimizer = metaplasticAdam({
    lr: 0.01,
    meta: 1.35,
    metaplastic: net.params.map((p) => p.kind === "weight"),
  });
  const learner = { model: net, optimizer, state: optimizer.init(paramBuffers(net)) };
  const rng = new Rng(seed + 1);
  const data = toy(5);
  for (let e = 0; e < 3; e++) await trainEpoch(learner, data, { batchSize: 20, rng });
  const state = getModelState(net);
  const acc = evaluate(net, data, { batchSize: 100 }).accuracy;
  disposeModel(net);
  return { state, acc };
}

Deno.test("trainEpoch: same seed → identical weights; the BNN learns the toy task", async () => {
  const a = await run(1), b = await run(1), c = await run(2);
  assertEquals(a.state, b.state);
  assert(
    JSON.stringify(Array.from(a.state.params[0])) !== JSON.stringify(Array.from(c.state.params[0])),
    "seeds differ",
  );
  assert(a.acc > 0.8, `accuracy ${a.acc}`);
});

Deno.test("trainEpoch: hooks see gradients before and parameters after the step", async () => {
  const net = binaryMlp({ sizes: [8, 4, 3], rng: new Rng(0) });
  const optimizer = adam({ lr: 0.01 });
  const learner = { model: net, optimizer, state: optimizer.init(paramBuffers(net)) };
  let before = 0, after = 0, changed = false;
  let snapshot: Float32Array | null = null;
  await trainEpoch(learner, toy(1, 40), {
    batchSize: 20,
    beforeStep: (ctx) => {
      before++;
      snapshot = new Float32Array(ctx.params[0]);
      ctx.grads[0].fill(0); // a hook may rewrite the gradient: W_1 then moves only by weight decay (0)
    },
    afterStep: (ctx) => {
      after++;
      changed ||= ctx.params[0].some((v, i) => v !== snapshot![i]);
    },
  });
  assertEquals([before, after, changed], [2, 2, false]);
  disposeModel(net);
});

Deno.test("trainEpoch: a NaN stops training with task/epoch/step in the message", async () => {
  const net = binaryMlp({ sizes: [8, 4, 3], rng: new Rng(0) });
  const optimizer = adam({ lr: 0.01 });
  const learner = { model: net, optimizer, state: optimizer.init(paramBuffers(net)) };
  const data = toy(1, 40);
  data.x[8 * 25] = NaN; // second batch
  const w0 = new Float32Array(paramBuffers(net)[0]);
  await assertRejects(
    () => trainEpoch(learner, data, { batchSize: 20, where: { task: 2, epoch: 3 } }),
    Error,
    "at task 2, epoch 3, step 1",
  );
  const huge = toy(2, 20);
  const opt2 = adam({ lr: 1e38 }); // blows the weights up: the next loss is not finite
  const l2 = { model: net, optimizer: opt2, state: opt2.init(paramBuffers(net)) };
  await assertRejects(
    async () => {
      for (let e = 0; e < 5; e++) {
        await trainEpoch(l2, huge, { batchSize: 20, where: { epoch: e } });
      }
    },
    Error,
    "training diverged",
  );
  assert(paramBuffers(net)[0].some((v, i) => v !== w0[i]), "first step was applied");
  disposeModel(net);
});
