/**
 * Fused, in-place `applyGradients` for tfjs's own optimizers (`tf.train.adam`, `tf.train.sgd`,
 * `tf.train.momentum`), so that unchanged tfjs training code (including `tf.layers`
 * `model.fit`) updates its weights in one pass over Float32Arrays instead of a dozen tensor ops.
 *
 * The patched methods keep tfjs's state layout (moment variables named `<var>/m`, `<var>/v`,
 * `<var>/momentum`, `accBeta1/2`, `iterations`), so `getWeights`/`setWeights` and
 * serialisation are unchanged; they fall back to the stock method on a non-`cpu` backend or a
 * non-float32 gradient.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { patchTfOptimizers } from "./tf_optimizers.ts";
 * patchTfOptimizers();
 * const w = tf.variable(tf.ones([3]));
 * tf.train.adam(0.1).minimize(() => w.square().sum(), false, [w]);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { variableData } from "./storage.ts";
import { fusedSimdActive } from "./fused.ts";
import { simdAdam } from "./simd.ts";

type Grads = tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[];
interface Slot {
  originalName: string;
  variable: tf.Variable;
}
interface AdamLike {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Slot[];
  accumulatedSecondMoment: Slot[];
  incrementIterations(): void;
}
interface MomentumLike {
  learningRate: number;
  momentum: number;
  useNesterov: boolean;
  accumulations: Slot[];
  incrementIterations(): void;
}
interface SgdLike {
  learningRate: number;
  incrementIterations(): void;
}
type Apply = (this: unknown, g: Grads) => void;

interface Proto {
  applyGradients: Apply;
}
const originals = new Map<Proto, Apply>();

function entries(g: Grads): Array<[string, tf.Tensor | null]> {
  return Array.isArray(g) ? g.map((x) => [x.name, x.tensor]) : Object.entries(g);
}

function registered(name: string): tf.Variable {
  const v = (tf.engine() as unknown as { registeredVariables: Record<string, tf.Variable> })
    .registeredVariables[name];
  if (!v) throw new Error(`applyGradients: no variable named "${name}"`);
  return v;
}

/** Whether every gradient can take the fused path. */
function fusable(g: Grads): boolean {
  if (tf.getBackend() !== "cpu") return false;
  for (const [name, t] of entries(g)) {
    if (t == null) continue;
    const v = registered(name);
    if (t.dtype !== "float32" || v.dtype !== "float32" || t.size !== v.size) return false;
  }
  return true;
}

function slot(
  list: Slot[],
  i: number,
  name: string,
  suffix: string,
  like: tf.Variable,
): tf.Variable {
  if (list[i] == null) {
    list[i] = {
      originalName: `${name}/${suffix}`,
      variable: tf.tidy(() => tf.zerosLike(like).variable(false)),
    };
  }
  return list[i].variable;
}

function readScalar(v: tf.Variable): number {
  return (v.dataSync() as Float32Array)[0];
}

function writeScalar(v: tf.Variable, x: number): void {
  const t = tf.scalar(x);
  v.assign(t);
  t.dispose();
}

const f = Math.fround;

function adamApply(this: AdamLike, g: Grads): void {
  if (!fusable(g)) {
    return originals.get(tf.AdamOptimizer.prototype as unknown as Proto)!.call(this, g);
  }
  const acc1 = readScalar(this.accBeta1), acc2 = readScalar(this.accBeta2);
  // Same float32 scalars as the stock kernel chain: 1 − β^t, 1 − β.
  const om1 = f(1 - acc1), om2 = f(1 - acc2);
  const b1 = f(this.beta1), b2 = f(this.beta2), c1 = f(1 - this.beta1), c2 = f(1 - this.beta2);
  const eps = f(this.epsilon), nlr = f(-this.learningRate);
  entries(g).forEach(([name, grad], i) => {
    const value = registered(name);
    const mVar = slot(this.accumulatedFirstMoment, i, name, "m", value);
    const vVar = slot(this.accumulatedSecondMoment, i, name, "v", value);
    if (grad == null) return;
    const gv = grad.dataSync() as Float32Array;
    const w = variableData(value), m = variableData(mVar), v = variableData(vVar);
    if (w.length >= 64 && fusedSimdActive()) {
      // w − lr·(m/om1)/(√(v/om2) + ε) = w − a·m/(√v + e) with a = lr·√om2/om1, e = ε·√om2
      const r2 = Math.sqrt(om2);
      simdAdam(w, gv, m, v, {
        b1,
        b2,
        c1,
        c2,
        a: (-nlr * r2) / om1,
        e: eps * r2,
        wd: 0,
        shrink: 1,
      });
      return;
    }
    for (let j = 0; j < w.length; j++) {
      const gj = gv[j];
      const mj = b1 * m[j] + c1 * gj, vj = b2 * v[j] + c2 * gj * gj;
      m[j] = mj;
      v[j] = vj;
      w[j] += (nlr * (mj / om1)) / (Math.sqrt(vj / om2) + eps);
    }
  });
  writeScalar(this.accBeta1, f(acc1 * b1));
  writeScalar(this.accBeta2, f(acc2 * b2));
  this.incrementIterations();
}

function momentumApply(this: MomentumLike, g: Grads): void {
  if (!fusable(g)) {
    return originals.get(tf.MomentumOptimizer.prototype as unknown as Proto)!.call(this, g);
  }
  const mu = f(this.momentum), c = f(-this.learningRate), nesterov = this.useNesterov;
  entries(g).forEach(([name, grad], i) => {
    const value = registered(name);
    const accVar = slot(this.accumulations, i, name, "momentum", value);
    if (grad == null) return;
    const gv = grad.dataSync() as Float32Array;
    const w = variableData(value), acc = variableData(accVar);
    for (let j = 0; j < w.length; j++) {
      const a = mu * acc[j] + gv[j];
      acc[j] = a;
      w[j] += c * (nesterov ? gv[j] + a * mu : a);
    }
  });
  this.incrementIterations();
}

function sgdApply(this: SgdLike, g: Grads): void {
  if (!fusable(g)) {
    return originals.get(tf.SGDOptimizer.prototype as unknown as Proto)!.call(this, g);
  }
  const c = f(-this.learningRate);
  for (const [name, grad] of entries(g)) {
    if (grad == null) continue;
    const gv = grad.dataSync() as Float32Array;
    const w = variableData(registered(name));
    for (let j = 0; j < w.length; j++) w[j] += c * gv[j];
  }
  this.incrementIterations();
}

function patch(proto: Proto, impl: Apply): void {
  if (!originals.has(proto)) originals.set(proto, proto.applyGradients);
  proto.applyGradients = impl;
}

/**
 * Replaces `applyGradients` of `tf.AdamOptimizer`, `tf.SGDOptimizer` and
 * `tf.MomentumOptimizer` with fused in-place versions (idempotent).
 */
export function patchTfOptimizers(): void {
  patch(tf.AdamOptimizer.prototype as unknown as Proto, adamApply as Apply);
  patch(tf.MomentumOptimizer.prototype as unknown as Proto, momentumApply as Apply);
  patch(tf.SGDOptimizer.prototype as unknown as Proto, sgdApply as Apply);
}

/** Restores tfjs's stock `applyGradients` methods. */
export function unpatchTfOptimizers(): void {
  for (const [proto, orig] of originals) proto.applyGradients = orig;
  originals.clear();
}
