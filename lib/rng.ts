/**
 * One seedable pseudo-random generator for all typed-array code in the toolkit.
 *
 * xoshiro128** (Blackman & Vigna) seeded through splitmix32: fast, 128-bit state, and its state is
 * plain data so a checkpoint can store and restore it exactly.
 *
 * @example
 * ```ts
 * import { Rng } from "./rng.ts";
 * const rng = new Rng(42);
 * const x = rng.normal(); // standard normal sample
 * ```
 * @module
 */

/** Serializable state of an {@linkcode Rng}. */
export type RngState = [number, number, number, number];

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Seeded xoshiro128** generator with uniform, normal, integer and permutation helpers. */
export class Rng {
  private s: Uint32Array = new Uint32Array(4);
  private spare: number | null = null;

  /** Creates a generator from an integer seed (any 32-bit value). */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
    const sm = splitmix32(Math.floor(seed));
    for (let i = 0; i < 4; i++) this.s[i] = sm();
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
  }

  /** Next raw 32-bit unsigned integer. */
  nextU32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /**
   * Fills `out` with the next raw 32-bit draws: the same sequence as repeated
   * {@linkcode Rng.nextU32} calls, several times faster because the state stays in locals.
   */
  fillU32(out: Uint32Array): Uint32Array {
    const s = this.s;
    let s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3];
    for (let i = 0; i < out.length; i++) {
      const r = Math.imul(s1, 5);
      out[i] = Math.imul((r << 7) | (r >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
    return out;
  }

  /** Uniform sample in [0, 1). */
  uniform(): number {
    return this.nextU32() / 4294967296;
  }

  /** Standard normal sample (Marsaglia polar method). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0, v = 0, r = 0;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      r = u * u + v * v;
    } while (r >= 1 || r === 0);
    const f = Math.sqrt(-2 * Math.log(r) / r);
    this.spare = v * f;
    return u * f;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!(n >= 1)) throw new RangeError(`int(n) needs n >= 1, got ${n}`);
    return Math.floor(this.uniform() * n);
  }

  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    this.shuffle(p);
    return p;
  }

  /** Shuffles an array in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.uniform() * (i + 1));
      const tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
    return a;
  }

  /** Fills `out` with normal samples of the given mean and standard deviation. */
  fillNormal(out: Float32Array, mean = 0, std = 1): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.normal();
    return out;
  }

  /** Fills `out` with uniform samples in [lo, hi). */
  fillUniform(out: Float32Array, lo = 0, hi = 1): Float32Array {
    const w = hi - lo;
    for (let i = 0; i < out.length; i++) out[i] = lo + w * this.uniform();
    return out;
  }

  /** An independent generator derived from this one (for sub-experiments and tfjs op seeds). */
  fork(): Rng {
    return new Rng(this.nextU32());
  }

  /** A 31-bit integer seed, e.g. for `tf.randomNormal(shape, 0, 1, "float32", seed)`. */
  seed(): number {
    return this.nextU32() >>> 1;
  }

  /** The generator state, for checkpoints. */
  getState(): RngState {
    if (this.spare !== null) this.spare = null; // state must be exactly restorable
    return [this.s[0], this.s[1], this.s[2], this.s[3]];
  }

  /** Restores a state produced by {@linkcode Rng.getState}. */
  setState(state: RngState): void {
    if (!Array.isArray(state) || state.length !== 4) {
      throw new TypeError(
        `Rng state must be an array of 4 uint32 values, got ${JSON.stringify(state)}`,
      );
    }
    for (let i = 0; i < 4; i++) this.s[i] = state[i] >>> 0;
    this.spare = null;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
