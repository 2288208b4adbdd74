import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals } from "../assert.ts";
import { assertClose, randArray } from "./helpers.ts";
import { startWasm, wasmDistDir } from "../../lib/backend/wasm.ts";

/** Naive row-major product of op(A) [m×k] and op(B) [k×n], float64 accumulation. */
function naive(
  a: Float32Array,
  b: Float32Array,
  o: { m: number; n: number; k: number; ta: boolean; tb: boolean },
): Float32Array {
  const c = new Float32Array(o.m * o.n);
  for (let i = 0; i < o.m; i++) {
    for (let j = 0; j < o.n; j++) {
      let s = 0;
      for (let p = 0; p < o.k; p++) {
        s += (o.ta ? a[p * o.m + i] : a[i * o.k + p]) * (o.tb ? b[j * o.k + p] : b[p * o.n + j]);
      }
      c[i * o.n + j] = s;
    }
  }
  return c;
}

Deno.test("wasmDistDir: finds the three backend binaries", () => {
  const dir = wasmDistDir();
  if (dir === null) {
    console.log("tfjs-backend-wasm is not in the npm cache: nothing to check");
    return;
  }
  for (const f of ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm"]) {
    assert(Deno.statSync(`${dir}/${f}`).isFile, `${f} missing in ${dir}`);
  }
  assert(dir.endsWith("/dist"), dir);
});

Deno.test("startWasm: wasm backend with transpose-free products matching a naive product", async () => {
  if (wasmDistDir() === null) return;
  try {
    assertEquals(await startWasm(), null);
    assertEquals(await startWasm(), null, "a second start is harmless");
    assertEquals(tf.getBackend(), "wasm");
    // every transpose combination, with shapes where either rewrite (direct or Cᵀ) wins
    for (const [m, n, k] of [[3, 5, 4], [2, 40, 7], [37, 3, 9], [1, 1, 1]]) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          const a = randArray(m * k, m + 10 * k + (ta ? 1 : 0)), b = randArray(k * n, n + k);
          const ref = naive(a, b, { m, n, k, ta, tb });
          const got = tf.tidy(() =>
            tf.matMul(
              tf.tensor2d(a, ta ? [k, m] : [m, k]),
              tf.tensor2d(b, tb ? [n, k] : [k, n]),
              ta,
              tb,
            ).dataSync()
          );
          assertClose(got, ref, 1e-5, `${m}×${n}×${k} ta=${ta} tb=${tb}`);
        }
      }
    }
    // batched product and the fused product with a bias and an activation
    const a = randArray(2 * 3 * 4, 1), b = randArray(2 * 5 * 4, 2), bias = randArray(5, 3);
    const batched = tf.tidy(() =>
      tf.matMul(tf.tensor3d(a, [2, 3, 4]), tf.tensor3d(b, [2, 5, 4]), false, true).dataSync()
    );
    for (let s = 0; s < 2; s++) {
      const ref = naive(a.subarray(12 * s, 12 * s + 12), b.subarray(20 * s, 20 * s + 20), {
        m: 3,
        n: 5,
        k: 4,
        ta: false,
        tb: true,
      });
      assertClose(batched.subarray(15 * s, 15 * s + 15), ref, 1e-5, `batch ${s}`);
    }
    const fused = tf.tidy(() =>
      tf.fused.matMul({
        a: tf.tensor2d(a.subarray(0, 12), [4, 3]),
        b: tf.tensor2d(b.subarray(0, 20), [5, 4]),
        transposeA: true,
        transposeB: true,
        bias: tf.tensor1d(bias),
        activation: "relu",
      }).dataSync()
    );
    const ref = naive(a.subarray(0, 12), b.subarray(0, 20), {
      m: 3,
      n: 5,
      k: 4,
      ta: true,
      tb: true,
    })
      .map((v, i) => Math.max(0, v + bias[i % 5]));
    assertClose(fused, ref, 1e-5, "fused");
    // the rewrites free their transposed temporaries inside the backend
    const ids = () => tf.engine().backend.numDataIds();
    const before = ids();
    for (const [ta, tb, sa, sb] of [[true, true, [6, 2], [3, 6]], [false, true, [2, 6], [40, 6]]]) {
      tf.tidy(() => {
        tf.matMul(tf.ones(sa as number[]), tf.ones(sb as number[]), ta as boolean, tb as boolean);
      });
    }
    assertEquals(ids(), before);
  } finally {
    await tf.setBackend("cpu");
  }
});
