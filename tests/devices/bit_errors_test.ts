import { assert, assertEquals, assertThrows } from "../assert.ts";
import { Rng } from "../../lib/rng.ts";
import { binarize, flipBits } from "../../lib/devices/bit_errors.ts";

Deno.test("flipBits: empirical flip fraction within the binomial interval at each BER", () => {
  const n = 200_000;
  const rng = new Rng(5);
  for (const ber of [1e-5, 1e-4, 1e-3, 1e-2, 0.1, 0.5]) {
    const w = new Float32Array(n).fill(1);
    const k = flipBits(w, ber, rng);
    let neg = 0;
    for (const x of w) if (x === -1) neg++;
    assertEquals(neg, k);
    const sd = Math.sqrt(n * ber * (1 - ber));
    assert(
      Math.abs(k - n * ber) <= 4.5 * sd + 1,
      `ber ${ber}: ${k} flips, expected ${n * ber} ± ${sd}`,
    );
  }
});

Deno.test("flipBits: flips are i.i.d. (gaps are geometric, no position bias)", () => {
  const n = 100_000, ber = 0.01;
  const idx: number[] = [];
  flipBits(new Float32Array(n).fill(1), ber, new Rng(8), { indices: idx });
  let firstHalf = 0;
  for (const i of idx) if (i < n / 2) firstHalf++;
  assert(Math.abs(firstHalf - idx.length / 2) < 4 * Math.sqrt(idx.length / 4));
  const gaps = idx.slice(1).map((v, k) => v - idx[k] - 1);
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  const expected = (1 - ber) / ber;
  assert(Math.abs(mean - expected) < 4 * Math.sqrt((1 - ber) / ber ** 2 / gaps.length));
});

Deno.test("flipBits: edge cases, out option, determinism, errors", () => {
  const w = new Float32Array([1, -1, 1, -1]);
  assertEquals(flipBits(w, 0, new Rng(0)), 0);
  assertEquals(Array.from(w), [1, -1, 1, -1]);
  const out = new Float32Array(4);
  assertEquals(flipBits(w, 1, new Rng(0), { out }), 4);
  assertEquals(Array.from(out), [-1, 1, -1, 1]);
  assertEquals(Array.from(w), [1, -1, 1, -1], "source untouched with out");
  const a = new Float32Array(1000).fill(1), b = new Float32Array(1000).fill(1);
  flipBits(a, 0.05, new Rng(3));
  flipBits(b, 0.05, new Rng(3));
  assertEquals(a, b);
  assertThrows(() => flipBits(w, 1.5, new Rng(0)), RangeError);
  assertThrows(() => flipBits(w, 0.1, new Rng(0), { out: new Float32Array(3) }), RangeError);
  assertEquals(Array.from(binarize([0.2, -0.1, 0])), [1, -1, 1]);
});
