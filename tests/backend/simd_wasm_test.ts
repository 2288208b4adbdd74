import { assert, assertEquals } from "../assert.ts";
import { assertClose } from "./helpers.ts";
import { SIMD_WASM_BASE64 } from "../../lib/backend/simd_wasm.ts";
import { SIMD_CHUNK } from "../../lib/backend/simd.ts";

type Kernel = (...args: number[]) => void;
const bytes = Uint8Array.from(atob(SIMD_WASM_BASE64), (c) => c.charCodeAt(0));

function instantiate() {
  const x = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports;
  const mem = x.memory as WebAssembly.Memory;
  const heap = new Float32Array(mem.buffer);
  const C = SIMD_CHUNK;
  const region = (r: number) => heap.subarray(r * C, (r + 1) * C);
  return {
    x,
    mem,
    P: region(0),
    G: region(1),
    M: region(2),
    V: region(3),
    S: region(4),
    adam: x.adam as Kernel,
    meta: x.meta as Kernel,
  };
}

Deno.test("simd_wasm: a valid module exporting memory, adam and meta", () => {
  // "\0asm", version 1
  assertEquals(Array.from(bytes.subarray(0, 8)), [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  assert(WebAssembly.validate(bytes), "the embedded bytes do not validate");
  const mod = new WebAssembly.Module(bytes);
  assertEquals(WebAssembly.Module.imports(mod), []);
  assertEquals(
    WebAssembly.Module.exports(mod).map((e) => `${e.name}:${e.kind}`).sort(),
    ["adam:function", "memory:memory", "meta:function"],
  );
  const s = instantiate();
  assertEquals((s.adam as unknown as { length: number }).length, 9);
  assertEquals((s.meta as unknown as { length: number }).length, 10);
  // five regions (P, G, M, V, S) of SIMD_CHUNK floats fit in the memory
  assert(s.mem.buffer.byteLength >= 5 * SIMD_CHUNK * 4, `${s.mem.buffer.byteLength} bytes`);
});

const w0 = [0.5, -0.3, 0.02, -1.2, 0.8, 0.1, -0.05];
const g0 = [0.1, 0.2, -0.4, 0.05, -0.3, 0, 1.5];
const m0 = [0.01, -0.02, 0.03, 0, 0.1, -0.1, 0.2];
const v0 = [1e-4, 2e-4, 0, 1e-3, 5e-4, 1e-2, 0.3];
// b1, b2, c1 = 1 − b1, c2 = 1 − b2, a, e, wd, shrink
const K = { b1: 0.9, b2: 0.999, c1: 0.1, c2: 0.001, a: 0.01, e: 1e-8, wd: 0.01, shrink: 0.999 };

function load(s: ReturnType<typeof instantiate>) {
  s.P.set(w0);
  s.G.set(g0);
  s.M.set(m0);
  s.V.set(v0);
  s.P[w0.length] = 42; // lane past n: must not be touched on the JS side's copy-out range
}

Deno.test("simd_wasm: adam kernel = g ← g + wd·w; m, v moments; w ← shrink·w − a·m/(√v + e)", () => {
  const s = instantiate();
  load(s);
  s.adam(w0.length, K.b1, K.b2, K.c1, K.c2, K.a, K.e, K.wd, K.shrink);
  const w = [], m = [], v = [];
  for (let i = 0; i < w0.length; i++) {
    const g = g0[i] + K.wd * w0[i];
    const mi = K.b1 * m0[i] + K.c1 * g, vi = K.b2 * v0[i] + K.c2 * g * g;
    m.push(mi);
    v.push(vi);
    w.push(K.shrink * w0[i] - K.a * mi / (Math.sqrt(vi) + K.e));
  }
  assertClose(s.P.subarray(0, 7), w, 1e-6, "w");
  assertClose(s.M.subarray(0, 7), m, 1e-6, "m");
  assertClose(s.V.subarray(0, 7), v, 1e-6, "v");
  // n = 0 changes nothing
  const before = s.P.slice(0, 8);
  s.adam(0, K.b1, K.b2, K.c1, K.c2, K.a, K.e, K.wd, K.shrink);
  assertEquals(s.P.slice(0, 8), before);
});

Deno.test("simd_wasm: meta kernel scales steps towards zero by 1 − tanh²(meta·w) and writes signs", () => {
  const meta = 1.3;
  const s = instantiate();
  load(s);
  s.S.fill(7);
  s.meta(w0.length, K.b1, K.b2, K.c1, K.c2, K.a, K.e, 0, 2 * meta, 1);
  const w: number[] = [], sign: number[] = [];
  for (let i = 0; i < w0.length; i++) {
    const g = g0[i];
    const mi = K.b1 * m0[i] + K.c1 * g, vi = K.b2 * v0[i] + K.c2 * g * g;
    const u = K.a * mi / (Math.sqrt(vi) + K.e);
    // the step w − u moves w towards zero where w·m > 0: attenuated there only
    const f = w0[i] * mi > 0 ? 1 - Math.tanh(meta * w0[i]) ** 2 : 1;
    const wi = w0[i] - f * u;
    w.push(wi);
    sign.push(wi > 0 ? 1 : wi < 0 ? -1 : 0);
  }
  assertClose(s.P.subarray(0, 7), w, 2e-6, "w");
  assertEquals(Array.from(s.S.subarray(0, 7)), sign);
  // sign = 0 leaves S alone
  const s2 = instantiate();
  load(s2);
  s2.S.fill(7);
  s2.meta(w0.length, K.b1, K.b2, K.c1, K.c2, K.a, K.e, 0, 2 * meta, 0);
  assertClose(s2.P.subarray(0, 7), w, 2e-6, "w without signs");
  assertEquals(Array.from(s2.S.subarray(0, 7)), new Array(7).fill(7));
});
