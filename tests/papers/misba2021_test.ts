import { paper } from "../../lib/papers/misba2021.ts";
import { assertAllRunAtSmoke, assertResumeMatches } from "./harness.ts";

Deno.test("misba2021: every experiment runs at smoke scale with valid claims and figures", () =>
  assertAllRunAtSmoke(paper, ["state_statistics", "states", "margin", "spread"]));

// Dropping the ex-situ transfer units checks that the programmed devices are restored.
Deno.test("misba2021: deterministic, and a resumed run gives the same numbers", () =>
  assertResumeMatches(paper, "states", "transfer"));
