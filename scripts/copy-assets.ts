import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { assetHeadersFile } from "../worker/security.js";

/** htmx and @simplewebauthn/browser are served from public/vendor, copied from the pinned npm package (never a CDN). */
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = resolve(root, "node_modules/htmx.org/dist");
const vendor = resolve(root, "public/vendor");
mkdirSync(vendor, { recursive: true });
for (const file of ["htmx.min.js", "ext/hx-sse.min.js"]) {
  copyFileSync(resolve(dist, file), resolve(vendor, file.replace("ext/", "")));
}
// @simplewebauthn/browser's own bundle (the passkey ceremonies), likewise from its pinned package.
copyFileSync(resolve(root, "node_modules/@simplewebauthn/browser/dist/bundle/index.umd.min.js"), resolve(vendor, "simplewebauthn-browser.min.js"));
// Static files get the Worker's security headers; their one home is worker/security.ts.
writeFileSync(resolve(root, "public/_headers"), await assetHeadersFile());
