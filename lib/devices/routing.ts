/**
 * Device-in-the-loop training: route any {@linkcode Optimizer}'s update through device
 * populations. {@linkcode deviceRouted} wraps an inner optimizer; at each step it runs the inner
 * step on a shadow copy of the parameters to get the intended update Δ, converts Δ of every
 * routed parameter to integer pulse counts with {@linkcode updateToPulses}
 * (n = round(clip(Δ·pulsesPerUnit, ±maxPulses))), applies them to that parameter's
 * {@linkcode SynapseArray}, and writes back the weights the devices now represent. Parameters
 * without a route (biases, BatchNorm affine) take the inner update unchanged.
 *
 * For Majumdar et al. 2021 (Adam to weak-RESET pulses): inner Adam with lr 8e-3 (the reference
 * code's rate for 1-D parameters) and `pulsesPerUnit` 100/8e-3 = 12 500 reproduce the
 * reference's pulse count round(clip(−100·m̂/(√v̂ + ε), ±14)) for the weights.
 *
 * @example
 * ```ts
 * import { updateToPulses } from "./routing.ts";
 * updateToPulses([0.4, -2.6, 30, 0.5], { pulsesPerUnit: 1, maxPulses: 14 }); // Int32Array [0, -3, 14, 0]
 * ```
 * @module
 */
import type { Rng } from "../rng.ts";
import { checkShapes, type Optimizer } from "../optim/types.ts";
import type { SynapseArray } from "./synapse.ts";

/** How an update becomes pulses. */
export interface PulseConversion {
  /** Pulses per unit of parameter update (> 0). */
  pulsesPerUnit: number;
  /** Largest pulse magnitude per step (the reference code: 14). */
  maxPulses: number;
  /**
   * `"nearest"` (default): round half to even, like torch.round in the reference code;
   * `"stochastic"`: floor(x + u), u ~ U(0, 1), unbiased.
   */
  rounding?: "nearest" | "stochastic";
}

/** Rounds half to even (torch.round / numpy.round semantics). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Converts updates to signed integer pulse counts: round(clip(Δ·pulsesPerUnit, ±maxPulses)).
 * Non-finite updates throw (a NaN update is a diverged optimizer, not zero pulses).
 */
export function updateToPulses(
  delta: ArrayLike<number>,
  options: PulseConversion & { rng?: Rng; out?: Int32Array },
): Int32Array {
  const { pulsesPerUnit: k, maxPulses: M } = options;
  if (!(k > 0 && Number.isFinite(k))) throw new RangeError(`pulsesPerUnit must be > 0, got ${k}`);
  if (!(M >= 0)) throw new RangeError(`maxPulses must be >= 0, got ${M}`);
  const rounding = options.rounding ?? "nearest";
  if (rounding !== "nearest" && rounding !== "stochastic") {
    throw new RangeError(`rounding must be "nearest" or "stochastic", got ${rounding}`);
  }
  if (rounding === "stochastic" && !options.rng) {
    throw new TypeError(`stochastic rounding needs an rng`);
  }
  const out = options.out ?? new Int32Array(delta.length);
  if (out.length !== delta.length) {
    throw new RangeError(`out has ${out.length} entries for ${delta.length} updates`);
  }
  for (let i = 0; i < delta.length; i++) {
    const d = delta[i];
    if (!Number.isFinite(d)) {
      throw new RangeError(`update ${i} is ${d}: the optimizer diverged (lower the learning rate)`);
    }
    let x = d * k;
    x = x > M ? M : x < -M ? -M : x;
    out[i] = rounding === "nearest" ? roundHalfEven(x) : Math.floor(x + options.rng!.uniform());
  }
  return out;
}

/** One routed parameter. `pulsesPerUnit` may be changed between steps (a pulse-rate schedule). */
export interface DeviceRoute extends PulseConversion {
  /** Index of the parameter buffer in the optimizer's `params` list. */
  param: number;
  /** The synapses holding this parameter (size = the buffer's length). */
  synapses: SynapseArray;
}

