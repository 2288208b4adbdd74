/**
 * Elastic weight consolidation and its variants as reusable penalties (equations of
 * `shared/papers/baselines_continual.md` §1, §3, §4), plus an empirical-Fisher accumulator.
 *
 * A {@linkcode Penalty} is plain data plus pure functions: `init` makes its state, `value`
 * evaluates it, `addGrad` adds its gradient to the data gradient in place (call it before the
 * optimizer step). Boundary events are explicit methods (`consolidate` at a task end,
 * `observe` after each step for the boundary-free stream variant), so the caller decides when
 * they happen.
 *
 * - {@linkcode ewc} (Kirkpatrick et al. 2017): `Σ_{s<t} (λ/2)·Σᵢ F_{s,i}(θᵢ − θ*_{s,i})²`, one
 *   term per consolidated task (`mode: "separate"`, the Laborieux BNN variant, λ = 5000), or
 * - online EWC (Schwarz et al. 2018; `mode: "online"` / {@linkcode onlineEwc}): one term,
 *   `F̃ ← γ·F̃ + F_t`, `θ* ← θ` at each task end (MESU 2025: λ = 2, γ = 0.2; BiMU: λ = 4.1, γ = 0.7);
 * - {@linkcode streamEwc} (MESU 2025, boundary-free): after **every** update `F̃ ← γ·F̃ + g²`
 *   with g the minibatch NLL gradient at the pre-update parameters, and `θ* ←` those parameters
 *   (λ = 5, γ = 0.2).
 *
 * Random consolidation (shuffled importances) is in `consolidation.ts`.
 *
 * For a BNN (Laborieux 2021) pass the **binary** weights `sign(W_h)` as `params` and as the
 * anchor: the reference stores the parameters after an evaluation pass, when they hold
 * sign(W_h), and evaluates the penalty at the binary weights; its gradient then reaches W_h
 * through the weight straight-through estimator. BatchNorm parameters are excluded: give the
 * penalty only the weight tensors.
 *
 * @example
 * ```ts
 * import { EmpiricalFisher, ewc } from "./ewc.ts";
 * const theta = [new Float32Array([1, 2])];
 * const fisher = new EmpiricalFisher(theta);
 * fisher.addGradient([new Float32Array([0.5, 0])]); // one example's gradient
 * const pen = ewc({ lambda: 10 });
 * const state = pen.init(theta);
 * pen.consolidate(state, theta, fisher.estimate()); // end of task 1
 * const g = [new Float32Array(2)];
 * pen.addGrad([new Float32Array([2, 2])], g, state); // g[0] = [10·0.25·1, 0] = [2.5, 0]
 * ```
 * @module
 */

/**
 * A differentiable penalty on a list of parameter buffers, with plain-data state `S`.
 * The total loss is `data loss + value(params)`.
 */
export interface Penalty<S> {
  /** Short name for tables and logs. */
  readonly name: string;
  /** Creates the state for these parameters (no consolidation yet: value 0). */
  init(params: readonly Float32Array[]): S;
  /** The penalty at `params`. */
  value(params: readonly Float32Array[], state: S): number;
  /** Adds ∂penalty/∂params to `grads`, in place. */
  addGrad(params: readonly Float32Array[], grads: Float32Array[], state: S): void;
}

/** One quadratic term: importances (Fisher diagonal) and the anchor θ*. */
export interface EwcTerm {
  /** Diagonal importances F, one buffer per parameter. */
  fisher: Float32Array[];
  /** Anchor θ*, one buffer per parameter. */
  anchor: Float32Array[];
}

/** EWC state: the consolidated terms (one per task for `"separate"`, at most one otherwise). */
export interface EwcState {
  /** Quadratic terms. */
  terms: EwcTerm[];
}

/** EWC flavour: one term per task, or one accumulated term. */
export type EwcMode = "separate" | "online";

