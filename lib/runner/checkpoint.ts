/**
 * A folder of finished units of work, so a killed run resumes where it stopped. Each unit is a
 * JSON file plus a binary side file for typed arrays (written first; the JSON's presence marks
 * the unit complete). Writes are atomic.
 *
 * @example
 * ```ts ignore
 * import { CheckpointStore } from "./checkpoint.ts";
 * const store = new CheckpointStore("/tmp/ckpt");
 * const w = await store.cached("task-0", () => new Float32Array([1, 2]));
 * ```
 * @module
 */
import { writeFileAtomic } from "./atomic.ts";

type Typed = Float32Array | Float64Array | Int32Array | Uint8Array | Uint32Array | Int8Array;
const CTORS: Record<string, new (b: ArrayBuffer) => Typed> = {
  Float32Array,
  Float64Array,
  Int32Array,
  Uint8Array,
  Uint32Array,
  Int8Array,
};

/** Encodes a value (JSON plus typed arrays, NaN and ±Infinity) into JSON text and a blob. */
export function encodeValue(value: unknown): { json: string; blob: Uint8Array } {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const walk = (v: unknown): unknown => {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const t = v as Typed;
      const name = t.constructor.name;
      if (!(name in CTORS)) throw new TypeError(`cannot checkpoint a ${name}`);
      const bytes = new Uint8Array(t.buffer, t.byteOffset, t.byteLength).slice();
      const pad = (8 - (offset % 8)) % 8; // keep every array 8-byte aligned
      if (pad) {
        chunks.push(new Uint8Array(pad));
        offset += pad;
      }
      chunks.push(bytes);
      const ref = { $typed: name, offset, length: t.length };
      offset += bytes.length;
      return ref;
    }
    if (typeof v === "number" && !Number.isFinite(v)) return { $num: String(v) };
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (x !== undefined) o[k] = walk(x);
      return o;
    }
    return v;
  };
  const json = JSON.stringify(walk(value));
  const blob = new Uint8Array(offset);
  let o = 0;
  for (const c of chunks) {
    blob.set(c, o);
    o += c.length;
  }
  return { json, blob };
}

/** Inverse of {@linkcode encodeValue}. */
export function decodeValue(json: string, blob: Uint8Array): unknown {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") {
      const r = v as Record<string, unknown>;
      if (typeof r.$typed === "string") {
        const C = CTORS[r.$typed];
        const bytesPer = (C as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
        const start = r.offset as number, len = r.length as number;
        return new C(blob.slice(start, start + len * bytesPer).buffer);
      }
      if (typeof r.$num === "string") return Number(r.$num);
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(r)) o[k] = walk(x);
      return o;
    }
    return v;
  };
  return walk(JSON.parse(json));
}

/** A folder of completed units, keyed by strings. */
export class CheckpointStore {
  /** Units computed (not loaded) by this store since it was created. */
  computed = 0;
  /** Units loaded from disk by this store. */
  loaded = 0;

  /** A store in `dir` (created on first write). */
  constructor(readonly dir: string) {}

  /** File stem of a key (unsafe characters replaced). */
  private file(key: string): string {
    return `${this.dir}/${key.replace(/[^A-Za-z0-9._=-]+/g, "_")}`;
  }

  /** The stored value of `key`, or `undefined`. */
  async get<T>(key: string): Promise<T | undefined> {
    const f = this.file(key);
    let json: string;
    try {
      json = await Deno.readTextFile(`${f}.json`);
    } catch {
      return undefined;
    }
    let blob = new Uint8Array(0);
    try {
      blob = await Deno.readFile(`${f}.bin`);
    } catch {
      // units without typed arrays have no blob
    }
    return decodeValue(json, blob) as T;
  }

  /** Stores `value` under `key` atomically. */
  async put(key: string, value: unknown): Promise<void> {
    const f = this.file(key);
    const { json, blob } = encodeValue(value);
    if (blob.length) await writeFileAtomic(`${f}.bin`, blob);
    await writeFileAtomic(`${f}.json`, json);
  }

  /** Returns the stored value of `key`, or computes, stores and returns it. */
  async cached<T>(key: string, compute: () => Promise<T> | T): Promise<T> {
    const hit = await this.get<T>(key);
    if (hit !== undefined) {
      this.loaded++;
      return hit;
    }
    const value = await compute();
    await this.put(key, value);
    this.computed++;
    // Return what a resumed run would see, so both paths continue from identical values.
    return (await this.get<T>(key)) as T;
  }
}

/** Anything that can serve {@linkcode RunContext}-style resumable units. */
export interface UnitStore {
  /** Returns the stored value of `key`, or computes, stores and returns it. */
  cached<T>(key: string, compute: () => Promise<T> | T): Promise<T>;
}

/** An in-memory {@linkcode UnitStore} (values deep-copied in and out, as a disk store would). */
export class MemoryStore implements UnitStore {
  /** Stored units. */
  readonly units: Map<string, unknown> = new Map();

  /** Returns the stored copy of `key`, or computes, stores and returns it. */
  async cached<T>(key: string, compute: () => Promise<T> | T): Promise<T> {
    if (this.units.has(key)) return structuredClone(this.units.get(key)) as T;
    const v = await compute();
    this.units.set(key, structuredClone(v));
    return v;
  }
}
