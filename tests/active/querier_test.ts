import { assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import { ActiveQuerier } from "../../lib/active/querier.ts";
import { Rng } from "../../lib/rng.ts";

Deno.test("querier: fixed threshold counts labels (score ≥ τ) and updates", () => {
  const q = new ActiveQuerier({ threshold: 0.5 });
  const scores = [0, 0.5, 0.4, 0.9, 0.2, 0.6, 0.1];
  const asked = scores.map((s) => q.decide(s));
  assertEquals(asked, [false, true, false, true, false, true, false]);
  q.recordUpdate();
  q.recordUpdate();
  const c = q.counts();
  assertEquals([c.seen, c.labels, c.updates], [7, 3, 2]);
  assertAlmostEquals(c.labelFraction, 3 / 7, 1e-12);
  assertAlmostEquals(c.updateFraction, 2 / 7, 1e-12);
  const s = q.getState();
  const q2 = new ActiveQuerier({ threshold: 0.5 });
  q2.setState(s);
  assertEquals(q2.counts(), c);
});

Deno.test("querier: random querying keeps ≈ p of the samples", () => {
  const q = new ActiveQuerier({ random: true, threshold: 0.1, rng: new Rng(3) });
  for (let i = 0; i < 20000; i++) q.decide();
  assertAlmostEquals(q.counts().labelFraction, 0.1, 0.01);
  const all = new ActiveQuerier({ random: true, threshold: 1, rng: new Rng(3) });
  for (let i = 0; i < 50; i++) all.decide();
  assertEquals(all.counts().labels, 50);
});

Deno.test("querier: dynamic threshold for a budget, quantised to K", () => {
  // B = 0.2, K = 10: ε = Q − B, τ_cont = B + sign(ε)|ε|^γ, τ = clip(round(K τ_cont), 0, K)/K
  const q = new ActiveQuerier({ budget: 0.2, samples: 10 });
  assertEquals(q.currentThreshold(), 0); // Q = 0: ε = −0.2 → τ_cont = 0
  assertEquals(q.decide(0), true); // 0 ≥ 0
  assertEquals(q.currentThreshold(), 1); // Q = 1: ε = 0.8 → τ_cont = 1
  const at = (seen: number, labels: number, gamma = 1) => {
    const g = new ActiveQuerier({ budget: 0.2, gamma, samples: 10 });
    g.setState({ seen, labels, updates: labels });
    return g.currentThreshold();
  };
  assertAlmostEquals(at(5, 1), 0.2, 1e-12); // Q = B: ε = 0
  assertAlmostEquals(at(6, 2), 0.3, 1e-12); // ε = 0.1333 → 0.3333 → 3/10
  assertEquals(at(10, 0), 0); // ε = −0.2 → 0
  assertAlmostEquals(at(6, 2, 2), 0.2, 1e-12); // 0.2 + 0.1333² = 0.2178 → 2/10
  assertAlmostEquals(at(6, 2, 0.5), 0.6, 1e-12); // 0.2 + √0.1333 = 0.5651 → 6/10
  assertEquals(at(3, 3, 0.5), 1); // clipped to K/K
});

Deno.test("querier: option errors", () => {
  assertThrows(() => new ActiveQuerier({ random: true, threshold: 0.5 }));
  assertThrows(() => new ActiveQuerier({ random: true, threshold: 2, rng: new Rng(0) }));
  assertThrows(() => new ActiveQuerier({ budget: 0 }));
  assertThrows(() => new ActiveQuerier({ samples: 0 }));
  assertThrows(() => new ActiveQuerier().decide(NaN));
  assertThrows(() => new ActiveQuerier().setState({ seen: -1, labels: 0, updates: 0 }));
});
