import { assertEquals } from "../assert.ts";
import { loadFeatureSplits } from "../../lib/data/features.ts";

Deno.test("loadFeatureSplits reads raw float32/int32 files and standardises each vector by its variance", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/meta.json`, JSON.stringify({ dim: 2, classes: 10 }));
  for (const s of ["train", "test"]) {
    await Deno.writeFile(
      `${dir}/${s}_x.f32`,
      new Uint8Array(new Float32Array([1, 3, 0, 4]).buffer),
    );
    await Deno.writeFile(`${dir}/${s}_y.i32`, new Uint8Array(new Int32Array([7, 2]).buffer));
  }
  const f = await loadFeatureSplits(dir, "feat");
  // Row [1, 3]: mean 2, variance 1 → [−1, 1]; row [0, 4]: mean 2, variance 4 → [−0.5, 0.5].
  assertEquals(Array.from(f.train.x), [-1, 1, -0.5, 0.5]);
  assertEquals(Array.from(f.test.y), [7, 2]);
  await Deno.remove(dir, { recursive: true });
});
