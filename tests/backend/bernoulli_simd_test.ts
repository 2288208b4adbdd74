import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import { BernoulliInputKernel, bernoulliSimdAvailable } from "../../lib/backend/bernoulli_simd.ts";
import { BERNOULLI_WASM_BASE64 } from "../../lib/backend/bernoulli_wasm.ts";
import { assertWasmInSync } from "./helpers.ts";
import { BernoulliDense } from "../../lib/nn/bernoulli_dense.ts";
import { Rng } from "../../lib/rng.ts";

Deno.test("bernoulli_simd: the embedded binary is the compiled bernoulli.wat", async () => {
  await assertWasmInSync("bernoulli.wat", BERNOULLI_WASM_BASE64);
});

Deno.test("bernoulli_simd: forward and both gradients match the scalar layer on the same noise", () => {
  assert(bernoulliSimdAvailable(), "Deno ships WebAssembly SIMD");
  const [inDim, outDim, K] = [11, 8, 3];
  const layer = new BernoulliDense(inDim, outDim, { rng: new Rng(1) });
  const x = new Rng(2).fillNormal(new Float32Array(inDim));
  const kernel = BernoulliInputKernel.create(inDim, outDim, K)!;
  // tanh at the edges: past the clamp, below the tanh x = x cut
  const edge = new BernoulliDense(inDim, outDim, { rng: new Rng(1) });
  edge.lambda.set([9, -1e-5, -30, 4e-4]);
  kernel.forward(edge.lambda, x, new Rng(0));
  kernel.mean.forEach((v, j) => assertAlmostEquals(v, Math.tanh(edge.lambda[j]), 4e-7));
  // (a saturated weight's 1 − w̃² is ill-conditioned in float32, so the rest compares at |λ| < 1)
  const r1 = new Rng(3), r2 = new Rng(3);
  const z = kernel.forward(layer.lambda, x, r1);
  const ref = layer.relaxedForward(x, K, r2);
  assertEquals(r1.nextU32(), r2.nextU32(), "same number of draws");
  z.forEach((v, j) => assertAlmostEquals(v, ref.z[j], 2e-5, `z ${j}`));
  const dz = new Rng(4).fillNormal(new Float32Array(K * outDim));
  for (const byMean of [false, true]) {
    const g = new Float32Array(inDim * outDim);
    kernel.gradient(dz, g, { byMean });
    for (let i = 0; i < inDim; i++) {
      for (let o = 0; o < outDim; o++) {
        let s = 0;
        for (let k = 0; k < K; k++) {
          s += dz[k * outDim + o] * (ref.slope[(i * K + k) * outDim + o] + (byMean ? 1e-7 : 0));
        }
        const m = ref.mean[i * outDim + o];
        const want = x[i] * s / (byMean ? 1 - m * m + 1e-7 : 1);
        assertAlmostEquals(g[i * outDim + o], want, 1e-4 * (1 + Math.abs(want)), `${i},${o}`);
      }
    }
  }
});

Deno.test("bernoulli_simd: null where it cannot run; shape errors say what was expected", () => {
  assertEquals(BernoulliInputKernel.create(5, 6, 2), null); // out not a multiple of 4
  const kernel = BernoulliInputKernel.create(5, 4, 2)!;
  assertThrows(
    () => kernel.forward(new Float32Array(20), new Float32Array(4), new Rng(0)),
    RangeError,
    "expected 20 and 5",
  );
  assertThrows(
    () => kernel.gradient(new Float32Array(7), new Float32Array(20)),
    RangeError,
    "expected 8 and 20",
  );
});
