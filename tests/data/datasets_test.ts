import { gzipSync } from "node:zlib";
import {
  datasetFromIdx,
  loadFashionMnist,
  loadMnist,
  readDatasetFile,
  sha256Hex,
  standardize,
} from "../../lib/data/datasets.ts";
import { DatasetError } from "../../lib/data/idx.ts";
import { makeIdx } from "./fixtures.ts";
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertRejects,
  assertThrows,
} from "../assert.ts";

Deno.test("datasetFromIdx scales pixels and checks counts and labels", () => {
  const images = makeIdx([2, 1, 2], [0, 255, 51, 102]);
  const labels = makeIdx([2], [3, 9]);
  const ds = datasetFromIdx(images, labels, { name: "toy" });
  assertEquals(ds.n, 2);
  assertEquals(ds.dim, 2);
  assertEquals(Array.from(ds.y), [3, 9]);
  assertAlmostEquals(ds.x[1], 1);
  assertAlmostEquals(ds.x[2], 0.2, 1e-6);
  assertThrows(
    () => datasetFromIdx(images, makeIdx([3], [1, 2, 3]), { name: "toy" }),
    DatasetError,
    "2 images but 3 labels",
  );
  assertThrows(
    () => datasetFromIdx(images, makeIdx([2], [1, 12]), { name: "toy" }),
    DatasetError,
    "outside 0..9",
  );
  assertThrows(() => datasetFromIdx(labels, labels, { name: "toy" }), DatasetError, "3-D");
});

Deno.test("standardize gives zero mean and unit std", () => {
  const x = standardize(new Float32Array([1, 2, 3, 4]));
  assertAlmostEquals(x.reduce((a, b) => a + b, 0), 0, 1e-6);
  assertAlmostEquals(x.reduce((a, b) => a + b * b, 0) / 4, 1, 1e-5);
});

Deno.test("readDatasetFile: missing, truncated and corrupt files give clear errors", async () => {
  const dir = await Deno.makeTempDir();
  const opts = { dir, download: false, systemSources: false };
  await assertRejects(
    () => readDatasetFile("mnist", "t10k-labels-idx1-ubyte", opts),
    DatasetError,
    "not found. Tried",
  );
  // truncated: a valid-looking header with too few bytes
  await Deno.writeFile(`${dir}/t10k-labels-idx1-ubyte`, makeIdx([10000], new Array(100).fill(1)));
  await assertRejects(
    () => readDatasetFile("mnist", "t10k-labels-idx1-ubyte", opts),
    DatasetError,
    "expected 10008",
  );
  // corrupt: right size, wrong content (also through gzip)
  await Deno.remove(`${dir}/t10k-labels-idx1-ubyte`);
  const wrong = makeIdx([10000], new Array(10000).fill(1));
  await Deno.writeFile(`${dir}/t10k-labels-idx1-ubyte.gz`, gzipSync(wrong));
  await assertRejects(
    () => readDatasetFile("mnist", "t10k-labels-idx1-ubyte", opts),
    DatasetError,
    "checksum mismatch",
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("real MNIST and Fashion-MNIST load, verified, with the documented shapes", async () => {
  const m = await loadMnist();
  assertEquals([m.train.n, m.train.dim, m.test.n], [60000, 784, 10000]);
  assertEquals(Array.from(m.train.y.subarray(0, 5)), [5, 0, 4, 1, 9]);
  const f = await loadFashionMnist({ normalization: "standardize", limit: 1000 });
  assertEquals([f.train.n, f.test.n], [1000, 1000]);
  const mean = f.train.x.reduce((a, b) => a + b, 0) / f.train.x.length;
  assertAlmostEquals(mean, 0, 1e-3);
  // a correct copy in a user directory is accepted
  const dir = await Deno.makeTempDir();
  const bytes = await readDatasetFile("mnist", "t10k-labels-idx1-ubyte");
  await Deno.writeFile(`${dir}/t10k-labels-idx1-ubyte`, bytes);
  const again = await readDatasetFile("mnist", "t10k-labels-idx1-ubyte", {
    dir,
    systemSources: false,
    download: false,
  });
  assertEquals(await sha256Hex(again), await sha256Hex(bytes));
  assert(again.length === 10008);
  await Deno.remove(dir, { recursive: true });
});
