import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { descendantsOf } from "../../relay/process/process-tree.js";
import { historyOf } from "../support/history.js";
import { useStack } from "../support/use-stack.js";

/**
 * A database's dump through the real edge and relay: a 20 MiB export streams to the browser byte for
 * byte while the relay's memory stays far below the dump's size, and the marker the dump carries
 * shows nowhere but in the download (pages, history, both processes' logs).
 */
const stack = useStack();
const MIB = 1024 * 1024;
const MARKER = "DUMP-MARKER-5b8e2d41-never-shown";

/** A PostgreSQL custom-format dump of `size` bytes carrying MARKER every MiB. */
function pgDump(size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 131 + (i >> 10)) & 0xff;
  b.write("PGDMP", 0, "latin1");
  for (let at = 100; at < size - MARKER.length; at += MIB) b.write(MARKER, at, "latin1");
  return b;
}

/** The marker as text and as each of its three base64 alignments (how it would look inside a frame). */
const markerForms = [
  MARKER,
  ...[0, 1, 2].map((k) =>
    Buffer.from(`${"x".repeat(k)}${MARKER}`)
      .toString("base64")
      .slice(Math.ceil((k * 4) / 3) + 2, -4),
  ),
];

/** Resident memory of the relay's own node process (not the simulator's), in bytes. */
function relayRss(): number {
  const root = stack.relays.demo!.proc.child.pid!;
  let total = 0;
  for (const pid of [root, ...descendantsOf(root)]) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("simulator")) continue;
      total = Math.max(total, Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024);
    } catch {
      // gone
    }
  }
  return total;
}

const get = (path: string) => fetch(`${stack.url}${path}`, { headers: { cookie: stack.cookie }, redirect: "manual" });

describe("database export through the edge and the relay", () => {
  it("streams a 20 MiB dump whole, with bounded relay memory, and its bytes appear nowhere else", async () => {
    const dump = pgDump(20 * MIB);
    const dir = join(stack.relays.demo!.sim.dir, "dumps");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "postgres-main-db"), dump);

    const before = relayRss();
    let peak = before;
    const res = await get("/hosts/demo/databases/postgres/main-db/export");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="main-db-\d{4}-\d\d-\d\d\.dump"$/);
    const parts: Buffer[] = [];
    const reader = res.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(Buffer.from(value));
      peak = Math.max(peak, relayRss());
    }
    const got = Buffer.concat(parts);
    expect(got.length).toBe(dump.length);
    expect(got.equals(dump)).toBe(true);
    // holding the dump (or its base64) would add more than its own size
    expect(peak - before).toBeLessThan(dump.length);

    const row = historyOf(stack.relays.demo!.db).find((r) => r.argv.join(" ") === "dokku postgres:export main-db");
    expect(row).toMatchObject({ outcome: "ok", stdout: `export of main-db, ${dump.length} bytes` });
    const texts = [
      JSON.stringify(historyOf(stack.relays.demo!.db)),
      await (await get("/hosts/demo/history")).text(),
      await (await get("/hosts/demo/history/export.json")).text(),
      await (await get("/hosts/demo/databases/postgres/main-db")).text(),
      stack.relays.demo!.proc.output(),
      stack.edge.output(),
    ];
    for (const t of texts) for (const form of markerForms) expect(t).not.toContain(form);
  });

  it("a service that does not exist answers 404 with the plugin's words, and no download", async () => {
    const res = await get("/hosts/demo/databases/postgres/nope/export");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-disposition")).toBeNull();
    expect(await res.text()).toContain("Postgres service nope does not exist");
  });

  it("the database's page links the download", async () => {
    const html = await (await get("/hosts/demo/databases/postgres/main-db")).text();
    expect(html).toContain('href="/hosts/demo/databases/postgres/main-db/export"');
  });
});
