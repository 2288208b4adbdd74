/**
 * Binary activations with surrogate gradients, as in the BiMU reference network
 * (Cottart et al. 2026, `customLayers/activations/`).
 *
 * - {@linkcode reverseBinaryGate}: forward `y = 1` when `|x| > w`, else 0 (a gate on |x|, not a
 *   monotone function). Surrogate gradient `+1` on `(w/2, 3w/2)`, `−1` on `(−3w/2, −w/2)`, 0
 *   elsewhere. The main setting (`w = 1`).
 * - {@linkcode signActivation}: forward `sign(x)`, straight-through gradient `1` on `(−1, 1)` (the
 *   ablation).
 * - {@linkcode reluActivation}: for comparison nets.
 *
 * @example
 * ```ts
 * import { reverseBinaryGate } from "./binary_gate.ts";
 * const x = new Float32Array([-2, -1, 0, 0.7, 1.2]);
 * const y = new Float32Array(5);
 * reverseBinaryGate.forward(x, y); // [1, 0, 0, 0, 1]
 * const g = new Float32Array([1, 1, 1, 1, 1]);
 * reverseBinaryGate.backward(x, g); // g = [0, -1, 0, 1, 1]
 * ```
 * @module
 */

/** An elementwise activation with a (possibly surrogate) derivative. */
export interface GateActivation {
  /** Name used in configs and tables. */
  name: string;
  /** `out[i] = f(x[i])`; `out` may be `x`. */
  forward(x: Float32Array, out: Float32Array): void;
  /** In place: `dy[i] *= f'(x[i])` (surrogate derivative), with `x` the forward input. */
  backward(x: Float32Array, dy: Float32Array): void;
}

function checkLengths(a: Float32Array, b: Float32Array, name: string): void {
  if (a.length !== b.length) {
    throw new RangeError(`${name}: input has ${a.length} values but the other buffer ${b.length}`);
  }
}

/** The reverse binary gate of width `width` (default 1): fires when `|x| > width`. */
export function binaryGate(options: { width?: number } = {}): GateActivation {
  const w = options.width ?? 1;
  if (!(w > 0)) throw new RangeError(`gate width must be > 0, got ${w}`);
  const lo = w / 2, hi = 1.5 * w;
  return {
    name: w === 1 ? "reversebinarygate" : `reversebinarygate(${w})`,
    forward(x, out) {
      checkLengths(x, out, "binaryGate.forward");
      for (let i = 0; i < x.length; i++) out[i] = Math.abs(x[i]) > w ? 1 : 0;
    },
    backward(x, dy) {
      checkLengths(x, dy, "binaryGate.backward");
      for (let i = 0; i < x.length; i++) {
        const v = x[i];
        dy[i] = v > lo && v < hi ? dy[i] : v > -hi && v < -lo ? -dy[i] : 0;
      }
    },
  };
}

/** The reverse binary gate with width 1 (BiMU's main activation). */
export const reverseBinaryGate: GateActivation = binaryGate();

/** Sign with a straight-through gradient on (−1, 1) (BiMU's activation ablation). */
export const signActivation: GateActivation = {
  name: "sign",
  forward(x, out) {
    checkLengths(x, out, "signActivation.forward");
    for (let i = 0; i < x.length; i++) out[i] = Math.sign(x[i]);
  },
  backward(x, dy) {
    checkLengths(x, dy, "signActivation.backward");
    for (let i = 0; i < x.length; i++) if (!(x[i] > -1 && x[i] < 1)) dy[i] = 0;
  },
};

/** Rectified linear unit (derivative 1 for x > 0). */
export const reluActivation: GateActivation = {
  name: "relu",
  forward(x, out) {
    checkLengths(x, out, "reluActivation.forward");
    for (let i = 0; i < x.length; i++) out[i] = x[i] > 0 ? x[i] : 0;
  },
  backward(x, dy) {
    checkLengths(x, dy, "reluActivation.backward");
    for (let i = 0; i < x.length; i++) if (!(x[i] > 0)) dy[i] = 0;
  },
};

/** Names accepted by {@linkcode gateActivationByName}. */
export type GateActivationName = "reversebinarygate" | "sign" | "relu";

/** Looks an activation up by its config name. */
export function gateActivationByName(name: string): GateActivation {
  switch (name) {
    case "reversebinarygate":
      return reverseBinaryGate;
    case "sign":
      return signActivation;
    case "relu":
      return reluActivation;
    default:
      throw new RangeError(
        `unknown activation "${name}"; use one of reversebinarygate, sign, relu`,
      );
  }
}
