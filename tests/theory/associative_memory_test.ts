import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import {
  AssociativeMemory,
  bitErrorRate,
  cueFromPattern,
  learningRule,
  randomPatterns,
  ruleMoments,
  weightMoments,
} from "../../lib/theory/associative_memory.ts";
import { Rng } from "../../lib/rng.ts";

Deno.test("rule moments by hand: Hebbian and covariance", () => {
  const f = 0.1;
  const h = ruleMoments(learningRule("hebbian", { f }), { f });
  assertAlmostEquals(h.mean, f * f, 1e-15);
  assertAlmostEquals(h.variance, f * f * (1 - f * f), 1e-15);
  // E_pre Ω(x_i, ·) = x_i·f → Var over x_i = f²·f(1 − f)
  assertAlmostEquals(h.covPost, f ** 3 * (1 - f), 1e-15);
  assertAlmostEquals(h.covPre, f ** 3 * (1 - f), 1e-15);
  const c = ruleMoments(learningRule("covariance", { f }), { f });
  assertEquals([c.covPost, c.covPre], [0, 0]);
  assertAlmostEquals(c.mean, 0, 1e-15);
  assertAlmostEquals(c.variance, (f * (1 - f)) ** 2, 1e-15);
  const homo = ruleMoments(learningRule("homosynaptic", { f }), { f });
  assertEquals(homo.covPre, 0);
  assert(homo.covPost > 0);
  const het = ruleMoments(learningRule("heterosynaptic", { f }), { f });
  assertEquals(het.covPost, 0);
});

Deno.test("closed-form weight covariances match a simulated memory", () => {
  const f = 0.2, n = 120, T = 60;
  const rule = learningRule("hebbian", { f });
  const mom = ruleMoments(rule, { f });
  const vals: number[][] = [];
  for (let k = 0; k < 8; k++) {
    const rng = new Rng(100 + k);
    const mem = new AssociativeMemory(rule, { neurons: n, f });
    mem.store(randomPatterns(T, n, { f, rng }));
    const wm = weightMoments(mem.weights, { neurons: n, mean: T * mom.mean });
    vals.push([wm.variance, wm.covPost, wm.covPre]);
  }
  const expected = [T * mom.variance, T * mom.covPost, T * mom.covPre];
  for (let j = 0; j < 3; j++) {
    const xs = vals.map((v) => v[j]);
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    const se = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1) / xs.length);
    assert(
      Math.abs(m - expected[j]) < 6 * se + 1e-12,
      `moment ${j}: ${m} vs ${expected[j]} (se ${se})`,
    );
  }
});

Deno.test("store: W_ij = Σ_t Ω(x_i, x_j) by hand, no self-connections", () => {
  const mem = new AssociativeMemory(learningRule("hebbian", { f: 0.5 }), { neurons: 3, f: 0.5 });
  mem.store(new Uint8Array([1, 1, 0, 1, 0, 1]));
  assertEquals(Array.from(mem.weights), [0, 1, 1, 1, 0, 0, 1, 0, 0]);
  assertThrows(() => mem.store(new Uint8Array(4)), RangeError, "split");
});

Deno.test("decoders stop at a local maximum of their log posterior; identical for the covariance rule", () => {
  const f = 0.1, n = 80, T = 20, r = 0.1;
  for (const name of ["hebbian", "covariance"] as const) {
    const rng = new Rng(3);
    const mem = new AssociativeMemory(learningRule(name, { f }), { neurons: n, f });
    const pats = randomPatterns(T, n, { f, rng });
    mem.store(pats);
    const cue = cueFromPattern(pats.subarray(0, n), { flip: r, rng });
    for (const correlated of [false, true]) {
      const x = correlated
        ? mem.correlationAwareRecall(cue, { cueFlip: r, maxSweeps: 100 })
        : mem.simpleRecall(cue, { cueFlip: r, maxSweeps: 100 });
      const lp = mem.logPosterior(x, cue, { cueFlip: r, correlated });
      for (let i = 0; i < n; i++) {
        const y = Uint8Array.from(x);
        y[i] = 1 - y[i];
        assert(
          mem.logPosterior(y, cue, { cueFlip: r, correlated }) <= lp + 1e-9,
          `${name} flip ${i} improves`,
        );
      }
    }
    if (name === "covariance") {
      const a = mem.simpleRecall(cue, { cueFlip: r, rng: new Rng(1) });
      const b = mem.correlationAwareRecall(cue, { cueFlip: r, rng: new Rng(1) });
      assertEquals(a, b);
    }
  }
});

Deno.test("Hebbian rule: the correlation-aware decoder recalls better than the simple one", () => {
  const f = 0.1, n = 150, T = 60, r = 0.1;
  let simple = 0, aware = 0;
  for (let k = 0; k < 4; k++) {
    const rng = new Rng(50 + k);
    const mem = new AssociativeMemory(learningRule("hebbian", { f }), { neurons: n, f });
    const pats = randomPatterns(T, n, { f, rng });
    mem.store(pats);
    const target = pats.subarray(0, n);
    const cue = cueFromPattern(target, { flip: r, rng });
    simple += bitErrorRate(mem.simpleRecall(cue, { cueFlip: r, rng: new Rng(k) }), target);
    aware += bitErrorRate(mem.correlationAwareRecall(cue, { cueFlip: r, rng: new Rng(k) }), target);
  }
  assert(simple > 2 * aware, `simple ${simple / 4} vs aware ${aware / 4}`);
});
