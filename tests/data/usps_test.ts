import { assertEquals } from "../assert.ts";
import { loadUsps } from "../../lib/data/usps.ts";

Deno.test("loadUsps reads LIBSVM files, maps labels 1–10 to 0–9 and pads 16×16 to 28×28", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/usps`, "10 1:1 256:-1\n3 17:0\n");
  await Deno.writeTextFile(`${dir}/usps.t`, "1 2:0.5\n");
  const u = await loadUsps(dir);
  assertEquals([u.train.n, u.test.n, Array.from(u.train.y), Array.from(u.test.y)], [2, 1, [9, 2], [
    0,
  ]]);
  assertEquals(u.train.x[6 * 28 + 6], 1); // feature 1 → row 0, col 0 of the 16×16 image, +6 padding
  assertEquals(u.train.x[21 * 28 + 21], 0); // feature 256 = −1 → 0
  assertEquals(u.train.x[784 + 7 * 28 + 6], 0.5); // feature 17 → row 1, col 0; value 0 → 0.5
  assertEquals(u.test.x[6 * 28 + 7], 0.75);
  await Deno.remove(dir, { recursive: true });
});
