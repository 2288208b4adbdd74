import { fmtTime, Progress } from "../../lib/runner/progress.ts";
import { assert, assertEquals } from "../assert.ts";

Deno.test("Progress line shows count, rate, ETA and status", () => {
  const p = new Progress("epochs", 10, { quiet: true });
  p.tick(4, "loss 0.5");
  const line = p.line(performance.now() + 2000);
  assert(line.startsWith("epochs  4/10  "), line);
  assert(line.includes("/s") && line.includes("ETA") && line.endsWith("loss 0.5"), line);
  assertEquals(p.count, 4);
});

Deno.test("fmtTime", () => {
  assertEquals(fmtTime(12.34), "12.3s");
  assertEquals(fmtTime(185), "3m05s");
  assertEquals(fmtTime(3720), "1h02m");
  assertEquals(fmtTime(Infinity), "?");
});
