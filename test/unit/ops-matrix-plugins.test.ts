import { expect } from "vitest";
import { defineMatrix, type Case } from "../support/ops-matrix.js";
import { runOp } from "../support/ops.js";
import { simContext } from "../support/sim.js";

/** TLS, plugin, datastore and log ops: happy path, missing app or service, Dokku error, timeout. */
const cases: Case[] = [
  {
    op: "tls.status",
    args: { app: "api" },
    command: "certs:report",
    check: (r) => {
      expect(r.letsencryptInstalled).toBe(true);
      expect(r.letsencrypt).toMatchObject({ app: "api", timeBeforeExpiry: expect.stringMatching(/^(60d, 0h, 0m, 0s|59d, 23h, 59m, \d+s)$/) });
      expect(r.letsencrypt.expiry).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      expect(r.certs).toMatchObject({ enabled: true, hostnames: ["api.demo.dokku.me"], verified: "verified by a certificate authority" });
      expect(r.certs.expiresAt).toMatch(/ GMT$/);
      expect(r.email).toBe("ops@example.com");
    },
    missing: { app: "ghost" },
  },
  { op: "tls.list", args: {}, command: "letsencrypt:list", check: (r) => expect(r.rows.map((x: { app: string }) => x.app)).toEqual(["api"]), missing: null },
  {
    op: "tls.setEmail",
    args: { app: "blog.v2", email: "ops@example.com" },
    command: "letsencrypt:set",
    check: (r) => expect(r.output).toBe("-----> Setting email to ops@example.com\n"),
    missing: { app: "ghost", email: "a@example.com" },
  },
  {
    op: "tls.enable",
    args: { app: "api" },
    command: "letsencrypt:enable",
    check: (r) => expect(r.output).toContain("-----> Certificate retrieved successfully."),
    missing: { app: "ghost" },
  },
  {
    op: "tls.autoRenew",
    args: { app: "api" },
    command: "letsencrypt:auto-renew",
    check: (r) => expect(r.output).toMatch(/^ {7}api still has (29d, 23h|30d, 0h) left before renewal\n$/),
    missing: { app: "ghost" },
  },
  {
    op: "plugins.list",
    args: {},
    command: "plugin:list",
    check: (r) => {
      expect(r.plugins).toContainEqual({ name: "postgres", version: "1.41.0", enabled: true, description: "dokku postgres service plugin" });
      expect(r.plugins).toContainEqual(expect.objectContaining({ name: "scheduler-docker-local", enabled: true }));
    },
    missing: null,
  },
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
      const ctx = simContext(s);
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
  {
    op: "logs.tail",
    args: { app: "api", lines: 5, follow: false },
    command: "logs",
    check: (r) => {
      expect(r.lines).toHaveLength(5);
      expect(r.lines[4]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z app\[(web|worker)\.1\]: /);
      expect(r.lines.join("\n")).not.toContain("\u001b");
    },
    missing: { app: "ghost", follow: false },
  },
  {
    op: "logs.failed",
    args: { app: "queue-worker" },
    command: "logs:failed",
    check: (r) => {
      expect(r.output).toContain("=====> queue-worker failed deploy logs");
      expect(r.output).not.toContain("\u001b");
    },
    missing: { app: "ghost" },
  },
];

defineMatrix(cases);
