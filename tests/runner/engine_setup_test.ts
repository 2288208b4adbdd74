import { describeEngine, ensureEngine } from "../../lib/runner/engine_setup.ts";
import { assert } from "../assert.ts";

Deno.test("ensureEngine starts one engine and describes it", async () => {
  await ensureEngine({ quiet: true });
  await ensureEngine({ quiet: true }); // idempotent
  const d = describeEngine();
  assert(/^(blas|wasm|cpu|webgpu)/.test(d), d);
});
