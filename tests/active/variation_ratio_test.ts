import { assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import { variationRatio, variationRatioWithLabel } from "../../lib/active/variation_ratio.ts";

Deno.test("variation ratio: hand examples (sample-major layout)", () => {
  // K = 4 samples, n = 2 inputs, C = 3 classes.
  // input 0: votes 0, 0, 1, 0 → mean argmax 0 → VR = 1/4
  // input 1: votes 2, 1, 1, 2 with the mean favouring class 2 → VR = 2/4
  const p = new Float32Array([
    0.7,
    0.2,
    0.1,
    0.1,
    0.3,
    0.6, // sample 0: input 0, input 1
    0.6,
    0.3,
    0.1,
    0.1,
    0.5,
    0.4, // sample 1
    0.3,
    0.6,
    0.1,
    0.2,
    0.45,
    0.35, // sample 2
    0.8,
    0.1,
    0.1,
    0.1,
    0.1,
    0.8, // sample 3
  ]);
  const vr = variationRatio(p, { samples: 4, n: 2, classes: 3 });
  assertAlmostEquals(vr[0], 0.25, 1e-7);
  assertAlmostEquals(vr[1], 0.5, 1e-7);
  // unanimous samples → 0; one sample → 0
  assertEquals(
    variationRatio(new Float32Array([0.9, 0.1, 0.8, 0.2]), { samples: 2, n: 1, classes: 2 })[0],
    0,
  );
  assertEquals(
    variationRatio(new Float32Array([0.2, 0.8]), { samples: 1, n: 1, classes: 2 })[0],
    0,
  );
  // VR-true against the labels [1, 2]: input 0 has 1 vote for class 1 → 3/4; input 1 has 2 → 1/2
  const vt = variationRatioWithLabel(p, [1, 2], { samples: 4, n: 2, classes: 3 });
  assertAlmostEquals(vt[0], 0.75, 1e-7);
  assertAlmostEquals(vt[1], 0.5, 1e-7);
});

Deno.test("variation ratio: shape and NaN errors", () => {
  assertThrows(() => variationRatio(new Float32Array(5), { samples: 2, n: 1, classes: 2 }));
  assertThrows(() => variationRatio(new Float32Array([NaN, 1]), { samples: 1, n: 1, classes: 2 }));
  assertThrows(() =>
    variationRatioWithLabel(new Float32Array(4), [0, 1], { samples: 2, n: 1, classes: 2 })
  );
});
