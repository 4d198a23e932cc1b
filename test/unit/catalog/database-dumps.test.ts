import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BYTES_WINDOW } from "../../../protocol/byte-frames.js";
import { byteEdge } from "../../support/byte-edge.js";
import { defineMatrix, freshSims } from "../../support/ops-matrix.js";
import { runOp, simRelay } from "../../support/ops.js";
import type { Sim } from "../../support/sim.js";

const sim = freshSims();
const pg = { plugin: "postgres", service: "main-db" } as const;
const pgImport = { ...pg, confirm: "main-db" } as const;
const MARKER = "DUMP-MARKER-7f3a9c1e-never-shown";

/** A PostgreSQL custom-format dump (pg_restore takes only "PGDMP" first) of `size` bytes carrying MARKER. */
function pgDump(size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + (i >> 8)) & 0xff;
  b.write("PGDMP", 0, "latin1");
  b.write(MARKER, 64, "latin1");
  return b;
}

/** Install the datastore plugins the simulator's demo host lacks (it has postgres and redis). */
async function installPlugins(s: Sim, ...plugins: string[]): Promise<void> {
  await s.dokku("plugin:list");
  const file = join(s.dir, "state.json");
  const state = JSON.parse(readFileSync(file, "utf8")) as { plugins: Record<string, unknown> };
  for (const p of plugins) state.plugins[p] = { version: "1.40.0", enabled: true, description: `dokku ${p} service plugin` };
  writeFileSync(file, JSON.stringify(state));
}

/** The dump the simulated service holds (as its plugin would export it). */
function storeDump(s: Sim, plugin: string, service: string, data: Buffer): void {
  mkdirSync(join(s.dir, "dumps"), { recursive: true });
  writeFileSync(join(s.dir, "dumps", `${plugin}-${service}`), data);
}
const storedDump = (s: Sim, plugin: string, service: string) => readFileSync(join(s.dir, "dumps", `${plugin}-${service}`));

/** Everything history keeps, as one text: argv, both streams, of every row. */
function historyText(relay: ReturnType<typeof simRelay>): string {
  return JSON.stringify(relay.history.list(1000, 0).entries);
}

/**
 * Both ops in the op matrix: the happy path, a missing service, a Dokku failure, a hang; each run
 * with byte streams of its own (an import's with a dump to upload). The byte-level checks follow.
 */
defineMatrix([
  {
    op: "databases.export",
    args: pg,
    command: "postgres:export",
    relay: () => ({ bytes: byteEdge().links }),
    check: (r) => expect(r.bytes).toBeGreaterThan(0),
    missing: { ...pg, service: "ghost" },
    missingMessage: /^Postgres service ghost does not exist$/,
  },
  {
    op: "databases.import",
    args: pgImport,
    command: "postgres:import",
    relay: () => {
      const edge = byteEdge();
      edge.upload(pgDump(100));
      return { bytes: edge.links };
    },
    check: (r) => expect(r).toEqual({ output: "Imported 100 bytes into main-db.\n" }),
    missing: { ...pg, service: "ghost", confirm: "ghost" },
    missingMessage: /^Postgres service ghost does not exist$/,
  },
]);

describe.concurrent("databases.export on the simulator", () => {
  it("streams the plugin's stdout as bytes under credit; the result and history give only the count", async () => {
    const s = sim();
    const dump = pgDump(3 * BYTES_WINDOW + 12_345);
    storeDump(s, "postgres", "main-db", dump);
    const edge = byteEdge();
    const relay = simRelay(s, { bytes: edge.links });
    expect(await runOp(relay, "databases.export", pg)).toEqual({ bytes: dump.length });
    expect(edge.received().equals(dump)).toBe(true);
    expect(edge.links.open).toBe(0);
    const [row] = relay.history.list(10, 0).entries;
    expect(row).toMatchObject({ argv: ["dokku", "postgres:export", "main-db"], outcome: "ok", stdout: `export of main-db, ${dump.length} bytes` });
    expect(historyText(relay)).not.toContain(MARKER);
  });

  it("a service never imported into exports its tool's empty dump; mysqldump's warning stays on stderr", async () => {
    const s = sim();
    await installPlugins(s, "mysql");
    await s.dokku("mysql:create", "shop");
    const edge = byteEdge();
    const relay = simRelay(s, { bytes: edge.links });
    const r = await runOp(relay, "databases.export", { plugin: "mysql", service: "shop" });
    expect(edge.received().toString()).toMatch(/^-- MySQL dump 10\.13/);
    expect(r.bytes).toBe(edge.received().length);
    expect(relay.history.list(10, 0).entries[0]!.stderr).toContain("mysqldump: [Warning] Using a password");
  });

  it("a missing service is not_found with the plugin's words, and no byte was sent", async () => {
    const edge = byteEdge();
    const err = await runOp(simRelay(sim(), { bytes: edge.links }), "databases.export", { plugin: "postgres", service: "nope" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "not_found", message: "Postgres service nope does not exist" });
    expect(edge.frames).toEqual([]);
    expect(edge.links.open).toBe(0);
  });

  it("a hanging export is a timeout that leaves no byte stream open", async () => {
    const s = sim();
    s.faults({ "postgres:export": { hang: true } });
    const edge = byteEdge();
    const err = await runOp(simRelay(s, { bytes: edge.links, timeoutMs: 700 }), "databases.export", pg).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "timeout" });
    expect(edge.links.open).toBe(0);
  });

  it("a reader that takes nothing more stops the export once its window is sent: cancelled, saying it stalled", async () => {
    const s = sim();
    storeDump(s, "postgres", "main-db", pgDump(4 * BYTES_WINDOW));
    const edge = byteEdge({ stall: true, stallMs: 300 });
    const relay = simRelay(s, { bytes: edge.links });
    const err = await runOp(relay, "databases.export", pg).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "cancelled", message: expect.stringMatching(/stalled/) });
    // never past the credit it had
    expect(edge.received().length).toBe(BYTES_WINDOW);
    expect(edge.links.open).toBe(0);
    expect(relay.history.list(10, 0).entries[0]!.outcome).toBe("cancelled");
  });
});