/** Options of {@linkcode ewc}. */
export interface EwcOptions {
  /** Penalty strength λ (the penalty is λ/2·ΣF(θ−θ*)²). */
  lambda: number;
  /** `"separate"` (default: one term per consolidated task) or `"online"`. */
  mode?: EwcMode;
  /** Online decay γ of the accumulated Fisher (default 1; ignored for `"separate"`). */
  gamma?: number;
}

/** An EWC penalty with its task-end update. */
export interface Ewc extends Penalty<EwcState> {
  /**
   * Task end: adds a term with `fisher` and anchor `anchor` (copied). Online mode instead sets
   * `F̃ ← γ·F̃ + fisher` and `θ* ← anchor`.
   */
  consolidate(
    state: EwcState,
    anchor: readonly Float32Array[],
    fisher: readonly Float32Array[],
  ): void;
}

/** The boundary-free stream EWC penalty. */
export interface StreamEwc extends Penalty<EwcState> {
  /**
   * After each update: `F̃ ← γ·F̃ + g²` and `θ* ← paramsBefore`, where `grads` is the data
   * gradient computed at `paramsBefore` (the parameters before that update).
   */
  observe(
    state: EwcState,
    paramsBefore: readonly Float32Array[],
    grads: readonly Float32Array[],
  ): void;
}

function checkLambda(lambda: number): void {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) {
    throw new RangeError(`EWC lambda must be finite and >= 0, got ${lambda}`);
  }
}

function checkGamma(gamma: number): void {
  if (!(gamma >= 0) || !Number.isFinite(gamma)) {
    throw new RangeError(`EWC gamma must be finite and >= 0, got ${gamma}`);
  }
}

