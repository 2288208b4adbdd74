import { checkShapes } from "../../lib/optim/types.ts";
import { assertThrows } from "../assert.ts";

Deno.test("checkShapes accepts matching lists and names the mismatch", () => {
  checkShapes([new Float32Array(2)], [new Float32Array(2)]);
  assertThrows(
    () => checkShapes([new Float32Array(2)], []),
    RangeError,
    "0 gradient buffers for 1",
  );
  assertThrows(
    () => checkShapes([new Float32Array(2)], [new Float32Array(3)]),
    RangeError,
    "parameter 0 has 2 values but its gradient has 3",
  );
});
