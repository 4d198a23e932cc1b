// @ts-check
/**
 * `npm run assets`, and wrangler.toml's `[build]` command (so `wrangler deploy` alone builds them):
 * the static files the edge serves from public/ — htmx, the minified stylesheet and public/_headers (scripts/copy-assets.ts),
 * the relay artifact, latest.json and install.sh (scripts/build-relay.ts).
 *
 * Plain Node, not tsx: `wrangler dev` runs this at every start (twice) and on every change under
 * its watch_dir, and it must cost next to nothing then. It exits at once when every output exists
 * and is newer than every input (file times); otherwise, or with --force, it runs both builders.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");

/** What the assets are made from: folders (walked) and files. */
export const INPUTS = [
  "relay",
  "protocol",
  "migrations",
  "deploy",
  "worker/security.ts",
  "worker/pages/app.css",
  "worker/pages/pages.css",
  "public/hold-reloads.js",
  "public/logs.js",
  "public/passkeys.js",
  "worker/static-assets.ts",
  "scripts/assets.mjs",
  "scripts/copy-assets.ts",
  "scripts/build-relay.ts",
  "scripts/relay-manifest.ts",
  "scripts/relay-licenses.ts",
  "package.json",
  "package-lock.json",
  "node_modules/htmx.org/package.json",
  "node_modules/@simplewebauthn/browser/package.json",
];

/** The outputs in public/; the tarball's name comes from latest.json. */
function outputs() {
  const fixed = [
    "public/vendor/htmx-sse.min.js",
    "public/app.css",
    "public/base.css",
    "public/vendor/simplewebauthn-browser.min.js",
    "public/_headers",
    "public/assets.json",
    "public/install.sh",
    "public/relay/latest.json",
  ];
  try {
    const latest = JSON.parse(readFileSync(join(ROOT, "public/relay/latest.json"), "utf8"));
    return typeof latest.file === "string" ? [...fixed, `public/relay/${latest.file}`] : null;
  } catch {
    return null;
  }
}

/**
 * The newest modification time under `path` (ms), 0 when it does not exist.
 * @param {string} path
 * @returns {number}
 */
function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

/** True when every output exists and is newer than every input. */
export function fresh() {
  const outs = outputs();
  if (!outs || !outs.every((f) => existsSync(join(ROOT, f)))) return false;
  const oldestOutput = Math.min(...outs.map((f) => statSync(join(ROOT, f)).mtimeMs));
  return INPUTS.every((p) => newest(join(ROOT, p)) <= oldestOutput);
}

if (!process.argv.includes("--force") && fresh()) {
  console.log("assets are up to date (public/vendor, public/_headers, public/relay, public/install.sh)");
} else {
  const tsx = join(ROOT, "node_modules/.bin/tsx");
  for (const script of ["scripts/copy-assets.ts", "scripts/build-relay.ts"]) {
    const res = spawnSync(tsx, [join(ROOT, script)], { cwd: ROOT, stdio: "inherit" });
    if (res.status !== 0) process.exit(res.status ?? 1);
  }
}
