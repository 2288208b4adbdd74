import { Rng } from "../lib/rng.ts";
import { assert, assertAlmostEquals, assertEquals, assertThrows } from "./assert.ts";

Deno.test("Rng is deterministic for a seed and differs across seeds", () => {
  const a = new Rng(7), b = new Rng(7), c = new Rng(8);
  const xa = Array.from({ length: 5 }, () => a.nextU32());
  const xb = Array.from({ length: 5 }, () => b.nextU32());
  const xc = Array.from({ length: 5 }, () => c.nextU32());
  assertEquals(xa, xb);
  assert(xa.some((v, i) => v !== xc[i]));
});

Deno.test("Rng uniform and normal moments", () => {
  const r = new Rng(1);
  const n = 200000;
  let su = 0, sn = 0, sn2 = 0;
  for (let i = 0; i < n; i++) {
    su += r.uniform();
    const z = r.normal();
    sn += z;
    sn2 += z * z;
  }
  assertAlmostEquals(su / n, 0.5, 0.005);
  assertAlmostEquals(sn / n, 0, 0.01);
  assertAlmostEquals(sn2 / n, 1, 0.01);
});

Deno.test("Rng permutation is a permutation; state round-trips", () => {
  const r = new Rng(3);
  const p = r.permutation(1000);
  assertEquals([...p].sort((a, b) => a - b), Array.from({ length: 1000 }, (_, i) => i));
  const s = r.getState();
  const x = [r.uniform(), r.normal(), r.int(10)];
  r.setState(s);
  assertEquals([r.uniform(), r.normal(), r.int(10)], x);
  assertThrows(() => r.int(0), RangeError);
  assertThrows(() => new Rng(NaN), RangeError);
});

Deno.test("Rng.fillU32 gives the nextU32 sequence and leaves the same state", () => {
  const a = new Rng(11), b = new Rng(11);
  a.uniform();
  b.uniform();
  const bulk = b.fillU32(new Uint32Array(1001));
  for (let i = 0; i < bulk.length; i++) assertEquals(bulk[i], a.nextU32(), `draw ${i}`);
  assertEquals(b.getState(), a.getState());
});
