import { encodeBase64 } from "../../lib/runner/base64.ts";
import { assertEquals } from "../assert.ts";

Deno.test("encodeBase64 matches btoa on short and long inputs", () => {
  assertEquals(encodeBase64(new TextEncoder().encode("Man")), "TWFu");
  assertEquals(encodeBase64(new Uint8Array([0xff, 0x00])), "/wA=");
  const long = Uint8Array.from({ length: 100000 }, (_, i) => (i * 7) & 255);
  assertEquals(encodeBase64(long), btoa(String.fromCharCode(...long.subarray(0, 100000))));
});
