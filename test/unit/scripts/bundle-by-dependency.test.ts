import type { Metafile } from "esbuild";
import { describe, expect, it } from "vitest";
import { bundleByDependency, formatByDependency } from "../../../scripts/build-relay.js";

/** A metafile with one output whose inputs are the given files and the bytes esbuild kept of each. */
function metafileOf(inputs: Record<string, number>): Metafile {
  return {
    inputs: {},
    outputs: {
      "relay.mjs": {
        bytes: 0,
        imports: [],
        exports: [],
        inputs: Object.fromEntries(Object.entries(inputs).map(([f, bytesInOutput]) => [f, { bytesInOutput }])),
      },
    },
  };
}

describe("relay.mjs by dependency (bench:relay-artifact, build:relay --by-dependency)", () => {
  it("sums each package, scoped ones by scope/name, zod's English-only locales as zod, the native loader by its package, and this project's folders", () => {
    const rows = bundleByDependency(
      metafileOf({
        "node_modules/zod/v4/core/core.js": 3000,
        "node_modules/zod/v4/classic/schemas.js": 2000,
        "zod-en:/repo/node_modules/zod/v4/locales/en.js": 500,
        "node_modules/@pinojs/redact/index.js": 700,
        "node_modules/pino/node_modules/sonic-boom/index.js": 300,
        "lazy-native:better-sqlite3": 40,
        "relay/cli/serve.ts": 900,
        "relay/link/socket.ts": 100,
        "protocol/frames.ts": 800,
      }),
    );
    expect(rows).toEqual([
      { name: "zod", bytes: 5500 },
      { name: "relay", bytes: 1000 },
      { name: "protocol", bytes: 800 },
      { name: "@pinojs/redact", bytes: 700 },
      { name: "sonic-boom", bytes: 300 },
      { name: "better-sqlite3", bytes: 40 },
    ]);
  });

  it("prints the largest, then the rest in one line, then the total, each with its share", () => {
    const lines = formatByDependency(
      [
        { name: "zod", bytes: 3 * 1024 },
        { name: "relay", bytes: 1024 },
        { name: "ws", bytes: 512 },
        { name: "pino", bytes: 512 },
      ],
      2,
    );
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^ {2}zod +3\.0 KiB +60\.0%$/);
    expect(lines[1]).toMatch(/^ {2}relay +1\.0 KiB +20\.0%$/);
    expect(lines[2]).toMatch(/^ {2}\(2 more\) +1\.0 KiB +20\.0%$/);
    expect(lines[3]).toMatch(/^ {2}total +5\.0 KiB +100\.0%$/);
  });
});
