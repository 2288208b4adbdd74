/**
 * Associative memory with additive storage rules and the weight correlations they create
 * (Savin, Dayan & Lengyel 2013; theory_synaptic_models.md §6; model recalled, unverified).
 *
 * N binary neurons, patterns x ∈ {0,1}^N with P(x_i = 1) = f, stored additively,
 * W_ij = Σ_t Ω(x_i^t, x_j^t) (i ≠ j; rows postsynaptic, columns presynaptic). Per stored
 * pattern (derived): Cov(W_ij, W_ik) = Var_{x_i}(E_{x_j}Ω) (shared postsynaptic neuron) and
 * Cov(W_ij, W_kj) = Var_{x_j}(E_{x_i}Ω) (shared presynaptic neuron); both vanish for the
 * covariance rule Ω = (x_i − f)(x_j − f) and not for the plain Hebbian rule.
 *
 * Recall (our derivation from the brief's description): maximise
 * log P(x) + log P(x̃|x) + log P(W|x), with the other T − 1 patterns a Gaussian background of mean
 * (T−1)E[Ω] and covariance (T−1)·[α·I⊗I + c_post·I⊗J + c_pre·J⊗I] (α = Var Ω − c_post − c_pre,
 * J = 11ᵀ). That covariance is diagonalised by the projections onto 1 and its complement, so the
 * quadratic form needs only Σ R², the row sums (each neuron's total input weight), the column sums
 * (each neuron's total output weight) and the total. The simple decoder sets c_post = c_pre = 0
 * (independent synapses). Diagonal entries W_ii are treated as uninformative (residual 0), a
 * 1/N approximation. Decoding is deterministic asynchronous coordinate ascent from the cue.
 *
 * @example
 * ```ts
 * import { Rng } from "../rng.ts";
 * import { AssociativeMemory, cueFromPattern, learningRule, randomPatterns } from "./associative_memory.ts";
 * const rng = new Rng(0);
 * const mem = new AssociativeMemory(learningRule("hebbian", { f: 0.1 }), { neurons: 100, f: 0.1 });
 * const pats = randomPatterns(20, 100, { f: 0.1, rng });
 * mem.store(pats);
 * const target = pats.subarray(0, 100);
 * const cue = cueFromPattern(target, { flip: 0.05, rng });
 * const x = mem.correlationAwareRecall(cue, { cueFlip: 0.05, rng });
 * ```
 * @module
 */
import type { Rng } from "../rng.ts";

/** An additive storage rule: Ω as a 2×2 table indexed [post][pre]. */
export interface StorageRule {
  /** Name for tables. */
  name: string;
  /** Ω(post, pre) for post, pre ∈ {0, 1}: [[Ω00, Ω01], [Ω10, Ω11]]. */
  table: [[number, number], [number, number]];
}

/** Names of the built-in rules. */
export type RuleName = "hebbian" | "covariance" | "homosynaptic" | "heterosynaptic";

/**
 * Built-in rules (tables [post][pre]; the depression variants' values are our choice, unverified):
 * - hebbian: only Ω(1,1) = 1;
 * - covariance: Ω(a, b) = (a − f)(b − f) — no weight correlations;
 * - homosynaptic: Hebbian plus depression δ of active inputs onto a silent neuron, Ω(0,1) = −δ;
 *   δ = f/(1 − f) (default) cancels the shared-presynaptic correlation;
 * - heterosynaptic: Hebbian plus depression δ of silent inputs onto an active neuron, Ω(1,0) = −δ;
 *   δ = f/(1 − f) cancels the shared-postsynaptic correlation.
 */
export function learningRule(
  name: RuleName,
  options: { f: number; depression?: number },
): StorageRule {
  const f = options.f;
  if (!(f > 0 && f < 1)) throw new RangeError(`coding level f must be in (0, 1), got ${f}`);
  const d = options.depression ?? f / (1 - f);
  switch (name) {
    case "hebbian":
      return { name, table: [[0, 0], [0, 1]] };
    case "covariance":
      return { name, table: [[f * f, -f * (1 - f)], [-f * (1 - f), (1 - f) * (1 - f)]] };
    case "homosynaptic":
      return { name, table: [[0, -d], [0, 1]] };
    case "heterosynaptic":
      return { name, table: [[0, 0], [-d, 1]] };
    default:
      throw new RangeError(
        `unknown rule "${name}"; use hebbian, covariance, homosynaptic or heterosynaptic`,
      );
  }
}

