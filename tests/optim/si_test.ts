import { assertAlmostEquals, assertArrayClose } from "../assert.ts";
import { synapticIntelligence } from "../../lib/optim/si.ts";

Deno.test("SI: ω over a task equals the loss decrease per parameter (gradient descent on a quadratic)", () => {
  // L = Σ ½ h_k (θ_k − c_k)², separable, so each parameter's share of the decrease is defined.
  const h = [1, 4, 0.5], c = [1, -2, 3];
  const theta = [new Float32Array([0, 0, 0])];
  const si = synapticIntelligence({ c: 0.1, xi: 1e-3 });
  const st = si.init(theta);
  const loss = (k: number, x: number) => 0.5 * h[k] * (x - c[k]) ** 2;
  const l0 = [0, 1, 2].map((k) => loss(k, theta[0][k]));
  const lr = 0.002;
  for (let s = 0; s < 2000; s++) {
    const g = new Float32Array(3);
    for (let k = 0; k < 3; k++) g[k] = h[k] * (theta[0][k] - c[k]);
    for (let k = 0; k < 3; k++) theta[0][k] -= lr * g[k];
    si.accumulate(st, [g], theta);
  }
  for (let k = 0; k < 3; k++) {
    const dec = l0[k] - loss(k, theta[0][k]);
    assertAlmostEquals(st.path[0][k], dec, 0.01 * dec, `parameter ${k}`);
  }
  const w = Array.from(st.path[0]);
  si.consolidate(st, theta);
  for (let k = 0; k < 3; k++) {
    assertAlmostEquals(st.omega[0][k], w[k] / (theta[0][k] ** 2 + 1e-3), 1e-3 * st.omega[0][k]);
  }
  assertArrayClose(st.path[0], [0, 0, 0], 0);
  assertArrayClose(st.anchor[0], theta[0], 0);
});

Deno.test("SI penalty c·ΣΩ(θ−θ*)²: gradient 2cΩ(θ−θ*), custom anchor, ReLU variant", () => {
  const si = synapticIntelligence({ c: 0.5, xi: 1 });
  const theta = [new Float32Array([1, 1])];
  const st = si.init([new Float32Array([0, 0])]);
  si.accumulate(st, [new Float32Array([-2, 3])], theta); // ω = [2, −3]
  si.consolidate(st, theta, { anchor: [new Float32Array([1, -1])] });
  assertArrayClose(st.omega[0], [1, -1.5], 1e-7); // ω/(1 + 1)
  const g = [new Float32Array(2)];
  si.addGrad([new Float32Array([2, 0])], g, st);
  assertArrayClose(g[0], [2 * 0.5 * 1 * 1, 2 * 0.5 * -1.5 * 1], 1e-7);
  assertAlmostEquals(si.value([new Float32Array([2, 0])], st), 0.5 * (1 - 1.5), 1e-7);
  const r = synapticIntelligence({ c: 1, xi: 1, relu: true });
  const sr = r.init([new Float32Array([0, 0])]);
  r.accumulate(sr, [new Float32Array([-2, 3])], theta);
  r.consolidate(sr, theta);
  assertArrayClose(sr.omega[0], [1, 0], 1e-7);
});
