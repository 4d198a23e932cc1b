import { describe, expect, it } from "vitest";
import { z } from "zod";
import { argsErrorMessage, ops, type OpName } from "../../../protocol/ops.js";
import { fakeRelay, runOp } from "../../support/ops.js";
import { TEST_CERT, TEST_KEY } from "../../support/tls-fixture.js";

/**
 * Hostile input for every op's arguments: each is either refused by the op's zod schema with a
 * message naming the field, or passed to Dokku as exactly one argv element. Nothing runs here: a
 * fake relay records the argv.
 */
const HUGE = "a".repeat(10 * 1024 * 1024);
const hostile: string[] = [
  "x; rm -rf /",
  "$(reboot)",
  "`id`",
  "a|b",
  "a&&b",
  "--force",
  "-rf",
  "--app=other",
  "a\nb",
  "a\u0000b",
  "a b",
  "../../etc/passwd",
  "ÄPP",
  "app😀",
  "",
  HUGE,
];

/** For each op, the string-valued argument paths to attack, and valid values for the rest. */
const base: Record<OpName, Record<string, unknown>> = {
  "apps.list": {},
  "apps.restart": { app: "api" },
  "apps.detail": { app: "api" },
  "apps.create": { app: "api" },
  "apps.destroy": { app: "api", confirm: "api" },
  "apps.start": { app: "api" },
  "apps.stop": { app: "api" },
  "apps.rebuild": { app: "api" },
  "apps.scale.show": { app: "api" },
  "apps.scale.set": { app: "api", scale: { web: 1 } },
  "config.get": { app: "api" },
  "config.set": { app: "api", vars: { KEY: "v" } },
  "config.unset": { app: "api", keys: ["KEY"] },
  "domains.report": { app: "api" },
  "domains.all": {},
  "domains.add": { app: "api", domains: ["a.example.com"] },
  "ports.report": { app: "api" },
  "deploy.report": { app: "api" },
  "checks.set": { app: "api", state: "skipped" },
  "git.sync": { app: "api", remote: "https://github.com/dokku/smoke-test-app.git", ref: "main" },
  "apps.unlock": { app: "api" },
  "git.setDeployBranch": { app: "api", branch: "main" },
  "builder.set": { app: "api", property: "build-dir", value: "apps/web" },
  "buildpacks.report": { app: "api" },
  "buildpacks.add": { app: "api", url: "https://github.com/heroku/heroku-buildpack-nodejs.git", index: 1 },
  "buildpacks.remove": { app: "api", url: "heroku/nodejs" },
  "buildpacks.clear": { app: "api" },
  "ports.add": { app: "api", mappings: ["http:8080:5000"] },
  "ports.remove": { app: "api", mappings: ["http:8080:5000"] },
  "proxy.report": { app: "api" },
  "proxy.enable": { app: "api" },
  "proxy.disable": { app: "api" },
  "proxy.setType": { app: "api", type: "caddy" },
  "nginx.report": { app: "api" },
  "nginx.set": { app: "api", settings: { "client-max-body-size": "50m", "access-log-path": "/var/log/nginx/api.log" } },
  "nginx.reload": {},
  "resources.report": { app: "api" },
  "resources.set": { app: "api", kind: "limit", processType: "web", cpu: "0.5", memory: "512m" },
  "resources.clear": { app: "api", kind: "reserve", processType: "_default_" },
  "network.report": { app: "api" },
  "network.set": { app: "api", property: "attach-post-deploy", value: ["backend"] },
  "network.list": {},
  "network.create": { name: "backend" },
  "network.destroy": { name: "backend", confirm: "backend" },
  "storage.list": { app: "api" },
  "docker-options.report": { app: "api" },
  "docker-options.add": { app: "api", phases: ["deploy"], option: "--restart=always" },
  "docker-options.remove": { app: "api", phases: ["deploy", "run"], option: "--restart=always" },
  "docker-options.clear": { app: "api", phases: ["deploy"], processType: "web" },
  // by entry: a host path travels joined as HOST:CONTAINER (its own tests: test/unit/catalog/storage.test.ts)
  "storage.mount": { app: "api", entry: "uploads", containerPath: "/data" },
  "storage.unmount": { app: "api", entry: "uploads", containerPath: "/data" },
  "storage.ensureDirectory": { name: "api", chown: "heroku" },
  "storage.entries": {},
  "storage.info": { name: "uploads" },
  "storage.create": { name: "uploads", chown: "root" },
  "storage.destroy": { name: "uploads", destroyHostDir: false },
  "domains.remove": { app: "api", domains: ["a.example.com"] },
  "tls.status": { app: "api" },
  "tls.list": {},
  "tls.setEmail": { app: "api", email: "ops@example.com" },
  "tls.enable": { app: "api" },
  "tls.autoRenew": { app: "api" },
  "tls.disable": { app: "api" },
  "tls.cleanup": { app: "api" },
  "certs.add": { app: "api", certificate: TEST_CERT, key: TEST_KEY },
  "certs.remove": { app: "api" },
  "apps.rename": { app: "api", newName: "api2" },
  "apps.clone": { app: "api", newName: "api2" },
  "cron.list": { app: "api" },
  "cron.host": {},
  "cron.run": { app: "api", id: "abc123" },
  "cron.suspend": { app: "api", id: "abc123" },
  "cron.resume": { app: "api", id: "abc123" },
  "git.fromImage": { app: "api", image: "ghcr.io/acme/api:1.2" },
  "registry.login": { app: "api", server: "ghcr.io", username: "acme", password: "s3cret" },
  "apps.lock": { app: "api" },
  "host.settings": {},
  "host.domains.add": { domains: ["apps.example.com"] },
  "host.domains.remove": { domains: ["apps.example.com"] },
  "host.config.set": { vars: { SENTRY_DSN: "x" } },
  "host.config.unset": { keys: ["SENTRY_DSN"] },
  "host.deployBranch": { branch: "main" },
  "host.cleanup": {},
  "plugins.update": { name: "postgres", confirm: "postgres" },
  "registry.loginGlobal": { server: "ghcr.io", username: "acme", password: "s3cret" },
  "plugins.list": {},
  "databases.overview": {},
  "databases.list": { plugin: "postgres" },
  "databases.info": { plugin: "postgres", service: "db" },
  "databases.create": { plugin: "postgres", service: "db" },
  "databases.link": { plugin: "postgres", service: "db", app: "api" },
  "databases.unlink": { plugin: "postgres", service: "db", app: "api" },
  "databases.destroy": { plugin: "postgres", service: "db", confirm: "db" },
  "databases.backups": { plugin: "postgres", service: "db" },
  "databases.backup.auth": { plugin: "postgres", service: "db", accessKeyId: "AKIAEXAMPLE", secretAccessKey: "secret/key+1" },
  "databases.backup.deauth": { plugin: "postgres", service: "db" },
  "databases.backup.run": { plugin: "postgres", service: "db", bucket: "backups" },
  "databases.backup.schedule": { plugin: "postgres", service: "db", schedule: "0 3 * * *", bucket: "backups" },
  "databases.backup.unschedule": { plugin: "postgres", service: "db" },
  "databases.backup.encrypt": { plugin: "postgres", service: "db", passphrase: "pass-phrase" },
  "databases.backup.unencrypt": { plugin: "postgres", service: "db" },
  "databases.expose": { plugin: "postgres", service: "db", ports: ["127.0.0.1:15432"] },
  "databases.unexpose": { plugin: "postgres", service: "db" },
  "databases.export": { plugin: "postgres", service: "db" },
  "databases.import": { plugin: "postgres", service: "db", confirm: "db" },
  "logs.tail": { app: "api", lines: 10, process: "web" },
  "logs.failed": { app: "api" },
  "server.health": {},
  "relay.ping": {},
  "history.list": { filter: { app: "api", op: "apps.restart", text: "x" } },
  "history.entry": { id: 1 },
  "history.verify": { known: [] },
  "history.export": { format: "csv", filter: { app: "api", text: "x" } },
  "history.get": { opId: "11111111-1111-4111-8111-111111111111" },
  "changes.running": {},
  "releases.list": { app: "api" },
  "releases.recent": {},
  "releases.plan": { app: "api", number: 1 },
  "releases.values": { app: "api", number: 1 },
  "releases.rollback": { app: "api", number: 1 },
  "releases.drift": { app: "api" },
  "releases.keep": { app: "api" },
  "releases.revert": { app: "api" },
  "builds.list": { app: "api" },
  "builds.output": { app: "api", id: "mc1x2y3zab12cd" },
  "builds.cancel": { app: "api" },
};

