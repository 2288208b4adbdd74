/**
 * Chooses the tfjs backend once per process before any experiment runs.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

let ready: Promise<void> | undefined;

/** Makes sure a tfjs backend is active (the compute engine when available). */
export function ensureEngine(_options: { quiet?: boolean } = {}): Promise<void> {
  ready ??= (async () => {
    await tf.setBackend("cpu");
    await tf.ready();
    // The cpu backend advertises tfjs-node on first use; the engine replaces its kernels instead.
    (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  })();
  return ready;
}

/** One-line description of the active engine for result files. */
export function describeEngine(): string {
  return `tfjs ${tf.version.tfjs} ${tf.getBackend() ?? "uninitialised"}`;
}
