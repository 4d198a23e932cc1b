import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseServiceList } from "../../../relay/catalog/databases.js";
import { defineMatrix, freshSims, type Case } from "../../support/ops-matrix.js";
import { runOp, simRelay } from "../../support/ops.js";

const sim = freshSims();

describe("<plugin>:list", () => {
  it("lists services under the =====> header", () => {
    expect(parseServiceList("=====> Postgres services\nlollipop\nmain_db\n")).toEqual(["lollipop", "main_db"]);
    expect(parseServiceList("")).toEqual([]);
  });
  it("reads the table plugins before 1.10.0 printed, with or without its header", () => {
    const table =
      "NAME       VERSION        STATUS   EXPOSED PORTS  LINKS\nlegacy-db  postgres:11.6  running  -              api\nother      postgres:11.6  exited   5432->5432     api web\n";
    expect(parseServiceList(table)).toEqual(["legacy-db", "other"]);
    expect(parseServiceList("legacy-db  postgres:11.6  running  -  api\n")).toEqual(["legacy-db"]);
  });
  it("refuses output in no known form rather than calling it empty", () => {
    expect(() => parseServiceList("Something unexpected happened here\n")).toThrow(/unexpected line/);
  });
});

describe.concurrent("datastores on the simulator", () => {
  it("a disabled datastore plugin is 'installed but disabled', with the command that enables it", async () => {
    const s = sim();
    await runOp(simRelay(s), "databases.list", { plugin: "redis" }); // seeds the state file
    const file = join(s.dir, "state.json");
    const state = JSON.parse(readFileSync(file, "utf8"));
    state.plugins.redis.enabled = false;
    writeFileSync(file, JSON.stringify(state));
    const err = await runOp(simRelay(s), "databases.list", { plugin: "redis" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "unavailable", message: "the redis plugin is installed but disabled — sudo dokku plugin:enable redis" });
    const { plugins } = await runOp(simRelay(s), "databases.overview", {});
    expect(plugins.find((p) => p.plugin === "redis")).toMatchObject({ status: { state: "disabled", version: "1.39.1" }, services: null });
  });

  it("reads an old postgres plugin's table list", async () => {
    const s = sim();
    await runOp(simRelay(s), "databases.list", { plugin: "postgres" });
    const file = join(s.dir, "state.json");
    const state = JSON.parse(readFileSync(file, "utf8"));
    state.plugins.postgres.version = "1.9.1";
    writeFileSync(file, JSON.stringify(state));
    expect(await runOp(simRelay(s), "databases.list", { plugin: "postgres" })).toEqual({ services: ["main-db"] });
  });

  it("a missing datastore plugin is unavailable, with the install command", async () => {
    const err = await runOp(simRelay(sim()), "databases.list", { plugin: "mysql" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "unavailable", message: expect.stringContaining("sudo dokku plugin:install https://github.com/dokku/dokku-mysql.git") });
  });

  it("database destroy refuses a linked service", async () => {
    const ctx = simRelay(sim());
    await runOp(ctx, "databases.link", { plugin: "redis", service: "cache", app: "api", noRestart: true });
    const err = await runOp(ctx, "databases.destroy", { plugin: "redis", service: "cache", confirm: "cache" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "dokku_error", message: "Cannot delete linked service" });
  });

  it("a link whose restart meets a deploy lock fails with Dokku's lock message (the page points it to Unlock)", async () => {
    const err = await runOp(simRelay(sim()), "databases.link", { plugin: "postgres", service: "main-db", app: "queue-worker" }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: "dokku_error",
      message: "queue-worker currently has a deploy lock in place. Exiting...\nRun 'apps:unlock' to release the existing deploy lock",
    });
  });

  it("datastore passwords are masked in results and history", async () => {
    const ctx = simRelay(sim());
    const info = await runOp(ctx, "databases.info", { plugin: "postgres", service: "main-db" });
    const link = await runOp(ctx, "databases.link", { plugin: "postgres", service: "main-db", app: "api", noRestart: true });
    const created = await runOp(ctx, "databases.create", { plugin: "postgres", service: "fresh" });
    const dump = JSON.stringify([info, link, created, ctx.history.list(50, 0)]);
    expect(dump).not.toContain("8d3f6c1e2b7a4f90");
    expect(dump).not.toMatch(/postgres:\/\/postgres:(?!\*\*\*@)/);
  });
});