/** Every place a string sits in an argument object, as a setter. */
function stringSlots(args: Record<string, unknown>): Array<{ path: string; set: (v: string) => Record<string, unknown> }> {
  const slots: Array<{ path: string; set: (v: string) => Record<string, unknown> }> = [];
  const walk = (value: unknown, path: string[], rebuild: (v: unknown) => Record<string, unknown>) => {
    if (typeof value === "string") slots.push({ path: path.join("."), set: (v) => rebuild(v) });
    else if (Array.isArray(value)) value.forEach((x, i) => walk(x, [...path, String(i)], (v) => rebuild(value.map((y, j) => (j === i ? v : y)))));
    else if (value && typeof value === "object") {
      for (const [k, x] of Object.entries(value)) {
        walk(x, [...path, k], (v) => rebuild({ ...(value as object), [k]: v }));
        // record keys (env keys, process types) are attacker-controlled too
        if (path.length > 0 && (path.at(-1) === "vars" || path.at(-1) === "scale")) {
          slots.push({
            path: `${[...path, k].join(".")}(key)`,
            set: (nk) => rebuild(Object.fromEntries(Object.entries(value as object).map(([kk, vv]) => [kk === k ? nk : kk, vv]))),
          });
        }
      }
    }
  };
  walk(args, [], (v) => v as Record<string, unknown>);
  return slots;
}

