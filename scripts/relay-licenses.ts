import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

const packageJson = z.object({ name: z.string(), version: z.string(), license: z.string().optional() });

/**
 * The notices of the npm packages bundled into relay.mjs (MIT and the like require their text to
 * travel with copies), from the bundle's esbuild metafile input paths.
 */
export function thirdPartyNotices(root: string, inputs: string[]): string {
  const dirs = new Set<string>();
  for (const input of inputs) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) dirs.add(m[1]!);
  }
  const sections = [...dirs].sort().map((dir) => {
    const abs = join(root, dir);
    const pkg = packageJson.parse(JSON.parse(readFileSync(join(abs, "package.json"), "utf8")));
    const file = readdirSync(abs).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    const text =
      file && existsSync(join(abs, file)) ? readFileSync(join(abs, file), "utf8").trim() : `(no license file; package.json says ${pkg.license ?? "nothing"})`;
    return `${pkg.name} ${pkg.version} — ${pkg.license ?? "see below"}\n\n${text}\n`;
  });
  return `Third-party software bundled in relay.mjs\n${"=".repeat(41)}\n\n${sections.join(`\n${"-".repeat(72)}\n\n`)}`;
}
