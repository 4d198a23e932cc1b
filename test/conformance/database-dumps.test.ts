import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../relay/process/run.js";
import { byteEdge } from "../support/byte-edge.js";
import { makeSim, SIMULATOR, type Sim } from "../support/sim.js";
import { recordings, replay, replayError } from "./harness.js";

/**
 * A datastore's export and import replayed from recordings (fixtures/datastore-dumps.json, each
 * naming the plugin's source it follows): the dump goes to the download byte for byte while the
 * tool's warnings stay out of it, a missing service and a missing, disabled or too old plugin are
 * said for what they are, and the simulator prints exactly what the recordings hold.
 */

const text = (lines: string[]) => (lines.length === 0 ? "" : `${lines.join("\n")}\n`);
const recorded = (id: string) => recordings.get(id)!;
const PGDUMP = Buffer.from("PGDMP\u0001\u000f\u0000 a dump", "latin1");

describe("database export", () => {
  it("the plugin's stdout is the download, byte for byte; mysqldump's password warning stays out of it and the result is the size", async () => {
    const edge = byteEdge();
    const r = await replay("databases.export", { plugin: "mysql", service: "shop" }, "0.35.20", ["mysql-export/ok"], { bytes: edge.links });
    const dump = text(recorded("mysql-export/ok").stdout);
    expect(edge.received().toString()).toBe(dump);
    expect(r).toEqual({ bytes: Buffer.byteLength(dump) });
    expect(edge.received().toString()).not.toContain("[Warning]");
  });

  it("a missing service is not_found in the plugin's words, and no byte is sent", async () => {
    for (const [plugin, id, label] of [
      ["postgres", "postgres-export/missing-service", "Postgres"],
      ["redis", "redis-export/missing-service", "Redis"],
    ] as const) {
      const edge = byteEdge();
      expect(await replayError("databases.export", { plugin, service: "nope" }, "0.35.20", [id], { bytes: edge.links })).toMatchObject({
        code: "not_found",
        message: `${label} service nope does not exist`,
      });
      expect(edge.frames).toEqual([]);
    }
  });

  it("a plugin not installed, or disabled, is unavailable with the one command that fixes it", async () => {
    const edge = byteEdge();
    expect(
      await replayError("databases.export", { plugin: "mysql", service: "shop" }, "0.35.20", ["mysql-export/not-installed", "plugin-list/disabled/0.35.20"], {
        bytes: edge.links,
      }),
    ).toMatchObject({ code: "unavailable", message: "the mysql plugin is not installed — sudo dokku plugin:install https://github.com/dokku/dokku-mysql.git" });
    // redis:export of a disabled plugin: the dokku entry script's answer (recordings.ts), then plugin:list says why
    expect(
      await replayError("databases.export", { plugin: "redis", service: "cache" }, "0.35.20", ["plugin-list/disabled/0.35.20"], { bytes: edge.links }),
    ).toMatchObject({
      code: "unavailable",
      message: "the redis plugin is installed but disabled — sudo dokku plugin:enable redis",
    });
    expect(edge.frames).toEqual([]);
  });
});

/** An edge holding `dump` as the upload an import asks for. */
function uploading(dump: Buffer) {
  const edge = byteEdge();
  edge.upload(dump);
  return edge;
}

/** databases.import of `service` on 0.35.20, replayed from `ids`, with `edge` holding the upload (the service's name typed as the confirmation). */
const importing = (edge: ReturnType<typeof byteEdge>, plugin: "postgres" | "mysql" | "redis", service: string, ids: string[]) =>
  ["databases.import", { plugin, service, confirm: service }, "0.35.20", ids, { bytes: edge.links }] as const;