const dokkuOps = (Object.keys(ops) as OpName[]).filter(
  (op) => !["server.health", "relay.ping", "history.list", "history.entry", "history.export", "history.get", "history.verify", "changes.running"].includes(op),
);

describe("hostile input is refused by the schema or passed as one argv element", () => {
  for (const op of Object.keys(base) as OpName[]) {
    it(op, async () => {
      const spec = ops[op];
      const relay = fakeRelay();
      expect(spec.args.safeParse(base[op]).success, `${op} base args`).toBe(true);
      let attacked = 0;
      for (const slot of stringSlots(base[op])) {
        for (const evil of hostile) {
          const args = slot.set(evil);
          const parsed = spec.args.safeParse(args);
          attacked++;
          if (!parsed.success) {
            const msg = argsErrorMessage(parsed.error);
            expect(msg.length, `${op} ${slot.path}`).toBeGreaterThan(0);
            expect(msg.length, `${op} ${slot.path}: message stays short`).toBeLessThan(2000);
            continue;
          }
          if (!dokkuOps.includes(op)) continue;
          // accepted: it must reach Dokku as exactly one argv element (or base64-encoded inside one)
          relay.argvs.length = 0;
          relay.stdins.length = 0;
          await runOp(relay, op, args).catch(() => {});
          for (const [i, argv] of relay.argvs.entries()) {
            for (const a of argv) expect(a.includes("\u0000"), `${op}: NUL in argv`).toBe(false);
            // a secret read from stdin (--password-stdin) goes there whole and never into argv
            if (evil && relay.stdins[i] === `${evil}\n`) {
              expect(argv.some((a) => a.includes(evil))).toBe(false);
              continue;
            }
            const exact = argv.filter((a) => a === evil || a.endsWith(`=${Buffer.from(evil).toString("base64")}`));
            const partial = argv.filter((a) => evil.length > 2 && a !== evil && a.includes(evil) && !a.endsWith(`=${Buffer.from(evil).toString("base64")}`));
            expect(partial, `${op} ${slot.path} = ${JSON.stringify(evil.slice(0, 30))}`).toEqual([]);
            if (evil) expect(exact.length, `${op} ${slot.path}: reaches Dokku as one element`).toBeGreaterThan(0);
          }
        }
      }
      if (stringSlots(base[op]).length === 0) expect(spec.args.safeParse({ injected: "--force" }).success).toBe(false);
      else expect(attacked).toBeGreaterThan(0);
    });
  }

  it("names, keys, domains, services and process types refuse every shell or flag look-alike", () => {
    const appArgs = ops["apps.restart"].args;
    for (const evil of hostile) expect(appArgs.safeParse({ app: evil }).success, JSON.stringify(evil.slice(0, 20))).toBe(false);
    for (const evil of hostile) expect(ops["databases.info"].args.safeParse({ plugin: "postgres", service: evil }).success).toBe(false);
    for (const evil of hostile) expect(ops["domains.add"].args.safeParse({ app: "api", domains: [evil] }).success).toBe(false);
    for (const evil of hostile) expect(ops["config.unset"].args.safeParse({ app: "api", keys: [evil] }).success).toBe(false);
    for (const evil of hostile) expect(ops["apps.scale.set"].args.safeParse({ app: "api", scale: { [evil]: 1 } }).success).toBe(false);
    expect(ops["logs.tail"].args.safeParse({ app: "api", lines: 1e9 }).success).toBe(false);
    expect(ops["apps.scale.set"].args.safeParse({ app: "api", scale: { web: -1 } }).success).toBe(false);
    expect(ops["databases.link"].args.safeParse({ plugin: "postgres; id", service: "db", app: "api" }).success).toBe(false);
  });

  it("a config value of any content is accepted and travels as one base64 argv element", async () => {
    for (const evil of hostile.filter((h) => h.length < 1000)) {
      const relay = fakeRelay();
      await runOp(relay, "config.set", { app: "api", vars: { K: evil } });
      expect(relay.argvs[0]).toEqual(["config:set", "--encoded", "api", "--", `K=${Buffer.from(evil).toString("base64")}`]);
    }
    expect(ops["config.set"].args.safeParse({ app: "api", vars: { K: HUGE } }).error?.issues[0]?.message).toBe("a config value is at most 32 KiB");
  });

  it("destroy needs the name twice", () => {
    const r = ops["apps.destroy"].args.safeParse({ app: "api", confirm: "apl" });
    expect(r.success).toBe(false);
    expect(z.prettifyError(r.error!)).toContain("confirm must repeat the app name exactly");
    expect(ops["databases.destroy"].args.safeParse({ plugin: "redis", service: "cache", confirm: "Cache" }).success).toBe(false);
    expect(ops["apps.destroy"].args.safeParse({ app: "api" }).success).toBe(false);
  });

  it("unknown argument keys are refused (strict schemas)", () => {
    expect(ops["apps.restart"].args.safeParse({ app: "api", argv: ["--force"] }).success).toBe(false);
    expect(ops["config.get"].args.safeParse({ app: "api", format: "shell" }).success).toBe(false);
  });
});
