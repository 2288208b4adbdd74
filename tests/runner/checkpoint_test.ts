import { CheckpointStore, decodeValue, encodeValue } from "../../lib/runner/checkpoint.ts";
import { assertEquals } from "../assert.ts";

Deno.test("encodeValue/decodeValue round-trip typed arrays, NaN and nesting", () => {
  const v = {
    w: new Float32Array([1.5, -2, 3]),
    i: new Int32Array([7]),
    nested: [{ b: new Uint8Array([1, 2, 3]) }, NaN, Infinity, "s", null],
    n: 4,
  };
  const { json, blob } = encodeValue(v);
  assertEquals(decodeValue(json, blob), v);
});

Deno.test("CheckpointStore computes once, then loads", async () => {
  const dir = await Deno.makeTempDir();
  const store = new CheckpointStore(dir);
  let calls = 0;
  const f = () => {
    calls++;
    return { w: new Float64Array([1, 2]) };
  };
  const a = await store.cached("task/0", f);
  const b = await new CheckpointStore(dir).cached("task/0", f);
  assertEquals(calls, 1);
  assertEquals(a, b);
  assertEquals(await store.get("absent"), undefined);
  await Deno.remove(dir, { recursive: true });
});
