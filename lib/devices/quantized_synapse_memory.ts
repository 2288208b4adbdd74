/**
 * Hybrid memory for quantized synapses (D'Agostino et al. 2023; Misba et al. 2021): the
 * high-precision hidden weight stays in noise-free digital memory, the quantized level is held
 * by level-programmed devices ({@linkcode LevelPopulation}), and a device is written only when
 * the level it should hold changes. The forward pass uses what the devices store (programming
 * error included), read through the population's read path (read noise redrawn at every read).
 *
 * Weight ↔ device mapping on a grid of N weight levels Q₀ < … < Q_{N−1} and a device with N
 * levels G₀ < … < G_{N−1}:
 *
 * - `"differential"` (multi-level RRAM): weight level k ↦ (G⁺, G⁻) = (G_k, G_{N−1−k}) and
 *   w = (G⁺ − G⁻)·(Q_{N−1} − Q₀)/(2·(G_{N−1} − G₀)); the grid and the device levels must be
 *   symmetric (uniform levels are). Both devices of a pair are written when the level changes.
 *   The readout is the device library's {@linkcode DifferentialPair} (`"difference"`).
 * - `"single"` (domain-wall synapse): weight level k ↦ device level k and w is the affine map
 *   of G taking G₀ ↦ Q₀ and G_{N−1} ↦ Q_{N−1}, read by {@linkcode SignedDevice}.
 *
 * Write rule: the target level follows the hidden weight W_H. With `margin` 0 it is Q(W_H). With
 * a noise-tolerance margin μ > 0 (Misba et al.) the target leaves the level it holds only when W_H
 * has gone past a boundary by more than μ times the spacing of the two levels on either side of
 * it (hysteresis), so hidden weights hovering near a boundary do not trigger writes. A failed
 * write leaves the device unchanged, and the next sync tries again.
 *
 * @example
 * ```ts
 * import { QuantizedSynapseMemory } from "./quantized_synapse_memory.ts";
 * import { LevelModel, uniformLevels } from "./levels.ts";
 * import { uniformGrid } from "../optim/quantized_metaplastic.ts";
 * import { Rng } from "../rng.ts";
 * const model = new LevelModel({ ...uniformLevels(4, [20, 120]), programStd: 3, unit: "µS" });
 * const mem = new QuantizedSynapseMemory(model, { n: 3, grid: uniformGrid(4), mapping: "differential", rng: new Rng(0) });
 * mem.sync(new Float32Array([0.9, -0.2, 5]), { force: true }); // initial programming of the 3 pairs
 * const w = mem.weights(); // ≈ [1, −1/3, 1] plus programming error
 * ```
 * @module
 */
import { cellIndex, type QuantGrid } from "../optim/quantized_metaplastic.ts";
import type { Rng, RngState } from "../rng.ts";
import type { EnergyReport } from "./counters.ts";
import type { LevelModel, LevelPopulation } from "./levels.ts";
import type { PopulationSnapshot } from "./population.ts";
import { DifferentialPair, SignedDevice, type SynapseArray } from "./synapse.ts";

/** How weight levels map to devices (see the module docs). */
export type LevelMapping = "differential" | "single";

/** Options of {@linkcode QuantizedSynapseMemory}. */
export interface QuantizedSynapseMemoryOptions {
  /** Number of weights. */
  n: number;
  /** Weight levels (normalised units). */
  grid: QuantGrid;
  /** Mapping to devices (default `"differential"`). */
  mapping?: LevelMapping;
  /** Noise-tolerance margin μ ≥ 0 in units of the local level spacing (default 0). */
  margin?: number;
  /** Device-to-device draw; the memory keeps a fork of it for programming and read noise. */
  rng: Rng;
}

/** What one {@linkcode QuantizedSynapseMemory.sync} did. */
export interface SyncResult {
  /** Weights whose level changed (one write per device of the weight). */
  changed: number;
  /** Device writes attempted. */
  writes: number;
  /** Writes that failed (device unchanged). */
  failed: number;
}