/** Per-pattern moments of Ω under independent Bernoulli(f) activities. */
export interface RuleMoments {
  /** E[Ω]. */
  mean: number;
  /** Var[Ω]. */
  variance: number;
  /** Cov(W_ij, W_ik) per pattern: Var_{x_i}(E_{x_j}[Ω(x_i, x_j)]) (shared postsynaptic neuron). */
  covPost: number;
  /** Cov(W_ij, W_kj) per pattern: Var_{x_j}(E_{x_i}[Ω(x_i, x_j)]) (shared presynaptic neuron). */
  covPre: number;
}

/** Closed-form moments of a rule (multiply by T for T stored patterns). */
export function ruleMoments(rule: StorageRule, options: { f: number }): RuleMoments {
  const f = options.f;
  const p = [1 - f, f];
  const t = rule.table;
  let mean = 0, m2 = 0;
  for (let a = 0; a < 2; a++) {
    for (let b = 0; b < 2; b++) {
      mean += p[a] * p[b] * t[a][b];
      m2 += p[a] * p[b] * t[a][b] ** 2;
    }
  }
  const post = [0, 1].map((a) => p[0] * t[a][0] + p[1] * t[a][1]); // E over pre given post a
  const pre = [0, 1].map((b) => p[0] * t[0][b] + p[1] * t[1][b]); // E over post given pre b
  const variance = m2 - mean * mean;
  // a conditional mean that is constant gives a variance of pure rounding: report it as 0
  const scale = Math.max(...t.flat().map(Math.abs));
  const varOf = (v: number[]) => {
    const x = p[0] * v[0] ** 2 + p[1] * v[1] ** 2 - (p[0] * v[0] + p[1] * v[1]) ** 2;
    return Math.abs(v[0] - v[1]) <= 1e-12 * scale ? 0 : Math.max(0, x);
  };
  return { mean, variance, covPost: varOf(post), covPre: varOf(pre) };
}

/** `count` random patterns of `neurons` bits (row-major count×neurons), P(1) = f. */
export function randomPatterns(
  count: number,
  neurons: number,
  options: { f: number; rng: Rng },
): Uint8Array {
  if (!Number.isInteger(count) || count < 0 || !Number.isInteger(neurons) || neurons < 2) {
    throw new RangeError(`need integer count >= 0 and neurons >= 2, got ${count}, ${neurons}`);
  }
  const x = new Uint8Array(count * neurons);
  for (let i = 0; i < x.length; i++) x[i] = options.rng.uniform() < options.f ? 1 : 0;
  return x;
}

/** A noisy cue: each bit of `pattern` flipped with probability `flip`. */
export function cueFromPattern(
  pattern: ArrayLike<number>,
  options: { flip: number; rng: Rng },
): Uint8Array {
  if (!(options.flip >= 0 && options.flip < 0.5)) {
    throw new RangeError(`flip must be in [0, 0.5), got ${options.flip}`);
  }
  return Uint8Array.from(pattern, (b) => (options.rng.uniform() < options.flip ? 1 - b : b));
}

/** Options of the recall methods. */
export interface RecallOptions {
  /** Flip probability r assumed for the cue (the cue likelihood). */
  cueFlip: number;
  /** Maximum sweeps of asynchronous updates (default 30). */
  maxSweeps?: number;
  /** Generator for the update order (fixed order 0..N−1 when absent). */
  rng?: Rng;
}

/** Additive auto-associative memory with a simple and a correlation-aware decoder. */
export class AssociativeMemory {
  /** Neurons N. */
  readonly neurons: number;
  /** Coding level f. */
  readonly f: number;
  /** The storage rule. */
  readonly rule: StorageRule;
  /** Weights W (N×N row-major, rows postsynaptic; diagonal 0). */
  readonly weights: Float64Array;
  /** Number of stored patterns T. */
  stored = 0;

  /** Creates an empty memory. */
  constructor(rule: StorageRule, options: { neurons: number; f: number }) {
    if (!Number.isInteger(options.neurons) || options.neurons < 2) {
      throw new RangeError(`neurons must be an integer >= 2, got ${options.neurons}`);
    }
    if (!(options.f > 0 && options.f < 1)) {
      throw new RangeError(`f must be in (0, 1), got ${options.f}`);
    }
    this.neurons = options.neurons;
    this.f = options.f;
    this.rule = rule;
    this.weights = new Float64Array(options.neurons * options.neurons);
  }

  /** Adds patterns (row-major count×N bits) to the weights. */
  store(patterns: Uint8Array): void {
    const n = this.neurons;
    if (patterns.length % n !== 0) {
      throw new RangeError(`${patterns.length} bits do not split into patterns of ${n}`);
    }
    const t = this.rule.table, w = this.weights;
    for (let p = 0; p < patterns.length; p += n) {
      for (let i = 0; i < n; i++) {
        const row = t[patterns[p + i]], o = i * n;
        const r0 = row[0], r1 = row[1];
        for (let j = 0; j < n; j++) w[o + j] += patterns[p + j] ? r1 : r0;
        w[o + i] -= patterns[p + i] ? r1 : r0; // no self-connection
      }
      this.stored++;
    }
  }

