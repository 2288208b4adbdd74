import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import {
  cellIndex,
  countLevelChanges,
  levelIndices,
  metaplasticQuantized,
  quantGrid,
  quantizedAdamStep,
  quantizedMeta,
  quantizeToGrid,
  uniformGrid,
} from "../../lib/optim/quantized_metaplastic.ts";
import { fMeta, metaplasticAdam } from "../../lib/optim/metaplastic_adam.ts";
import { adam } from "../../lib/optim/adam.ts";
import { metaplasticAdamStep } from "../../lib/backend/fused.ts";
import { Rng } from "../../lib/rng.ts";

const tanh2 = (x: number) => Math.tanh(x) ** 2;

Deno.test("uniformGrid: levels, boundaries and quantization", () => {
  const g4 = uniformGrid(4);
  assertEquals([...g4.levels], [-1, -1 / 3, 1 / 3, 1]);
  assertEquals([...g4.boundaries], [-2 / 3, 0, 2 / 3]);
  assertEquals([...uniformGrid(2).levels], [-1, 1]);
  assertEquals([...uniformGrid(3, 2).boundaries], [-1, 1]);
  const w = new Float32Array([-5, -0.7, -0.1, 0, 0.2, 0.66, 0.7, 9]);
  const q = quantizeToGrid(w, g4);
  const third = Math.fround(1 / 3);
  assertEquals([...q], [-1, -1, -third, -third, third, third, 1, 1]);
  // a value exactly on a boundary goes to the lower level
  assertEquals(cellIndex(g4, 0), 1);
  assertEquals([...levelIndices(w, g4)], [0, 0, 1, 1, 2, 2, 3, 3]);
  assertThrows(() => quantGrid([1]), RangeError, "at least 2");
  assertThrows(() => quantGrid([0, 0]), RangeError, "ascending");
  assertThrows(() => uniformGrid(1.5), RangeError);
  assertThrows(() => quantizeToGrid([NaN], g4), RangeError, "NaN");
});

Deno.test("quantizedMeta: two levels reduce exactly to Laborieux's f_meta", () => {
  const g2 = uniformGrid(2);
  for (const m of [0, 0.5, 1.35, 3]) {
    for (const w of [-4, -1.2, -0.3, -1e-4, 1e-4, 0.05, 0.8, 2.5]) {
      const towardZero = w > 0 ? -1 : 1;
      assertEquals(quantizedMeta(m, w, towardZero, g2), fMeta(m, w), `m ${m}, w ${w}`);
      assertEquals(quantizedMeta(m, w, -towardZero, g2), 1, "steps away from 0 are free");
      assertEquals(quantizedMeta(m, w, towardZero, g2, "ahead"), fMeta(m, w));
      assertEquals(quantizedMeta(m, w, -towardZero, g2, "ahead"), 1);
      assertEquals(quantizedMeta(m, w, towardZero, g2, "inward"), fMeta(m, w));
      assertEquals(quantizedMeta(m, w, -towardZero, g2, "inward"), 1);
    }
  }
  assertEquals(quantizedMeta(2, 0, 1, g2), 1);
});