/** Plain-data state of a {@linkcode QuantizedSynapseMemory} (for `ctx.cached` units). */
export interface QuantizedSynapseMemorySnapshot {
  /** Device populations (one, or plus then minus). */
  populations: PopulationSnapshot[];
  /** The memory's generator. */
  rng: RngState;
  /** Writes issued by `sync` so far. */
  writes: number;
}

/** Level-programmed devices holding quantized weights; see the module docs. */
export class QuantizedSynapseMemory {
  /** Number of weights. */
  readonly n: number;
  /** Weight grid. */
  readonly grid: QuantGrid;
  /** Mapping. */
  readonly mapping: LevelMapping;
  /** Noise-tolerance margin (fraction of the local level spacing). */
  readonly margin: number;
  /** Device populations: `[devices]` (single) or `[plus, minus]` (differential). */
  readonly populations: readonly LevelPopulation[];
  /** The readout through the read path (read noise, read counters): a device-library synapse array. */
  readonly synapses: SynapseArray;
  /** The readout of the stored values (no read noise). */
  readonly storedSynapses: SynapseArray;
  /** Device writes issued by `sync` (successful or not). */
  writes = 0;
  private readonly rng: Rng;
  private readonly target: Int32Array;
  private readonly idx: Int32Array[];

  /** Draws the devices from `model` (N device levels for an N-level grid). */
  constructor(readonly model: LevelModel, options: QuantizedSynapseMemoryOptions) {
    const { n, grid } = options;
    if (!(Number.isInteger(n) && n >= 1)) {
      throw new RangeError(`a synapse memory needs n >= 1 weights, got ${n}`);
    }
    this.n = n;
    this.grid = grid;
    this.mapping = options.mapping ?? "differential";
    this.margin = options.margin ?? 0;
    if (!(this.margin >= 0 && Number.isFinite(this.margin))) {
      throw new RangeError(
        `margin must be a finite number >= 0 (fraction of the level spacing), got ${this.margin}`,
      );
    }
    const G = model.config.levels, Q = grid.levels, N = Q.length;
    if (G.length !== N) {
      throw new RangeError(
        `${model.name} has ${G.length} levels but the weight grid has ${N}; use a device with one level per weight level`,
      );
    }
    const gRange = G[N - 1] - G[0], qRange = Q[N - 1] - Q[0];
    if (this.mapping === "differential") {
      for (let k = 0; k < N; k++) {
        const symG = Math.abs(G[k] - G[0] - (G[N - 1] - G[N - 1 - k])) <= 1e-9 * gRange;
        const symQ = Math.abs(Q[k] + Q[N - 1 - k] - (Q[0] + Q[N - 1])) <= 1e-9 * qRange;
        if (!symG || !symQ || Math.abs(Q[0] + Q[N - 1]) > 1e-9 * qRange) {
          throw new RangeError(
            `the differential mapping needs weight levels symmetric about 0 and symmetric device levels (level ${k} is not)`,
          );
        }
      }
      const plus = model.sample(n, options.rng), minus = model.sample(n, options.rng);
      this.populations = [plus, minus];
      const pair = { readout: "difference", scale: qRange / (2 * gRange) } as const;
      this.synapses = new DifferentialPair(plus, minus, { ...pair, noisyRead: true });
      this.storedSynapses = new DifferentialPair(plus, minus, { ...pair, noisyRead: false });
    } else if (this.mapping === "single") {
      const pop = model.sample(n, options.rng);
      this.populations = [pop];
      const scale = qRange / gRange;
      // w = Q₀ + (G − G₀)·scale = (G − offset)·scale
      const map = { offset: G[0] - Q[0] / scale, scale };
      this.synapses = new SignedDevice(pop, { ...map, noisyRead: true });
      this.storedSynapses = new SignedDevice(pop, { ...map, noisyRead: false });
    } else {
      throw new RangeError(`mapping must be "differential" or "single", got "${this.mapping}"`);
    }
    this.rng = options.rng.fork();
    this.target = new Int32Array(n);
    this.idx = this.populations.map(() => new Int32Array(n));
  }

