/**
 * Starts the compute engine once per process before any experiment runs (BLAS GEMM and fused
 * kernels under tfjs; see `lib/backend/`).
 *
 * @module
 */
import { engineInfo, initEngine } from "../backend/mod.ts";

/** Makes sure the compute engine is active; prints its one-line description unless quiet. */
export async function ensureEngine(options: { quiet?: boolean } = {}): Promise<void> {
  await initEngine({ quiet: options.quiet });
}

/** One-line description of the active engine for result files. */
export function describeEngine(): string {
  return engineInfo()?.description ?? "engine not started";
}
