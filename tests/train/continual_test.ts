import { assert, assertEquals } from "../assert.ts";
import { binaryMlp } from "../../lib/nn/mlp.ts";
import { disposeModel, getModelState } from "../../lib/nn/model.ts";
import { metaplasticAdam } from "../../lib/optim/metaplastic_adam.ts";
import { paramBuffers, runPhases } from "../../lib/train/mod.ts";
import type { Dataset } from "../../lib/data/datasets.ts";
import { Rng } from "../../lib/rng.ts";

function blobs(seed: number, n = 120): Dataset {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 6), y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    for (let j = 0; j < 6; j++) {
      x[i * 6 + j] = rng.normal() * 0.5 + ((j + seed) % 2 === y[i] ? 1 : -1);
    }
  }
  return { name: `blobs${seed}`, x, y, n, dim: 6, classes: 2 };
}

function setup() {
  const net = binaryMlp({ sizes: [6, 12, 2], rng: new Rng(3) });
  const optimizer = metaplasticAdam({
    lr: 0.01,
    meta: 1,
    metaplastic: net.params.map((p) => p.kind === "weight"),
  });
  return { model: net, optimizer, state: optimizer.init(paramBuffers(net)) };
}

const phases = [0, 1, 2].map((i) => ({ name: `t${i}`, train: blobs(i) }));
const evals = [0, 1, 2].map((i) => ({ name: `t${i}`, data: blobs(i + 10) }));

Deno.test("runPhases: a run killed after phase 1 resumes with identical numbers", async () => {
  const opts = {
    phases,
    evals,
    epochsPerPhase: 2,
    batchSize: 20,
    testBatchSize: 60,
    resetOptimizer: false,
    normScenario: "task" as const,
    key: "k",
  };
  const l1 = setup();
  const full = await runPhases({ ...opts, learner: l1, rng: new Rng(9) });
  const store = new Map<string, unknown>();
  let calls = 0;
  const killing = async <T>(k: string, f: () => Promise<T>): Promise<T> => {
    if (store.has(k)) return structuredClone(store.get(k)) as T;
    if (++calls > 2) throw new Error("killed");
    const v = await f();
    store.set(k, structuredClone(v));
    return v;
  };
  const l2 = setup();
  let killed = false;
  try {
    await runPhases({ ...opts, learner: l2, rng: new Rng(9), cached: killing });
  } catch {
    killed = true;
  }
  assert(killed && store.size === 2, "first attempt stopped after two phases");
  calls = -100;
  const l3 = setup(); // a fresh process: new model, state restored from the units
  const resumed = await runPhases({ ...opts, learner: l3, rng: new Rng(9), cached: killing });
  assertEquals(resumed.curves, full.curves);
  assertEquals(getModelState(l3.model), getModelState(l1.model));
  assertEquals(full.final.length, 3);
  assertEquals(full.curves.length, 3 * 2 * 3);
  assertEquals(full.norms.tasks(), [0, 1, 2]);
  for (const l of [l1, l2, l3]) disposeModel(l.model);
});

Deno.test("runPhases: evalEvery 'phase', optimizer reset per phase, hooks run", async () => {
  const l = setup();
  let steps = 0, ends = 0, resets = 0;
  const init = l.optimizer.init;
  l.optimizer = { ...l.optimizer, init: (p) => (resets++, init(p)) };
  const res = await runPhases({
    learner: l,
    phases,
    evals,
    epochsPerPhase: 2,
    batchSize: 40,
    testBatchSize: 60,
    rng: new Rng(1),
    resetOptimizer: true,
    normScenario: "shared",
    evalEvery: "phase",
    hooks: {
      name: "count",
      init: () => ({ n: 0 }),
      beforeStep: (_c, s) => (s.n++, steps++),
      phaseEnd: () => void ends++,
    },
  });
  assertEquals(res.curves.length, 3 * 3);
  assertEquals([steps, ends, resets], [3 * 2 * 3, 3, 3]);
  assertEquals((res.methodState as { n: number }).n, 18);
  disposeModel(l.model);
});

Deno.test("runPhases: grouping phases into units gives the same numbers", async () => {
  const opts = {
    phases,
    evals,
    epochsPerPhase: 1,
    batchSize: 30,
    testBatchSize: 60,
    resetOptimizer: false,
    normScenario: "shared" as const,
  };
  const a = setup(), b = setup();
  const ra = await runPhases({ ...opts, learner: a, rng: new Rng(4) });
  const keys: string[] = [];
  const rb = await runPhases({
    ...opts,
    learner: b,
    rng: new Rng(4),
    phasesPerUnit: 2,
    cached: async (k, f) => (keys.push(k), await f()),
  });
  assertEquals(rb.curves, ra.curves);
  assertEquals(rb.final, ra.final);
  assertEquals(keys, ["run/phases-0-1", "run/phases-2-2"]);
  disposeModel(a.model);
  disposeModel(b.model);
});
