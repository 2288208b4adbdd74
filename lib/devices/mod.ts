/**
 * Device models for learning with imperfect memories: device populations as structs of arrays
 * with seeded device-to-device draws from truncated distributions, composable cycle-to-cycle
 * noise processes (white, 1/f, random telegraph), pulse / program / read / relax entry points
 * with counters and energy, generic step families (constant, soft bounds, exponential, measured
 * table), level-programmed devices, differential-pair synapses, device-routed optimizers, and
 * the presets `HfOxWeakReset2021` (Majumdar et al. 2021) and `StMramWer2019` (Hirtzlin et al.
 * 2019) with a bit-error injector.
 *
 * Design, against the simulators the field uses (aihwkit, CrossSim, MemTorch, NeuroSim):
 *
 * - **Paper tables as printed.** D2D parameters are {@linkcode Distribution}s in scipy's
 *   parametrisation with truncation windows, sampled exactly by inverse CDF (tail-safe), with
 *   closed-form truncated moments; `d2d: "median"` is the no-variability ablation.
 * - **Noise as composable, switchable processes** ({@linkcode NoiseConfig}): white (per update or
 *   per-pulse random walk), 1/f by fractional integration, two-state RTN with exact n-step
 *   transitions — the correlated C2C noise none of the anchors offer. Each has `enabled`; an
 *   ablation is a changed field. When each source applies is fixed and documented: C2C processes
 *   advance in `applyPulses`, programming error in `program`, read noise only in `read`.
 * - **Exact pulse control and accounting.** Integer pulse counts in, per-device pulse and
 *   programming-event counters out, energy in joules from per-event energies, `null` when a
 *   paper gives none (never a silent 0).
 * - **Bring your own device.** Step families like aihwkit's (`constantStep`, `softBounds`,
 *   `expStep`) and a measured value-vs-pulse table (`tabulated`); level-programmed devices
 *   (`LevelModel`) for multi-level RRAM, domain walls and binary MRAM.
 * - **Any optimizer in the loop.** {@linkcode deviceRouted} wraps an `Optimizer`: the intended
 *   update becomes rounded, clipped pulses on a {@linkcode SynapseArray}, and the weights the
 *   devices hold are written back. State is plain typed arrays (`snapshot`/`restore`).
 *
 * @example
 * ```ts
 * import { DifferentialPair, HfOxWeakReset2021, WeakResetModel } from "./mod.ts";
 * import { Rng } from "../rng.ts";
 * const rng = new Rng(0);
 * const pair = DifferentialPair.sample(new WeakResetModel(HfOxWeakReset2021), { n: 8, rng });
 * pair.applyPulses([3, -3, 0, 0, 14, -14, 1, -1], rng);
 * const w = pair.weights(new Float32Array(8), rng); // binary weights ±1
 * ```
 * @module
 */
export * from "./distributions.ts";
export * from "./counters.ts";
export * from "./noise.ts";
export * from "./population.ts";
export * from "./weak_reset.ts";
export * from "./hfox_weak_reset_2021.ts";
export * from "./pulsed.ts";
export * from "./levels.ts";
export * from "./st_mram_2019.ts";
export * from "./bit_errors.ts";
export * from "./synapse.ts";
export * from "./routing.ts";
export * from "./analysis.ts";
export * from "./model.ts";
export * from "./multilevel_hfo2.ts";
export * from "./domain_wall.ts";
export * from "./quantized_synapse_memory.ts";
