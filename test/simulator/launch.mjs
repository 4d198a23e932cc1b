// @ts-nocheck: a plain launcher, run by node as is (the old extensionless ./dokku was not type-checked either)
// The Dokku simulator's launcher, for ./dokku and ./docker (the relay's image commands). It starts
// once per simulated command, so it runs a bundle of the TypeScript sources (about 4x faster than
// compiling through tsx each time), rebuilt whenever a source is newer than the bundle. Without esbuild (a production install) it runs through tsx.
import { readdirSync, renameSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const bundle = join(here, ".build", "dokku.mjs");

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

let fresh = false;
try {
  fresh = statSync(bundle).mtimeMs >= newestSource(here);
} catch {
  // no bundle yet
}
if (!fresh) {
  try {
    const { buildSync } = await import("esbuild");
    const tmp = `${bundle}.${process.pid}.tmp`;
    buildSync({ entryPoints: [join(here, "cli.ts")], bundle: true, platform: "node", format: "esm", target: "node20", outfile: tmp, logLevel: "silent" });
    renameSync(tmp, bundle);
    fresh = true;
  } catch {
    // esbuild is a dev dependency; fall back to tsx below
  }
}
if (fresh) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("./cli.ts");
}
