/** Small generated dataset files for the data tests. @module */
import { assert } from "../assert.ts";

/** An IDX byte array of unsigned bytes with the given dimensions. */
export function makeIdx(dims: number[], values: number[]): Uint8Array {
  // values may deliberately disagree with dims (truncated files); dims themselves must be valid
  assert(dims.every((d) => Number.isInteger(d) && d >= 0), `bad IDX dims ${dims}`);
  const header = new Uint8Array(4 + 4 * dims.length);
  const v = new DataView(header.buffer);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, i) => v.setUint32(4 + 4 * i, d, false));
  const out = new Uint8Array(header.length + values.length);
  out.set(header);
  out.set(values, header.length);
  return out;
}
