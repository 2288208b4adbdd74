/**
 * Reader for the IDX format of MNIST-like datasets (plain or gzipped).
 *
 * @example
 * ```ts
 * import { parseIdx } from "./idx.ts";
 * const bytes = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 7, 3]);
 * const idx = parseIdx(bytes, "labels"); // { dims: [2], data: Uint8Array [7, 3] }
 * ```
 * @module
 */
import { gunzipSync } from "node:zlib";

/** A decoded IDX array of unsigned bytes. */
export interface IdxArray {
  /** Sizes of each dimension, outermost first. */
  dims: number[];
  /** Row-major payload. */
  data: Uint8Array;
}

/** Error raised for any dataset file that is missing, truncated, corrupt or inconsistent. */
export class DatasetError extends Error {
  /** Creates the error; `name` is set so that it prints as `DatasetError`. */
  constructor(message: string) {
    super(message);
    this.name = "DatasetError";
  }
}

/** True when the bytes start with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decompresses gzip bytes, or returns plain bytes unchanged; `label` names the file in errors. */
export function maybeGunzip(bytes: Uint8Array, label: string): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    const out = gunzipSync(bytes);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    throw new DatasetError(
      `${label}: gzip data is corrupt or truncated (${(e as Error).message}); ` +
        `delete the file and fetch it again`,
    );
  }
}

/**
 * Parses IDX bytes (already decompressed). Only unsigned-byte payloads (type 0x08) are used by
 * the datasets here; other types are rejected with a clear message.
 */
export function parseIdx(bytes: Uint8Array, label: string): IdxArray {
  if (bytes.length < 4) {
    throw new DatasetError(`${label}: file has ${bytes.length} bytes, too short for an IDX header`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DatasetError(
      `${label}: wrong magic number 0x${hex(bytes, 0, 4)} (IDX files start with 0x0000); ` +
        `this is not an IDX file`,
    );
  }
  if (bytes[2] !== 0x08) {
    throw new DatasetError(
      `${label}: IDX data type 0x${
        bytes[2].toString(16)
      } is not supported (expected 0x08, unsigned byte)`,
    );
  }
  const ndim = bytes[3];
  const header = 4 + 4 * ndim;
  if (ndim === 0 || bytes.length < header) {
    throw new DatasetError(
      `${label}: truncated IDX header (${ndim} dimensions, ${bytes.length} bytes)`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let count = 1;
  for (let i = 0; i < ndim; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    dims.push(d);
    count *= d;
  }
  const expected = header + count;
  if (bytes.length !== expected) {
    const what = bytes.length < expected ? "truncated" : "has trailing bytes";
    throw new DatasetError(
      `${label}: file ${what}: header says ${dims.join("×")} values (${expected} bytes), ` +
        `file has ${bytes.length} bytes; delete it and fetch it again`,
    );
  }
  return { dims, data: bytes.subarray(header) };
}

/** Reads and parses an IDX file from disk (gzip detected from content, not the file name). */
export async function readIdx(path: string): Promise<IdxArray> {
  let raw: Uint8Array;
  try {
    raw = await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new DatasetError(`${path}: file not found`);
    throw e;
  }
  return parseIdx(maybeGunzip(raw, path), path);
}

function hex(b: Uint8Array, start: number, end: number): string {
  return Array.from(b.subarray(start, end), (v) => v.toString(16).padStart(2, "0")).join("");
}
