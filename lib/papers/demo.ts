/**
 * A small built-in experiment that exercises the whole reproduce path (data, tfjs training,
 * checkpoints, tables, figures, report): softmax regression on MNIST.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Experiment, Paper, Row } from "../runner/experiment.ts";
import { loadMnist } from "../data/datasets.ts";
import { minibatches } from "../data/batches.ts";
import { Rng } from "../rng.ts";
import { accuracy, argmaxRows } from "../metrics/continual.ts";
import { initEngine } from "../backend/engine.ts";

/** Config of the softmax-regression demo. */
export type DemoConfig = {
  /** Training examples used (≤ 60000). */
  trainExamples: number;
  /** Epochs. */
  epochs: number;
  /** Minibatch size. */
  batchSize: number;
  /** SGD learning rate. */
  lr: number;
};

interface EpochState {
  w: Float32Array;
  b: Float32Array;
  rng: [number, number, number, number];
  testAccuracy: number;
  trainLoss: number;
}

function predict(w: tf.Tensor2D, b: tf.Tensor1D, x: Float32Array, n: number): Int32Array {
  const logits = tf.tidy(() => tf.add(tf.matMul(tf.tensor2d(x, [n, 784]), w), b));
  const out = argmaxRows(logits.dataSync() as Float32Array, 10);
  logits.dispose();
  return out;
}

/** Softmax regression on MNIST, trained with minibatch SGD in tfjs. */
export const softmaxRegression: Experiment<DemoConfig> = {
  paper: "demo",
  id: "softmax_regression",
  title: "Softmax regression on MNIST (end-to-end check of the toolkit)",
  configs: {
    smoke: { trainExamples: 2000, epochs: 2, batchSize: 100, lr: 0.5 },
    quick: { trainExamples: 60000, epochs: 3, batchSize: 100, lr: 0.5 },
    paper: { trainExamples: 60000, epochs: 10, batchSize: 100, lr: 0.5 },
  },
  async run(config, ctx) {
    await initEngine({ quiet: true }); // idempotent; lets `run` be called without the runner
    const { train, test } = await loadMnist();
    const n = Math.min(config.trainExamples, train.n);
    const data = { ...train, n, x: train.x.subarray(0, n * 784), y: train.y.subarray(0, n) };
    const init = ctx.rng.fork();
    let state: EpochState = {
      w: init.fillNormal(new Float32Array(784 * 10), 0, 0.01),
      b: new Float32Array(10),
      rng: init.getState(),
      testAccuracy: NaN,
      trainLoss: NaN,
    };
    const rows: Row[] = [];
    const progress = ctx.progress("epochs", config.epochs);
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const prev = state;
      state = await ctx.cached(`epoch-${epoch}`, () => {
        const rng = new Rng(0);
        rng.setState(prev.rng);
        const w = tf.variable(tf.tensor2d(prev.w.slice(), [784, 10]));
        const b = tf.variable(tf.tensor1d(prev.b.slice()));
        const opt = tf.train.sgd(config.lr);
        let lossSum = 0, batches = 0;
        for (const batch of minibatches(data, config.batchSize, { rng })) {
          const loss = opt.minimize(() =>
            tf.tidy(() => {
              const x = tf.tensor2d(batch.x, [batch.size, 784]);
              const y = tf.oneHot(tf.tensor1d(batch.y, "int32"), 10);
              return tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(x, w), b)) as tf.Scalar;
            }), true) as tf.Scalar;
          const l = loss.dataSync()[0];
          loss.dispose();
          if (!Number.isFinite(l)) {
            throw new Error(`demo: loss is ${l} at epoch ${epoch}; lower lr`);
          }
          lossSum += l;
          batches++;
        }
        const acc = accuracy(predict(w, b, test.x, test.n), test.y);
        const next: EpochState = {
          w: new Float32Array(w.dataSync()),
          b: new Float32Array(b.dataSync()),
          rng: rng.getState(),
          testAccuracy: acc,
          trainLoss: lossSum / batches,
        };
        w.dispose();
        b.dispose();
        opt.dispose();
        return next;
      });
      rows.push({ epoch, trainLoss: state.trainLoss, testAccuracy: state.testAccuracy });
      progress.tick(1, `test acc ${(state.testAccuracy * 100).toFixed(2)}%`);
    }
    progress.done();
    const final = state.testAccuracy;
    return {
      tables: { curve: rows },
      figures: {
        curve: {
          data: [{
            x: rows.map((r) => r.epoch),
            y: rows.map((r) => (r.testAccuracy as number) * 100),
            type: "scatter",
            mode: "lines+markers",
            name: "test accuracy",
          }],
          layout: {
            xaxis: { title: { text: "epoch" } },
            yaxis: { title: { text: "test accuracy (%)" } },
          },
        },
      },
      claims: [{
        panel: "LeCun et al. 1998, linear classifier",
        quantity: "MNIST test accuracy of a linear (softmax) classifier",
        paper: "88.0 % (12.0 % error, 1-layer linear classifier)",
        ours: `${(final * 100).toFixed(2)} %`,
        holds: final >= 0.85,
        note: `${n} training examples, ${config.epochs} epochs` +
          (n < 60000 ? " (reduced: smoke scale, number not comparable)" : ""),
      }],
      notes: [
        "Built-in end-to-end check of data loading, tfjs training, checkpoints and the report.",
      ],
    };
  },
};

/** The demo registry entry. */
export const paper: Paper = {
  key: "demo",
  citation:
    "LeCun, Bottou, Bengio & Haffner (1998), Gradient-based learning applied to document recognition.",
  about: "A built-in end-to-end check of the toolkit: softmax regression on MNIST trained with " +
    "minibatch SGD in tfjs. It exercises data loading and checksums, seeded training, resumable " +
    "checkpoints, result tables, figures and the report.",
  experiments: [softmaxRegression as unknown as Experiment],
};
