import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LOG_TAIL_CHARS } from "../../relay/catalog/logs.js";
import { runOp } from "../support/ops.js";
import { makeSim, simContext, type Sim } from "../support/sim.js";

const sims: Sim[] = [];
afterAll(() => sims.forEach((s) => s.cleanup()));
function sim(opts: Parameters<typeof makeSim>[0] = {}): Sim {
  const s = makeSim(opts);
  sims.push(s);
  return s;
}

describe.concurrent("version-dependent formats", () => {
  for (const [version, format] of [
    ["0.30.11", "text"],
    ["0.38.27", "json"],
  ] as const) {
    it(`apps.detail, domains.report and tls certs on ${version} use ${format}`, async () => {
      const ctx = simContext(sim({ version }));
      const detail = await runOp(ctx, "apps.detail", { app: "api" });
      expect(detail).toMatchObject({ name: "api", deployed: true, running: "true", processes: 2, canScale: true, format });
      expect(detail.containers.map((c) => c.process)).toEqual(["web.1", "worker.1"]);
      expect(detail.domains.vhosts).toEqual(["api.demo.dokku.me"]);
      const domains = await runOp(ctx, "domains.report", { app: "blog.v2" });
      expect(domains).toEqual({ appEnabled: true, appVhosts: ["blog.demo.dokku.me", "www.example.com"], globalEnabled: true, globalVhosts: ["demo.dokku.me"], format });
      const tls = await runOp(ctx, "tls.status", { app: "api" });
      expect(tls.certs).toMatchObject({ enabled: true, hostnames: ["api.demo.dokku.me"] });
      const jsonArgs = ctx.argvs.filter((a) => a.includes("--format"));
      if (format === "json") expect(jsonArgs.map((a) => a[0])).toEqual(["ps:report", "domains:report", "git:report", "domains:report", "certs:report"]);
      // Go ps:report has had JSON since 0.23.1; the bash reports (domains, git, certs) only from 0.38.0
      else expect(jsonArgs.map((a) => a[0])).toEqual(["ps:report"]);
    });
  }

  it("apps.scale.show and plugins.list use JSON only from 0.38.21 / 0.38.22", async () => {
    const old = simContext(sim({ version: "0.38.20" }));
    expect(await runOp(old, "apps.scale.show", { app: "api" })).toMatchObject({ format: "text", scale: [{ processType: "web", quantity: 1 }, { processType: "worker", quantity: 1 }] });
    const neu = simContext(sim({ version: "0.38.27" }));
    expect(await runOp(neu, "apps.scale.show", { app: "api" })).toMatchObject({ format: "json", scale: [{ processType: "web", quantity: 1 }, { processType: "worker", quantity: 1 }] });
    const plugins = await runOp(neu, "plugins.list", {});
    expect(plugins.plugins).toContainEqual({ name: "redis", version: "1.39.1", enabled: true, description: "dokku redis service plugin" });
    expect(neu.argvs).toContainEqual(["plugin:list", "--format", "json"]);
  });

  it("ports.report reads 0.35 JSON, 0.38 JSON and text alike; on 0.30 (no ports plugin) Dokku's refusal is passed on", async () => {
    const want = { map: [], detected: ["http:80:5000", "https:443:5000"] };
    expect(await runOp(simContext(sim({ version: "0.35.20" })), "ports.report", { app: "api" })).toEqual({ ...want, format: "json" });
    expect(await runOp(simContext(sim({ version: "0.38.27" })), "ports.report", { app: "api" })).toEqual({ ...want, format: "json" });
    expect(await runOp(simContext(sim({ version: "0.38.27" }), { dokkuVersion: null }), "ports.report", { app: "api" })).toEqual({ ...want, format: "text" });
    const old = await runOp(simContext(sim({ version: "0.30.11" })), "ports.report", { app: "api" }).catch((e: unknown) => e);
    expect(old).toMatchObject({ code: "dokku_error", message: expect.stringContaining("is not a dokku command") });
  });

  it("deploy.report reads apps:report and checks:report as text on 0.30 and JSON on 0.38", async () => {
    const want = { locked: true, deploySource: "git-push", checksDisabled: [], checksSkipped: [] };
    expect(await runOp(simContext(sim({ version: "0.30.11" })), "deploy.report", { app: "queue-worker" })).toMatchObject({ ...want, format: "text" });
    const neu = simContext(sim({ version: "0.38.27" }));
    await runOp(neu, "checks.set", { app: "queue-worker", state: "disabled" });
    expect(await runOp(neu, "deploy.report", { app: "queue-worker" })).toMatchObject({ ...want, checksDisabled: ["_all_"], builderInEffect: "herokuish", format: "json" });
  });

  it("an unknown Dokku version falls back to text everywhere", async () => {
    const ctx = simContext(sim({ version: "0.38.27" }), { dokkuVersion: null });
    expect((await runOp(ctx, "apps.detail", { app: "api" })).format).toBe("text");
    expect(ctx.argvs.every((a) => !a.includes("--format"))).toBe(true);
  });
});

