import type { Dataset } from "../../lib/data/datasets.ts";
import { batchCount, minibatches } from "../../lib/data/batches.ts";
import { Rng } from "../../lib/rng.ts";
import { assertEquals } from "../assert.ts";

function toy(n: number, dim: number): Dataset {
  const x = new Float32Array(n * dim);
  for (let i = 0; i < x.length; i++) x[i] = i;
  const y = Int32Array.from({ length: n }, (_, i) => i % 10);
  return { name: "toy", x, y, n, dim, classes: 10 };
}
const splits = { train: toy(40, 6) };

Deno.test("minibatches cover the data once, shuffled deterministically", () => {
  const ds = splits.train;
  const seen: number[] = [];
  for (const b of minibatches(ds, 16, { rng: new Rng(1) })) {
    for (let k = 0; k < b.size; k++) seen.push(b.x[k * 6] / 6);
  }
  assertEquals(seen.length, 40);
  assertEquals([...seen].sort((a, b) => a - b), Array.from({ length: 40 }, (_, i) => i));
  const again: number[] = [];
  for (const b of minibatches(ds, 16, { rng: new Rng(1) })) {
    for (let k = 0; k < b.size; k++) again.push(b.x[k * 6] / 6);
  }
  assertEquals(again, seen);
  assertEquals(batchCount(40, 16), 3);
  assertEquals([...minibatches(ds, 16, { dropLast: true })].length, 2);
});