Deno.test("quantizedMeta: attenuates only towards the next boundary (4 levels)", () => {
  const g = uniformGrid(4); // Δ = 1/3
  const m = 2;
  // outer cell: outwards free, inwards damped by the accumulated distance to the boundary 2/3
  assertEquals(quantizedMeta(m, 1.5, 1, g), 1);
  assertAlmostEquals(quantizedMeta(m, 1.5, -1, g), 1 - tanh2(m * 2.5), 1e-12);
  assertAlmostEquals(quantizedMeta(m, 1, -1, g), 1 - tanh2(m), 1e-12); // at the level
  assertAlmostEquals(quantizedMeta(m, -1.2, 1, g), 1 - tanh2(m * 1.6), 1e-12);
  assertEquals(quantizedMeta(m, -1.2, -1, g), 1);
  // inner cell of level 1/3 (boundaries 0 and 2/3): towards the level free, away from it damped
  assertAlmostEquals(quantizedMeta(m, 0.5, 1, g), 1 - tanh2(m * 0.5), 1e-12);
  assertEquals(quantizedMeta(m, 0.5, -1, g), 1);
  assertAlmostEquals(quantizedMeta(m, 0.2, -1, g), 1 - tanh2(m * 0.6), 1e-12);
  assertEquals(quantizedMeta(m, 0.2, 1, g), 1);
  // damping weakens as the boundary comes closer, and vanishes on it
  let prev = 0;
  for (const w of [1 / 3, 0.4, 0.5, 0.6, 0.66]) {
    const f = quantizedMeta(m, w, 1, g);
    assert(f > prev, `M must grow towards the boundary (w ${w}: ${f} after ${prev})`);
    prev = f;
  }
  assertEquals(quantizedMeta(m, 2 / 3, 1, g), 1);
  // the literal "boundary ahead" rule damps steps towards the far boundary too
  assertAlmostEquals(quantizedMeta(m, 0.2, 1, g, "ahead"), 1 - tanh2(m * (2 / 3 - 0.2) * 3), 1e-12);
  assertAlmostEquals(quantizedMeta(m, 0.2, -1, g, "ahead"), 1 - tanh2(m * 0.6), 1e-12);
  // "inward": only steps that shrink |W_H|, damped by the distance to the next boundary towards 0
  assertEquals(quantizedMeta(m, 0.5, 1, g, "inward"), 1);
  assertAlmostEquals(quantizedMeta(m, 0.5, -1, g, "inward"), 1 - tanh2(m * 1.5), 1e-12);
  assertAlmostEquals(quantizedMeta(m, 1.5, -1, g, "inward"), 1 - tanh2(m * 2.5), 1e-12);
  assertAlmostEquals(quantizedMeta(m, -0.2, 1, g, "inward"), 1 - tanh2(m * 0.6), 1e-12);
  assertEquals(quantizedMeta(m, -0.2, -1, g, "inward"), 1);
  // a zero level (odd N): no boundary before zero, nothing to protect
  assertEquals(quantizedMeta(m, 0.3, -1, uniformGrid(3), "inward"), 1);
  assertAlmostEquals(
    quantizedMeta(m, 0.8, -1, uniformGrid(3), "inward"),
    1 - tanh2(m * 0.6),
    1e-12,
  );
  assertEquals(quantizedMeta(m, 0.5, 0, g), 1);
  assertEquals(quantizedMeta(0, 0.5, 1, g), 1);
  assertThrows(() => quantizedMeta(-1, 0, 1, g), RangeError);
});

function randomArrays(seed: number, n: number, scale: number): Float32Array {
  return new Rng(seed).fillNormal(new Float32Array(n), 0, scale);
}

Deno.test("metaplasticQuantized: with two levels it is bit-identical to metaplasticAdam", () => {
  const opts = { lr: 0.01, meta: 1.35, weightDecay: 1e-7 };
  const a = [randomArrays(1, 50, 0.5), randomArrays(2, 5, 1)];
  const b = a.map((x) => x.slice());
  const qa = metaplasticQuantized({ ...opts, grid: [uniformGrid(2), null] });
  const ma = metaplasticAdam({ ...opts, metaplastic: [true, false] });
  const sa = qa.init(a), sb = ma.init(b);
  for (let t = 0; t < 20; t++) {
    const g = [randomArrays(100 + t, 50, 1), randomArrays(200 + t, 5, 1)];
    qa.step(a, g, sa);
    ma.step(b, g, sb);
  }
  assertEquals(a, b);
  assertEquals(sa, sb);
});

Deno.test("quantizedAdamStep: general kernel agrees with metaplasticAdamStep on ±1", () => {
  const w1 = randomArrays(3, 200, 0.7), w2 = w1.slice();
  const m1 = new Float32Array(200), v1 = new Float32Array(200);
  const m2 = new Float32Array(200), v2 = new Float32Array(200);
  for (let t = 1; t <= 10; t++) {
    const g = randomArrays(10 + t, 200, 1);
    quantizedAdamStep(w1, g, {
      m: m1,
      v: v1,
      lr: 0.05,
      t,
      meta: 2,
      grid: uniformGrid(2),
      weightDecay: 1e-4,
    });
    metaplasticAdamStep(w2, g, { m: m2, v: v2, lr: 0.05, t, meta: 2, weightDecay: 1e-4 });
  }
  for (let i = 0; i < 200; i++) assertAlmostEquals(w1[i], w2[i], 1e-6);
});

