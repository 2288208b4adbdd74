/**
 * The model contract shared by the minibatch training loop (`lib/train/`) and the optimizers:
 * an ordered list of trainable tfjs variables with their roles, a logits function, and the
 * normalisation layers whose state may be stored per task.
 *
 * @example
 * ```ts
 * import { binaryMlp } from "./mlp.ts";
 * import { getModelState, setModelState } from "./model.ts";
 * import { Rng } from "../rng.ts";
 * const net = binaryMlp({ sizes: [4, 8, 2], rng: new Rng(0) });
 * const saved = getModelState(net);
 * setModelState(net, saved); // e.g. after loading a checkpoint
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { NormLayer, NormSnapshot } from "./norm.ts";
import { loadNorms, snapshotNorms } from "./norm.ts";

/**
 * Role of a trainable parameter: `"weight"` (a weight matrix or kernel: metaplastic, subject to
 * EWC/SI) or `"norm"` (BatchNorm γ/β: plain Adam, excluded from consolidation penalties).
 */
export type ParamKind = "weight" | "norm";

/** One trainable parameter of a {@linkcode Model}. */
export interface ParamInfo {
  /** Name, e.g. `"fc1"` or `"bn2/gamma"`. */
  name: string;
  /** The variable (for BNN weights: the hidden weight W_h). */
  variable: tf.Variable;
  /** Role (see {@linkcode ParamKind}). */
  kind: ParamKind;
  /** True when the forward pass uses `sign(variable)` (a BNN hidden weight). */
  binary: boolean;
}

/** A trainable classifier built from tfjs variables. */
export interface Model {
  /** Short description, e.g. `"BNN 784-512-512-10"`. */
  readonly name: string;
  /** Trainable parameters, in the order optimizers see them. */
  readonly params: readonly ParamInfo[];
  /** Normalisation layers (their state is what {@linkcode TaskNormStates} stores). */
  readonly norms: readonly NormLayer[];
  /** Per-example input shape, e.g. `[784]` or `[28, 28, 1]`. */
  readonly inputShape: readonly number[];
  /** Number of output classes. */
  readonly classes: number;
  /**
   * Logits `[N, classes]` of a batch `x` (`[N, ...inputShape]`). With `training` true,
   * normalisation layers with running statistics update them.
   */
  logits(x: tf.Tensor, options: { training: boolean }): tf.Tensor2D;
}

/** Plain-data state of a model: parameter values and normalisation state. */
export interface ModelState {
  /** Values of `model.params`, in order. */
  params: Float32Array[];
  /** Normalisation layers' state (includes γ, β again and running statistics). */
  norms: NormSnapshot;
}

/** Copies the model's parameters and normalisation state. */
export function getModelState(model: Model): ModelState {
  return {
    params: model.params.map((p) => new Float32Array(p.variable.dataSync() as Float32Array)),
    norms: snapshotNorms(model.norms),
  };
}

/** Restores a state from {@linkcode getModelState}. */
export function setModelState(model: Model, state: ModelState): void {
  if (state.params.length !== model.params.length) {
    throw new RangeError(
      `model state has ${state.params.length} parameters, ${model.name} has ${model.params.length}`,
    );
  }
  model.params.forEach((p, i) => {
    if (state.params[i].length !== p.variable.size) {
      throw new RangeError(
        `parameter ${p.name}: state has ${
          state.params[i].length
        } values, expected ${p.variable.size}`,
      );
    }
    const t = tf.tensor(state.params[i], p.variable.shape, "float32");
    p.variable.assign(t);
    t.dispose();
  });
  loadNorms(model.norms, state.norms);
}

/** Indices of the parameters of a given kind (e.g. the weights a penalty acts on). */
export function paramIndices(model: Model, kind: ParamKind): number[] {
  return model.params.flatMap((p, i) => (p.kind === kind ? [i] : []));
}

/** Frees the model's variables (parameters and normalisation state). */
export function disposeModel(model: Model): void {
  const normVars = new Set(model.norms.flatMap((n) => n.trainable()));
  for (const p of model.params) if (!normVars.has(p.variable)) p.variable.dispose();
  for (const n of model.norms) n.dispose();
}