describe("database import", () => {
  it("the service checked, then the whole dump fed to the plugin's import: the result says the size; the restore tool's warning is not the outcome", async () => {
    expect(await replay(...importing(uploading(PGDUMP), "postgres", "main-db", ["postgres-exists/ok", "postgres-import/ok"]))).toEqual({
      output: `Imported ${PGDUMP.length} bytes into main-db.\n`,
    });
    expect(await replay(...importing(uploading(Buffer.from("CREATE TABLE t (id int);\n")), "mysql", "shop", ["mysql-exists/ok", "mysql-import/ok"]))).toEqual({
      output: "Imported 25 bytes into shop.\n",
    });
    expect(await replay(...importing(uploading(Buffer.from("REDIS0011")), "redis", "cache", ["redis-exists/ok", "redis-import/ok"]))).toEqual({
      output: "Imported 9 bytes into cache.\n",
    });
  });

  it("a restore that fails is dokku_error without the tool's words (they can quote the dump's rows)", async () => {
    const edge = uploading(Buffer.from("not an archive"));
    const err = await replayError(...importing(edge, "postgres", "main-db", ["postgres-exists/ok", "postgres-import/not-an-archive"]));
    expect(err).toMatchObject({
      code: "dokku_error",
      message: expect.stringMatching(/^the import failed \(exit 1\); the restore tool's own output is not kept/),
    });
    expect(err.message).not.toContain("pg_restore");
  });

  it("a missing service is not_found before any byte is asked for", async () => {
    const edge = uploading(PGDUMP);
    expect(await replayError(...importing(edge, "postgres", "nope", ["postgres-exists/missing-service"]))).toMatchObject({
      code: "not_found",
      message: "Postgres service nope does not exist",
    });
    expect(edge.frames).toEqual([]);
  });

  it("a plugin from before its first tagged release (no <plugin>:exists) is too old, saying the version needed, before any byte is asked for", async () => {
    const edge = uploading(PGDUMP);
    expect(await replayError(...importing(edge, "postgres", "main-db", ["postgres-exists/before-1.1.0", "plugin-list/postgres-1.0.0/0.35.20"]))).toMatchObject({
      code: "unavailable",
      message: "the postgres plugin is too old (1.0.0; 1.1.0 or later needed) — sudo dokku plugin:update postgres",
    });
    expect(edge.frames).toEqual([]);
  });
});

describe("the simulator prints what the recordings hold", () => {
  /** Hosts: mysql installed with a service `shop`; no mysql; postgres from before its first release. */
  let sims: { mysql: Sim; plain: Sim; old: Sim };
  const plugins = async (s: Sim, change: (plugins: Record<string, { version: string; enabled: boolean; description: string }>) => void) => {
    await s.dokku("plugin:list");
    const file = join(s.dir, "state.json");
    const state = JSON.parse(readFileSync(file, "utf8")) as { plugins: Record<string, { version: string; enabled: boolean; description: string }> };
    change(state.plugins);
    writeFileSync(file, JSON.stringify(state));
  };
  beforeAll(async () => {
    sims = { mysql: makeSim({ version: "0.35.20" }), plain: makeSim({ version: "0.35.20" }), old: makeSim({ version: "0.35.20" }) };
    await plugins(sims.mysql, (p) => void (p.mysql = { version: "1.44.3", enabled: true, description: "dokku mysql service plugin" }));
    await sims.mysql.dokku("mysql:create", "shop");
    await plugins(sims.old, (p) => void (p.postgres = { ...p.postgres!, version: "1.0.0" }));
  });
  afterAll(() => Object.values(sims).forEach((s) => s.cleanup()));

  /** What each import recording was given on stdin. */
  const STDIN: Record<string, string> = {
    "postgres-import/ok": PGDUMP.toString("latin1"),
    "postgres-import/not-an-archive": "not an archive",
    "mysql-import/ok": "CREATE TABLE t (id int);\n",
    "redis-import/ok": "REDIS0011",
  };
  const ids = [...recordings.keys()].filter((id) => /^(postgres|mysql|redis)-(export|import|exists)\//.test(id));

  it("covers each recording of the fixture file", () => {
    expect(ids).toHaveLength(14);
  });

  it.each(ids)("%s", async (id) => {
    const r = recorded(id);
    const sim = id === "mysql-export/not-installed" ? sims.plain : id === "postgres-exists/before-1.1.0" ? sims.old : sims.mysql;
    const res = await run(SIMULATOR, r.argv, { timeoutMs: 20_000, env: sim.env, stdin: STDIN[id] ?? "" });
    expect({ exitCode: res.exitCode, stdout: res.stdout, stderr: res.stderr }).toEqual({
      exitCode: r.exitCode,
      stdout: text(r.stdout),
      stderr: text(r.stderr),
    });
  });
});
