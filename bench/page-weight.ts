import { brotliCompressSync, gzipSync } from "node:zlib";
import { launchBrowser } from "../test/support/browser.js";
import { startStack } from "../test/support/stack.js";

/**
 * What each page costs on a first visit (empty cache): every request the browser makes for it
 * (HTML, CSS, JS, icon, anything htmx fetches on load), and the bytes transferred when gzipped.
 * Two figures: "wire" is the body bytes as served (wrangler dev gzips text; Cloudflare's edge would
 * use Brotli or gzip), "gzipped" is each decoded body gzipped here at level 9, a figure that does
 * not depend on the server. Headers are not counted. Prints figures; fails only if a page errors.
 *
 *   npm run bench:page-weight
 */
/** The dashboard's first-load goal, gzipped: 20 KB (issue #19). */
const BUDGET = 20 * 1024;
const pages: Array<[string, string]> = [
  ["dashboard", "/hosts/demo"],
  ["app page", "/hosts/demo/apps/api"],
  ["databases", "/hosts/demo/databases"],
  ["plugins", "/hosts/demo/plugins"],
  ["history", "/hosts/demo/history"],
  ["login", "/login"],
];

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

const [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
let failed = false;
try {
  const session = (await stack.login()).split("=");
  const rows: string[][] = [];
  const details: string[] = [];
  let dashboardGz = 0;
  let dashboardBr = 0;
  for (const [name, path] of pages) {
    const context = await browser.newContext();
    if (name !== "login") await context.addCookies([{ name: session[0]!, value: session.slice(1).join("="), url: stack.url }]);
    const page = await context.newPage();
    const seen: Array<Promise<{ url: string; type: string; raw: number; wire: number; gz: number; br: number; encoding: string | undefined }>> = [];
    page.on("requestfinished", (req) => {
      seen.push(
        (async () => {
          const res = await req.response();
          const body = res ? await res.body().catch(() => Buffer.alloc(0)) : Buffer.alloc(0);
          const wire = (await req.sizes()).responseBodySize;
          return {
            url: req.url().replace(stack.url, ""),
            type: req.resourceType(),
            raw: body.length,
            wire,
            gz: gzipSync(body, { level: 9 }).length,
            br: brotliCompressSync(body).length,
            encoding: res?.headers()["content-encoding"],
          };
        })(),
      );
    });
    const res = await page.goto(`${stack.url}${path}`, { waitUntil: "networkidle" });
    const status = res?.status() ?? 0;
    if (status !== 200) failed = true;
    const got = await Promise.all(seen);
    const raw = got.reduce((a, r) => a + r.raw, 0);
    const gz = got.reduce((a, r) => a + r.gz, 0);
    const wire = got.reduce((a, r) => a + r.wire, 0);
    const br = got.reduce((a, r) => a + r.br, 0);
    if (name === "dashboard") [dashboardGz, dashboardBr] = [gz, br];
    rows.push([name, path, String(status), String(got.length), kb(raw), kb(wire), kb(gz), kb(br)]);
    for (const r of got)
      details.push(
        `  ${name.padEnd(10)} ${r.type.padEnd(10)} ${kb(r.raw).padStart(9)} raw ${kb(r.wire).padStart(9)} wire ${kb(r.gz).padStart(9)} gz  ${r.url}${r.encoding ? ` (served ${r.encoding})` : ""}`,
      );
    await context.close();
  }
  const head = ["page", "path", "status", "requests", "raw", "wire", "gzipped", "brotli"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ");
  console.log(`\nFirst load, empty cache (HTML + CSS + JS + icon; bodies only):\n`);
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  console.log(`\nPer request:\n${details.join("\n")}`);
  console.log(
    `\nDashboard budget: ${kb(dashboardGz)} of ${kb(BUDGET)} gzipped -> ${dashboardGz <= BUDGET ? "within budget" : "OVER BUDGET"}` +
      (dashboardGz > BUDGET ? " (see the per-request lines: htmx-sse.min.js is the largest piece)" : "") +
      `; ${kb(dashboardBr)} with Brotli -> ${dashboardBr <= BUDGET ? "within budget" : "OVER BUDGET"}`,
  );
} finally {
  await browser.close();
  await stack.stop();
}
if (failed) process.exitCode = 1;
