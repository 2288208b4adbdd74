/**
 * The querying rule of BiMU's fully online active learning (Cottart et al. 2026,
 * `utils/activeLearningFunctions.py`, `activelearning.md`): a sample's label is requested, and an
 * update made, only when its uncertainty score reaches the threshold τ; the querier counts seen
 * samples, requested labels and updates.
 *
 * - Fixed threshold: query when `score ≥ τ` (the main runs: variation ratio, τ = 0.5, K = 10).
 * - Random querying: each sample kept with probability τ (the baseline).
 * - Dynamic threshold for a label budget B: with the query rate so far Q, `ε = Q − B`,
 *   `τ_cont = B + sign(ε)·|ε|^γ`, `τ = clip(round(K·τ_cont), 0, K)/K`.
 *
 * @example
 * ```ts
 * import { ActiveQuerier } from "./querier.ts";
 * const q = new ActiveQuerier({ threshold: 0.5 });
 * q.decide(0.6); // true: label requested
 * q.decide(0.1); // false
 * q.recordUpdate();
 * q.counts(); // { seen: 2, labels: 1, updates: 1, labelFraction: 0.5, updateFraction: 0.5 }
 * ```
 * @module
 */
import type { Rng } from "../rng.ts";

/** Options of {@linkcode ActiveQuerier}. */
export interface ActiveQuerierOptions {
  /** τ: score threshold, or the keep probability when `random` (default 0.5). */
  threshold?: number;
  /** Random querying: keep each sample with probability τ, ignoring scores (needs `rng`). */
  random?: boolean;
  /** Generator for random querying. */
  rng?: Rng;
  /** Label budget B in (0, 1]: switches to the dynamic threshold. */
  budget?: number;
  /** γ of the dynamic threshold (default 1). */
  gamma?: number;
  /** K, the number of Monte-Carlo samples the threshold is quantised to (default 10). */
  samples?: number;
}

/** Counts kept by an {@linkcode ActiveQuerier}. */
export interface QueryCounts {
  /** Samples presented. */
  seen: number;
  /** Labels requested. */
  labels: number;
  /** Updates made (recorded by the training loop). */
  updates: number;
  /** labels / seen (0 before any sample). */
  labelFraction: number;
  /** updates / seen (0 before any sample). */
  updateFraction: number;
}

/** Plain-data state of an {@linkcode ActiveQuerier} (for checkpoints). */
export interface QuerierState {
  /** Samples presented. */
  seen: number;
  /** Labels requested. */
  labels: number;
  /** Updates made. */
  updates: number;
}

/** Decides, sample by sample, whether to request the label. */
export class ActiveQuerier {
  /** Base threshold τ (or keep probability). */
  readonly threshold: number;
  /** Random querying. */
  readonly random: boolean;
  /** Budget B, when dynamic. */
  readonly budget: number | undefined;
  /** γ of the dynamic threshold. */
  readonly gamma: number;
  /** K for quantisation. */
  readonly samples: number;
  private rng: Rng | undefined;
  private seen = 0;
  private labels = 0;
  private updates = 0;

  /** A querier; see {@linkcode ActiveQuerierOptions}. */
  constructor(options: ActiveQuerierOptions = {}) {
    this.threshold = options.threshold ?? 0.5;
    this.random = options.random ?? false;
    this.budget = options.budget;
    this.gamma = options.gamma ?? 1;
    this.samples = options.samples ?? 10;
    this.rng = options.rng;
    if (!Number.isFinite(this.threshold)) {
      throw new RangeError(`threshold must be finite, got ${this.threshold}`);
    }
    if (this.random && !(this.threshold >= 0 && this.threshold <= 1)) {
      throw new RangeError(
        `random querying needs a keep probability in [0, 1], got ${this.threshold}`,
      );
    }
    if (this.random && !this.rng) throw new RangeError("random querying needs options.rng");
    if (this.budget !== undefined && !(this.budget > 0 && this.budget <= 1)) {
      throw new RangeError(`budget must be in (0, 1], got ${this.budget}`);
    }
    if (this.budget !== undefined && this.random) {
      throw new RangeError("a label budget applies to score thresholds, not to random querying");
    }
    if (!(this.gamma > 0)) throw new RangeError(`gamma must be > 0, got ${this.gamma}`);
    if (!(Number.isInteger(this.samples) && this.samples >= 1)) {
      throw new RangeError(`samples must be a positive integer, got ${this.samples}`);
    }
  }

  /** The threshold the next decision uses (dynamic when a budget is set). */
  currentThreshold(): number {
    if (this.budget === undefined) return this.threshold;
    const B = this.budget;
    const rate = this.seen > 0 ? this.labels / this.seen : 0;
    const e = rate - B;
    const cont = B + Math.sign(e) * Math.abs(e) ** this.gamma;
    const K = this.samples;
    const n = Math.min(Math.max(Math.round(K * cont), 0), K);
    return n / K;
  }

  /**
   * Presents one sample with its uncertainty score (ignored by random querying); returns whether
   * its label is requested.
   */
  decide(score = 0): boolean {
    if (!this.random && Number.isNaN(score)) throw new RangeError("query score is NaN");
    const q = this.random ? this.rng!.uniform() < this.threshold : score >= this.currentThreshold();
    this.seen++;
    if (q) this.labels++;
    return q;
  }

  /** Records that an update was made (call once per optimizer step). */
  recordUpdate(): void {
    this.updates++;
  }

  /** Samples seen, labels requested, updates made, and their fractions. */
  counts(): QueryCounts {
    const { seen, labels, updates } = this;
    return {
      seen,
      labels,
      updates,
      labelFraction: seen ? labels / seen : 0,
      updateFraction: seen ? updates / seen : 0,
    };
  }

  /** The counters, for checkpoints. */
  getState(): QuerierState {
    return { seen: this.seen, labels: this.labels, updates: this.updates };
  }

  /** Restores counters from {@linkcode ActiveQuerier.getState}. */
  setState(state: QuerierState): void {
    for (const k of ["seen", "labels", "updates"] as const) {
      if (!(Number.isInteger(state[k]) && state[k] >= 0)) {
        throw new RangeError(`querier state.${k} must be a non-negative integer, got ${state[k]}`);
      }
    }
    this.seen = state.seen;
    this.labels = state.labels;
    this.updates = state.updates;
  }
}