  /**
   * The weight level each weight's devices hold now (from the devices' own bookkeeping); −1
   * where the two devices of a pair disagree (never programmed, or a write failed on one).
   */
  heldLevels(out: Int32Array = new Int32Array(this.n)): Int32Array {
    const a = this.populations[0].level, N = this.grid.levels.length;
    const b = this.populations.length === 2 ? this.populations[1].level : null;
    for (let i = 0; i < this.n; i++) out[i] = b && b[i] !== N - 1 - a[i] ? -1 : a[i];
    return out;
  }

  /**
   * Writes the devices whose level must change for hidden weights `hidden` (see the module
   * docs). With `force` every device is written (the initial programming of the array).
   */
  sync(hidden: ArrayLike<number>, options: { force?: boolean } = {}): SyncResult {
    if (hidden.length !== this.n) {
      throw new RangeError(`sync: got ${hidden.length} hidden weights for ${this.n}`);
    }
    const force = options.force ?? false;
    const held = this.heldLevels(this.target);
    const Q = this.grid.levels, B = this.grid.boundaries, N = Q.length, mu = this.margin;
    let changed = 0;
    for (let i = 0; i < this.n; i++) {
      const w = hidden[i];
      if (Number.isNaN(w)) {
        throw new RangeError(`sync: hidden weight ${i} is NaN (diverged training?)`);
      }
      const h = held[i];
      let k: number;
      if (mu === 0 || h < 0) {
        k = cellIndex(this.grid, w);
      } else {
        k = h;
        while (k < N - 1 && w > B[k] + mu * (Q[k + 1] - Q[k])) k++;
        while (k > 0 && w < B[k - 1] - mu * (Q[k] - Q[k - 1])) k--;
      }
      if (k !== h || force) {
        changed++;
        held[i] = k;
      } else held[i] = -1;
    }
    if (changed === 0) return { changed, writes: 0, failed: 0 };
    let writes = 0, failed = 0;
    this.populations.forEach((pop, p) => {
      const idx = this.idx[p], lv = pop.level;
      for (let i = 0; i < this.n; i++) {
        const k = held[i];
        const d = k < 0 ? -1 : p === 0 ? k : N - 1 - k;
        idx[i] = d >= 0 && (force || lv[i] !== d) ? d : -1;
      }
      const r = pop.programLevels(idx, this.rng);
      writes += r.attempted;
      failed += r.failed;
    });
    this.writes += writes;
    return { changed, writes, failed };
  }

  /**
   * Writes every weight to the given weight level (e.g. the levels of a network trained ex situ):
   * one forced write per device.
   */
  programWeightLevels(levels: ArrayLike<number>): SyncResult {
    if (levels.length !== this.n) {
      throw new RangeError(
        `programWeightLevels: got ${levels.length} levels for ${this.n} weights`,
      );
    }
    const N = this.grid.levels.length;
    let writes = 0, failed = 0;
    this.populations.forEach((pop, p) => {
      const idx = this.idx[p];
      for (let i = 0; i < this.n; i++) {
        const k = levels[i];
        if (!(Number.isInteger(k) && k >= 0 && k < N)) {
          throw new RangeError(
            `weight level must be an integer in [0, ${N - 1}], got ${k} (weight ${i})`,
          );
        }
        idx[i] = p === 0 ? k : N - 1 - k;
      }
      const r = pop.programLevels(idx, this.rng);
      writes += r.attempted;
      failed += r.failed;
    });
    this.writes += writes;
    return { changed: this.n, writes, failed };
  }

  /**
   * The weights the devices represent (normalised units): a read through the read path (read
   * noise redrawn at every call) or, with `read: false`, the stored values.
   */
  weights(
    out: Float32Array = new Float32Array(this.n),
    options: { read?: boolean } = {},
  ): Float32Array {
    return (options.read ?? true ? this.synapses : this.storedSynapses).weights(out, this.rng);
  }

