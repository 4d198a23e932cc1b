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
});

describe.concurrent("datastores on the simulator", () => {
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
      expect(r.plugins).toContainEqual({ plugin: "postgres", installed: true, services: ["main-db"], install: null });
      expect(r.plugins).toContainEqual({ plugin: "redis", installed: true, services: ["cache"], install: null });
      expect(r.plugins).toContainEqual({ plugin: "mongo", installed: false, services: [], install: "sudo dokku plugin:install https://github.com/dokku/dokku-mongo.git" });
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
    happy: async (s) => {
      const ctx = simRelay(s);
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
