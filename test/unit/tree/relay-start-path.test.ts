import { resolve } from "node:path";
import { build, type Metafile } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../../..");

/**
 * The project files `entry` loads before any op arrives: its static imports, followed to the end
 * as esbuild bundles them (type-only imports are gone; a dynamic `import()` is a later load, not
 * followed). Paths are relative to the repository.
 */
function staticClosure(meta: Metafile, entry: string): Set<string> {
  const seen = new Set([entry]);
  const queue = [entry];
  while (queue.length > 0) {
    for (const i of meta.inputs[queue.shift()!]?.imports ?? []) {
      if (i.kind !== "import-statement" || i.external || seen.has(i.path)) continue;
      seen.add(i.path);
      queue.push(i.path);
    }
  }
  return seen;
}

// The op declarations (every op's argument and reply schemas) and the catalog are the op path's:
// the relay loads them on the first frame that needs them (relay/cli/serve.ts), so an idle relay
// carries none of them (bench:relay-idle: about 2 MiB). History's own schemas are needed at start.
const OP_PATH = /^(protocol\/ops\.ts|protocol\/ops\/(?!history\.ts|history-chain\.ts|spec\.ts)[^/]+\.ts|relay\/catalog\/|relay\/ops\/dispatch\.ts)/;

describe("what the relay loads at start", () => {
  let meta: Metafile;
  beforeAll(async () => {
    const out = await build({
      absWorkingDir: ROOT,
      entryPoints: ["relay/cli/main.ts", "relay/cli/serve.ts", "relay/ops/dispatch.ts"],
      bundle: true,
      platform: "node",
      format: "esm",
      outdir: "/nonexistent",
      write: false,
      metafile: true,
      logLevel: "silent",
      external: ["better-sqlite3"],
    });
    meta = out.metafile;
  });

  it("holds no op declaration and no catalog entry: those load with the first op", () => {
    const start = new Set([...staticClosure(meta, "relay/cli/main.ts"), ...staticClosure(meta, "relay/cli/serve.ts")]);
    expect(start.size).toBeGreaterThan(50);
    expect([...start].filter((f) => OP_PATH.test(f))).toEqual([]);
  });

  it("would see them, as the op path loads them", () => {
    const opPath = [...staticClosure(meta, "relay/ops/dispatch.ts")].filter((f) => OP_PATH.test(f));
    expect(opPath).toContain("protocol/ops.ts");
    expect(opPath.some((f) => f.startsWith("relay/catalog/"))).toBe(true);
  });
});
