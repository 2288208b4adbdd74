import { assertAlmostEquals, assertThrows } from "../assert.ts";
import { decayFits, linearFit } from "../../lib/theory/fit.ts";

Deno.test("linearFit recovers an exact line and its R²", () => {
  const f = linearFit([0, 1, 2, 3], [1, 3, 5, 7]);
  assertAlmostEquals(f.slope, 2, 1e-14);
  assertAlmostEquals(f.intercept, 1, 1e-14);
  assertAlmostEquals(f.r2, 1, 1e-14);
  // hand-computed: y = (0, 2, 1): slope 0.5, intercept 0.5, R² = 0.25/1 = 0.25
  const g = linearFit([0, 1, 2], [0, 2, 1]);
  assertAlmostEquals(g.slope, 0.5, 1e-14);
  assertAlmostEquals(g.r2, 0.25, 1e-14);
  assertThrows(() => linearFit([1, 1], [1, 2]), RangeError, "equal");
});

Deno.test("decayFits tells a power law from an exponential", () => {
  const t = [1, 2, 4, 8, 16, 32, 64];
  const p = decayFits(t, t.map((x) => 5 * x ** -0.5));
  assertAlmostEquals(p.powerExponent, -0.5, 1e-12);
  assertAlmostEquals(p.powerR2, 1, 1e-12);
  const e = decayFits(t, t.map((x) => Math.exp(-0.1 * x)));
  assertAlmostEquals(e.expRate, -0.1, 1e-12);
  assertAlmostEquals(e.expR2, 1, 1e-12);
});
