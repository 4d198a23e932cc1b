import { describe, expect, it } from "vitest";
import { ops } from "../../../protocol/ops.js";
import { defineMatrix, freshSims, type Case } from "../../support/ops-matrix.js";
import { fakeRelay, runOp, simRelay } from "../../support/ops.js";

const sim = freshSims();

describe.concurrent("proxy and nginx across versions", () => {
  it("proxy.report reads 0.35 JSON (prefixed keys), 0.38 JSON (both) and text alike", async () => {
    const want = { enabled: true, type: "", computedType: "nginx" };
    expect(await runOp(simRelay(sim({ version: "0.35.20" })), "proxy.report", { app: "api" })).toMatchObject({ ...want, globalType: "nginx", format: "json" });
    expect(await runOp(simRelay(sim({ version: "0.38.27" })), "proxy.report", { app: "api" })).toMatchObject({ ...want, globalType: "", format: "json" });
    expect(await runOp(simRelay(sim({ version: "0.35.20" }), { dokkuVersion: null }), "proxy.report", { app: "api" })).toMatchObject({
      ...want,
      format: "text",
    });
  });

  it("proxy.disable then enable: the report follows, on 0.35 (config vars) and 0.38 (properties)", async () => {
    for (const version of ["0.35.20", "0.38.27"]) {
      const ctx = simRelay(sim({ version }));
      const off = await runOp(ctx, "proxy.disable", { app: "api" });
      expect(off.output).toContain("-----> Disabling proxy for app");
      expect((await runOp(ctx, "proxy.report", { app: "api" })).enabled).toBe(false);
      await runOp(ctx, "proxy.enable", { app: "api" });
      expect((await runOp(ctx, "proxy.report", { app: "api" })).enabled).toBe(true);
    }
  });

  it("nginx.report reads 0.35 bash text, 0.38.16 bash JSON and 0.38.27 Go JSON to the same settings", async () => {
    const results = await Promise.all(
      ["0.35.20", "0.38.16", "0.38.27"].map(async (version) => {
        const ctx = simRelay(sim({ version }));
        await runOp(ctx, "nginx.set", { app: "api", settings: { "client-max-body-size": "50m" } });
        return runOp(ctx, "nginx.report", { app: "api" });
      }),
    );
    expect(results.map((r) => r.format)).toEqual(["text", "json", "json"]);
    for (const r of results) {
      expect(r.settings["client-max-body-size"]).toEqual({ app: "50m", computed: "50m", global: "1m" });
      expect(r.settings["access-log-path"]).toEqual({ app: "", computed: "/var/log/nginx/api-access.log", global: "/var/log/nginx/api-access.log" });
      expect(r.settings.hsts).toEqual({ app: "", computed: "true", global: "true" });
    }
  });

  it("nginx.reload on 0.35 is unavailable before anything runs, naming the version it needs", async () => {
    const ctx = simRelay(sim({ version: "0.35.20" }));
    const err = await runOp(ctx, "nginx.reload", {}).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: "unavailable",
      message: expect.stringMatching(/nginx:reload` arrived in Dokku 0\.38\.0; this host runs Dokku 0\.35\.20/),
    });
    expect(ctx.argvs).toEqual([]);
  });

  it("nginx.reload with an unknown version: Dokku's 'not a dokku command' becomes the same plain message", async () => {
    const err = await runOp(simRelay(sim({ version: "0.35.20" }), { dokkuVersion: null }), "nginx.reload", {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "unavailable", message: expect.stringContaining("arrived in Dokku 0.38.0") });
  });

  it("nginx.set unsets with no value, and rebuilds the proxy config once after every nginx:set", async () => {
    const ctx = simRelay(sim());
    await runOp(ctx, "nginx.set", { app: "api", settings: { "proxy-read-timeout": "120s", hsts: null } });
    expect(ctx.argvs).toEqual([
      ["apps:exists", "api"],
      ["nginx:set", "api", "proxy-read-timeout", "120s"],
      ["nginx:set", "api", "hsts"],
      ["proxy:build-config", "api"],
    ]);
  });

  it("nginx values that would add directives or write as root outside /var/log are refused at the schema", () => {
    const bad: Array<[string, string]> = [
      ["client-max-body-size", "1m; include /etc/nginx/evil.conf"],
      ["client-max-body-size", "-1"],
      ["client-max-body-size", "1m\nlocation / {}"],
      ["proxy-read-timeout", "60s }"],
      ["hsts", "yes"],
      ["access-log-path", "/etc/passwd"],
      ["access-log-path", "/var/log/../../etc/shadow"],
      ["error-log-path", "/var/lib/dokku/config"],
      ["error-log-path", "-/var/log/x"],
      ["access-log-path", "/var/log/nginx/x.log main"],
    ];
    for (const [key, value] of bad) expect(ops["nginx.set"].args.safeParse({ app: "api", settings: { [key]: value } }).success, `${key}=${value}`).toBe(false);
    expect(ops["nginx.set"].args.safeParse({ app: "api", settings: {} }).success).toBe(false);
    expect(ops["nginx.set"].args.safeParse({ app: "api", settings: { "access-log-path": "off", "error-log-path": "/var/log/nginx/api.err" } }).success).toBe(
      true,
    );
    expect(ops["proxy.setType"].args.safeParse({ app: "api", type: "--trace" }).success).toBe(false);
  });

  it("a missing app writes no nginx property (nginx:set itself never checks it)", async () => {
    const ctx = fakeRelay((argv) => (argv[0] === "apps:exists" ? { exitCode: 20, stderr: " !     App ghost does not exist\n" } : {}));
    const err = await runOp(ctx, "nginx.set", { app: "ghost", settings: { hsts: "false" } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "not_found" });
    expect(ctx.argvs).toEqual([["apps:exists", "ghost"]]);
  });
});

/** proxy and nginx ops: happy path, missing app, Dokku error, timeout. */
const cases: Case[] = [
  {
    op: "proxy.report",
    args: { app: "api" },
    command: "proxy:report",
    check: (r) => expect(r).toMatchObject({ enabled: true, computedType: "nginx" }),
    missing: { app: "ghost" },
  },
  {
    op: "proxy.disable",
    args: { app: "api" },
    command: "proxy:disable",
    check: (r) => expect(r.output).toContain("DOKKU_DISABLE_PROXY:  1"),
    missing: { app: "ghost" },
  },
  {
    op: "proxy.enable",
    args: { app: "api" },
    command: "proxy:enable",
    check: (r) => expect(r.output).toBe("-----> Proxy is already enabled for app\n"),
    missing: { app: "ghost" },
  },
  {
    op: "proxy.setType",
    args: { app: "api", type: "caddy" },
    command: "proxy:set",
    happy: async (ctx) => {
      const r = await runOp(ctx, "proxy.setType", { app: "api", type: "caddy" });
      expect(r.output).toContain("DOKKU_APP_PROXY_TYPE:  caddy");
      expect(ctx.argvs.slice(-2)).toEqual([
        ["proxy:set", "api", "caddy"],
        ["proxy:build-config", "api"],
      ]);
      expect((await runOp(ctx, "proxy.report", { app: "api" })).type).toBe("caddy");
    },
    missing: { app: "ghost", type: "nginx" },
  },
  {
    op: "nginx.report",
    args: { app: "api" },
    command: "nginx:report",
    check: (r) => expect(r.settings["proxy-read-timeout"]).toEqual({ app: "", computed: "60s", global: "60s" }),
    missing: { app: "ghost" },
  },
  {
    op: "nginx.set",
    args: { app: "api", settings: { "client-max-body-size": "20m" } },
    command: "nginx:set",
    check: (r) => expect(r.output).toContain("=====> Setting client-max-body-size to 20m\n-----> Creating http nginx.conf"),
    missing: { app: "ghost", settings: { hsts: "false" } },
  },
  { op: "nginx.reload", args: {}, command: "nginx:reload", version: "0.38.27", check: (r) => expect(r).toEqual({ output: "" }), missing: null },
];

defineMatrix(cases);
