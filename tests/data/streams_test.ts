import type { Dataset, DatasetSplits } from "../../lib/data/datasets.ts";
import {
  concatDatasets,
  datasetSequence,
  filterClasses,
  permutedTasks,
  rotate90,
  splitTasks,
  streamSubsets,
} from "../../lib/data/streams.ts";
import { assert, assertEquals, assertThrows } from "../assert.ts";

function toy(n: number, dim: number, name: string): Dataset {
  const x = new Float32Array(n * dim);
  for (let i = 0; i < x.length; i++) x[i] = i;
  const y = Int32Array.from({ length: n }, (_, i) => i % 10);
  return { name, x, y, n, dim, classes: 10 };
}
const splits: DatasetSplits = { train: toy(40, 6, "toy/train"), test: toy(20, 6, "toy/test") };

Deno.test("permutedTasks: seeded, first task permuted, same permutation on train and test", () => {
  const s = permutedTasks(splits, { tasks: 3, seed: 5 });
  assertEquals(s.length, 3);
  const t0 = s.get(0), t0b = permutedTasks(splits, { tasks: 3, seed: 5 }).get(0);
  assertEquals(t0.train.x, t0b.train.x);
  assert(t0.train.x.some((v, i) => v !== splits.train.x[i]), "first task must be permuted too");
  // same permutation applied to train and test: row 0 of test maps like row 0 of train
  const perm = Array.from(t0.train.x.subarray(0, 6), (v) => v - 0);
  const permTest = Array.from(t0.test.x.subarray(0, 6), (v) => v);
  assertEquals(permTest, perm);
  const t1 = s.get(1);
  assert(t1.train.x.some((v, i) => v !== t0.train.x[i]), "tasks differ");
  assertEquals(Array.from(t1.train.y), Array.from(splits.train.y));
  assertThrows(() => s.get(3), RangeError);
});

Deno.test("splitTasks: class- and domain-incremental labels", () => {
  const c = splitTasks(splits, { mode: "class" });
  assertEquals(c.length, 5);
  const t = c.get(2);
  assert(t.train.y.every((v) => v === 4 || v === 5));
  const d = splitTasks(splits, { mode: "domain" }).get(2);
  assert(d.train.y.every((v) => v === 0 || v === 1));
  assertEquals(d.train.classes, 2);
  assertEquals(d.train.n, 8);
});

Deno.test("datasetSequence, streamSubsets, concat and filter", () => {
  const seq = datasetSequence([splits, splits], ["a", "b"]);
  assertEquals(seq.names, ["a", "b"]);
  const parts = streamSubsets(splits.train, { subsets: 4 });
  assertEquals(parts.map((p) => p.n), [10, 10, 10, 10]);
  assertEquals(parts[1].x[0], splits.train.x[10 * 6]);
  const shuffled = streamSubsets(splits.train, { subsets: 4, seed: 1 });
  const all = concatDatasets(shuffled, "all");
  assertEquals([...all.y].sort().join(), [...splits.train.y].sort().join());
  assertThrows(() => streamSubsets(splits.train, { subsets: 0 }), RangeError);
  assertEquals(filterClasses(splits.train, [1]).n, 4);
  assertThrows(
    () => datasetSequence([splits, { train: toy(2, 3, "x"), test: toy(2, 3, "y") }]),
    RangeError,
  );
});

Deno.test("rotate90 turns a 28×28 image a quarter clockwise and needs 784 features", () => {
  const x = new Float32Array(784);
  x[0] = 1; // top-left
  x[27] = 2; // top-right
  x[27 * 28 + 27] = 3; // bottom-right
  const img = { name: "img", x, y: new Int32Array(1), n: 1, dim: 784, classes: 10 };
  const r = rotate90(img, "rot");
  assertEquals([r.x[27], r.x[27 * 28 + 27], r.x[27 * 28], r.name], [1, 2, 3, "rot"]);
  assertEquals(r.x.reduce((a, b) => a + b, 0), 6);
  assertThrows(() => rotate90(toy(2, 6, "small"), "rot"));
});
