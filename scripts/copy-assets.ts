import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { transform } from "esbuild";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { assetHeadersFile } from "../worker/security.js";

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
// The pages' stylesheet, minified (worker/pages/app.css is the source): 0.5 KB less gzipped on every first load.
const css = await transform(readFileSync(resolve(root, "worker/pages/app.css"), "utf8"), { loader: "css", minify: true });
writeFileSync(resolve(root, "public/app.css"), css.code);
// Static files get the Worker's security headers; their one home is worker/security.ts.
writeFileSync(resolve(root, "public/_headers"), await assetHeadersFile());