  /** Recall ignoring weight correlations (independent Gaussian synapses). */
  simpleRecall(cue: ArrayLike<number>, options: RecallOptions): Uint8Array {
    return this.recall(cue, options, false);
  }

  /** Recall with the full background covariance (feedback-inhibition-like row/column-sum terms). */
  correlationAwareRecall(cue: ArrayLike<number>, options: RecallOptions): Uint8Array {
    return this.recall(cue, options, true);
  }

  /**
   * Log posterior log P(x) + log P(x̃|x) + log P(W|x) (up to a constant) computed from scratch —
   * the objective both decoders climb (`correlated` false = the simple decoder's model).
   */
  logPosterior(
    x: ArrayLike<number>,
    cue: ArrayLike<number>,
    options: { cueFlip: number; correlated: boolean },
  ): number {
    const n = this.neurons, r = options.cueFlip;
    if (x.length !== n || cue.length !== n) throw new RangeError(`x and cue must have ${n} bits`);
    const { l, m } = this.background(options.correlated);
    const t = this.rule.table, w = this.weights;
    const rho = new Float64Array(n), gam = new Float64Array(n);
    let A = 0, S = 0, lp = 0;
    for (let i = 0; i < n; i++) {
      const xi = x[i] ? 1 : 0;
      lp += Math.log(xi ? this.f : 1 - this.f) + Math.log(xi === (cue[i] ? 1 : 0) ? 1 - r : r);
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const e = w[i * n + j] - m - t[xi][x[j] ? 1 : 0];
        rho[i] += e;
        gam[j] += e;
        A += e * e;
        S += e;
      }
    }
    let Sr = 0, Sc = 0;
    for (let i = 0; i < n; i++) {
      Sr += rho[i] * rho[i];
      Sc += gam[i] * gam[i];
    }
    return lp - 0.5 * l(A, Sr, Sc, S);
  }

  /** Background mean and the quadratic form of its inverse covariance. */
  private background(correlated: boolean): {
    m: number;
    l: (a: number, sr: number, sc: number, s: number) => number;
  } {
    const n = this.neurons;
    if (this.stored < 2) throw new RangeError("store at least 2 patterns before recalling");
    const bg = this.stored - 1;
    const mom = ruleMoments(this.rule, { f: this.f });
    const v = bg * mom.variance;
    const cp = correlated ? bg * mom.covPost : 0, cq = correlated ? bg * mom.covPre : 0;
    const alpha = v - cp - cq;
    if (!(alpha > 0)) {
      throw new RangeError(`background covariance is singular for rule ${this.rule.name}`);
    }
    // 1/λ_ab for (post-projection a, pre-projection b), a,b ∈ {0 = centred, 1 = mean}
    const l00 = 1 / alpha, l01 = 1 / (alpha + n * cp), l10 = 1 / (alpha + n * cq);
    const l11 = 1 / (alpha + n * cp + n * cq);
    const l = (a: number, sr: number, sc: number, s: number) => {
      const s2 = (s * s) / (n * n);
      return l00 * (a - sr / n - sc / n + s2) + l01 * (sr / n - s2) + l10 * (sc / n - s2) +
        l11 * s2;
    };
    return { m: bg * mom.mean, l };
  }

  /** Asynchronous coordinate ascent of the log posterior from the cue (incremental O(N) per flip). */
  private recall(cue: ArrayLike<number>, options: RecallOptions, correlated: boolean): Uint8Array {
    const n = this.neurons;
    if (cue.length !== n) {
      throw new RangeError(`cue has ${cue.length} bits, memory has ${n} neurons`);
    }
    const r = options.cueFlip;
    if (!(r > 0 && r < 0.5)) throw new RangeError(`cueFlip must be in (0, 0.5), got ${r}`);
    const { l: quad, m } = this.background(correlated);
    const t = this.rule.table, w = this.weights;
    const x = Uint8Array.from(cue, (b) => (b ? 1 : 0));
    // residual R_ij = W_ij − m − Ω(x_i, x_j), R_ii = 0
    const res = new Float64Array(n * n);
    const rho = new Float64Array(n), gam = new Float64Array(n);
    let A = 0, S = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const e = w[i * n + j] - m - t[x[i]][x[j]];
        res[i * n + j] = e;
        rho[i] += e;
        gam[j] += e;
        A += e * e;
        S += e;
      }
    }
    let Sr = 0, Sc = 0;
    for (let i = 0; i < n; i++) {
      Sr += rho[i] * rho[i];
      Sc += gam[i] * gam[i];
    }
    const logPrior = [Math.log(1 - this.f), Math.log(this.f)];
    const logKeep = Math.log(1 - r), logFlip = Math.log(r);
    const dRow = new Float64Array(n), dCol = new Float64Array(n);
    const maxSweeps = options.maxSweeps ?? 30;
    const order = Int32Array.from({ length: n }, (_, i) => i);
    for (let sweep = 0; sweep < maxSweeps; sweep++) {
      if (options.rng) options.rng.shuffle(order);
      let changed = 0;
      for (const i of order) {
        const xi = x[i], yi = 1 - xi;
        // residual changes: row i (i post) and column i (i pre)
        let dA = 0, sumRow = 0, sumCol = 0, dSr = 0, dSc = 0;
        for (let j = 0; j < n; j++) {
          if (j === i) {
            dRow[j] = 0;
            dCol[j] = 0;
            continue;
          }
          const dr = t[xi][x[j]] - t[yi][x[j]];
          const dc = t[x[j]][xi] - t[x[j]][yi];
          dRow[j] = dr;
          dCol[j] = dc;
          const er = res[i * n + j], ec = res[j * n + i];
          dA += 2 * er * dr + dr * dr + 2 * ec * dc + dc * dc;
          sumRow += dr;
          sumCol += dc;
          dSr += 2 * rho[j] * dc + dc * dc; // row sums of other neurons change through column i
          dSc += 2 * gam[j] * dr + dr * dr; // column sums of other neurons change through row i
        }
        const rhoI = rho[i] + sumRow, gamI = gam[i] + sumCol;
        dSr += rhoI * rhoI - rho[i] * rho[i];
        dSc += gamI * gamI - gam[i] * gam[i];
        const dS = sumRow + sumCol;
        const dQ = quad(A + dA, Sr + dSr, Sc + dSc, S + dS) - quad(A, Sr, Sc, S);
        const cueBit = cue[i] ? 1 : 0;
        const dLog = logPrior[yi] - logPrior[xi] +
          (yi === cueBit ? logKeep - logFlip : logFlip - logKeep) - 0.5 * dQ;
        if (dLog > 0) {
          for (let j = 0; j < n; j++) {
            if (j === i) continue;
            res[i * n + j] += dRow[j];
            res[j * n + i] += dCol[j];
            rho[j] += dCol[j];
            gam[j] += dRow[j];
          }
          rho[i] = rhoI;
          gam[i] = gamI;
          A += dA;
          S += dS;
          Sr += dSr;
          Sc += dSc;
          x[i] = yi;
          changed++;
        }
      }
      if (changed === 0) break;
    }
    return x;
  }
}

