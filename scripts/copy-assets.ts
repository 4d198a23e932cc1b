import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** htmx is served from public/vendor, copied from the pinned npm package (never a CDN). */
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = resolve(root, "node_modules/htmx.org/dist");
const vendor = resolve(root, "public/vendor");
mkdirSync(vendor, { recursive: true });
for (const file of ["htmx.min.js", "ext/hx-sse.min.js"]) {
  copyFileSync(resolve(dist, file), resolve(vendor, file.replace("ext/", "")));
}
