import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { descendantsOf } from "../../relay/process/process-tree.js";
import { historyOf } from "../support/history.js";
import { useStack } from "../support/use-stack.js";
import { DUMP_UPLOAD_MAX_BYTES } from "../../protocol/byte-frames.js";

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

const BOUNDARY = "----docklight-test-4c1d";
/** The import form as a browser posts it: the name typed again, then the file. */
function importForm(confirm: string, file: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="confirm"\r\n\r\n${confirm}\r\n`),
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="dump"; filename="db.dump"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}
const postImport = (service: string, body: Buffer | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
  fetch(`${stack.url}/hosts/demo/databases/postgres/${service}/import`, {
    method: "POST",
    headers: { cookie: stack.cookie, origin: stack.url, "content-type": `multipart/form-data; boundary=${BOUNDARY}`, ...headers },
    body,
    redirect: "manual",
    ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit);
const dumpOf = (service: string) => readFileSync(join(stack.relays.demo!.sim.dir, "dumps", `postgres-${service}`));
/** The import commands the host has run, as history has them. */
const imports = () => historyOf(stack.relays.demo!.db).filter((r) => r.argv[1]?.endsWith(":import") || r.argv[1]?.endsWith(":exists"));

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

describe("database import through the edge and the relay", () => {
  it("round trip: a 20 MiB export imported into another service arrives byte for byte, its page says so, and the marker is nowhere", async () => {
    await stack.relays.demo!.sim.dokku("postgres:create", "copy");
    const dump = pgDump(20 * MIB);
    mkdirSync(join(stack.relays.demo!.sim.dir, "dumps"), { recursive: true });
    writeFileSync(join(stack.relays.demo!.sim.dir, "dumps", "postgres-main-db"), dump);
    const exported = Buffer.from(await (await get("/hosts/demo/databases/postgres/main-db/export")).arrayBuffer());
    expect(exported.equals(dump)).toBe(true);

    const before = relayRss();
    const res = await postImport("copy", importForm("copy", exported));
    expect(res.status).toBe(303);
    const opPage = res.headers.get("location")!;
    expect(opPage).toMatch(/^\/hosts\/demo\/ops\/[0-9a-f-]{36}$/);
    // the import runs on the host once the whole dump is there: wait for its state, not for time
    for (let i = 0; i < 600 && !imports().some((r) => r.argv.join(" ") === "dokku postgres:import copy" && r.outcome === "ok"); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(dumpOf("copy").equals(dump)).toBe(true);
    expect(relayRss() - before).toBeLessThan(dump.length);
    let html = "";
    for (let i = 0; i < 600 && (html = await (await get(opPage)).text()).includes("(running)"); i++) await new Promise((r) => setTimeout(r, 100));
    // an ended change's page shows what history kept of it
    expect(html).toContain(`import of copy, ${dump.length} bytes`);
    expect(imports().find((r) => r.argv.join(" ") === "dokku postgres:import copy")).toMatchObject({ stdout: `import of copy, ${dump.length} bytes` });
    const texts = [
      JSON.stringify(historyOf(stack.relays.demo!.db)),
      html,
      await (await get("/hosts/demo/history")).text(),
      stack.relays.demo!.proc.output(),
      stack.edge.output(),
    ];
    for (const t of texts) for (const form of markerForms) expect(t).not.toContain(form);
  });

  it("an upload larger than the limit is refused by its size before anything runs on the host", async () => {
    const ran = imports().length;
    const res = await postImport("main-db", importForm("main-db", Buffer.alloc(8)), { "content-length": String(DUMP_UPLOAD_MAX_BYTES + 1024 * 1024) }).catch(
      (e: Error) => e,
    );
    // undici refuses a body shorter than the length it was told: send one as long, as a stream
    const big =
      res instanceof Error
        ? await postImport("main-db", streamOf(DUMP_UPLOAD_MAX_BYTES + 1024 * 1024), { "content-length": String(DUMP_UPLOAD_MAX_BYTES + 1024 * 1024) })
        : res;
    expect(big.status).toBe(413);
    expect(await big.text()).toContain("an import takes a dump of at most 90 MiB. Nothing was sent to the host.");
    expect(imports()).toHaveLength(ran);
  });

  it("the name not typed again is refused with nothing imported; a missing service is 404 with the plugin's words", async () => {
    const before = dumpOf("main-db");
    const wrong = await postImport("main-db", importForm("main", pgDump(1000)));
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("main-db, exactly to confirm");
    expect(dumpOf("main-db").equals(before)).toBe(true);
    const missing = await postImport("nope", importForm("nope", pgDump(1000)));
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("Postgres service nope does not exist");
  });
});

/** `n` bytes of a multipart body as a stream (never held whole). */
function streamOf(n: number): ReadableStream<Uint8Array> {
  let left = n;
  const head = importForm("main-db", Buffer.alloc(0)).subarray(0, -`\r\n--${BOUNDARY}--\r\n`.length);
  let first = true;
  return new ReadableStream({
    pull(c) {
      if (first) {
        first = false;
        left -= head.length;
        return c.enqueue(new Uint8Array(head));
      }
      if (left <= 0) return c.close();
      const k = Math.min(left, 1024 * 1024);
      left -= k;
      c.enqueue(new Uint8Array(k));
    },
  });
}