/** Datastore ops: happy path, missing service or app, Dokku error, timeout. */
const cases: Case[] = [
  {
    op: "databases.overview",
    args: {},
    command: "plugin:list",
    check: (r) => {
      const on = (name: string, version: string) => ({ name, state: "enabled", version, minVersion: null });
      expect(r.plugins).toContainEqual({ plugin: "postgres", status: on("postgres", "1.41.0"), services: ["main-db"], problem: null });
      expect(r.plugins).toContainEqual({ plugin: "redis", status: on("redis", "1.39.1"), services: ["cache"], problem: null });
      expect(r.plugins).toContainEqual({
        plugin: "mongo",
        status: { name: "mongo", state: "missing", version: null, minVersion: null },
        services: null,
        problem: null,
      });
    },
    missing: null,
  },
  { op: "databases.list", args: { plugin: "redis" }, command: "redis:list", check: (r) => expect(r).toEqual({ services: ["cache"] }), missing: null },
  {
    op: "databases.info",
    args: { plugin: "postgres", service: "main-db" },
    command: "postgres:info",
    check: (r) => {
      expect(r.dsn).toBe("postgres://postgres:***@dokku-postgres-main-db:5432/main_db");
      expect(r).toMatchObject({ status: "running", version: "postgres:17.2", links: [] });
      expect(JSON.stringify(r)).not.toContain("8d3f6c1e2b7a4f90");
    },
    missing: { plugin: "postgres", service: "nope" },
    missingMessage: /Postgres service nope does not exist/,
  },
  {
    op: "databases.create",
    args: { plugin: "redis", service: "sessions" },
    command: "redis:create",
    check: (r) => {
      expect(r.output).toContain("=====> Redis container created: sessions");
      expect(r.output).toMatch(/Dsn: +redis:\/\/:\*\*\*@dokku-redis-sessions:6379/);
    },
    missing: null,
  },
  {
    op: "databases.link",
    args: { plugin: "postgres", service: "main-db", app: "api", noRestart: true },
    command: "postgres:link",
    check: (r) => {
      expect(r.output).toContain("DATABASE_URL:  postgres://postgres:***@dokku-postgres-main-db:5432/main_db");
      expect(r.output).toContain("Skipping restart of linked app");
    },
    missing: { plugin: "postgres", service: "main-db", app: "ghost" },
  },
  {
    op: "databases.unlink",
    args: { plugin: "postgres", service: "main-db", app: "api" },
    command: "postgres:unlink",
    happy: async (ctx) => {
      await runOp(ctx, "databases.link", { plugin: "postgres", service: "main-db", app: "api", noRestart: true });
      const r = await runOp(ctx, "databases.unlink", { plugin: "postgres", service: "main-db", app: "api" });
      expect(r.output).toBe("-----> Unsetting DATABASE_URL\n-----> Restarting app api\n");
      const again = await runOp(ctx, "databases.unlink", { plugin: "postgres", service: "main-db", app: "api" }).catch((e: unknown) => e);
      expect(again).toMatchObject({ code: "dokku_error", message: "Not linked to app api" });
    },
    missing: { plugin: "postgres", service: "main-db", app: "ghost" },
  },
  {
    op: "databases.destroy",
    args: { plugin: "redis", service: "cache", confirm: "cache" },
    command: "redis:destroy",
    check: (r) => expect(r.output).toContain("=====> Redis container deleted: cache"),
    missing: { plugin: "redis", service: "nope", confirm: "nope" },
    missingMessage: /Redis service nope does not exist/,
  },
];

defineMatrix(cases);
