import { assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import { AccuracyMatrix } from "../../lib/metrics/continual.ts";
import { memoryRigidityResilience } from "../../lib/metrics/resilience.ts";

Deno.test("resilience: hand example from a matrix and from the diagonal", () => {
  const a = new AccuracyMatrix(3);
  a.set(0, 0, 0.95);
  a.set(1, 1, 0.93);
  a.set(2, 2, 0.90);
  a.set(2, 0, 0.2);
  assertAlmostEquals(memoryRigidityResilience(a), 20, 1e-9);
  assertAlmostEquals(memoryRigidityResilience([0.9468, 0.95, 0.9436]), 1 / 0.0032, 1e-6);
  assertEquals(memoryRigidityResilience([0.5, 0.7, 0.5]), Infinity);
});

Deno.test("resilience rejects percentages and missing cells", () => {
  assertThrows(() => memoryRigidityResilience([95, 90]));
  assertThrows(() => memoryRigidityResilience(new AccuracyMatrix(2)));
  assertThrows(() => memoryRigidityResilience([0.9]));
});
