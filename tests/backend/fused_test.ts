import * as tf from "@tensorflow/tfjs";
import { assertEquals, assertThrows } from "../assert.ts";
import { assertClose, lcg, randArray } from "./helpers.ts";
import {
  adamStep,
  bgdStep,
  fusedSimdActive,
  mesuStep,
  metaplasticAdamStep,
  setFusedSimd,
  sgdStep,
} from "../../lib/backend/fused.ts";

await tf.setBackend("cpu");
(tf.backend() as unknown as { firstUse: boolean }).firstUse = false;

const N = 1001; // odd size, exercises no alignment assumptions
const f32 = (t: tf.Tensor) => t.dataSync() as Float32Array;

/** Plain-tfjs Adam reference (PyTorch semantics), one step; returns [w, m, v]. */
function adamRef(
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  o: {
    lr: number;
    t: number;
    b1: number;
    b2: number;
    eps: number;
    wd: number;
    decoupled: boolean;
    corrected: boolean;
  },
): Float32Array[] {
  return tf.tidy(() => {
    let W = tf.tensor1d(w), G = tf.tensor1d(g);
    if (!o.decoupled) G = G.add(W.mul(o.wd));
    const M = tf.tensor1d(m).mul(o.b1).add(G.mul(1 - o.b1));
    const V = tf.tensor1d(v).mul(o.b2).add(G.square().mul(1 - o.b2));
    const bc1 = 1 - Math.pow(o.b1, o.t), bc2 = 1 - Math.pow(o.b2, o.t);
    if (o.decoupled) W = W.mul(1 - o.lr * o.wd);
    const step = o.corrected
      ? M.div(bc1).div(V.div(bc2).sqrt().add(o.eps)).mul(o.lr)
      : M.div(V.sqrt().add(o.eps)).mul((o.lr * Math.sqrt(bc2)) / bc1);
    return [f32(W.sub(step)).slice(), f32(M).slice(), f32(V).slice()];
  });
}

