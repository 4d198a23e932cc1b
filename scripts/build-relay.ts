import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { build, type BuildOptions, type Metafile, type Plugin } from "esbuild";
import { PROTOCOL_VERSION } from "../protocol/frames.js";
import { thirdPartyNotices } from "./relay-licenses.js";
import { NATIVE_DEPENDENCIES, readRootManifest, relayManifest } from "./relay-manifest.js";

/**
 * `npm run build:relay`: the relay as an artifact, not a checkout. Writes to dist/relay/:
 *   docklight-relay-VERSION.tgz  one folder, docklight-relay/, holding relay.mjs and its chunks
 *                                relay-*.mjs (the whole relay bundled by esbuild: no tsx, TypeScript
 *                                or dev package at run time),
 *                                package.json + package-lock.json (only better-sqlite3, pinned),
 *                                migrations/, and the bundled packages' licenses
 *   latest.json                  version, protocol, file name, sha256 and size of the tarball
 *   install.sh                   deploy/install.sh, the one command's script
 * and copies the three into public/ (public/relay/… and public/install.sh), which the edge serves.
 * The tarball is reproducible: same sources, same bytes, same sha256 (no git, no timestamps).
 *
 *   --version V   stamp another version (tests build an "upgrade")    --out DIR   instead of dist/relay
 *   --no-public   do not copy into public/
 *   --by-dependency   also print the bundle's size by dependency (formatByDependency)
 */
export const ROOT = resolve(import.meta.dirname, "..");

/** The Node.js the installer brings, under the relay's own folder, when the host has none new enough. */
export const NODE_RUNTIME = "22.20.0";

/**
 * Native modules stay outside the bundle and load through require() where they are first needed
 * (an ES import would be hoisted to the top and load them at start): `--help`, `--version` and
 * `doctor` then work, and doctor can report it, even when the native module does not load.
 */
const lazyNative: Plugin = {
  name: "lazy-native",
  setup(b) {
    const filter = new RegExp(`^(${NATIVE_DEPENDENCIES.join("|")})$`);
    b.onResolve({ filter }, (args) => (args.namespace === "lazy-native" ? { path: args.path, external: true } : { path: args.path, namespace: "lazy-native" }));
    b.onLoad({ filter: /.*/, namespace: "lazy-native" }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: "js" }));
  },
};

/**
 * zod re-exports every one of its ~50 locales (`export * as locales` in zod/v4/classic/external.js
 * and zod/v4/core/index.js), which esbuild cannot drop: 296 KiB of the bundle, for messages the relay
 * only ever writes in English. Its locales index resolves to one that holds `en` alone.
 */
const zodEnglishOnly: Plugin = {
  name: "zod-english-only",
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: resolve(args.resolveDir, "../locales/en.js"), namespace: "zod-en" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "zod-en" }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      loader: "js",
      resolveDir: ROOT,
    }));
  },
};

/**
 * Bytes each package (or this project's folder) adds to a bundle, largest first, from esbuild's
 * metafile; a package nested in another's node_modules counts as itself.
 */
export function bundleByDependency(metafile: Metafile): Array<{ name: string; bytes: number }> {
  const by = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg =
        /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ??
        file
          .replace(/^zod-en:.*/, "zod")
          .replace(/^lazy-native:/, "")
          .split("/")[0]!;
      by.set(pkg, (by.get(pkg) ?? 0) + bytesInOutput);
    }
  }
  return [...by].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/**
 * The table `npm run build:relay -- --by-dependency` and bench:relay-artifact print: the `top`
 * largest parts of the bundle (relay.mjs and its chunks: a package, or this project's relay/ and protocol/), each in KiB and as
 * a share of the bundle, then the rest and the total.
 */
export function formatByDependency(rows: Array<{ name: string; bytes: number }>, top = 12): string[] {
  const total = rows.reduce((sum, r) => sum + r.bytes, 0);
  const line = (name: string, bytes: number) =>
    `  ${name.padEnd(28)} ${(bytes / 1024).toFixed(1).padStart(7)} KiB ${((100 * bytes) / total).toFixed(1).padStart(5)}%`;
  const rest = rows.slice(top);
  return [
    ...rows.slice(0, top).map((r) => line(r.name, r.bytes)),
    ...(rest.length > 0
      ? [
          line(
            `(${rest.length} more)`,
            rest.reduce((sum, r) => sum + r.bytes, 0),
          ),
        ]
      : []),
    line("total", total),
  ];
}

/**
 * How esbuild bundles the relay, less what goes in and where it goes: bench:relay-idle builds its
 * libraries-only program the same way, so the two weigh alike. `version` is stamped as
 * __RELAY_VERSION__.
 */
export function relayBundleOptions(version: string = readRootManifest(ROOT).version): BuildOptions {
  return {
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20.18",
    plugins: [lazyNative, zodEnglishOnly],
    define: { __RELAY_VERSION__: JSON.stringify(version) },
    // Bundled CommonJS (ws, pino) calls require(); an ES module has none, so give each chunk one.
    banner: {
      js: '#!/usr/bin/env node\nimport { createRequire as __docklightRequire } from "node:module";\nconst require = __docklightRequire(import.meta.url);',
    },
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: "none",
    logLevel: "warning",
  };
}

