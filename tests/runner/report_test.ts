import { claimCounts, reportHtml, reportMarkdown } from "../../lib/runner/report.ts";
import type { StoredResult } from "../../lib/runner/results.ts";
import { assert, assertEquals } from "../assert.ts";

const result: StoredResult = {
  paper: "p",
  experiment: "e",
  title: "T",
  scale: "quick",
  seed: 1,
  config: {},
  claims: [
    { panel: "Fig. 1", quantity: "a|b", paper: "90 %", ours: "89 %", holds: true },
    { panel: "Fig. 2", quantity: "c", paper: "x", ours: "y", holds: false },
    {
      panel: "Fig. 3",
      quantity: "d",
      paper: "z",
      ours: "USPS not available",
      holds: null,
      note: "provide it",
    },
  ],
  notes: ["<script>"],
  files: ["p/e/f.html", "p/e/f.png", "p/e/t.csv"],
  seconds: 1,
  engine: "test",
  finished: "",
};

Deno.test("report counts claims and escapes table cells and HTML", () => {
  assertEquals(claimCounts([result]), { holds: 1, fails: 1, untestable: 1 });
  const md = reportMarkdown([result]);
  assert(md.includes("| p | Fig. 1 | a\\|b | 90 % | 89 % | quick | 1 | yes |"), md);
  assert(md.includes("| NO |") && md.includes("| n/a | provide it |"));
  assert(md.includes("![p/e/f.png](p/e/f.png)"));
  const html = reportHtml([result]);
  assert(html.includes("&lt;script&gt;") && !html.includes("<li><script>"));
  assert(html.includes('<img src="p/e/f.png"'));
});
