import { assert, assertEquals } from "../assert.ts";
import { checkSgemm } from "./helpers.ts";
import { lastBlasError, loadBlas } from "../../lib/backend/blas.ts";

const blas = loadBlas({ threads: 1 });

Deno.test({
  name: "OpenBLAS sgemm through FFI matches a naive product",
  ignore: blas === null,
  fn: () => {
    assert(blas);
    assert(/OpenBLAS|CBLAS/.test(blas.description), blas.description);
    assertEquals(blas.threads(), 1);
    checkSgemm(blas.sgemm, "blas");
  },
});

Deno.test("loadBlas: 'none' and a missing library give null with a reason", () => {
  assertEquals(loadBlas({ path: "none" }), null);
  assert(lastBlasError?.includes("disabled"), String(lastBlasError));
  assertEquals(loadBlas({ path: "/nonexistent/libcblas.so" }), null);
  assert(lastBlasError?.includes("no BLAS library found"), String(lastBlasError));
});
