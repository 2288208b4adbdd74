/**
 * Figures as standalone offline HTML (plotly.js inlined, no network needed to view) and, when a
 * headless Chromium is installed, as static PNG for the report.
 *
 * @module
 */
import type { Figure } from "./experiment.ts";
import { npmPackageFile } from "../npm_cache.ts";
import { writeFileAtomic } from "./atomic.ts";

let plotlySource: Promise<string | null> | undefined;

/** The plotly.js bundle's source text, or `null` when the npm package is not in the cache. */
export function plotlyBundle(): Promise<string | null> {
  plotlySource ??= (async () => {
    const path = await npmPackageFile("plotly.js-dist-min", "plotly.min.js");
    return path ? await Deno.readTextFile(path) : null;
  })();
  return plotlySource;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** JSON safe to embed inside a `<script>` element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

/** A standalone HTML page showing one figure; plotly is inlined so the page works offline. */
export async function figureHtml(figure: Figure, title: string): Promise<string> {
  const bundle = await plotlyBundle();
  const script = bundle
    ? `<script>${bundle.replace(/<\/script/gi, "<\\/script")}</script>`
    : `<p>plotly.js was not found in Deno's npm cache; run <code>deno install</code> in the ` +
      `project and regenerate this page.</p>`;
  // Long page titles overflow a plot: the plot shows the part after the last " · ".
  const layout = { title: { text: title.split(" · ").at(-1) }, ...figure.layout };
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>${script}</head>
<body style="margin:0;font-family:sans-serif">
<div id="fig" style="width:100%;height:95vh"></div>
<script>
  if (window.Plotly) {
    Plotly.newPlot("fig", ${scriptJson(figure.data)}, ${scriptJson(layout)}, {responsive: true})
      .then(() => { document.body.dataset.ready = "1"; });
  }
</script>
</body></html>
`;
}

const CHROMIUM_CANDIDATES = [
  "/usr/bin/chromium-headless-shell",
  "/usr/lib/chromium/chromium-headless-shell",
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
];

let chromiumPath: Promise<string | null> | undefined;

/** Path of a headless Chromium, or `null` (override with `METAPLASTICITY_CHROMIUM`). */
export function findChromium(): Promise<string | null> {
  chromiumPath ??= (async () => {
    const env = Deno.env.get("METAPLASTICITY_CHROMIUM");
    if (env === "none") return null;
    for (const c of env ? [env] : CHROMIUM_CANDIDATES) {
      try {
        if ((await Deno.stat(c)).isFile) return c;
      } catch {
        // next
      }
    }
    return null;
  })();
  return chromiumPath;
}

/**
 * Renders an HTML file to PNG with headless Chromium. Returns false (and writes nothing) when no
 * Chromium is available or it fails.
 */
export async function htmlToPng(htmlPath: string, pngPath: string): Promise<boolean> {
  const chromium = await findChromium();
  if (!chromium) return false;
  const profile = await Deno.makeTempDir({ prefix: "mp-chromium-" });
  const tmp = `${pngPath}.tmp.png`;
  try {
    const out = await new Deno.Command(chromium, {
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        `--user-data-dir=${profile}`,
        "--window-size=1000,640",
        "--virtual-time-budget=8000",
        `--screenshot=${tmp}`,
        `file://${await Deno.realPath(htmlPath)}`,
      ],
      stdout: "null",
      stderr: "null",
      signal: AbortSignal.timeout(60000),
    }).output();
    if (!out.success) return false;
    await Deno.rename(tmp, pngPath);
    return true;
  } catch {
    return false;
  } finally {
    await Deno.remove(profile, { recursive: true }).catch(() => {});
    await Deno.remove(tmp).catch(() => {});
  }
}

/** Writes `<base>.html` and, when possible, `<base>.png`; returns the files written. */
export async function writeFigure(
  figure: Figure,
  base: string,
  options: { title: string; png?: boolean },
): Promise<string[]> {
  const html = `${base}.html`;
  await writeFileAtomic(html, await figureHtml(figure, options.title));
  const files = [html];
  if (options.png !== false && (await htmlToPng(html, `${base}.png`))) files.push(`${base}.png`);
  return files;
}
