import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ROOT } from "../scripts/stack.js";

/**
 * The Worker as `wrangler deploy` would upload it, in figures (printed; never pass or fail): the
 * bundle's size raw and gzipped, and the bytes esbuild kept of each dependency (from wrangler's
 * --metafile of a --dry-run build, offline).
 *
 *   npm run bench:worker-bundle
 */
const dir = mkdtempSync(join(tmpdir(), "docklight-worker-bundle-"));
try {
  execFileSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", join(dir, "out"), "--metafile", join(dir, "meta.json")], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" },
  });
  const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8")) as { outputs: Record<string, { inputs?: Record<string, { bytesInOutput: number }> }> };
  const [, out] = Object.entries(meta.outputs).find(([name]) => name.endsWith("index.js"))!;
  const byDependency = new Map<string, number>();
  for (const [file, { bytesInOutput }] of Object.entries(out.inputs ?? {})) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? "docklight (worker/, protocol/)";
    byDependency.set(name, (byDependency.get(name) ?? 0) + bytesInOutput);
  }
  const code = readFileSync(join(dir, "out", "index.js"));
  console.log(`\nbench/worker-bundle — ${new Date().toISOString()}`);
  console.log(`  index.js   ${(code.length / 1024).toFixed(0)} KiB, gzipped ${(gzipSync(code).length / 1024).toFixed(0)} KiB`);
  console.log("  by dependency (bytes esbuild kept of each)");
  for (const [name, bytes] of [...byDependency].sort((a, b) => b[1] - a[1]).slice(0, 14)) {
    console.log(`    ${name.padEnd(34)} ${(bytes / 1024).toFixed(1).padStart(7)} KiB`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