  /** Programming events per weight (the first device's count; both devices of a pair are written together). */
  programsPerWeight(): Uint32Array {
    return this.populations[0].counters.programs.slice();
  }

  /** Programming events per device, over all devices. */
  programsPerDevice(): Uint32Array {
    const out = new Uint32Array(this.n * this.populations.length);
    this.populations.forEach((p, k) => out.set(p.counters.programs, k * this.n));
    return out;
  }

  /** Energy spent by all devices (J); `null` parts are unknown per-event energies. */
  energy(): EnergyReport {
    const parts = this.populations.map((p) => p.counters.energy());
    const sum = (f: (e: EnergyReport) => number | null) =>
      parts.some((e) => f(e) === null) ? null : parts.reduce((s, e) => s + (f(e) as number), 0);
    return {
      pulsesJ: sum((e) => e.pulsesJ),
      programsJ: sum((e) => e.programsJ),
      readsJ: sum((e) => e.readsJ),
      extraJ: parts.reduce((s, e) => s + e.extraJ, 0),
      totalJ: sum((e) => e.totalJ),
    };
  }

  /** Plain-data copy (devices, counters, generator). */
  snapshot(): QuantizedSynapseMemorySnapshot {
    return {
      populations: this.populations.map((p) => p.snapshot()),
      rng: this.rng.getState(),
      writes: this.writes,
    };
  }

  /** Restores a {@linkcode QuantizedSynapseMemory.snapshot} of a memory of the same shape. */
  restore(s: QuantizedSynapseMemorySnapshot): void {
    if (s.populations.length !== this.populations.length) {
      throw new RangeError(
        `snapshot has ${s.populations.length} populations, this memory has ${this.populations.length}`,
      );
    }
    this.populations.forEach((p, k) => p.restore(s.populations[k]));
    this.rng.setState(s.rng);
    this.writes = s.writes;
  }
}

/** A quantized layer as the hybrid network sees it (structurally `QuantizedDense`). */
export interface HybridLayer {
  /** Layer name. */
  readonly name: string;
  /** Hidden weights W_H (a tfjs variable; only `dataSync` is used). */
  readonly hidden: { dataSync(): ArrayLike<number>; readonly size: number };
  /** Weight grid. */
  readonly grid: QuantGrid;
  /** Forward-weight source (argument: training forward pass); set by {@linkcode HybridDeviceNetwork}. */
  weightSource: ((training: boolean) => Float32Array) | null;
}

/** Options of {@linkcode HybridDeviceNetwork}. */
export interface HybridDeviceNetworkOptions {
  /** Mapping of every layer (default `"differential"`). */
  mapping?: LevelMapping;
  /** Noise-tolerance margin (default 0). */
  margin?: number;
  /**
   * When forward passes read through the read path (read noise): `"inference"` (default; training
   * forward passes use the stored values, which carry the programming error), `"always"`, or
   * `"never"`.
   */
  readNoise?: "inference" | "always" | "never";
  /** Device-to-device draws (the memories fork it for their own noise). */
  rng: Rng;
}

/** Totals of one {@linkcode HybridDeviceNetwork.sync}. */
export interface NetworkSyncResult extends SyncResult {
  /** Weights in the network. */
  weights: number;
}

/**
 * The hybrid architecture of D'Agostino et al. 2023 for a whole network: one
 * {@linkcode QuantizedSynapseMemory} per quantized layer, the layers' forward weights read from
 * the devices, and `sync()` after every optimizer step reprogramming only the weights whose
 * level changed (use it as the training loop's `afterStep`).
 *
 * @example
 * ```ts ignore
 * const hybrid = new HybridDeviceNetwork(net.layers, new LevelModel(MultiLevelHfO2_2023), { rng });
 * hybrid.sync({ force: true }); // initial programming
 * await trainEpoch(learner, data, { batchSize: 100, rng, afterStep: () => hybrid.sync() });
 * ```
 */
