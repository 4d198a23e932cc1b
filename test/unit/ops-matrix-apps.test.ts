import { expect } from "vitest";
import { defineMatrix, type Case } from "../support/ops-matrix.js";
import { runOp } from "../support/ops.js";
import { simContext } from "../support/sim.js";

/** apps, config and domains ops: happy path, missing app, Dokku error, timeout. */
const cases: Case[] = [
  {
    op: "apps.detail",
    args: { app: "blog.v2" },
    command: "ps:report",
    check: (r) => {
      expect(r).toMatchObject({ name: "blog.v2", deployed: true, running: "true", processes: 2, canScale: true, restartPolicy: "on-failure:10" });
      expect(r.containers.map((c: { process: string }) => c.process)).toEqual(["web.1", "web.2"]);
      expect(r.containers[0].cid).toMatch(/^[0-9a-f]{11}$/);
      expect(r.domains).toEqual({ enabled: true, vhosts: ["blog.demo.dokku.me", "www.example.com"] });
      expect(r.git).toMatchObject({ deployBranch: "main", sha: "cd7b8afccb202f222e7dc7b427553e71ba5ddafd" });
      expect(r.git.lastUpdatedAt).toBeGreaterThan(1_000_000_000);
    },
    missing: { app: "ghost" },
  },
  { op: "apps.create", args: { app: "fresh-one" }, command: "apps:create", check: (r) => expect(r.output).toContain("-----> Creating fresh-one..."), missing: null },
  {
    op: "apps.destroy",
    args: { app: "staging", confirm: "staging" },
    command: "apps:destroy",
    check: (r) => expect(r.output).toContain("-----> Destroying staging (including all add-ons)"),
    missing: { app: "ghost", confirm: "ghost" },
  },
  {
    op: "apps.start",
    args: { app: "queue-worker" },
    command: "ps:start",
    check: (r) => {
      expect(r.output).toContain("Deploying worker (count=1)");
      expect(r.warning).toBe("App has been detected as not running, releasing");
    },
    missing: { app: "ghost" },
  },
  { op: "apps.stop", args: { app: "api" }, command: "ps:stop", check: (r) => expect(r).toEqual({ output: "-----> Stopping api\n" }), missing: { app: "ghost" } },
  { op: "apps.rebuild", args: { app: "api" }, command: "ps:rebuild", check: (r) => expect(r.output).toContain("Building api from herokuish"), missing: { app: "ghost" } },
  {
    op: "apps.scale.show",
    args: { app: "api" },
    command: "ps:scale",
    check: (r) => expect(r).toEqual({ scale: [{ processType: "web", quantity: 1 }, { processType: "worker", quantity: 1 }], format: "text" }),
    missing: { app: "ghost" },
  },
  {
    op: "apps.scale.set",
    args: { app: "api", scale: { worker: 3, web: 2 } },
    command: "ps:scale",
    check: (r) => expect(r.output).toContain("-----> Scaling api processes: web=2 worker=3"),
    missing: { app: "ghost", scale: { web: 1 } },
  },
  {
    op: "config.get",
    args: { app: "api" },
    command: "config:export",
    check: (r) => expect(r.vars).toEqual({ DOKKU_APP_TYPE: "herokuish", GIT_REV: "cd7b8afccb202f222e7dc7b427553e71ba5ddafd" }),
    missing: { app: "ghost" },
  },
  {
    op: "config.set",
    args: { app: "api", vars: { SECRET_TOKEN: "s3cr3t value" }, noRestart: true },
    command: "config:set",
    check: (r) => {
      expect(r.output).toContain("-----> Setting config vars");
      expect(r.output).not.toContain("Restarting app");
    },
    missing: { app: "ghost", vars: { A: "b" } },
  },
  {
    op: "config.unset",
    args: { app: "api", keys: ["GIT_REV", "NOPE"], noRestart: true },
    command: "config:unset",
    check: (r) => expect(r.output).toBe("-----> Unsetting GIT_REV\n-----> Skipping NOPE, it is not set in the environment\n"),
    missing: { app: "ghost", keys: ["A"] },
  },
  {
    op: "domains.report",
    args: { app: "blog.v2" },
    command: "domains:report",
    check: (r) => expect(r).toEqual({ appEnabled: true, appVhosts: ["blog.demo.dokku.me", "www.example.com"], globalEnabled: true, globalVhosts: ["demo.dokku.me"], format: "text" }),
    missing: { app: "ghost" },
  },
  {
    op: "domains.all",
    args: {},
    command: "domains:report",
    check: (r) =>
      expect(r).toEqual({
        domains: {
          api: ["api.demo.dokku.me"],
          "blog.v2": ["blog.demo.dokku.me", "www.example.com"],
          "queue-worker": [],
          staging: ["staging.demo.dokku.me"],
        },
      }),
    missing: null,
  },
  {
    op: "domains.add",
    args: { app: "api", domains: ["new.example.com", "api.demo.dokku.me"] },
    command: "domains:add",
    check: (r) => expect(r.output).toMatch(/^-----> Added new\.example\.com to api\n-----> Skipping: api\.demo\.dokku\.me already added to api\n/),
    missing: { app: "ghost", domains: ["a.example.com"] },
  },
  {
    op: "domains.remove",
    args: { app: "blog.v2", domains: ["www.example.com"] },
    command: "domains:remove",
    check: (r) => expect(r.output).toContain("-----> Removed www.example.com from blog.v2"),
    missing: { app: "ghost", domains: ["a.example.com"] },
  },
  {
    op: "ports.report",
    args: { app: "blog.v2" },
    command: "ports:report",
    check: (r) => expect(r).toEqual({ map: [], detected: ["http:80:5000"], format: "json" }),
    missing: { app: "ghost" },
  },
  {
    op: "ports.add",
    args: { app: "api", mappings: ["http:8080:5000", "tcp:2222:22"] },
    command: "ports:add",
    happy: async (s) => {
      const ctx = simContext(s);
      const r = await runOp(ctx, "ports.add", { app: "api", mappings: ["tcp:2222:22", "http:8080:5000"] });
      expect(r.output).toContain("-----> Creating http nginx.conf");
      expect(ctx.argvs.at(-1)).toEqual(["ports:add", "api", "tcp:2222:22", "http:8080:5000"]);
      expect((await runOp(ctx, "ports.report", { app: "api" })).map).toEqual(["http:8080:5000", "tcp:2222:22"]);
    },
    missing: { app: "ghost", mappings: ["http:80:5000"] },
  },
  {
    op: "ports.remove",
    args: { app: "api", mappings: ["http:8080:5000"] },
    command: "ports:remove",
    happy: async (s) => {
      const ctx = simContext(s);
      await runOp(ctx, "ports.add", { app: "api", mappings: ["http:8080:5000", "http:80:5000"] });
      await runOp(ctx, "ports.remove", { app: "api", mappings: ["http:8080:5000"] });
      expect((await runOp(ctx, "ports.report", { app: "api" })).map).toEqual(["http:80:5000"]);
    },
    missing: { app: "ghost", mappings: ["http:80:5000"] },
  },
];

defineMatrix(cases);
