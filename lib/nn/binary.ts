/**
 * Straight-through estimators of binarized neural networks (Courbariaux/Hubara; Laborieux et
 * al. 2021):
 *
 * - {@linkcode signSte}: activation `a = sign(z)`, backward `∂a/∂z = 1` where `|z| ≤ 1`, else 0;
 * - {@linkcode binarizeWeights}: `W_b = sign(W_h)`, backward identity, so the gradient with
 *   respect to the binary weight is handed unchanged to the hidden weight (never clipped).
 *
 * `sign(0) = 0`, as in PyTorch and tfjs.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { signSte } from "./binary.ts";
 * const g = tf.grad((z: tf.Tensor) => signSte(z).sum())(tf.tensor([-2, -0.5, 0.5, 3]));
 * g.dataSync(); // [0, 1, 1, 0]
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";

// tfjs types customGrad's inputs as `Tensor | GradSaveFunc`; the casts restore the real types.
const signSteOp = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const z = args[0] as tf.Tensor, save = args[1] as tf.GradSaveFunc;
  save([z]);
  return {
    value: tf.sign(z),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, tf.lessEqual(tf.abs(saved[0]), 1)),
  };
});

/** Sign activation with the `|z| ≤ 1` straight-through gradient (the reference `SignActivation`). */
export function signSte<T extends tf.Tensor>(z: T): T {
  return signSteOp(z) as T;
}

const binarizeOp = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
  value: tf.sign(args[0] as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => dy,
}));

/**
 * Binary weights `sign(W_h)` for the forward pass; the backward pass is the identity, so
 * `∂C/∂W_h := ∂C/∂W_b` (the weight straight-through estimator of the reference code).
 */
export function binarizeWeights<T extends tf.Tensor>(hidden: T): T {
  return binarizeOp(hidden) as T;
}

/** `sign` of every value into `out` (a new array by default): +1, −1, or 0 at exactly 0. */
export function signOf(
  values: Float32Array,
  out: Float32Array = new Float32Array(values.length),
): Float32Array {
  if (out.length !== values.length) {
    throw new RangeError(`signOf: output has ${out.length} values, input has ${values.length}`);
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v > 0 ? 1 : v < 0 ? -1 : 0;
  }
  return out;
}