describe.concurrent("warnings, plugins and fallbacks", () => {
  it("an exit-0 ` !     ` warning is reported as a warning, never plain success", async () => {
    const ctx = simContext(sim());
    expect(await runOp(ctx, "apps.stop", { app: "staging" })).toEqual({ output: "", warning: "App staging has not been deployed" });
    expect(await runOp(ctx, "apps.start", { app: "api" })).toEqual({ output: "", warning: "App api already running" });
    expect((await runOp(ctx, "logs.failed", { app: "api" })).warning).toBe("No failed containers found");
  });

  it("a missing datastore plugin is unavailable, with the install command", async () => {
    const err = await runOp(simContext(sim()), "databases.list", { plugin: "mysql" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "unavailable", message: expect.stringContaining("sudo dokku plugin:install https://github.com/dokku/dokku-mysql.git") });
  });

  it("letsencrypt:ls is used only when letsencrypt:list is not a dokku command", async () => {
    const s = sim();
    await runOp(simContext(s), "tls.list", {}); // seeds the state file
    const file = join(s.dir, "state.json");
    const state = JSON.parse(readFileSync(file, "utf8"));
    state.plugins.letsencrypt.version = "0.9.4";
    writeFileSync(file, JSON.stringify(state));
    const ctx = simContext(s);
    const { rows } = await runOp(ctx, "tls.list", {});
    expect(rows.map((r) => r.app)).toEqual(["api"]);
    expect(ctx.argvs).toEqual([["letsencrypt:list"], ["letsencrypt:ls"]]);

    delete state.plugins.letsencrypt;
    writeFileSync(file, JSON.stringify(state));
    const status = await runOp(simContext(s), "tls.status", { app: "api" });
    expect(status).toMatchObject({ letsencryptInstalled: false, letsencrypt: null });
    await expect(runOp(simContext(s), "tls.enable", { app: "api" })).rejects.toMatchObject({ code: "unavailable" });
  });

  it("letsencrypt:enable without an e-mail fails with Dokku's message", async () => {
    const err = await runOp(simContext(sim()), "tls.enable", { app: "blog.v2" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "dokku_error", message: expect.stringContaining("Cannot request a certificate without an e-mail address") });
  });

  it("database destroy refuses a linked service", async () => {
    const ctx = simContext(sim());
    await runOp(ctx, "databases.link", { plugin: "redis", service: "cache", app: "api", noRestart: true });
    const err = await runOp(ctx, "databases.destroy", { plugin: "redis", service: "cache", confirm: "cache" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "dokku_error", message: "Cannot delete linked service" });
  });

  it("scale set sends every process type in one command", async () => {
    const ctx = simContext(sim());
    await runOp(ctx, "apps.scale.set", { app: "api", scale: { worker: 0, web: 3 } });
    expect(ctx.argvs).toEqual([["ps:scale", "api", "web=3", "worker=0"]]);
    expect((await runOp(ctx, "apps.scale.show", { app: "api" })).scale).toEqual([
      { processType: "web", quantity: 3 },
      { processType: "worker", quantity: 0 },
    ]);
  });
});