describe.concurrent("databases.import on the simulator", () => {
  it("takes the whole dump, then feeds it to the plugin's import; history keeps the count, never the dump", async () => {
    const s = sim();
    const dump = pgDump(2 * BYTES_WINDOW + 777);
    const edge = byteEdge();
    edge.upload(dump);
    const relay = simRelay(s, { bytes: edge.links });
    expect(await runOp(relay, "databases.import", pgImport)).toEqual({ output: `Imported ${dump.length} bytes into main-db.\n` });
    expect(storedDump(s, "postgres", "main-db").equals(dump)).toBe(true);
    expect(relay.argvs).toEqual([
      ["postgres:exists", "main-db"],
      ["postgres:import", "main-db"],
    ]);
    const rows = relay.history.list(10, 0).entries;
    expect(rows.find((r) => r.argv[1] === "postgres:import")).toMatchObject({ outcome: "ok", stdout: `import of main-db, ${dump.length} bytes` });
    expect(historyText(relay)).not.toContain(MARKER);
    expect(relay.chunks.join("")).not.toContain(MARKER);
    // the relay never let the edge send more than a window ahead
    const credits = edge.frames.filter((f) => f.type === "credit").map((f) => f.upTo);
    expect(credits[0]).toBe(BYTES_WINDOW);
    expect(edge.links.open).toBe(0);
  });

  it("a missing service is not_found before any byte is asked for", async () => {
    const edge = byteEdge();
    edge.upload(pgDump(1000));
    const relay = simRelay(sim(), { bytes: edge.links });
    const err = await runOp(relay, "databases.import", { plugin: "postgres", service: "nope", confirm: "nope" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "not_found", message: "Postgres service nope does not exist" });
    expect(edge.frames).toEqual([]);
    expect(relay.argvs).toEqual([["postgres:exists", "nope"]]);
  });

  it("an upload that breaks off imports nothing: the import never runs and the data stays", async () => {
    const s = sim();
    const before = pgDump(5000);
    storeDump(s, "postgres", "main-db", before);
    const edge = byteEdge({ stallMs: 300 });
    edge.upload(pgDump(3 * BYTES_WINDOW), BYTES_WINDOW + 10);
    const relay = simRelay(s, { bytes: edge.links });
    const err = await runOp(relay, "databases.import", pgImport).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: "bad_request",
      message: expect.stringMatching(/^the upload stopped after \d+ bytes \(the upload stalled.*nothing was imported$/),
    });
    expect(relay.argvs).toEqual([["postgres:exists", "main-db"]]);
    expect(storedDump(s, "postgres", "main-db").equals(before)).toBe(true);
    expect(edge.links.open).toBe(0);
  });

  it("a restore that fails says so without its tool's output, which can quote the dump's rows", async () => {
    const s = sim();
    const edge = byteEdge();
    edge.upload(Buffer.from(`not an archive ${MARKER}`));
    const relay = simRelay(s, { bytes: edge.links });
    const err = (await runOp(relay, "databases.import", pgImport).catch((e: unknown) => e)) as Error & { code: string };
    expect(err).toMatchObject({
      code: "dokku_error",
      message: expect.stringMatching(/^the import failed \(exit 1\); the restore tool's own output is not kept/),
    });
    expect(historyText(relay)).not.toContain("pg_restore");
    expect(historyText(relay)).not.toContain(MARKER);
    expect(err.message).not.toContain(MARKER);
  });

  it("round trip: what one service exports, another imports byte for byte (redis, mongo, mariadb too)", async () => {
    const s = sim();
    await installPlugins(s, "mongo", "mariadb");
    for (const plugin of ["redis", "mongo", "mariadb"] as const) {
      await s.dokku(`${plugin}:create`, "a");
      await s.dokku(`${plugin}:create`, "b");
      const out = byteEdge();
      await runOp(simRelay(s, { bytes: out.links }), "databases.export", { plugin, service: "a" });
      const into = byteEdge();
      into.upload(out.received());
      await runOp(simRelay(s, { bytes: into.links }), "databases.import", { plugin, service: "b", confirm: "b" });
      expect(storedDump(s, plugin, "b").equals(out.received()), plugin).toBe(true);
    }
  });
});
