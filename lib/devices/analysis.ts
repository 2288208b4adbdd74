/**
 * Analysis helpers for device traces: Welch power spectral density (radix-2 FFT), the slope of a
 * log-log spectrum (1/f^α noise has slope −α), dwell times of a two-state sequence (random
 * telegraph noise), and percentiles (device populations are summarised by percentiles, since
 * heavy-tailed D2D draws make means unrepresentative).
 *
 * @example
 * ```ts
 * import { percentile, welchPsd } from "./analysis.ts";
 * const x = new Float64Array(1024).map((_, i) => Math.sin(i));
 * const { freq, psd } = welchPsd(x, { segment: 256 });
 * percentile([3, 1, 2], 50); // 2
 * ```
 * @module
 */

/** In-place radix-2 complex FFT of `re`, `im` (length a power of two). */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if (im.length !== n || (n & (n - 1)) !== 0) {
    throw new RangeError(
      `fft needs equal real/imaginary lengths that are a power of two, got ${n}`,
    );
  }
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = -2 * Math.PI / len;
    const wr = Math.cos(ang), wi = Math.sin(ang);
    for (let i = 0; i < n; i += len) {
      let cr = 1, ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = i + k, b = a + len / 2;
        const xr = re[b] * cr - im[b] * ci, xi = re[b] * ci + im[b] * cr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
        const t = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = t;
      }
    }
  }
}

/** A one-sided power spectral density. */
export interface Spectrum {
  /** Frequencies in cycles per sample (per pulse for device traces), 0 … 0.5. */
  freq: Float64Array;
  /** Power per unit frequency. */
  psd: Float64Array;
}

/**
 * Welch PSD estimate: Hann-windowed segments of `segment` samples (power of two) with 50 %
 * overlap, mean removed per segment, averaged periodograms. One-sided, density scaling.
 */
export function welchPsd(x: ArrayLike<number>, options: { segment: number }): Spectrum {
  const L = options.segment;
  if ((L & (L - 1)) !== 0 || L < 8) {
    throw new RangeError(`segment must be a power of two >= 8, got ${L}`);
  }
  if (x.length < L) throw new RangeError(`need at least ${L} samples, got ${x.length}`);
  const win = new Float64Array(L);
  let wss = 0;
  for (let i = 0; i < L; i++) {
    win[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / L);
    wss += win[i] * win[i];
  }
  const half = L / 2;
  const psd = new Float64Array(half + 1);
  const re = new Float64Array(L), im = new Float64Array(L);
  let segments = 0;
  for (let start = 0; start + L <= x.length; start += half) {
    let m = 0;
    for (let i = 0; i < L; i++) m += x[start + i];
    m /= L;
    for (let i = 0; i < L; i++) {
      re[i] = (x[start + i] - m) * win[i];
      im[i] = 0;
    }
    fft(re, im);
    for (let k = 0; k <= half; k++) {
      const p = (re[k] * re[k] + im[k] * im[k]) / wss;
      psd[k] += k === 0 || k === half ? p : 2 * p;
    }
    segments++;
  }
  const freq = new Float64Array(half + 1);
  for (let k = 0; k <= half; k++) {
    freq[k] = k / L;
    psd[k] /= segments;
  }
  return { freq, psd };
}

/**
 * Least-squares slope of log10(psd) against log10(freq) over `[fMin, fMax]`, after averaging
 * the spectrum in `bins` logarithmically spaced bins (so high frequencies do not dominate).
 */
export function logLogSlope(
  s: Spectrum,
  options: { fMin: number; fMax: number; bins?: number },
): number {
  const { fMin, fMax } = options;
  const bins = options.bins ?? 20;
  if (!(fMax > fMin && fMin > 0)) {
    throw new RangeError(`need 0 < fMin < fMax, got ${fMin}, ${fMax}`);
  }
  const lx: number[] = [], ly: number[] = [];
  const l0 = Math.log10(fMin), l1 = Math.log10(fMax);
  for (let b = 0; b < bins; b++) {
    const lo = Math.pow(10, l0 + (l1 - l0) * b / bins),
      hi = Math.pow(10, l0 + (l1 - l0) * (b + 1) / bins);
    let sf = 0, sp = 0, c = 0;
    for (let k = 0; k < s.freq.length; k++) {
      if (s.freq[k] >= lo && s.freq[k] < hi && s.psd[k] > 0) {
        sf += Math.log10(s.freq[k]);
        sp += s.psd[k];
        c++;
      }
    }
    if (c > 0) {
      lx.push(sf / c);
      ly.push(Math.log10(sp / c));
    }
  }
  if (lx.length < 3) throw new RangeError(`too few frequency bins with data in [${fMin}, ${fMax}]`);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length,
    my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let num = 0, den = 0;
  for (let i = 0; i < lx.length; i++) {
    num += (lx[i] - mx) * (ly[i] - my);
    den += (lx[i] - mx) ** 2;
  }
  return num / den;
}

/**
 * Lengths of the runs of 0s and 1s in a two-state sequence (one entry per pulse). The first
 * and last runs are censored (their true length is unknown) and left out.
 */
export function dwellTimes(states: ArrayLike<number>): { low: number[]; high: number[] } {
  const low: number[] = [], high: number[] = [];
  let start = 0;
  let first = true;
  for (let i = 1; i <= states.length; i++) {
    if (i === states.length || states[i] !== states[i - 1]) {
      if (!first && i < states.length) (states[i - 1] ? high : low).push(i - start);
      first = false;
      start = i;
    }
  }
  return { low, high };
}

/**
 * Maximum-likelihood mean dwell times of a two-state Markov sequence (or several): time spent
 * in a state divided by the number of exits from it. Unlike the mean of complete runs it is not
 * biased by runs cut at the ends of the sequences.
 */
export function meanDwell(sequences: readonly ArrayLike<number>[]): { low: number; high: number } {
  let tLow = 0, tHigh = 0, exitLow = 0, exitHigh = 0;
  for (const s of sequences) {
    for (let i = 0; i < s.length; i++) {
      if (s[i]) tHigh++;
      else tLow++;
      if (i + 1 < s.length && s[i + 1] !== s[i]) {
        if (s[i]) exitHigh++;
        else exitLow++;
      }
    }
  }
  return { low: exitLow ? tLow / exitLow : Infinity, high: exitHigh ? tHigh / exitHigh : Infinity };
}

/** The p-th percentile (0–100) by linear interpolation between order statistics. */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be in [0, 100], got ${p}`);
  const a = Float64Array.from(values).sort();
  if (a.length === 0) throw new RangeError("percentile of an empty set is undefined");
  const r = (p / 100) * (a.length - 1);
  const lo = Math.floor(r), hi = Math.ceil(r);
  return a[lo] + (r - lo) * (a[hi] - a[lo]);
}

/** Histogram counts of `values` in `bins` equal bins over `[min, max]` (values outside dropped). */
export function histogram(
  values: ArrayLike<number>,
  options: { bins: number; min: number; max: number },
): { edges: Float64Array; counts: Float64Array } {
  const { bins, min, max } = options;
  if (!(Number.isInteger(bins) && bins >= 1 && max > min)) {
    throw new RangeError(`histogram needs an integer bins >= 1 and max > min`);
  }
  const edges = new Float64Array(bins + 1).map((_, k) => min + (max - min) * k / bins);
  const counts = new Float64Array(bins);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min || v > max) continue;
    counts[Math.min(bins - 1, Math.floor((v - min) / (max - min) * bins))]++;
  }
  return { edges, counts };
}
