import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { appUrl, databaseUrl, historyExportUrl, historyUrl, hostUrl, opUrl, query } from "../../../worker/urls.js";

/** Every .ts/.tsx file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe("worker/urls.ts, the one home of the dashboard's URLs", () => {
  it("encodes each segment that came from data, and leaves empty query values out", () => {
    expect(appUrl("h1", "a b/c", "/config")).toBe("/hosts/h1/apps/a%20b%2Fc/config");
    expect(opUrl("h1", "x/../y")).toBe("/hosts/h1/ops/x%2F..%2Fy");
    expect(historyUrl("h1", { app: "web", show: undefined, offset: 50, text: "" })).toBe("/hosts/h1/history?app=web&offset=50");
    expect(historyExportUrl("h1", "csv", { op: "apps:create" })).toBe("/hosts/h1/history/export.csv?op=apps%3Acreate");
    expect(databaseUrl("h1")).toBe("/hosts/h1/databases");
    expect(databaseUrl("h1", "postgres", "db")).toBe("/hosts/h1/databases/postgres/db");
    expect(hostUrl("h1")).toBe("/hosts/h1");
    expect(query({})).toBe("");
  });

  it("is the only place in worker/ that writes a host's URL by hand", () => {
    const offenders = sources("worker")
      .filter((file) => !file.endsWith("urls.ts"))
      .flatMap((file) =>
        readFileSync(file, "utf8")
          .split("\n")
          .map((line, i) => ({ file, line: i + 1, text: line }))
          .filter(({ text }) => /`\/hosts\/\$\{/.test(text)),
      )
      .map(({ file, line }) => `${file}:${line}`);
    expect(offenders).toEqual([]);
  });
});