for (const simd of [true, false]) {
  const mode = simd ? "simd" : "scalar";
  Deno.test(`adamStep (${mode}) matches a plain-tfjs Adam over steps (eps modes, weight decay)`, () => {
    setFusedSimd(simd);
    for (const corrected of [true, false]) {
      for (const [wd, decoupled] of [[0, false], [0.01, false], [0.05, true]] as const) {
        const w = randArray(N, 1), m = new Float32Array(N), v = new Float32Array(N);
        let rw: Float32Array = w.slice(),
          rm: Float32Array = m.slice(),
          rv: Float32Array = v.slice();
        for (let t = 1; t <= 4; t++) {
          const g = randArray(N, 10 + t);
          adamStep(w, g, {
            m,
            v,
            lr: 0.01,
            t,
            beta1: 0.8,
            beta2: 0.99,
            eps: 1e-6,
            weightDecay: wd,
            decoupled,
            epsMode: corrected ? "corrected" : "uncorrected",
          });
          [rw, rm, rv] = adamRef(rw, g, rm, rv, {
            lr: 0.01,
            t,
            b1: 0.8,
            b2: 0.99,
            eps: 1e-6,
            wd,
            decoupled,
            corrected,
          });
          assertClose(w, rw, 1e-5, `w t=${t} corrected=${corrected} wd=${wd}`);
          assertClose(m, rm, 1e-6, "m");
          assertClose(v, rv, 1e-6, "v");
        }
      }
    }
    setFusedSimd(true);
  });

  Deno.test(`metaplasticAdamStep (${mode}) matches the reference rule written with tfjs ops`, () => {
    setFusedSimd(simd);
    for (const meta of [0, 0.5, 1.35, 13]) {
      const w = randArray(N, 2, 2), m = new Float32Array(N), v = new Float32Array(N);
      w[0] = 0; // sign 0: never "towards zero"
      const signOut = new Float32Array(N);
      let rw: Float32Array = w.slice(), rm: Float32Array = m.slice(), rv: Float32Array = v.slice();
      for (let t = 1; t <= 3; t++) {
        const g = randArray(N, 20 + t);
        metaplasticAdamStep(w, g, { m, v, lr: 0.05, t, meta, weightDecay: 1e-3, signOut });
        [rw, rm, rv] = tf.tidy(() => {
          const W = tf.tensor1d(rw), G = tf.tensor1d(g).add(W.mul(1e-3));
          const M = tf.tensor1d(rm).mul(0.9).add(G.mul(0.1));
          const V = tf.tensor1d(rv).mul(0.999).add(G.square().mul(0.001));
          const a = (0.05 * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
          const U = M.div(V.sqrt().add(1e-8));
          const towardZero = tf.sign(W).mul(M).greater(0);
          const fMeta = tf.scalar(1).sub(tf.tanh(W.mul(meta)).square());
          const step = tf.where(towardZero, U.mul(fMeta), U).mul(a);
          return [f32(W.sub(step)).slice(), f32(M).slice(), f32(V).slice()];
        });
        assertClose(w, rw, 2e-6, `meta=${meta} t=${t}`);
        assertClose(m, rm, 1e-6, "m");
        assertClose(v, rv, 1e-6, "v");
        assertClose(signOut, f32(tf.sign(tf.tensor1d(w))), 0, "signOut");
      }
    }
    // large |w| and meta: f_meta underflows to 0 without NaN
    // (first step: U = sign(g)); steps towards zero are damped, steps away are not
    const w = new Float32Array([200, -300, 1e-3, 200]), g = new Float32Array([1, -1, 1, -1]);
    metaplasticAdamStep(w, g, {
      m: new Float32Array(4),
      v: new Float32Array(4),
      lr: 0.1,
      t: 1,
      meta: 5,
    });
    assertClose(w, [200, -300, 1e-3 - 0.1 * (1 - Math.tanh(5e-3) ** 2), 200.1], 1e-6, "saturation");
    // the same through the SIMD path (64 values or more)
    const big = new Float32Array(96).fill(200), gb = new Float32Array(96).fill(1);
    metaplasticAdamStep(big, gb, {
      m: new Float32Array(96),
      v: new Float32Array(96),
      lr: 0.1,
      t: 1,
      meta: 5,
    });
    assertClose(big, new Float32Array(96).fill(200), 1e-7, "saturation (long)");
    setFusedSimd(true);
  });
}

Deno.test("fused: the SIMD path is available in Deno", () => {
  assertEquals(fusedSimdActive(), true);
});

Deno.test("sgdStep matches PyTorch SGD semantics written with tfjs ops", () => {
  for (
    const [mu, damp, nesterov, wd] of [
      [0, 0, false, 0],
      [0.9, 0, false, 0.01],
      [0.9, 0.1, true, 0],
      [0.5, 0, true, 0.1],
    ] as const
  ) {
    const w = randArray(N, 3), buf = new Float32Array(N);
    let rw: Float32Array = w.slice(), rb: Float32Array = buf.slice();
    for (let t = 1; t <= 3; t++) {
      const g = randArray(N, 30 + t);
      sgdStep(w, g, { lr: 0.1, momentum: mu, buf, t, dampening: damp, nesterov, weightDecay: wd });
      [rw, rb] = tf.tidy(() => {
        const W = tf.tensor1d(rw), G = tf.tensor1d(g).add(W.mul(wd));
        if (mu === 0) return [f32(W.sub(G.mul(0.1))).slice(), rb];
        const B = t === 1 ? G : tf.tensor1d(rb).mul(mu).add(G.mul(1 - damp));
        const d = nesterov ? G.add(B.mul(mu)) : B;
        return [f32(W.sub(d.mul(0.1))).slice(), f32(B).slice()];
      });
      assertClose(w, rw, 1e-6, `sgd mu=${mu} t=${t}`);
    }
  }
  assertThrows(
    () => sgdStep(new Float32Array(2), new Float32Array(2), { lr: 1, momentum: 0.9 }),
    RangeError,
    "buf",
  );
});

Deno.test("mesuStep matches the 2025 MESU rule written with tfjs ops (clips, ½, bounds)", () => {
  const variants = [
    { sigmaPrior: 1, N: 3e5 },
    { sigmaPrior: 0.06, muPrior: 0.1, N: 1e3, clampGrad: 0.1 },
    { sigmaPrior: 0.2, N: 50, ratioMax: 0.05, halfSigmaStep: false, lrMu: 0.5, lrSigma: 2 },
    { sigmaPrior: 0.5, N: 10, sigmaMin: 0.05, sigmaMax: 0.3 },
  ];
  for (const o of variants) {
    const u = lcg(4);
    const mu = randArray(N, 5, 0.5), sigma = new Float32Array(N).map(() => 0.02 + 0.3 * u());
    const gm = randArray(N, 6, 30), gs = randArray(N, 7, 30);
    const [rmu, rsig] = tf.tidy(() => {
      const M = tf.tensor1d(mu), S = tf.tensor1d(sigma);
      let GM = tf.tensor1d(gm), GS = tf.tensor1d(gs);
      if (o.clampGrad) {
        const c = tf.scalar(o.clampGrad).div(S);
        GM = tf.minimum(tf.maximum(GM, c.neg()), c);
        GS = tf.minimum(tf.maximum(GS, c.neg()), c);
      }
      const s2 = S.square(), sp2 = o.sigmaPrior ** 2;
      let dm = s2.mul(GM).neg().add(s2.mul(tf.scalar(o.muPrior ?? 0).sub(M)).div(o.N * sp2)).mul(
        o.lrMu ?? 1,
      );
      let ds = s2.mul(GS).neg().add(S.mul(tf.scalar(sp2).sub(s2)).div(o.N * sp2))
        .mul((o.lrSigma ?? 1) * (o.halfSigmaStep === false ? 1 : 0.5));
      if (o.ratioMax) {
        const r = S.mul(o.ratioMax);
        dm = tf.minimum(tf.maximum(dm, r.neg()), r);
        ds = tf.minimum(tf.maximum(ds, r.neg()), r);
      }
      let ns = S.add(ds);
      if (o.sigmaMin !== undefined) ns = tf.maximum(ns, o.sigmaMin);
      if (o.sigmaMax !== undefined) ns = tf.minimum(ns, o.sigmaMax);
      return [f32(M.add(dm)).slice(), f32(ns).slice()];
    });
    mesuStep(mu, sigma, { gradMu: gm, gradSigma: gs }, o);
    assertClose(mu, rmu, 1e-5, `mu ${JSON.stringify(o)}`);
    assertClose(sigma, rsig, 1e-5, `sigma ${JSON.stringify(o)}`);
  }
  assertThrows(
    () =>
      mesuStep(new Float32Array(1), new Float32Array(1), {
        gradMu: new Float32Array(1),
        gradSigma: new Float32Array(1),
      }, { sigmaPrior: 0, N: 1 }),
    RangeError,
  );
});

Deno.test("bgdStep matches the BGD / FOO-VB rule written with tfjs ops", () => {
  for (const o of [{}, { lrMu: 2, lrSigma: 0.5 }, { clampGrad: 0.1 }]) {
    const mu = randArray(N, 8), sigma = new Float32Array(N).fill(0.06);
    const gm = randArray(N, 9, 50), gs = randArray(N, 10, 50);
    const [rmu, rsig] = tf.tidy(() => {
      const S = tf.tensor1d(sigma);
      let GM = tf.tensor1d(gm), GS = tf.tensor1d(gs);
      const c = (o as { clampGrad?: number }).clampGrad;
      if (c) {
        const cc = tf.scalar(c).div(S);
        GM = tf.minimum(tf.maximum(GM, cc.neg()), cc);
        GS = tf.minimum(tf.maximum(GS, cc.neg()), cc);
      }
      const lrMu = (o as { lrMu?: number }).lrMu ?? 1,
        lrS = (o as { lrSigma?: number }).lrSigma ?? 1;
      const s2 = S.square();
      const nm = tf.tensor1d(mu).sub(s2.mul(GM).mul(lrMu));
      const root = tf.sqrt(tf.scalar(1).add(s2.mul(GS.square()).mul(0.25))).sub(1);
      const ns = S.add(s2.mul(GS).mul(-0.5).add(S.mul(root)).mul(lrS));
      return [f32(nm).slice(), f32(ns).slice()];
    });
    bgdStep(mu, sigma, { gradMu: gm, gradSigma: gs }, o);
    assertClose(mu, rmu, 1e-5, "bgd mu");
    assertClose(sigma, rsig, 1e-5, "bgd sigma");
  }
});

Deno.test("fused steps reject mismatched buffers and bad step counts; empty buffers are fine", () => {
  const a = new Float32Array(3), b = new Float32Array(2);
  assertThrows(
    () => adamStep(a, b, { m: a.slice(), v: a.slice(), lr: 1, t: 1 }),
    RangeError,
    "grads",
  );
  assertThrows(
    () => adamStep(a, a.slice(), { m: a.slice(), v: a.slice(), lr: 1, t: 0 }),
    RangeError,
    "t must",
  );
  assertThrows(
    () => metaplasticAdamStep(a, a.slice(), { m: a.slice(), v: a.slice(), lr: 1, t: 1, meta: -1 }),
    RangeError,
  );
  const e = new Float32Array(0);
  adamStep(e, e, { m: e, v: e, lr: 1, t: 1 });
  const one = new Float32Array([1]);
  adamStep(one, new Float32Array([2]), {
    m: new Float32Array(1),
    v: new Float32Array(1),
    lr: 0.5,
    t: 1,
    eps: 0,
  });
  assertEquals(one[0], 0.5); // first Adam step moves by lr·sign(g)
});
