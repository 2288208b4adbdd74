import { assert, assertAlmostEquals, assertThrows } from "../assert.ts";
import {
  entropyBits,
  predictiveUncertainty,
  softmaxRows,
  uncertaintyFromLogits,
} from "../../lib/metrics/uncertainty.ts";
import { Rng } from "../../lib/rng.ts";

Deno.test("uncertainty: known cases in bits", () => {
  // Input 0: two confident samples that disagree → total 1 bit, aleatoric 0, epistemic 1.
  // Input 1: two uniform samples over 4 classes... (2 classes here) → 1 bit aleatoric, 0 epistemic.
  const probs = new Float32Array([
    1,
    0,
    0.5,
    0.5, // sample 0: input 0, input 1
    0,
    1,
    0.5,
    0.5, // sample 1
  ]);
  const u = predictiveUncertainty(probs, { samples: 2, n: 2, classes: 2 });
  assertAlmostEquals(u.total[0], 1, 1e-6);
  assertAlmostEquals(u.aleatoric[0], 0, 1e-6);
  assertAlmostEquals(u.epistemic[0], 1, 1e-6);
  assertAlmostEquals(u.total[1], 1, 1e-6);
  assertAlmostEquals(u.aleatoric[1], 1, 1e-6);
  assertAlmostEquals(u.epistemic[1], 0, 1e-6);
});

Deno.test("uncertainty: total = aleatoric + epistemic, epistemic >= 0, ≤ log2(C)", () => {
  const rng = new Rng(1);
  const K = 5, n = 20, C = 10;
  const logits = rng.fillNormal(new Float32Array(K * n * C), 0, 2);
  const u = uncertaintyFromLogits(logits, { samples: K, n, classes: C });
  for (let i = 0; i < n; i++) {
    assertAlmostEquals(u.total[i], u.aleatoric[i] + u.epistemic[i], 1e-6);
    assert(u.epistemic[i] > -1e-6, `epistemic ${u.epistemic[i]}`);
    assert(u.total[i] <= Math.log2(C) + 1e-6);
  }
  // one sample: no epistemic uncertainty, total = entropy
  const one = predictiveUncertainty(softmaxRows(logits.slice(0, n * C), C), {
    samples: 1,
    n,
    classes: C,
  });
  const h = entropyBits(softmaxRows(logits.slice(0, n * C), C), C);
  for (let i = 0; i < n; i++) {
    assertAlmostEquals(one.epistemic[i], 0, 1e-6);
    assertAlmostEquals(one.total[i], h[i], 1e-6);
  }
});

Deno.test("uncertainty: uniform over 8 classes is 3 bits", () => {
  const h = entropyBits(new Float32Array(8).fill(1 / 8), 8);
  assertAlmostEquals(h[0], 3, 1e-6);
});

Deno.test("uncertainty: shape errors", () => {
  assertThrows(() => predictiveUncertainty(new Float32Array(5), { samples: 2, n: 1, classes: 2 }));
  assertThrows(() => predictiveUncertainty(new Float32Array(4), { samples: 0, n: 1, classes: 4 }));
});
