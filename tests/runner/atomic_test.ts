import { writeFileAtomic } from "../../lib/runner/atomic.ts";
import { assertEquals } from "../assert.ts";

Deno.test("writeFileAtomic creates folders, replaces content and leaves no temporary file", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/a/b/out.txt`;
  await writeFileAtomic(path, "one");
  await writeFileAtomic(path, new TextEncoder().encode("two"));
  assertEquals(await Deno.readTextFile(path), "two");
  assertEquals([...Deno.readDirSync(`${dir}/a/b`)].map((e) => e.name), ["out.txt"]);
  await Deno.remove(dir, { recursive: true });
});