function checkBuffers(what: string, a: readonly Float32Array[], b: readonly Float32Array[]): void {
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

function quadValue(
  terms: readonly EwcTerm[],
  params: readonly Float32Array[],
  lambda: number,
): number {
  let s = 0;
  for (const term of terms) {
    checkBuffers("EWC value", params, term.anchor);
    for (let p = 0; p < params.length; p++) {
      const x = params[p], f = term.fisher[p], a = term.anchor[p];
      for (let i = 0; i < x.length; i++) {
        const d = x[i] - a[i];
        s += f[i] * d * d;
      }
    }
  }
  return 0.5 * lambda * s;
}

function quadGrad(
  terms: readonly EwcTerm[],
  params: readonly Float32Array[],
  grads: Float32Array[],
  lambda: number,
): void {
  checkBuffers("EWC addGrad", grads, params);
  for (const term of terms) {
    checkBuffers("EWC addGrad", params, term.anchor);
    for (let p = 0; p < params.length; p++) {
      const x = params[p], f = term.fisher[p], a = term.anchor[p], g = grads[p];
      for (let i = 0; i < x.length; i++) g[i] += lambda * f[i] * (x[i] - a[i]);
    }
  }
}

const copy = (bufs: readonly Float32Array[]): Float32Array[] =>
  bufs.map((b) => new Float32Array(b));

/** Elastic weight consolidation (separate or online); see the module docs. */
export function ewc(options: EwcOptions): Ewc {
  const { lambda } = options;
  const mode = options.mode ?? "separate";
  const gamma = options.gamma ?? 1;
  checkLambda(lambda);
  checkGamma(gamma);
  if (mode !== "separate" && mode !== "online") {
    throw new RangeError(`EWC mode must be "separate" or "online", got "${mode}"`);
  }
  return {
    name: mode === "online" ? "onlineEwc" : "ewc",
    init: () => ({ terms: [] }),
    value: (params, state) => quadValue(state.terms, params, lambda),
    addGrad: (params, grads, state) => quadGrad(state.terms, params, grads, lambda),
    consolidate(state, anchor, fisher) {
      checkBuffers("EWC consolidate (fisher vs anchor)", fisher, anchor);
      if (mode === "separate" || state.terms.length === 0) {
        state.terms.push({ fisher: copy(fisher), anchor: copy(anchor) });
        return;
      }
      const term = state.terms[0];
      checkBuffers("EWC consolidate", anchor, term.anchor);
      for (let p = 0; p < fisher.length; p++) {
        const F = term.fisher[p], f = fisher[p];
        for (let i = 0; i < F.length; i++) F[i] = gamma * F[i] + f[i];
        term.anchor[p].set(anchor[p]);
      }
    },
  };
}

/** Online EWC: `ewc({ ...options, mode: "online" })`. */
export function onlineEwc(options: { lambda: number; gamma: number }): Ewc {
  return ewc({ ...options, mode: "online" });
}

/** Stream EWC (boundary-free; MESU 2025 defaults λ = 5, γ = 0.2); see the module docs. */
export function streamEwc(options: { lambda: number; gamma: number }): StreamEwc {
  const { lambda, gamma } = options;
  checkLambda(lambda);
  checkGamma(gamma);
  return {
    name: "streamEwc",
    init: () => ({ terms: [] }),
    value: (params, state) => quadValue(state.terms, params, lambda),
    addGrad: (params, grads, state) => quadGrad(state.terms, params, grads, lambda),
    observe(state, paramsBefore, grads) {
      checkBuffers("streamEwc observe", grads, paramsBefore);
      if (state.terms.length === 0) {
        state.terms.push({
          fisher: paramsBefore.map((p) => new Float32Array(p.length)),
          anchor: copy(paramsBefore),
        });
      }
      const term = state.terms[0];
      for (let p = 0; p < grads.length; p++) {
        const F = term.fisher[p], g = grads[p];
        for (let i = 0; i < F.length; i++) F[i] = gamma * F[i] + g[i] * g[i];
        term.anchor[p].set(paramsBefore[p]);
      }
    },
  };
}

/**
 * Accumulates a diagonal empirical Fisher `F = (1/N)·Σₙ gₙ²` from per-example gradients, or from
 * precomputed sums of squared per-example gradients. Its fields are plain data.
 *
 * Per-batch use (a squared minibatch-mean gradient per batch, as some references do) is
 * `addGradient(meanGrad)` per batch: the estimate is then the mean of the squared batch
 * gradients — a different, smaller quantity; say which one a result used.
 */
export class EmpiricalFisher {
  /** Σ g² per parameter. */
  readonly sum: Float32Array[];
  /** Number of examples (or batches) accumulated. */
  count = 0;

  /** An empty accumulator shaped like `params`. */
  constructor(params: readonly Float32Array[]) {
    this.sum = params.map((p) => new Float32Array(p.length));
  }

  /** Adds one example's gradient: `sum += g²`, `count += 1`. */
  addGradient(grads: readonly Float32Array[]): void {
    checkBuffers("EmpiricalFisher.addGradient", grads, this.sum);
    for (let p = 0; p < grads.length; p++) {
      const s = this.sum[p], g = grads[p];
      for (let i = 0; i < s.length; i++) s[i] += g[i] * g[i];
    }
    this.count += 1;
  }

  /** Adds `Σₙ gₙ²` over `samples` examples (e.g. from `Mlp.squaredSampleGrads`). */
  addSquared(squaredSums: readonly Float32Array[], samples: number): void {
    checkBuffers("EmpiricalFisher.addSquared", squaredSums, this.sum);
    if (!(samples >= 1)) {
      throw new RangeError(`EmpiricalFisher.addSquared: samples must be >= 1, got ${samples}`);
    }
    for (let p = 0; p < squaredSums.length; p++) {
      const s = this.sum[p], q = squaredSums[p];
      for (let i = 0; i < s.length; i++) s[i] += q[i];
    }
    this.count += samples;
  }

  /** `sum / count` (new buffers). */
  estimate(): Float32Array[] {
    if (this.count === 0) throw new RangeError("EmpiricalFisher.estimate: nothing accumulated yet");
    const c = this.count;
    return this.sum.map((s) => s.map((v) => v / c));
  }
}
