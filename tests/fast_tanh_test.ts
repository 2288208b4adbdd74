import { tanhF32 } from "../lib/fast_tanh.ts";
import { assert, assertEquals } from "./assert.ts";

Deno.test("tanhF32 stays within 2.6e-7 (relative) of Math.tanh over the whole line", () => {
  let worst = 0;
  for (let i = -200000; i <= 200000; i++) {
    if (i === 0) continue;
    const x = i * 1e-4 * (1 + Math.abs(i) * 1e-5); // dense near 0, out to about ±60
    worst = Math.max(worst, Math.abs(tanhF32(x) / Math.tanh(x) - 1)); // relative error
  }
  assert(worst < 2.7e-7, `worst error ${worst}`);
});

Deno.test("tanhF32 is odd, exact at 0, saturates below 1, keeps NaN and tiny inputs", () => {
  assertEquals(tanhF32(0), 0);
  assertEquals(tanhF32(1e-9), 1e-9);
  for (const x of [0.1, 0.7, 2.5, 7, 30]) assertEquals(tanhF32(-x), -tanhF32(x));
  assert(tanhF32(1e6) < 1 && tanhF32(1e6) > 1 - 3e-7);
  assert(Number.isNaN(tanhF32(NaN)));
});