Deno.test("metaplasticQuantized: first step on 4 levels, by hand", () => {
  const lr = 0.1, meta = 2, eps = 1e-8;
  const opt = metaplasticQuantized({ lr, meta, grid: uniformGrid(4), eps });
  // W_H at the outer level 1 pushed down, in the inner cell pushed towards/away from its level
  const w = [new Float32Array([1, 1, 0.5, 0.5, 0.2])];
  const g = [new Float32Array([2, -2, -3, 3, 0.5])];
  opt.step(w, g, opt.init(w));
  // t = 1: M = 0.1 g, V = 0.001 g², α = lr·√0.001/0.1, so the step is lr·g/(|g| + ε/√0.001)
  const step = (gi: number) => (lr * gi) / (Math.abs(gi) + eps / Math.sqrt(0.001));
  const expect = [
    1 - step(2) * (1 - tanh2(meta)), // towards boundary 2/3 from the outer level
    1 - step(-2), // outwards: free
    0.5 - step(-3) * (1 - tanh2(meta * 0.5)), // away from level 1/3 towards 2/3
    0.5 - step(3), // back towards the level: free
    0.2 - step(0.5) * (1 - tanh2(meta * 0.6)), // away from level 1/3 towards 0
  ];
  for (let i = 0; i < 5; i++) assertAlmostEquals(w[0][i], expect[i], 1e-6, `weight ${i}`);
});

Deno.test("metaplasticQuantized: ungridded parameters get plain Adam (uncorrected ε)", () => {
  const a = [randomArrays(5, 10, 1)], b = [a[0].slice()];
  const q = metaplasticQuantized({ lr: 0.01, meta: 3, grid: [null] });
  const p = adam({ lr: 0.01, epsMode: "uncorrected" });
  const sa = q.init(a), sb = p.init(b);
  for (let t = 0; t < 5; t++) {
    const g = [randomArrays(50 + t, 10, 1)];
    q.step(a, g, sa);
    p.step(b, g, sb);
  }
  assertEquals(a, b);
});

Deno.test("metaplasticQuantized: consolidated weights change level less often", () => {
  // opposing gradient noise around a weight at the outer level: with m* > 0 it stays put
  const run = (meta: number) => {
    const w = [new Float32Array(400).fill(1.2)];
    const opt = metaplasticQuantized({ lr: 0.02, meta, grid: uniformGrid(4) });
    const s = opt.init(w);
    const before = w[0].slice();
    const rng = new Rng(9);
    for (let t = 0; t < 100; t++) opt.step(w, [rng.fillNormal(new Float32Array(400), 0.5, 1)], s);
    return countLevelChanges(before, w[0], uniformGrid(4));
  };
  const free = run(0), consolidated = run(4);
  assert(free > 200, `without metaplasticity many weights should leave the outer level (${free})`);
  assert(consolidated < free / 4, `m* = 4 should protect the level (${consolidated} vs ${free})`);
});

Deno.test("metaplasticQuantized: bad options fail clearly", () => {
  const w = [new Float32Array(2)];
  assertThrows(
    () => metaplasticQuantized({ lr: 0.1, meta: -1, grid: uniformGrid(4) }).init(w),
    RangeError,
    "meta",
  );
  assertThrows(
    () => metaplasticQuantized({ lr: 0.1, meta: 1, grid: [null, null] }).init(w),
    RangeError,
    "grid has 2",
  );
  assertThrows(
    () => metaplasticQuantized({ lr: 0.1, meta: 1, grid: uniformGrid(4), decoupled: true }),
    RangeError,
  );
  assertThrows(
    () => metaplasticQuantized({ lr: 0.1, meta: 1, grid: uniformGrid(4), rule: "far" as "ahead" }),
    RangeError,
    "boundary rule",
  );
  const per = new Uint32Array(3);
  assertEquals(countLevelChanges([0.1, 0.5, -2], [0.2, 0.9, 2], uniformGrid(4), per), 2);
  assertEquals([...per], [0, 1, 1]);
});
