import { figureHtml, plotlyBundle, scriptJson } from "../../lib/runner/figures.ts";
import { assert, assertEquals } from "../assert.ts";

Deno.test("figure HTML inlines plotly (offline) and escapes embedded JSON", async () => {
  assert(
    (await plotlyBundle())?.includes("Plotly"),
    "plotly bundle must be in the npm cache (deno install)",
  );
  const html = await figureHtml({ data: [{ name: "</script><b>", y: [1] }] }, "t <x>");
  assert(!html.includes("<script src="), "no network script");
  assert(html.includes("\\u003c/script>\\u003cb>"), "JSON must not close the script element");
  assert(html.includes("<title>t &lt;x&gt;</title>"));
  assertEquals(scriptJson({ a: "<" }), '{"a":"\\u003c"}');
});
