import { assertEquals } from "../assert.ts";
import { checkSgemm } from "./helpers.ts";
import { jsSgemm, setSgemm, type Sgemm, sgemm } from "../../lib/backend/gemm.ts";

Deno.test("jsSgemm matches a naive product (all transposes, alpha/beta, odd/empty shapes, views)", () => {
  checkSgemm(jsSgemm, "js");
});

Deno.test("sgemm dispatches to the implementation set with setSgemm", () => {
  let calls = 0;
  const counting: Sgemm = (...args) => {
    calls++;
    jsSgemm(...args);
  };
  setSgemm(counting);
  const c = new Float32Array(1);
  sgemm(false, false, 1, 1, 2, 1, new Float32Array([1, 2]), new Float32Array([3, 4]), 0, c);
  setSgemm(jsSgemm);
  assertEquals([calls, c[0]], [1, 11]);
});
