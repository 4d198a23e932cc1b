import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Layout } from "../../../worker/pages/layout.js";
import { assetHeadersFile, IMMUTABLE } from "../../../worker/security.js";
import { loadAssetVersions, setAssetVersions, VERSIONED_ASSETS } from "../../../worker/static-assets.js";

const VERSIONS = Object.fromEntries(VERSIONED_ASSETS.map((path, i) => [path, `0000000${i}`]));

/** The header blocks of a _headers file: path → its header lines. */
function blocks(file: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let path = "";
  for (const line of file.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    if (line.startsWith("  ")) out.get(path)!.push(line.trim());
    else out.set((path = line), []);
  }
  return out;
}

/** Every .tsx file under `dir`. */
function pages(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? pages(path) : name.endsWith(".tsx") ? [path] : [];
  });
}

const render = (props: { lean?: boolean }) => String(Layout({ title: "t", signedIn: false, ...props, children: "x" }));

afterEach(() => setAssetVersions(null));

describe("versioned static files: a year's cache, and a URL that changes with their bytes", () => {
  it("public/_headers caches each versioned file for a year without revalidation, and nothing else", async () => {
    const headers = blocks(await assetHeadersFile());
    for (const path of VERSIONED_ASSETS) expect(headers.get(path), path).toEqual([`Cache-Control: ${IMMUTABLE}`]);
    expect(IMMUTABLE).toBe("public, max-age=31536000, immutable");
    // the security headers still cover every file; the favicon, install.sh and the manifest keep a revalidated cache
    expect(headers.get("/*")!.some((h) => h.startsWith("content-security-policy:"))).toBe(true);
    expect([...headers.keys()].sort()).toEqual(["/*", ...VERSIONED_ASSETS].sort());
    expect(headers.get("/*")!.some((h) => /cache-control/i.test(h))).toBe(false);
  });

  it("the layout links the stylesheet and htmx by their versions, the dashboard's sheet when lean", () => {
    setAssetVersions(VERSIONS);
    const page = render({});
    expect(page).toContain(`<link rel="stylesheet" href="/app.css?v=${VERSIONS["/app.css"]}"/>`);
    expect(page).toContain(`<link rel="preload" href="/vendor/htmx-sse.min.js?v=${VERSIONS["/vendor/htmx-sse.min.js"]}" as="script"/>`);
    expect(page).toContain(`<script src="/vendor/htmx-sse.min.js?v=${VERSIONS["/vendor/htmx-sse.min.js"]}"></script>`);
    expect(render({ lean: true })).toContain(`<link rel="stylesheet" href="/base.css?v=${VERSIONS["/base.css"]}"/>`);
  });

  it("links bare paths until the versions are read, and reads them from the assets binding once", async () => {
    expect(render({})).toContain('href="/app.css"');
    let reads = 0;
    const assets = {
      fetch: async (req: Request) => {
        reads++;
        expect(new URL(req.url).pathname).toBe("/assets.json");
        return Response.json(VERSIONS);
      },
    };
    await Promise.all([loadAssetVersions(assets, "https://edge.test"), loadAssetVersions(assets, "https://edge.test")]);
    await loadAssetVersions(assets, "https://edge.test");
    expect(reads).toBe(1);
    expect(render({})).toContain(`href="/app.css?v=${VERSIONS["/app.css"]}"`);
  });

  it("a manifest that cannot be read leaves the links bare and is tried again", async () => {
    let reads = 0;
    const broken = { fetch: async () => (reads++, new Response("nope", { status: 404 })) };
    await loadAssetVersions(broken, "https://edge.test");
    await loadAssetVersions(broken, "https://edge.test");
    expect(reads).toBe(2);
    expect(render({})).toContain('href="/app.css"');
  });

  it("no page links a static file under public/ by hand (a bare path would be cached for a year)", () => {
    const offenders = pages("worker").flatMap((file) =>
      readFileSync(file, "utf8")
        .split("\n")
        .map((text, i) => ({ where: `${file}:${i + 1}`, text }))
        .filter(({ text }) => /(src|href)="\/[^"]*\.(css|js)"/.test(text))
        .map(({ where }) => where),
    );
    expect(offenders).toEqual([]);
  });
});