/** Build the artifact (see above); returns where it went and its latest.json. */
export async function buildRelay(opts: { version?: string; out?: string; publish?: boolean } = {}) {
  const root = readRootManifest(ROOT);
  const version = opts.version ?? root.version;
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) throw new Error(`--version ${version} is not a semantic version`);
  const nodeMin = /^>=(\d+)\.(\d+)/.exec(root.engines.node);
  if (!nodeMin) throw new Error(`package.json engines.node (${root.engines.node}) does not start with >=MAJOR.MINOR`);

  const out = resolve(opts.out ?? join(ROOT, "dist/relay"));
  const stageRoot = join(out, "stage");
  const stage = join(stageRoot, "docklight-relay");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });

  const started = Date.now();
  const bundle = await build({
    ...relayBundleOptions(version),
    entryPoints: [join(ROOT, "relay/cli/main.ts")],
    // The relay proper, the op path and the op declarations are imported when first needed
    // (relay/cli/main.ts, serve.ts): in chunks of their own beside relay.mjs, a relay that waits
    // for work never parses them (bench:relay-idle). Beside it, not below: the relay's folder is
    // where each chunk finds migrations/ (relay/cli/artifact.ts).
    outdir: stage,
    splitting: true,
    entryNames: "relay",
    chunkNames: "relay-[name]-[hash]",
    outExtension: { ".js": ".mjs" },
    metafile: true,
  });
  chmodSync(join(stage, "relay.mjs"), 0o755);
  writeFileSync(
    join(stage, "THIRD_PARTY_LICENSES.txt"),
    thirdPartyNotices(
      ROOT,
      Object.keys(bundle.metafile.inputs).filter((f) => !f.startsWith("zod-en:")),
    ),
  );

  const { manifest, lock } = relayManifest(ROOT, version);
  writeFileSync(join(stage, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(stage, "package-lock.json"), `${JSON.stringify(lock, null, 2)}\n`);
  // drizzle's migrator reads meta/_journal.json and the .sql files; the snapshots are for drizzle-kit.
  mkdirSync(join(stage, "migrations/meta"), { recursive: true });
  copyFileSync(join(ROOT, "migrations/meta/_journal.json"), join(stage, "migrations/meta/_journal.json"));
  for (const f of readdirSync(join(ROOT, "migrations")).filter((f) => f.endsWith(".sql")))
    copyFileSync(join(ROOT, "migrations", f), join(stage, "migrations", f));
  copyFileSync(join(ROOT, "deploy/docklight-relay.service"), join(stage, "docklight-relay.service"));

  // Reproducible: sorted names, no owners, one fixed time, normalised modes; gzip without name or time.
  const tar = execFileSync(
    "tar",
    [
      "--sort=name",
      "--mtime=@0",
      "--owner=0",
      "--group=0",
      "--numeric-owner",
      "--mode=u+rwX,go+rX,go-w",
      "--format=gnu",
      "-C",
      stageRoot,
      "-cf",
      "-",
      "docklight-relay",
    ],
    { maxBuffer: 256 * 1024 * 1024 },
  );
  const tgz = gzipSync(tar, { level: 9 });
  const file = `docklight-relay-${version}.tgz`;
  writeFileSync(join(out, file), tgz);
  rmSync(stageRoot, { recursive: true, force: true });

  const latest = {
    name: "docklight-relay",
    version,
    protocolVersion: PROTOCOL_VERSION,
    file,
    sha256: createHash("sha256").update(tgz).digest("hex"),
    size: tgz.length,
    nodeMin: `${nodeMin[1]}.${nodeMin[2]}.0`,
    nodeRuntime: NODE_RUNTIME,
  };
  writeFileSync(join(out, "latest.json"), `${JSON.stringify(latest, null, 2)}\n`);
  copyFileSync(join(ROOT, "deploy/install.sh"), join(out, "install.sh"));
  chmodSync(join(out, "install.sh"), 0o755);

  if (opts.publish ?? true) {
    const pub = join(ROOT, "public/relay");
    rmSync(pub, { recursive: true, force: true });
    mkdirSync(pub, { recursive: true });
    cpSync(join(out, file), join(pub, file));
    cpSync(join(out, "latest.json"), join(pub, "latest.json"));
    cpSync(join(out, "install.sh"), join(ROOT, "public/install.sh"));
  }
  return { out, file, latest, ms: Date.now() - started, byDependency: bundleByDependency(bundle.metafile) };
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  const { values } = parseArgs({
    options: { version: { type: "string" }, out: { type: "string" }, "no-public": { type: "boolean" }, "by-dependency": { type: "boolean" } },
    strict: true,
  });
  const built = await buildRelay({ version: values.version, out: values.out, publish: !values["no-public"] });
  const { version, size, sha256 } = built.latest;
  console.log(
    `relay ${version}: ${built.file} (${Math.round(size / 1024)} KiB, sha256 ${sha256.slice(0, 16)}…) in ${built.out}${values["no-public"] ? "" : " and public/"} — ${built.ms} ms`,
  );
  if (values["by-dependency"])
    console.log(["the bundle (relay.mjs and its chunks) by dependency (bytes esbuild kept of each)", ...formatByDependency(built.byDependency)].join("\n"));
}
