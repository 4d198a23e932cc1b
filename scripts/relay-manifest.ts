import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

/**
 * The relay artifact's package.json and package-lock.json. Its only install-time dependency is the
 * native one the bundle cannot hold, better-sqlite3, at the root project's pinned version; the
 * lock is cut from the root package-lock.json (same versions, same integrity hashes), so the
 * host's `npm ci` installs exactly what the project tested.
 */
export const NATIVE_DEPENDENCIES = ["better-sqlite3"] as const;

const rootManifest = z.object({
  version: z.string(),
  license: z.string(),
  engines: z.object({ node: z.string() }),
  dependencies: z.record(z.string(), z.string()),
});

const lockEntry = z.looseObject({
  version: z.string().optional(),
  integrity: z.string().optional(),
  dependencies: z.record(z.string(), z.string()).optional(),
  optionalDependencies: z.record(z.string(), z.string()).optional(),
});
const lockfile = z.object({ lockfileVersion: z.literal(3), packages: z.record(z.string(), lockEntry) });
type LockEntry = z.infer<typeof lockEntry>;

/** The root project's package.json, checked. */
export function readRootManifest(root: string): z.infer<typeof rootManifest> {
  return rootManifest.parse(JSON.parse(readFileSync(join(root, "package.json"), "utf8")));
}

/** Where npm placed `name` as seen from the package at `from` (node_modules lookup, innermost first). */
function locate(packages: Record<string, LockEntry>, from: string, name: string): string {
  for (let dir = from; ;) {
    const candidate = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!dir) throw new Error(`package-lock.json has no entry for ${name} (needed by ${from || "the root"})`);
    const parent = dir.lastIndexOf("/node_modules/");
    dir = parent < 0 ? "" : dir.slice(0, parent);
  }
}

/** The manifest and lockfile of the artifact, version `version`. */
export function relayManifest(root: string, version: string): { manifest: object; lock: object } {
  const pkg = readRootManifest(root);
  const dependencies = Object.fromEntries(
    NATIVE_DEPENDENCIES.map((name) => {
      const pinned = pkg.dependencies[name];
      if (!pinned) throw new Error(`the root package.json does not depend on ${name}`);
      return [name, pinned];
    }),
  );
  const manifest = {
    name: "docklight-relay",
    version,
    description: "The Docklight relay for a Dokku host (one bundled file; see docklight-relay --help).",
    private: true,
    type: "module",
    license: pkg.license,
    bin: { "docklight-relay": "relay.mjs" },
    engines: { node: pkg.engines.node },
    dependencies,
  };
  const lockPath = join(root, "package-lock.json");
  if (!existsSync(lockPath)) throw new Error("package-lock.json is missing: run npm install first");
  const { packages } = lockfile.parse(JSON.parse(readFileSync(lockPath, "utf8")));
  const picked: Record<string, LockEntry> = {};
  const visit = (from: string, deps: Record<string, string> = {}) => {
    for (const name of Object.keys(deps)) {
      const path = locate(packages, from, name);
      if (picked[path]) continue;
      // Flags such as dev/devOptional/peer describe the root project, not this one.
      const { dev: _d, devOptional: _o, peer: _p, ...entry } = packages[path]!;
      picked[path] = entry;
      visit(path, { ...entry.dependencies, ...entry.optionalDependencies });
    }
  };
  visit("", dependencies);
  const sorted = Object.fromEntries(Object.entries(picked).sort(([a], [b]) => a.localeCompare(b)));
  const lock = {
    name: manifest.name,
    version,
    lockfileVersion: 3,
    requires: true,
    packages: { "": { name: manifest.name, version, license: pkg.license, dependencies, engines: manifest.engines }, ...sorted },
  };
  return { manifest, lock };
}
