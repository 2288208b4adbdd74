import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import { QuantizedSynapseMemory } from "../../lib/devices/quantized_synapse_memory.ts";
import { LevelModel } from "../../lib/devices/levels.ts";
import { multiLevelHfO2 } from "../../lib/devices/multilevel_hfo2.ts";
import { dwSynapse2021 } from "../../lib/devices/domain_wall.ts";
import { uniformGrid } from "../../lib/optim/quantized_metaplastic.ts";
import { Rng } from "../../lib/rng.ts";

const third = 1 / 3;

Deno.test("QuantizedSynapseMemory: differential HfO2 pairs hold the weight levels", () => {
  const ideal = new LevelModel(multiLevelHfO2({ programStdScale: 0, readRelStd: 0 }));
  const mem = new QuantizedSynapseMemory(ideal, { n: 4, grid: uniformGrid(4), rng: new Rng(0) });
  const first = mem.sync(new Float32Array([0.9, -0.2, 0.1, -7]), { force: true });
  assertEquals(first, { changed: 4, writes: 8, failed: 0 });
  const w = mem.weights();
  [1, -third, third, -1].forEach((x, i) => assertAlmostEquals(w[i], x, 1e-6));
  assertEquals([...mem.heldLevels()], [3, 1, 2, 0]);
  // (G+, G−) = (G_k, G_{3−k})
  assertAlmostEquals(mem.populations[0].values()[1], 160 / 3, 1e-4);
  assertAlmostEquals(mem.populations[1].values()[1], 260 / 3, 1e-4);
  // hidden-weight moves inside a cell cost nothing; a level change writes both devices of the pair
  assertEquals(mem.sync(new Float32Array([1.5, -0.3, 0.2, -0.9])), {
    changed: 0,
    writes: 0,
    failed: 0,
  });
  assertEquals(mem.sync(new Float32Array([1.5, 0.05, 0.2, -0.9])), {
    changed: 1,
    writes: 2,
    failed: 0,
  });
  assertEquals([...mem.programsPerWeight()], [1, 2, 1, 1]);
  assertEquals(mem.programsPerDevice().length, 8);
  assertEquals(mem.writes, 10);
  assertEquals(mem.energy().programsJ, null); // HfO2 write energy unknown
  assertThrows(() => mem.sync(new Float32Array(3)), RangeError);
  assertThrows(() => mem.sync(new Float32Array([NaN, 0, 0, 0])), RangeError, "NaN");
  assertThrows(
    () => new QuantizedSynapseMemory(ideal, { n: 2, grid: uniformGrid(3), rng: new Rng(0) }),
    RangeError,
    "levels",
  );
});

Deno.test("QuantizedSynapseMemory: programming error and read noise reach the weights", () => {
  const n = 5000;
  const model = new LevelModel(multiLevelHfO2());
  const mem = new QuantizedSynapseMemory(model, { n, grid: uniformGrid(4), rng: new Rng(3) });
  mem.sync(new Float32Array(n).fill(1), { force: true }); // (G+, G−) = (120, 20) µS
  let s = 0, s2 = 0;
  const w = mem.weights();
  for (const x of w) {
    s += x;
    s2 += x * x;
  }
  const m = s / n, sd = Math.sqrt(s2 / n - m * m);
  // σ_w = √(3² + 6² + (1.2² + 0.2²) read) / 100 µS
  assertAlmostEquals(m, 1, 0.005);
  assertAlmostEquals(sd, Math.sqrt(9 + 36 + 1.44 + 0.04) / 100, 0.004);
  const again = mem.weights();
  assert(again[0] !== w[0], "read noise is redrawn at every read");
});

Deno.test("QuantizedSynapseMemory: a noise-tolerance margin adds hysteresis (DW, single device)", () => {
  const model = new LevelModel(dwSynapse2021({ states: 3, positionSpread: 0 }));
  const mem = new QuantizedSynapseMemory(model, {
    n: 1,
    grid: uniformGrid(3),
    mapping: "single",
    margin: 0.2,
    rng: new Rng(0),
  });
  mem.sync([0.1], { force: true });
  assertEquals([...mem.weights()], [0]);
  // boundary at 0.5, margin 0.2·Δw = 0.2: no write until the accumulator passes 0.7
  for (const h of [0.55, 0.69]) assertEquals(mem.sync([h]).changed, 0, `h ${h}`);
  assertEquals(mem.sync([0.71]).changed, 1);
  assertEquals([...mem.weights()], [1]);
  // and back: stays at 1 until below 0.5 − 0.2
  assertEquals(mem.sync([0.35]).changed, 0);
  assertEquals(mem.sync([0.25]).changed, 1);
  assertEquals([...mem.heldLevels()], [1]);
  assertEquals(mem.sync([-5]).changed, 1);
  assertEquals(mem.writes, 4);
  assertAlmostEquals(mem.energy().programsJ!, 4 * 3e-15, 1e-25);
  // snapshots restore devices, counters and the generator
  const snap = mem.snapshot();
  mem.sync([5]);
  mem.restore(snap);
  assertEquals([...mem.heldLevels()], [0]);
  assertEquals(mem.writes, 4);
});

