/**
 * Runs a fixed computation on the engine chosen by the environment and prints it as JSON;
 * engine_test.ts runs it in subprocesses to compare engines (with and without BLAS or FFI).
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { initEngine } from "../../lib/backend/engine.ts";
import { lcg } from "./helpers.ts";
import { assert } from "../assert.ts";

/** The probe's results. */
export interface ProbeResult {
  engine: string;
  backend: string;
  fallbackReason: string | null;
  values: Record<string, number[]>;
}

/** Matrix products (every transpose), a gradient step of a small MLP, and tf.train.adam. */
export async function probe(): Promise<ProbeResult> {
  const info = await initEngine({ quiet: true });
  const u = lcg(77);
  const r = (shape: number[]) =>
    tf.tensor(new Float32Array(shape.reduce((a, b) => a * b, 1)).map(() => u() - 0.5), shape);
  const values: Record<string, number[]> = {};
  const a = r([7, 5]), b = r([5, 6]), bt = r([6, 5]), at = r([5, 7]);
  values.nn = Array.from(await tf.matMul(a, b).data());
  values.nt = Array.from(await tf.matMul(a, bt, false, true).data());
  values.tn = Array.from(await tf.matMul(at, b, true, false).data());
  values.tt = Array.from(await tf.matMul(at, bt, true, true).data());
  values.batchedNt = Array.from(await tf.matMul(r([3, 4, 5]), r([3, 6, 5]), false, true).data());
  values.broadcastTn = Array.from(await tf.matMul(r([2, 9, 4]), r([1, 9, 3]), true, false).data());
  values.fusedNt = Array.from(
    await tf.fused.matMul({
      a: r([4, 6]),
      b: r([5, 6]),
      transposeB: true,
      bias: r([5]),
      activation: "relu",
    })
      .data(),
  );
  const w1 = tf.variable(r([5, 8])), w2 = tf.variable(r([8, 3])), bias = tf.variable(r([8]));
  const x = r([4, 5]), y = tf.oneHot([0, 2, 1, 2], 3);
  const loss = () =>
    tf.losses.softmaxCrossEntropy(y, tf.relu(x.matMul(w1).add(bias)).matMul(w2)) as tf.Scalar;
  const { value, grads } = tf.variableGrads(loss, [w1, w2, bias]);
  values.loss = [(await value.data())[0]];
  values.gw1 = Array.from(await grads[w1.name].data());
  values.gb = Array.from(await grads[bias.name].data());
  const opt = tf.train.adam(0.05);
  for (let i = 0; i < 3; i++) opt.minimize(loss, false, [w1, w2, bias]);
  values.w2 = Array.from(await w2.data());
  // A probe that produced NaN would make the cross-engine comparison meaningless.
  assert(
    Object.values(values).every((v) => v.every(Number.isFinite)),
    "probe produced non-finite values",
  );
  return {
    engine: info.engine,
    backend: info.backend,
    fallbackReason: info.fallbackReason ?? null,
    values,
  };
}

if (import.meta.main) console.log(JSON.stringify(await probe()));
