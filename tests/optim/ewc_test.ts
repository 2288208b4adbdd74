import { assertAlmostEquals, assertArrayClose, assertEquals, assertThrows } from "../assert.ts";
import { EmpiricalFisher, ewc, onlineEwc, streamEwc } from "../../lib/optim/ewc.ts";
import { Rng } from "../../lib/rng.ts";

const rand = (rng: Rng, n: number, scale = 1) =>
  Float32Array.from({ length: n }, () => scale * rng.normal());

Deno.test("ewc: penalty gradient matches finite differences (two separate task terms)", () => {
  const rng = new Rng(1);
  const pen = ewc({ lambda: 3 });
  const theta = [rand(rng, 4), rand(rng, 3)];
  const st = pen.init(theta);
  pen.consolidate(st, [rand(rng, 4), rand(rng, 3)], [
    rand(rng, 4).map(Math.abs),
    rand(rng, 3).map(Math.abs),
  ]);
  pen.consolidate(st, [rand(rng, 4), rand(rng, 3)], [
    rand(rng, 4).map(Math.abs),
    rand(rng, 3).map(Math.abs),
  ]);
  assertEquals(st.terms.length, 2);
  const g = theta.map((t) => new Float32Array(t.length));
  pen.addGrad(theta, g, st);
  const h = 1e-2;
  theta.forEach((t, p) => {
    for (let i = 0; i < t.length; i++) {
      const plus = theta.map((x) => new Float64Array(x)),
        minus = theta.map((x) => new Float64Array(x));
      plus[p][i] += h;
      minus[p][i] -= h;
      const f = (v: Float64Array[]) => pen.value(v.map((x) => Float32Array.from(x)), st);
      assertAlmostEquals(g[p][i], (f(plus) - f(minus)) / (2 * h), 2e-3);
    }
  });
});

Deno.test("ewc with F = 0 adds nothing; online EWC with γ = 0 keeps only the last Fisher", () => {
  const theta = [new Float32Array([1, 2])];
  const pen = ewc({ lambda: 100 });
  const st = pen.init(theta);
  pen.consolidate(st, [new Float32Array([0, 0])], [new Float32Array(2)]);
  const g = [new Float32Array([0.5, -0.5])];
  pen.addGrad(theta, g, st);
  assertArrayClose(g[0], [0.5, -0.5], 0);
  const on = onlineEwc({ lambda: 2, gamma: 0 });
  const so = on.init(theta);
  on.consolidate(so, [new Float32Array([0, 0])], [new Float32Array([5, 5])]);
  on.consolidate(so, [new Float32Array([1, 1])], [new Float32Array([1, 3])]);
  assertEquals(so.terms.length, 1);
  assertArrayClose(so.terms[0].fisher[0], [1, 3], 0);
  assertAlmostEquals(on.value(theta, so), 0.5 * 2 * (0 + 3 * 1), 1e-6);
  const on2 = onlineEwc({ lambda: 1, gamma: 0.5 });
  const s2 = on2.init(theta);
  on2.consolidate(s2, theta, [new Float32Array([4, 4])]);
  on2.consolidate(s2, theta, [new Float32Array([1, 0])]);
  assertArrayClose(s2.terms[0].fisher[0], [3, 2], 1e-7);
});

Deno.test("streamEwc: F ← γF + g² and θ* ← pre-update parameters after every step", () => {
  const pen = streamEwc({ lambda: 5, gamma: 0.2 });
  const theta = [new Float32Array([1, -1])];
  const st = pen.init(theta);
  assertEquals(pen.value(theta, st), 0);
  pen.observe(st, theta, [new Float32Array([2, 1])]);
  pen.observe(st, [new Float32Array([0.5, 0])], [new Float32Array([1, 0])]);
  assertArrayClose(st.terms[0].fisher[0], [0.2 * 4 + 1, 0.2], 1e-7);
  assertArrayClose(st.terms[0].anchor[0], [0.5, 0], 0);
});

Deno.test("EmpiricalFisher: per-example gradients and precomputed squared sums agree", () => {
  const a = new EmpiricalFisher([new Float32Array(2)]);
  a.addGradient([new Float32Array([1, 2])]);
  a.addGradient([new Float32Array([3, 0])]);
  const b = new EmpiricalFisher([new Float32Array(2)]);
  b.addSquared([new Float32Array([10, 4])], 2);
  assertArrayClose(a.estimate()[0], [5, 2], 0);
  assertArrayClose(b.estimate()[0], [5, 2], 0);
  assertThrows(() => new EmpiricalFisher([new Float32Array(1)]).estimate(), RangeError, "nothing");
  assertThrows(() => ewc({ lambda: -1 }), RangeError, "lambda");
});
