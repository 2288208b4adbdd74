import { assert, assertEquals, assertThrows } from "../assert.ts";
import { imbalancedTasks } from "../../lib/data/imbalance.ts";
import type { TaskStream } from "../../lib/data/streams.ts";

function toyStream(tasks: number, perClass: number): TaskStream {
  const make = (n: number, name: string) => {
    const y = new Int32Array(n * 10);
    for (let i = 0; i < y.length; i++) y[i] = i % 10;
    return {
      name,
      x: Float32Array.from({ length: y.length * 2 }, (_, i) => i),
      y,
      n: y.length,
      dim: 2,
      classes: 10,
    };
  };
  const names = Array.from({ length: tasks }, (_, i) => `t${i}`);
  return {
    length: tasks,
    names,
    get: (i) => ({
      id: i,
      name: names[i],
      train: make(perClass, `${names[i]}/train`),
      test: make(10, `${names[i]}/test`),
    }),
  };
}

Deno.test("imbalancedTasks: half the classes lose 50–80 %, test sets untouched, deterministic", () => {
  const s = imbalancedTasks(toyStream(3, 100), { seed: 5 });
  for (let t = 0; t < 3; t++) {
    const task = s.get(t);
    const rare = s.rareClasses(t);
    assertEquals(rare.length, 5);
    const counts = new Array(10).fill(0);
    for (const y of task.train.y) counts[y]++;
    const share = s.removedShare(t);
    for (let c = 0; c < 10; c++) {
      if (rare.includes(c)) {
        assert(share[c] >= 0.5 && share[c] <= 0.8, `share ${share[c]}`);
        assertEquals(counts[c], 100 - Math.round(share[c] * 100));
      } else assertEquals(counts[c], 100);
    }
    assertEquals(task.test.n, 100);
    // order kept: rows still increase in their original index (x[2r] = 2·original row)
    for (let r = 1; r < task.train.n; r++) assert(task.train.x[2 * r] > task.train.x[2 * r - 2]);
    assertEquals(s.get(t).train.y, task.train.y);
  }
  assert(
    JSON.stringify(s.rareClasses(0)) !== JSON.stringify(s.rareClasses(1)) ||
      JSON.stringify(s.rareClasses(1)) !== JSON.stringify(s.rareClasses(2)),
  );
});

Deno.test("imbalancedTasks: option errors", () => {
  assertThrows(() => imbalancedTasks(toyStream(1, 5), { seed: 0, rareFraction: 2 }));
  assertThrows(() => imbalancedTasks(toyStream(1, 5), { seed: 0, removeMin: 0.9, removeMax: 0.5 }));
  assertThrows(() => imbalancedTasks(toyStream(1, 5), { seed: 0, classes: 4 }).get(0));
  assertThrows(() => imbalancedTasks(toyStream(1, 5), { seed: 0 }).rareClasses(3));
});
