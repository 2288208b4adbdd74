import { assertEquals } from "../assert.ts";
import { permutedUnion } from "../../lib/train/sources.ts";
import { batchesOf } from "../../lib/train/loop.ts";
import { permuteFeatures } from "../../lib/data/streams.ts";
import { Rng } from "../../lib/rng.ts";

Deno.test("permutedUnion yields the permuted copies of every example exactly once", () => {
  const base = {
    name: "b",
    x: Float32Array.from({ length: 5 * 3 }, (_, i) => i),
    y: Int32Array.from([0, 1, 2, 3, 4]),
    n: 5,
    dim: 3,
    classes: 5,
  };
  const perms = [Int32Array.from([2, 0, 1]), Int32Array.from([1, 2, 0])];
  const src = permutedUnion(base, perms, "u");
  const rows = new Set<string>();
  for (const b of batchesOf(src, 4, { rng: new Rng(1) })) {
    for (let k = 0; k < b.size; k++) {
      rows.add(`${b.y[k]}:${Array.from(b.x.subarray(k * 3, k * 3 + 3))}`);
    }
  }
  const expected = new Set<string>();
  for (const p of perms) {
    const d = permuteFeatures(base, p, "p");
    for (let i = 0; i < 5; i++) {
      expected.add(`${d.y[i]}:${Array.from(d.x.subarray(i * 3, i * 3 + 3))}`);
    }
  }
  assertEquals([...rows].sort(), [...expected].sort());
  assertEquals(src.n, 10);
});
