/**
 * `REPORT.md` and `index.html`: one row per figure or table claim, the paper's number beside
 * ours, with scale, seed and whether the qualitative claim holds at that scale.
 *
 * @module
 */
import type { StoredResult } from "./results.ts";
import { writeFileAtomic } from "./atomic.ts";

function mark(holds: boolean | null): string {
  return holds === true ? "yes" : holds === false ? "NO" : "n/a";
}

function md(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function html(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Counts of claims that hold, fail, or cannot be tested. */
export function claimCounts(
  results: StoredResult[],
): { holds: number; fails: number; untestable: number } {
  const c = { holds: 0, fails: 0, untestable: 0 };
  for (const r of results) {
    for (const cl of r.claims) {
      if (cl.holds === true) c.holds++;
      else if (cl.holds === false) c.fails++;
      else c.untestable++;
    }
  }
  return c;
}

/** The Markdown report. */
export function reportMarkdown(results: StoredResult[]): string {
  const c = claimCounts(results);
  const lines = [
    "# metaplasticity — reproduction report",
    "",
    `Generated ${
      new Date().toISOString()
    }. ${results.length} experiments; claims: ${c.holds} hold, ` +
    `${c.fails} do not hold, ${c.untestable} not testable here (missing data or not applicable).`,
    "",
    "Scales: `smoke` = seconds, for tests only (numbers are not meaningful); `quick` = reduced " +
    "reproduction on a 2-core CPU (see each experiment's config); `paper` = the paper's own sizes. " +
    '"Holds" says whether the paper\'s qualitative claim holds at the scale that was run.',
    "",
    "| paper | panel | quantity | paper's value | ours | scale | seed | holds | note |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of results) {
    for (const cl of r.claims) {
      lines.push(
        `| ${r.paper} | ${md(cl.panel)} | ${md(cl.quantity)} | ${md(cl.paper)} | ${
          md(cl.ours)
        } | ` +
          `${r.scale} | ${r.seed} | ${mark(cl.holds)} | ${md(cl.note ?? "")} |`,
      );
    }
  }
  lines.push("", "## Experiments", "");
  for (const r of results) {
    lines.push(`### ${r.paper} · ${r.experiment} — ${r.title}`, "");
    lines.push(
      `Scale \`${r.scale}\`, seed ${r.seed}, ${r.seconds.toFixed(1)} s, engine: ${r.engine}. ` +
        `Config: \`${JSON.stringify(r.config)}\``,
      "",
    );
    for (const n of r.notes) lines.push(`- ${n}`);
    if (r.notes.length) lines.push("");
    for (const f of r.files) {
      if (f.endsWith(".png")) lines.push(`![${f}](${f})`);
      else lines.push(`- [${f}](${f})`);
    }
    lines.push("");
  }
  return lines.join("\n") + "\n";
}

/** The HTML index (works offline: it links to the standalone figure pages). */
export function reportHtml(results: StoredResult[]): string {
  const c = claimCounts(results);
  const rows = results.flatMap((r) =>
    r.claims.map((cl) =>
      `<tr class="${mark(cl.holds)}"><td>${html(r.paper)}</td><td>${html(cl.panel)}</td>` +
      `<td>${html(cl.quantity)}</td><td>${html(cl.paper)}</td><td>${html(cl.ours)}</td>` +
      `<td>${r.scale}</td><td>${r.seed}</td><td>${mark(cl.holds)}</td><td>${
        html(cl.note ?? "")
      }</td></tr>`
    )
  ).join("\n");
  const sections = results.map((r) => {
    const figs = r.files.filter((f) => f.endsWith(".html")).map((f) => {
      const png = f.replace(/\.html$/, ".png");
      const thumb = r.files.includes(png)
        ? `<img src="${png}" width="320">`
        : html(f.split("/").pop()!);
      return `<a href="${f}">${thumb}</a>`;
    }).join(" ");
    const tables = r.files.filter((f) => f.endsWith(".csv")).map((f) =>
      `<a href="${f}">${html(f.split("/").pop()!)}</a>`
    ).join(", ");
    const notes = r.notes.map((n) => `<li>${html(n)}</li>`).join("");
    return `<h3>${html(r.paper)} · ${html(r.experiment)} — ${html(r.title)}</h3>
<p>scale <b>${r.scale}</b>, seed ${r.seed}, ${r.seconds.toFixed(1)} s, engine ${html(r.engine)}</p>
${notes ? `<ul>${notes}</ul>` : ""}<p>${figs}</p><p>tables: ${tables || "none"}</p>`;
  }).join("\n");
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>metaplasticity — reproduction report</title>
<style>
body{font-family:sans-serif;margin:2em;max-width:1400px}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top}
tr.NO td{background:#fde2e2}tr.yes td:nth-child(8){background:#e2f5e2}tr.n\\/a td:nth-child(8){background:#eee}
img{border:1px solid #ddd}
</style></head><body>
<h1>metaplasticity — reproduction report</h1>
<p>${results.length} experiments; claims: ${c.holds} hold, ${c.fails} do not hold, ${c.untestable} not
testable here. Scales: smoke (tests only), quick (reduced, 2-core CPU), paper (the paper's sizes).</p>
<table><tr><th>paper</th><th>panel</th><th>quantity</th><th>paper's value</th><th>ours</th><th>scale</th>
<th>seed</th><th>holds</th><th>note</th></tr>
${rows}
</table>
<h2>Experiments</h2>
${sections}
</body></html>
`;
}

/** Writes `REPORT.md` and `index.html` into `out`. */
export async function writeReport(out: string, results: StoredResult[]): Promise<void> {
  await writeFileAtomic(`${out}/REPORT.md`, reportMarkdown(results));
  await writeFileAtomic(`${out}/index.html`, reportHtml(results));
}