/** Options of {@linkcode deviceRouted}. */
export interface DeviceRoutedOptions {
  /** Routed parameters. */
  routes: DeviceRoute[];
  /** Generator for the devices' noise (and stochastic rounding). */
  rng: Rng;
}

/** Statistics of one route, cumulated since `init`. */
export interface RouteStats {
  /** Total pulse magnitude applied. */
  pulses: number;
  /** Updates whose magnitude hit `maxPulses` (clipped). */
  clipped: number;
  /** Updates rounded to 0 pulses. */
  zero: number;
  /** Weights whose represented sign changed. */
  signFlips: number;
}

/** State of a device-routed optimizer (the inner state is plain data; the devices are not). */
export interface DeviceRoutedState<S> {
  /** The inner optimizer's state. */
  inner: S;
  /** Steps taken. */
  steps: number;
  /** Per-route statistics, in `routes` order. */
  stats: RouteStats[];
  /** Pulse counts of the last step, per route. */
  lastPulses: Int32Array[];
  /** Scratch copies of the parameters the inner optimizer steps on. */
  shadow: Float32Array[];
}

/**
 * Wraps `inner` so that routed parameters are updated only through their devices. `init` also
 * writes the devices' current weights into the routed parameter buffers, so the network starts
 * from what the devices hold.
 */
export function deviceRouted<S>(
  inner: Optimizer<S>,
  options: DeviceRoutedOptions,
): Optimizer<DeviceRoutedState<S>> {
  const { routes, rng } = options;
  const seen = new Set<number>();
  for (const r of routes) {
    if (seen.has(r.param)) throw new RangeError(`parameter ${r.param} is routed twice`);
    seen.add(r.param);
    updateToPulses([], r);
  }
  const byParam = new Map(routes.map((r, k) => [r.param, k]));
  return {
    name: `${inner.name}→devices`,
    init(params) {
      for (const r of routes) {
        if (!(r.param >= 0 && r.param < params.length)) {
          throw new RangeError(
            `route for parameter ${r.param}, but there are ${params.length} parameters`,
          );
        }
        if (params[r.param].length !== r.synapses.size) {
          throw new RangeError(
            `parameter ${r.param} has ${
              params[r.param].length
            } values but its synapse array has ${r.synapses.size}`,
          );
        }
        r.synapses.weights(params[r.param] as Float32Array, rng);
      }
      return {
        inner: inner.init(params),
        steps: 0,
        stats: routes.map(() => ({ pulses: 0, clipped: 0, zero: 0, signFlips: 0 })),
        lastPulses: routes.map((r) => new Int32Array(r.synapses.size)),
        shadow: params.map((p) => new Float32Array(p.length)),
      };
    },
    step(params, grads, state) {
      checkShapes(params, grads);
      for (let i = 0; i < params.length; i++) state.shadow[i].set(params[i]);
      inner.step(state.shadow, grads, state.inner);
      for (let i = 0; i < params.length; i++) {
        const k = byParam.get(i);
        if (k === undefined) {
          params[i].set(state.shadow[i]);
          continue;
        }
        const r = routes[k], p = params[i], s = state.shadow[i];
        const delta = s; // reuse the shadow buffer for Δ = shadow − params
        for (let j = 0; j < p.length; j++) delta[j] = s[j] - p[j];
        const counts = updateToPulses(delta, { ...r, rng, out: state.lastPulses[k] });
        const st = state.stats[k];
        for (let j = 0; j < counts.length; j++) {
          const c = counts[j];
          st.pulses += c < 0 ? -c : c;
          if (c === 0) st.zero++;
          else if (c === r.maxPulses || c === -r.maxPulses) st.clipped++;
        }
        r.synapses.applyPulses(counts, rng);
        const before = s; // Δ is no longer needed: keep the old weights for the flip count
        before.set(p);
        r.synapses.weights(p, rng);
        for (let j = 0; j < p.length; j++) {
          if (Math.sign(p[j]) !== Math.sign(before[j])) st.signFlips++;
        }
      }
      state.steps++;
    },
  };
}
