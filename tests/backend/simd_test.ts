import { assertEquals } from "../assert.ts";
import { assertClose, assertWasmInSync, randArray } from "./helpers.ts";
import { SIMD_CHUNK } from "../../lib/backend/simd.ts";
import { SIMD_WASM_BASE64 } from "../../lib/backend/simd_wasm.ts";
import { adamStep, metaplasticAdamStep, setFusedSimd } from "../../lib/backend/fused.ts";

Deno.test("simd: several chunks and a ragged tail agree with the scalar loops", () => {
  const n = 2 * SIMD_CHUNK + 7;
  for (const meta of [0, 1.35]) {
    const runs = [true, false].map((simd) => {
      setFusedSimd(simd);
      const w = randArray(n, 1, 0.5), m = new Float32Array(n), v = new Float32Array(n);
      const sign = new Float32Array(n);
      for (let t = 1; t <= 3; t++) {
        const g = randArray(n, 10 + t);
        if (meta === 0) adamStep(w, g, { m, v, lr: 0.01, t, weightDecay: 1e-3 });
        else metaplasticAdamStep(w, g, { m, v, lr: 0.01, t, meta, signOut: sign });
      }
      return { w, m, v, sign };
    });
    setFusedSimd(true);
    assertClose(runs[0].w, runs[1].w, 1e-6, `w meta=${meta}`);
    assertClose(runs[0].m, runs[1].m, 1e-6, "m");
    assertClose(runs[0].v, runs[1].v, 1e-6, "v");
    if (meta > 0) assertEquals(runs[0].sign, runs[1].sign);
  }
});

Deno.test("simd: the embedded binary is the compiled simd.wat", async () => {
  await assertWasmInSync("simd.wat", SIMD_WASM_BASE64);
});
