import { parseArgs, selectExperiments } from "../../lib/runner/cli.ts";
import { assertEquals, assertThrows } from "../assert.ts";

Deno.test("parseArgs and selectExperiments", () => {
  const a = parseArgs(["demo", "--scale", "smoke", "--seed=3", "--set", "epochs=2", "--no-png"]);
  assertEquals(a.targets, ["demo"]);
  assertEquals([a.scale, a.seed, a.png], ["smoke", 3, false]);
  assertEquals(a.overrides, { epochs: "2" });
  assertThrows(() => parseArgs(["--scale", "huge"]), RangeError, "--scale must be one of");
  assertThrows(() => parseArgs(["--bogus"]), RangeError, "unknown option");
  assertThrows(() => selectExperiments(["nopaper"]), RangeError, "unknown paper");
  assertThrows(() => selectExperiments(["demo:nope"]), RangeError, "has no experiment");
  assertEquals(selectExperiments(["demo:softmax_regression"]).length, 1);
});