export class HybridDeviceNetwork {
  /** One memory per layer, in layer order. */
  readonly memories: readonly QuantizedSynapseMemory[];

  /** Creates the memories and points every layer's forward pass at its devices. */
  constructor(
    readonly layers: readonly HybridLayer[],
    model: LevelModel,
    options: HybridDeviceNetworkOptions,
  ) {
    this.memories = layers.map((l) =>
      new QuantizedSynapseMemory(model, {
        n: l.hidden.size,
        grid: l.grid,
        mapping: options.mapping,
        margin: options.margin,
        rng: options.rng,
      })
    );
    const mode = options.readNoise ?? "inference";
    if (mode !== "inference" && mode !== "always" && mode !== "never") {
      throw new RangeError(`readNoise must be "inference", "always" or "never", got "${mode}"`);
    }
    layers.forEach((l, k) => {
      const mem = this.memories[k];
      // a fresh array per read: tfjs may keep a reference to the array a tensor was made from
      l.weightSource = (training) =>
        mem.weights(new Float32Array(mem.n), {
          read: mode === "always" || (mode === "inference" && !training),
        });
    });
  }

  /** Reprograms the weights whose level changed (every device with `force`). */
  sync(options: { force?: boolean } = {}): NetworkSyncResult {
    const total = { changed: 0, writes: 0, failed: 0, weights: 0 };
    this.layers.forEach((l, k) => {
      const r = this.memories[k].sync(l.hidden.dataSync(), options);
      total.changed += r.changed;
      total.writes += r.writes;
      total.failed += r.failed;
      total.weights += this.memories[k].n;
    });
    return total;
  }

  /**
   * Programs this network's devices to the levels another network's devices hold (the ex-situ
   * transfer: a network trained on a device model, then written once onto fresh devices).
   */
  programLevelsOf(other: HybridDeviceNetwork): NetworkSyncResult {
    if (other.memories.length !== this.memories.length) {
      throw new RangeError(
        `the other network has ${other.memories.length} layers, this one ${this.memories.length}`,
      );
    }
    const total = { changed: 0, writes: 0, failed: 0, weights: 0 };
    this.memories.forEach((m, k) => {
      const held = other.memories[k].heldLevels();
      if (held.some((h) => h < 0)) {
        throw new RangeError(
          `layer ${k} of the other network holds inconsistent pairs; sync it first`,
        );
      }
      const r = m.programWeightLevels(held);
      total.changed += r.changed;
      total.writes += r.writes;
      total.failed += r.failed;
      total.weights += m.n;
    });
    return total;
  }

  /** Programming events per weight, all layers concatenated. */
  programsPerWeight(): Uint32Array {
    const parts = this.memories.map((m) => m.programsPerWeight());
    const out = new Uint32Array(parts.reduce((s, p) => s + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  /** Device writes issued so far, all layers. */
  writes(): number {
    return this.memories.reduce((s, m) => s + m.writes, 0);
  }

  /** Programming energy of all devices (J), `null` when the per-write energy is unknown. */
  programmingEnergyJ(): number | null {
    let s = 0;
    for (const m of this.memories) {
      const e = m.energy().programsJ;
      if (e === null) return null;
      s += e;
    }
    return s;
  }

  /** Layers back to software weights Q(W_H). */
  detach(): void {
    for (const l of this.layers) l.weightSource = null;
  }

  /** Plain-data copy of every memory. */
  snapshot(): QuantizedSynapseMemorySnapshot[] {
    return this.memories.map((m) => m.snapshot());
  }

  /** Restores a {@linkcode HybridDeviceNetwork.snapshot}. */
  restore(s: readonly QuantizedSynapseMemorySnapshot[]): void {
    if (s.length !== this.memories.length) {
      throw new RangeError(
        `snapshot has ${s.length} layers, the network has ${this.memories.length}`,
      );
    }
    this.memories.forEach((m, k) => m.restore(s[k]));
  }
}
