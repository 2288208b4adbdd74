/**
 * Synaptic Intelligence (Zenke, Poole & Ganguli 2017; `shared/papers/baselines_continual.md` §5)
 * as a reusable {@linkcode Penalty}.
 *
 * - During a task, after every update: `ωₖ ← ωₖ − gₖ·Δθₖ` (`accumulate`), with g the gradient
 *   chosen by the caller (Zenke: the unregularised loss; MESU JAX and Laborieux: the total loss)
 *   and Δθ the parameter change of that update.
 * - At the task end (`consolidate`): `Ωₖ ← Ωₖ + ωₖ/((θₖ − θₖ^start)² + ξ)` — through a ReLU
 *   with `relu: true` (MESU JAX) — then `ω ← 0`, `θ^start ← θ`, and the penalty anchor
 *   `θ* ← θ` (or a caller-given anchor).
 * - Penalty `c·Σₖ Ωₖ(θₖ − θ*ₖ)²` (no ½); gradient `2c·Ω(θ − θ*)`.
 *
 * Defaults: Zenke c = 0.1, ξ = 1e-3. Variants: MESU JAX c = 1e-4, ξ = 1, `relu: true`; BiMU
 * c = 1e-4, ξ = 1; Laborieux BNN ξ = 0.1, path integral on the hidden weights, penalty at the
 * binary weights anchored on the sign of the hidden weights at the previous task end (pass
 * `params = sign(W_h)` to `value`/`addGrad`, the hidden weights to `accumulate`/`consolidate`,
 * and `anchor: sign(W_h)` to `consolidate`).
 *
 * @example
 * ```ts
 * import { synapticIntelligence } from "./si.ts";
 * const si = synapticIntelligence({ c: 0.1, xi: 1e-3 });
 * const theta = [new Float32Array([0])];
 * const state = si.init(theta);
 * const g = new Float32Array([-1]);
 * theta[0][0] += 0.5; // an update moved θ by +0.5 against g = −1
 * si.accumulate(state, [g], theta); // ω = 0.5
 * si.consolidate(state, theta); // Ω = 0.5 / (0.25 + 1e-3)
 * ```
 * @module
 */
import type { Penalty } from "./ewc.ts";

/** Options of {@linkcode synapticIntelligence}. */
export interface SiOptions {
  /** Penalty strength c. */
  c: number;
  /** Damping ξ of the importance denominator (default 1e-3). */
  xi?: number;
  /** Pass each task's importance increment through a ReLU (default false; MESU JAX: true). */
  relu?: boolean;
}

/** SI state (plain data). */
export interface SiState {
  /** Consolidated importances Ω. */
  omega: Float32Array[];
  /** Running path integral ω of the current task. */
  path: Float32Array[];
  /** Parameters at the start of the current task, θ^start. */
  start: Float32Array[];
  /** Anchor θ* of the penalty. */
  anchor: Float32Array[];
  /** Parameters after the last observed update (Δθ is measured from here). */
  prev: Float32Array[];
}

/** The SI penalty with its per-step and task-end updates. */
export interface SynapticIntelligence extends Penalty<SiState> {
  /** After an update: `ω −= g·(θ − θ_prev)`, then `θ_prev ← θ` (`paramsAfter`). */
  accumulate(
    state: SiState,
    grads: readonly Float32Array[],
    paramsAfter: readonly Float32Array[],
  ): void;
  /** Task end; see the module docs. `anchor` defaults to `params`. */
  consolidate(
    state: SiState,
    params: readonly Float32Array[],
    options?: { anchor?: readonly Float32Array[] },
  ): void;
  /** Re-synchronises `θ_prev` after the parameters were changed outside an update (e.g. restored). */
  sync(state: SiState, params: readonly Float32Array[]): void;
}

function check(what: string, a: readonly Float32Array[], b: readonly Float32Array[]): void {
  if (a.length !== b.length) {
    throw new RangeError(`${what}: ${a.length} buffers given for ${b.length} parameters`);
  }
  for (let i = 0; i < a.length; i++) {
    if (a[i].length !== b[i].length) {
      throw new RangeError(
        `${what}: buffer ${i} has ${a[i].length} values, expected ${b[i].length}`,
      );
    }
  }
}

/** Synaptic Intelligence; see the module docs. */
export function synapticIntelligence(options: SiOptions): SynapticIntelligence {
  const { c } = options;
  const xi = options.xi ?? 1e-3;
  const relu = options.relu ?? false;
  if (!(c >= 0) || !Number.isFinite(c)) {
    throw new RangeError(`SI c must be finite and >= 0, got ${c}`);
  }
  if (!(xi > 0)) throw new RangeError(`SI xi must be > 0, got ${xi}`);
  const copy = (b: readonly Float32Array[]) => b.map((x) => new Float32Array(x));
  return {
    name: "si",
    init: (params) => ({
      omega: params.map((p) => new Float32Array(p.length)),
      path: params.map((p) => new Float32Array(p.length)),
      start: copy(params),
      anchor: copy(params),
      prev: copy(params),
    }),
    value(params, state) {
      check("SI value", params, state.anchor);
      let s = 0;
      for (let p = 0; p < params.length; p++) {
        const x = params[p], a = state.anchor[p], o = state.omega[p];
        for (let i = 0; i < x.length; i++) {
          const d = x[i] - a[i];
          s += o[i] * d * d;
        }
      }
      return c * s;
    },
    addGrad(params, grads, state) {
      check("SI addGrad", params, state.anchor);
      check("SI addGrad", grads, params);
      for (let p = 0; p < params.length; p++) {
        const x = params[p], a = state.anchor[p], o = state.omega[p], g = grads[p];
        for (let i = 0; i < x.length; i++) g[i] += 2 * c * o[i] * (x[i] - a[i]);
      }
    },
    accumulate(state, grads, paramsAfter) {
      check("SI accumulate", paramsAfter, state.prev);
      check("SI accumulate", grads, state.prev);
      for (let p = 0; p < grads.length; p++) {
        const w = state.path[p], g = grads[p], x = paramsAfter[p], prev = state.prev[p];
        for (let i = 0; i < w.length; i++) {
          w[i] -= g[i] * (x[i] - prev[i]);
          prev[i] = x[i];
        }
      }
    },
    consolidate(state, params, opts = {}) {
      check("SI consolidate", params, state.start);
      for (let p = 0; p < params.length; p++) {
        const O = state.omega[p], w = state.path[p], x = params[p], s = state.start[p];
        for (let i = 0; i < O.length; i++) {
          const d = x[i] - s[i];
          const inc = w[i] / (d * d + xi);
          O[i] += relu && inc < 0 ? 0 : inc;
          w[i] = 0;
          s[i] = x[i];
        }
      }
      const anchor = opts.anchor ?? params;
      check("SI consolidate anchor", anchor, state.anchor);
      anchor.forEach((a, p) => state.anchor[p].set(a));
      params.forEach((x, p) => state.prev[p].set(x));
    },
    sync(state, params) {
      check("SI sync", params, state.prev);
      params.forEach((x, p) => state.prev[p].set(x));
    },
  };
}
