import { paper } from "../../lib/papers/dagostino2023.ts";
import { assertAllRunAtSmoke, assertResumeMatches } from "./harness.ts";

Deno.test("dagostino2023: every experiment runs at smoke scale with valid claims and figures", () =>
  assertAllRunAtSmoke(paper, ["meta_function", "device_levels", "mnist_fmnist", "memory"]));

// Dropping the later phases checks that the device state comes back with the earlier ones.
Deno.test("dagostino2023: deterministic, and a resumed run gives the same numbers", () =>
  assertResumeMatches(paper, "mnist_fmnist", "phase-1"));
