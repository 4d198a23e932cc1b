import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { transform } from "esbuild";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createHash } from "node:crypto";
import { assetHeadersFile } from "../worker/security.js";
import { ASSET_MANIFEST, HASH_CHARS, VERSIONED_ASSETS } from "../worker/static-assets.js";

/** htmx and @simplewebauthn/browser are served from public/vendor, copied from the pinned npm package (never a CDN). */
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = resolve(root, "node_modules/htmx.org/dist");
const vendor = resolve(root, "public/vendor");
mkdirSync(vendor, { recursive: true });
// htmx and its SSE extension as one file, each as its package ships it, then the pages' own
// public/hold-reloads.js (minified): one request and one compressed stream (437 bytes less gzipped
// than two), and the extension is registered in the same script run that defines htmx, before htmx
// can process the page (see worker/pages/layout.tsx).
const htmxWithSse = ["htmx.min.js", "ext/hx-sse.min.js"].map((file) => readFileSync(resolve(dist, file), "utf8").trimEnd());
const holdReloads = await transform(readFileSync(resolve(root, "public/hold-reloads.js"), "utf8"), { loader: "js", minify: true });
writeFileSync(resolve(vendor, "htmx-sse.min.js"), `${[...htmxWithSse, holdReloads.code.trimEnd()].join("\n")}\n`);
// @simplewebauthn/browser's own bundle (the passkey ceremonies), likewise from its pinned package.
copyFileSync(resolve(root, "node_modules/@simplewebauthn/browser/dist/bundle/index.umd.min.js"), resolve(vendor, "simplewebauthn-browser.min.js"));
// The pages' stylesheets, minified (0.5 KB less gzipped on every first load). worker/pages/app.css
// styles every page, the dashboard included, and pages.css what the others add: /app.css is both
// (one request on every other page), /base.css the first alone, the dashboard's (1 KB less
// gzipped where a session starts; see the Layout's `lean`).
const [base, pages] = ["app.css", "pages.css"].map((file) => readFileSync(resolve(root, "worker/pages", file), "utf8"));
const minifyCss = async (source: string) => (await transform(source, { loader: "css", minify: true })).code;
writeFileSync(resolve(root, "public/base.css"), await minifyCss(base!));
writeFileSync(resolve(root, "public/app.css"), await minifyCss(`${base}\n${pages}`));
// Each versioned file's hash, which the pages' links carry (worker/static-assets.ts): written after every file it names.
const versions = Object.fromEntries(
  VERSIONED_ASSETS.map((path) => [
    path,
    createHash("sha256")
      .update(readFileSync(resolve(root, `public${path}`)))
      .digest("hex")
      .slice(0, HASH_CHARS),
  ]),
);
writeFileSync(resolve(root, `public${ASSET_MANIFEST}`), `${JSON.stringify(versions, null, 2)}\n`);
// Static files get the Worker's security headers, and versioned ones a year's cache; their one home is worker/security.ts.
writeFileSync(resolve(root, "public/_headers"), await assetHeadersFile());
