import { gzipSync } from "node:zlib";
import { DatasetError, isGzip, maybeGunzip, parseIdx, readIdx } from "../../lib/data/idx.ts";
import { makeIdx } from "./fixtures.ts";
import { assert, assertEquals, assertRejects, assertThrows } from "../assert.ts";

Deno.test("parseIdx reads dims and payload", () => {
  const idx = parseIdx(makeIdx([2, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), "t");
  assertEquals(idx.dims, [2, 2, 3]);
  assertEquals(Array.from(idx.data), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
});

Deno.test("parseIdx rejects wrong magic, wrong type, truncation and trailing bytes", () => {
  const good = makeIdx([3], [1, 2, 3]);
  const badMagic = good.slice();
  badMagic[0] = 0x1f;
  assertThrows(() => parseIdx(badMagic, "x.idx"), DatasetError, "wrong magic number");
  const badType = good.slice();
  badType[2] = 0x0d;
  assertThrows(() => parseIdx(badType, "x.idx"), DatasetError, "data type");
  assertThrows(
    () => parseIdx(good.subarray(0, good.length - 1), "x.idx"),
    DatasetError,
    "truncated",
  );
  const extra = new Uint8Array(good.length + 1);
  extra.set(good);
  assertThrows(() => parseIdx(extra, "x.idx"), DatasetError, "trailing bytes");
  assertThrows(() => parseIdx(new Uint8Array(2), "x.idx"), DatasetError, "too short");
});

Deno.test("gzip is detected from content and corrupt gzip is reported", async () => {
  const plain = makeIdx([2], [4, 5]);
  const gz = new Uint8Array(gzipSync(plain));
  assert(isGzip(gz) && !isGzip(plain));
  assertEquals(Array.from(maybeGunzip(gz, "g")), Array.from(plain));
  const broken = gz.slice(0, gz.length - 6);
  assertThrows(() => maybeGunzip(broken, "f.gz"), DatasetError, "corrupt or truncated");
  const dir = await Deno.makeTempDir();
  await Deno.writeFile(`${dir}/a.gz`, gz);
  assertEquals((await readIdx(`${dir}/a.gz`)).dims, [2]);
  await assertRejects(() => readIdx(`${dir}/missing`), DatasetError, "not found");
  await Deno.remove(dir, { recursive: true });
});