describe.concurrent("secrets never reach history", () => {
  const hostileValues = {
    SPACES: "a value with  spaces",
    QUOTES: `it's "quoted" \`back\``,
    DOLLAR: "$(rm -rf /) ${HOME} $PATH",
    NEWLINES: "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----",
    UNICODE: "pässwörd-ünïcode-✓-密码",
    NUL: "before\u0000after-nul-secret",
    FLAG: "--force",
  };

  it("config.set round-trips hostile values exactly while history holds only KEY=***", async () => {
    const ctx = simContext(sim());
    const res = await runOp(ctx, "config.set", { app: "api", vars: hostileValues, noRestart: true });
    expect(res.output).toContain("-----> Setting config vars");
    const { vars } = await runOp(ctx, "config.get", { app: "api" });
    for (const [k, v] of Object.entries(hostileValues)) expect(vars[k], k).toBe(v);

    const setArgv = ctx.argvs[0]!;
    expect(setArgv.slice(0, 4)).toEqual(["config:set", "--encoded", "--no-restart", "api"]);
    expect(setArgv).toHaveLength(4 + Object.keys(hostileValues).length);

    const rows = ctx.history.list(50, 0).entries;
    const dump = JSON.stringify(rows);
    for (const v of Object.values(hostileValues)) {
      for (const piece of [v, ...v.split("\n"), Buffer.from(v).toString("base64")].filter((p) => p.length >= 6)) {
        expect(dump, piece).not.toContain(JSON.stringify(piece).slice(1, -1));
      }
    }
    expect(rows.find((r) => r.argv[1] === "config:set")?.argv).toContain("NEWLINES=***");
    expect(rows.find((r) => r.argv[1] === "config:export")?.stdout).toBe("[config values withheld]");
  });

  it("datastore passwords are masked in results and history", async () => {
    const ctx = simContext(sim());
    const info = await runOp(ctx, "databases.info", { plugin: "postgres", service: "main-db" });
    const link = await runOp(ctx, "databases.link", { plugin: "postgres", service: "main-db", app: "api", noRestart: true });
    const created = await runOp(ctx, "databases.create", { plugin: "postgres", service: "fresh" });
    const dump = JSON.stringify([info, link, created, ctx.history.list(50, 0)]);
    expect(dump).not.toContain("8d3f6c1e2b7a4f90");
    expect(dump).not.toMatch(/postgres:\/\/postgres:(?!\*\*\*@)/);
  });
});

describe("logs.tail streams with bounded memory and stops when cancelled", () => {
  it("keeps only a capped tail of a flood, strips colour from chunks and lines, and is killed on cancel", async () => {
    const s = sim();
    s.env.DOKKU_SIM_LOG_MS = "1";
    s.env.DOKKU_SIM_LOG_BATCH = "400";
    const abort = new AbortController();
    const ctx = simContext(s, { signal: abort.signal });
    let seen = 0;
    const timer = setInterval(() => {
      seen = ctx.chunks.reduce((n, c) => n + c.length, 0);
      if (seen > LOG_TAIL_CHARS * 8) abort.abort();
    }, 20);
    const err = await runOp(ctx, "logs.tail", { app: "api", lines: 10 }).catch((e: unknown) => e);
    clearInterval(timer);
    expect(err).toMatchObject({ code: "cancelled" });
    expect(seen).toBeGreaterThan(LOG_TAIL_CHARS * 8);
    expect(ctx.chunks.join("")).not.toContain("\u001b[");
    expect(ctx.argvs).toEqual([["logs", "api", "-n", "10", "-t"]]);
    const row = ctx.history.list(1, 0).entries[0]!;
    expect(row.outcome).toBe("killed");
    expect(row.stdout.length).toBeLessThanOrEqual(LOG_TAIL_CHARS + 200);
  });

  it("returns the last lines without colour when not following, per process type", async () => {
    const ctx = simContext(sim());
    const { lines } = await runOp(ctx, "logs.tail", { app: "api", lines: 3, process: "worker", follow: false });
    expect(lines).toHaveLength(3);
    expect(lines.every((l) => / app\[worker\.1\]: /.test(l))).toBe(true);
    expect(ctx.argvs[0]).toEqual(["logs", "api", "-n", "3", "-p", "worker"]);
  });
});

describe("tls.status e-mail", () => {
  it("reports the e-mail set for the app, and none before one is set", async () => {
    const s = makeSim();
    try {
      const ctx = simContext(s);
      expect((await runOp(ctx, "tls.status", { app: "blog.v2" })).email).toBeNull();
      await runOp(ctx, "tls.setEmail", { app: "blog.v2", email: "certs@example.org" });
      expect((await runOp(ctx, "tls.status", { app: "blog.v2" })).email).toBe("certs@example.org");
    } finally {
      s.cleanup();
    }
  });
});
