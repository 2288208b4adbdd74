import { assert, assertAlmostEquals, assertEquals, assertRejects } from "../assert.ts";
import { cifar10Dir, loadCifar10Binary } from "../../lib/data/cifar10.ts";

/** One binary record: label byte, then the red, green and blue 32×32 planes. */
function record(label: number, rgb: [number, number, number]): Uint8Array {
  const r = new Uint8Array(3073);
  r[0] = label;
  for (let c = 0; c < 3; c++) r.fill(rgb[c], 1 + c * 1024, 1 + (c + 1) * 1024);
  r[1 + 5] = 255; // red pixel 5 differs, to check the channel-last layout
  return r;
}

Deno.test("loadCifar10Binary decodes records as NHWC and standardises each channel", async () => {
  const dir = await Deno.makeTempDir();
  // Five one-record training batches: green is 0 or 255 (mean 102, sd 124.9), blue 10·b.
  for (let b = 1; b <= 5; b++) {
    await Deno.writeFile(
      `${dir}/data_batch_${b}.bin`,
      record(b - 1, [0, b <= 2 ? 255 : 0, 10 * b]),
    );
  }
  await Deno.writeFile(`${dir}/test_batch.bin`, record(9, [0, 255, 51]));
  const d = await loadCifar10Binary(dir);
  if (!d) throw new Error("expected data");
  assertEquals([d.train.n, d.test.n, d.train.dim], [5, 1, 3072]);
  assertEquals(Array.from(d.train.y), [0, 1, 2, 3, 4]);
  assertEquals(Array.from(d.test.y), [9]);
  // Green of training image 0 is 255: (1 − 0.4) / sd, with sd = √(0.4 · 0.6) in [0, 1] units.
  const sd = Math.sqrt(0.4 * 0.6);
  assertAlmostEquals(d.train.x[1], 0.6 / sd, 1e-5);
  assertAlmostEquals(d.train.x[3072 * 4 + 1], -0.4 / sd, 1e-5);
  assertAlmostEquals(d.test.x[1], 0.6 / sd, 1e-5);
  // Pixel 5 of the red plane sits at position 5·3 + 0 (channel last), above the red mean.
  assert(d.train.x[5 * 3] > d.train.x[4 * 3]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("loadCifar10Binary: null when files are absent, an error for a wrong file size", async () => {
  const dir = await Deno.makeTempDir();
  assertEquals(await loadCifar10Binary(dir), null);
  for (let b = 1; b <= 5; b++) {
    await Deno.writeFile(`${dir}/data_batch_${b}.bin`, new Uint8Array(10));
  }
  await Deno.writeFile(`${dir}/test_batch.bin`, new Uint8Array(3073));
  await assertRejects(() => loadCifar10Binary(dir), RangeError, "not multiples of 3073 bytes");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("cifar10Dir prefers the explicit folder, then METAPLASTICITY_CIFAR10_DIR", () => {
  const old = Deno.env.get("METAPLASTICITY_CIFAR10_DIR");
  try {
    Deno.env.set("METAPLASTICITY_CIFAR10_DIR", "/from/env");
    assertEquals([cifar10Dir("/given"), cifar10Dir(""), cifar10Dir()], [
      "/given",
      "/from/env",
      "/from/env",
    ]);
    Deno.env.delete("METAPLASTICITY_CIFAR10_DIR");
    assertEquals(cifar10Dir(""), "");
  } finally {
    if (old === undefined) Deno.env.delete("METAPLASTICITY_CIFAR10_DIR");
    else Deno.env.set("METAPLASTICITY_CIFAR10_DIR", old);
  }
});