Deno.test("HybridDeviceNetwork: device-held levels in the forward pass, writes only on level changes", async () => {
  const tf = await import("@tensorflow/tfjs");
  const { quantizedMlp } = await import("../../lib/nn/quantized_dense.ts");
  const { HybridDeviceNetwork } = await import("../../lib/devices/quantized_synapse_memory.ts");
  const { metaplasticQuantized } = await import("../../lib/optim/quantized_metaplastic.ts");
  const { paramBuffers, trainStep } = await import("../../lib/train/loop.ts");
  await tf.setBackend("cpu");
  const net = quantizedMlp({
    sizes: [6, 8, 3],
    rng: new Rng(1),
    grid: uniformGrid(4),
    activation: "relu",
    initWidth: 2,
  });
  const x = tf.randomNormal([16, 6], 0, 1, "float32", 2);
  const software = net.logits(x, { training: false }).dataSync().slice();
  const ideal = new LevelModel(multiLevelHfO2({ programStdScale: 0, readRelStd: 0 }));
  const hybrid = new HybridDeviceNetwork(net.layers, ideal, { rng: new Rng(3) });
  const init = hybrid.sync({ force: true });
  assertEquals(init.weights, 6 * 8 + 8 * 3);
  assertEquals(init.writes, 2 * init.weights);
  const dev = net.logits(x, { training: false }).dataSync();
  for (let i = 0; i < dev.length; i++) assertAlmostEquals(dev[i], software[i], 1e-5);
  // training: the writes issued equal the level changes of the hidden weights
  const opt = metaplasticQuantized({ lr: 0.05, meta: 0, grid: net.paramGrids() });
  const learner = { model: net, optimizer: opt, state: opt.init(paramBuffers(net)) };
  const y = new Int32Array(16).map((_, i) => i % 3);
  let changed = 0, writes = 0;
  for (let s = 0; s < 10; s++) {
    const before = net.layers.map((l) => l.quantizedWeights());
    trainStep(learner, { x: x.dataSync() as Float32Array, y, size: 16 });
    const after = net.layers.map((l) => l.quantizedWeights());
    after.forEach((a, k) => a.forEach((v, i) => (changed += v !== before[k][i] ? 1 : 0)));
    writes += hybrid.sync().writes;
  }
  assert(changed > 0, "some levels should change at lr 0.05");
  assertEquals(writes, 2 * changed);
  assertEquals(hybrid.writes(), init.writes + writes);
  const per = hybrid.programsPerWeight();
  assertEquals(per.reduce((a, b) => a + b, 0), init.weights + changed);
  // noisy devices: read noise only in inference forward passes (default "inference")
  const noisy = new HybridDeviceNetwork(net.layers, new LevelModel(multiLevelHfO2()), {
    rng: new Rng(4),
  });
  noisy.sync({ force: true });
  const t1 = net.logits(x, { training: true }).dataSync().slice(),
    t2 = net.logits(x, { training: true }).dataSync();
  assertEquals([...t1], [...t2]);
  const i1 = net.logits(x, { training: false }).dataSync().slice(),
    i2 = net.logits(x, { training: false }).dataSync();
  assert(i1[0] !== i2[0], "inference reads redraw the read noise");
  // ex-situ transfer: the levels of one array written once onto fresh devices
  const fresh = new HybridDeviceNetwork(net.layers, ideal, { rng: new Rng(5) });
  const tr = fresh.programLevelsOf(noisy);
  assertEquals(tr.writes, 2 * init.weights);
  assertEquals([...fresh.memories[0].heldLevels()], [...noisy.memories[0].heldLevels()]);
  fresh.detach();
  assertEquals(net.layers[0].weightSource, null);
  assertThrows(
    () =>
      new HybridDeviceNetwork(net.layers, ideal, {
        rng: new Rng(0),
        readNoise: "often" as "never",
      }),
    RangeError,
  );
});