/** Fraction of differing bits. */
export function bitErrorRate(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`lengths differ: ${a.length} vs ${b.length}`);
  let e = 0;
  for (let i = 0; i < a.length; i++) if ((a[i] ? 1 : 0) !== (b[i] ? 1 : 0)) e++;
  return e / a.length;
}

/** Empirical moments of a weight matrix (about the known mean T·E[Ω]), diagonal excluded. */
export interface WeightMoments {
  /** Mean of (W_ij − m)². */
  variance: number;
  /** Mean of (W_ij − m)(W_ik − m) over j ≠ k (shared postsynaptic neuron). */
  covPost: number;
  /** Mean of (W_ij − m)(W_kj − m) over i ≠ k (shared presynaptic neuron). */
  covPre: number;
}

/** Measures variance and shared-post/pre covariances of W around the mean `mean`. */
export function weightMoments(
  weights: Float64Array,
  options: { neurons: number; mean: number },
): WeightMoments {
  const n = options.neurons, m = options.mean;
  if (weights.length !== n * n) {
    throw new RangeError(`weights has ${weights.length} entries, expected ${n}×${n}`);
  }
  let sq = 0, rowPairs = 0, colPairs = 0;
  const col = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let rs = 0, rq = 0;
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const e = weights[i * n + j] - m;
      rs += e;
      rq += e * e;
      col[j] += e;
    }
    sq += rq;
    rowPairs += rs * rs - rq;
  }
  for (let j = 0; j < n; j++) colPairs += col[j] * col[j];
  colPairs -= sq;
  const entries = n * (n - 1), pairs = n * (n - 1) * (n - 2);
  return { variance: sq / entries, covPost: rowPairs / pairs, covPre: colPairs / pairs };
}
