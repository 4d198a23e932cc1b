import { describe, expect, it } from "vitest";
import { listedPortMapping, portMapping } from "../../protocol/names.js";
import { FailedLogs } from "../../worker/pages/app/failed-logs.js";
import { AppActions } from "../../worker/pages/app/overview.js";
import { AppSummary } from "../../worker/pages/app/app-summary.js";
import { PortList } from "../../worker/pages/app/domains.js";
import { TlsBody } from "../../worker/pages/app/tls.js";
import { AppsTable } from "../../worker/pages/apps.js";
import { DatabasesBody } from "../../worker/pages/databases.js";
import { ChangeDone } from "../../worker/pages/outcome.js";
import { FAMILIES, host, page, recordings, replay, replayError } from "./harness.js";
import { textOf } from "./recordings.js";

/**
 * The conformance suite: recorded Dokku outputs (fixtures/, each with the source it follows) fed to
 * the catalog's parsers through the relay's own op runner, and the results rendered through the
 * pages that show them. One block per kind of state the issue names, across the version families.
 */

/** The plugin:list recording of a family: JSON from 0.38.22, text before. */
const pluginList = (label: string, v: string) => `plugin-list/${label}/${v}`;
const certs = (label: string, v: string) => `certs-report/${label}/${v}`;

describe("every recording names its source and parses as a recording", () => {
  it("has one per read command and version family for the reports whose form changes with the version", () => {
    const perFamily = [
      "ps-report-all",
      "ps-report/api",
      "domains-report/api",
      "git-report/api",
      "certs-report/expired",
      "plugin-list/disabled",
      "logs-failed/none",
      "ports-report/grpc",
      "apps-list",
    ];
    const deployTab = ["apps-report/api", "checks-report/api", "builder-report/api", "buildpacks-report/api", "ps-scale/worker", "config-export/api"];
    for (const prefix of [...perFamily, ...deployTab]) {
      for (const v of FAMILIES) expect(recordings.has(`${prefix}/${v}`), `${prefix}/${v}`).toBe(true);
    }
    for (const r of recordings.values()) expect(r.source, r.id).toMatch(/dokku\/dokku|dokku-letsencrypt|dokku-postgres/);
  });
});

describe("1. a plugin is enabled, disabled, missing or too old — said for what it is", () => {
  for (const v of FAMILIES) {
    it(`${v}: a disabled letsencrypt is "installed but disabled" with plugin:enable, not "not installed"`, async () => {
      const r = await replay("tls.status", { app: "api" }, v, [certs("valid", v), pluginList("disabled", v), `domains-report/api/${v}`]);
      expect(r.letsencryptPlugin).toEqual({ name: "letsencrypt", state: "disabled", version: "0.20.4", minVersion: "0.20.0" });
      const text = page(TlsBody({ host, app: "api", status: r }));
      expect(text).toContain("The letsencrypt plugin is installed but disabled on this host.");
      expect(text).toContain("sudo dokku plugin:enable letsencrypt");
      expect(text).not.toContain("not installed");
      expect(text).not.toContain("plugin:install");
      expect(text).not.toContain("Enable Let's Encrypt");
    });

    it(`${v}: a disabled redis on the databases page, beside an old postgres read from its table and missing plugins`, async () => {
      const r = await replay("databases.overview", {}, v, [pluginList("disabled", v), "postgres-list/table"]);
      const redis = r.plugins.find((p) => p.plugin === "redis")!;
      expect(redis).toMatchObject({ status: { state: "disabled" }, services: null });
      expect(r.plugins.find((p) => p.plugin === "postgres")).toMatchObject({ status: { state: "enabled", version: "1.9.1" }, services: ["legacy-db"] });
      expect(r.plugins.find((p) => p.plugin === "mysql")).toMatchObject({ status: { state: "missing" } });
      const html = String(DatabasesBody({ host: host.host, plugins: r.plugins }));
      const redisText = textOf(html.slice(html.indexOf('data-plugin="redis"'), html.indexOf('data-plugin="mysql"')));
      expect(redisText).toContain("installed but disabled");
      expect(redisText).toContain("sudo dokku plugin:enable redis");
      expect(redisText).not.toContain("No redis databases yet");
      expect(redisText).not.toContain("plugin:install");
      expect(textOf(html)).toContain("legacy-db");
      expect(textOf(html)).toContain("sudo dokku plugin:install https://github.com/dokku/dokku-mysql.git");
    });
  }

  it("a letsencrypt older than 0.20.0 is too old: its list is still shown, the e-mail cannot be set, plugin:update is advised", async () => {
    const r = await replay("tls.status", { app: "api" }, "0.35.20", [
      certs("valid", "0.35.20"),
      "plugin-list/le-too-old/0.35.20",
      "letsencrypt-list/active",
      "letsencrypt-report/api",
      "domains-report/api/0.35.20",
    ]);
    expect(r.letsencryptPlugin).toMatchObject({ state: "too-old", version: "0.19.0" });
    expect(r.letsencrypt?.app).toBe("api");
    const text = page(TlsBody({ host, app: "api", status: r }));
    expect(text).toContain("too old (0.19.0; 0.20.0 or later needed)");
    expect(text).toContain("sudo dokku plugin:update letsencrypt");
    expect(text).not.toContain("Enable Let's Encrypt");
    const err = await replayError("tls.setEmail", { app: "api", email: "ops@example.com" }, "0.35.20", [
      "letsencrypt-set/not-a-command",
      "plugin-list/le-too-old/0.35.20",
    ]);
    expect(err).toMatchObject({
      code: "unavailable",
      message: "the letsencrypt plugin is too old (0.19.0; 0.20.0 or later needed) — sudo dokku plugin:update letsencrypt",
    });
  });

  it("a change on a disabled plugin fails saying so", async () => {
    const err = await replayError("tls.enable", { app: "api" }, "0.35.20", ["letsencrypt-enable/disabled", "plugin-list/disabled/0.35.20"]);
    expect(err).toMatchObject({ code: "unavailable", message: "the letsencrypt plugin is installed but disabled — sudo dokku plugin:enable letsencrypt" });
    const list = await replayError("databases.list", { plugin: "redis" }, "0.35.20", ["redis-list/disabled", "plugin-list/disabled/0.35.20"]);
    expect(list.message).toBe("the redis plugin is installed but disabled — sudo dokku plugin:enable redis");
  });
});

describe("2. times and verdicts keep their meaning", () => {
  for (const v of FAMILIES) {
    it(`${v}: an expired Let's Encrypt certificate is red "expired N days ago", its renewal overdue, and certs:report's "self signed" shown`, async () => {
      const r = await replay("tls.status", { app: "api" }, v, [
        certs("expired", v),
        pluginList("enabled", v),
        "letsencrypt-list/expired",
        "letsencrypt-report/api",
        `domains-report/api/${v}`,
      ]);
      expect(r.letsencrypt).toMatchObject({ secondsToExpiry: -(1196 * 86_400 + 15 * 3600 + 20 * 60 + 1) });
      expect(r.certs).toMatchObject({ verified: "self signed", expiresAt: "Aug 20 09:00:00 2021 GMT" });
      expect(r.certs.secondsToExpiry).toBeLessThan(0);
      const html = String(TlsBody({ host, app: "api", status: r }));
      const text = textOf(html);
      // one expiry line, the certificate's own date (certs:report's), with how long ago; the plugin's badge does not repeat it
      const ago = Math.floor((Date.now() - Date.UTC(2021, 7, 20, 9)) / 86_400_000);
      expect(html).toContain(`<dd class="expiry">2021-08-20 09:00:00 UTC <span class="badge down">expired ${ago} days ago</span></dd>`);
      expect(html).toContain('<span class="badge down">certificate expired</span>');
      expect(text.match(/days ago/g)).toHaveLength(1);
      expect(text).toContain("overdue since 1226d, 15h, 20m, 1s ago");
      expect(text).toContain("unverified (self signed)");
      expect(text).not.toMatch(/\bactive\b/);
      expect(text).not.toContain("ago left");
      expect(text).not.toContain("Renewal in");
    });
  }

  it("a certificate inside its renewal window with the renewal past is 'renewal overdue', not active", async () => {
    const r = await replay("tls.status", { app: "api" }, "0.35.20", [
      certs("valid", "0.35.20"),
      pluginList("enabled", "0.35.20"),
      "letsencrypt-list/overdue",
      "letsencrypt-report/api",
      "domains-report/api/0.35.20",
    ]);
    expect(r.letsencrypt).toMatchObject({ timeBeforeExpiry: "12d, 3h", secondsToExpiry: 12 * 86_400 + 3 * 3600, secondsToRenewal: -(17 * 86_400 + 21 * 3600) });
    const html = String(TlsBody({ host, app: "api", status: r }));
    expect(html).toContain('<span class="badge warn">renewal overdue</span>');
    expect(html).toMatch(/<dd class="expiry">2099-08-20 09:00:00 UTC \(\d+ days left\)<\/dd>/);
    expect(textOf(html)).toContain("overdue since 17d, 21h ago");
    expect(textOf(html)).toContain("verified by a certificate authority");
  });
});

describe("3. an app's state drives what is offered", () => {
  for (const v of FAMILIES) {
    it(`${v}: the dashboard reads running, stopped, scaled to 0 and never deployed, and offers Restart only where it does something`, async () => {
      const { apps } = await replay("apps.list", {}, v, [`apps-list/${v}`, `ps-report-all/${v}`]);
      expect(apps.map((a) => [a.name, a.state, a.processes])).toEqual([
        ["api", "running", 2],
        ["blog", "stopped", 1],
        ["staging", "not-deployed", 0],
        ["worker", "scaled-to-zero", 0],
      ]);
      const html = String(AppsTable({ host: "demo", apps, may: () => true }));
      const row = (name: string) => textOf(html.slice(html.indexOf(`data-app="${name}"`)).split("</tr>")[0]!);
      expect(row("api")).toContain("Restart");
      expect(row("worker")).toContain("scaled to 0");
      expect(row("worker")).not.toContain("Restart");
      expect(row("worker")).toContain("Scale");
      expect(row("staging")).toContain("not deployed");
      expect(row("staging")).not.toContain("Restart");
      expect(row("blog")).toContain("stopped");
    });

    it(`${v}: an app scaled to 0 is "scaled to 0" pointing to Scale, with no Start button`, async () => {
      const d = await replay("apps.detail", { app: "worker" }, v, [`ps-report/worker/${v}`, `domains-report/worker/${v}`, `git-report/worker/${v}`]);
      expect(d).toMatchObject({ state: "scaled-to-zero", deployed: true, processes: 0 });
      const summary = page(AppSummary({ host: "demo", detail: d }));
      expect(summary).toContain("scaled to 0");
      expect(summary).not.toContain("stopped");
      const actions = String(AppActions({ host: "demo", detail: d, may: () => true }));
      expect(textOf(actions)).toContain("Scaled to 0");
      expect(actions).not.toContain("/ps/start");
      expect(actions).not.toContain("/ps/restart");
    });
  }
});

describe("4. placeholders are not values: the deploy branch", () => {
  for (const v of ["0.38.16", "0.38.27"]) {
    it(`${v}: an app pinned to master while the global branch is main deploys master (computed-deploy-branch)`, async () => {
      const d = await replay("apps.detail", { app: "api" }, v, [`ps-report/api/${v}`, `domains-report/api/${v}`, `git-report/api/${v}`]);
      expect(d.git.deployBranch).toEqual({ own: "master", effective: "master", global: "main", either: [] });
      const text = page(AppSummary({ host: "demo", detail: d }));
      expect(text).toContain("Deploy branch master Git commit");
      expect(text).not.toContain("Deploy branch main");
      const follows = await replay("apps.detail", { app: "worker" }, v, [`ps-report/worker/${v}`, `domains-report/worker/${v}`, `git-report/worker/${v}`]);
      expect(follows.git.deployBranch).toMatchObject({ own: "", effective: "main" });
      expect(page(AppSummary({ host: "demo", detail: follows }))).toContain("Deploy branch main (the global deploy branch)");
    });
  }
  for (const v of ["0.33.9", "0.35.20"]) {
    it(`${v}: \`master\` beside a global main cannot be told apart, and the page says so instead of guessing`, async () => {
      const d = await replay("apps.detail", { app: "api" }, v, [`ps-report/api/${v}`, `domains-report/api/${v}`, `git-report/api/${v}`]);
      expect(d.git.deployBranch).toEqual({ own: null, effective: null, global: "main", either: ["master", "main"] });
      const text = page(AppSummary({ host: "demo", detail: d }));
      expect(text).toContain("Deploy branch master or main");
      expect(text).toContain("Dokku 0.38.4 and later say which");
    });
  }
  it("0.38.2: JSON without a computed branch is read like the text before it", async () => {
    const d = await replay("apps.detail", { app: "api" }, "0.38.2", ["ps-report/api/0.38.16", "domains-report/api/0.38.16", "git-report/api/0.38.2"]);
    expect(d.git.deployBranch).toMatchObject({ effective: null, either: ["master", "main"] });
  });
});

describe("5. warnings shown when the command succeeded, and a failure says why", () => {
  for (const v of FAMILIES) {
    it(`${v}: logs:failed's header on stdout and "No failed containers found" on stderr (exit 0) show the warning, not the bare header`, async () => {
      const r = await replay("logs.failed", { app: "api" }, v, [`logs-failed/none/${v}`]);
      expect(r).toEqual({ output: "=====> api failed deploy logs\n", warning: "No failed containers found" });
      const text = page(FailedLogs({ result: r }));
      expect(text).toBe("No failed containers found");
    });
  }

  it("a failing letsencrypt:auto-renew says why (lego's lines before `Certificate retrieval failed!`)", async () => {
    const err = await replayError("tls.autoRenew", { app: "api" }, "0.35.20", ["letsencrypt-auto-renew/failed"]);
    expect(err.code).toBe("dokku_error");
    expect(err.message).toContain("-----> Certificate retrieval failed!");
    expect(err.message).toContain("acme: error: 403");
    expect(err.message).not.toContain("without a message");
  });

  it("auto-renew on an app without a certificate is not reported as a renewal", async () => {
    const r = await replay("tls.autoRenew", { app: "api" }, "0.35.20", ["letsencrypt-auto-renew/not-enabled"]);
    expect(r.warning).toBe("Let's Encrypt is not enabled for api: there is no certificate to renew");
    expect(page(ChangeDone({ title: "Nothing renewed", result: r }))).toContain("no certificate to renew");
  });
});

describe("6. a list that cannot be read is not an empty list", () => {
  it("an old postgres plugin's table is read", async () => {
    expect(await replay("databases.list", { plugin: "postgres" }, "0.35.20", ["postgres-list/table"])).toEqual({ services: ["legacy-db"] });
    expect(await replay("databases.list", { plugin: "postgres" }, "0.35.20", ["postgres-list/names"])).toEqual({ services: ["main-db"] });
    expect(await replay("databases.list", { plugin: "postgres" }, "0.35.20", ["postgres-list/none"])).toEqual({ services: [] });
  });

  it("output in no known form is said to be unreadable, on the page too", async () => {
    const err = await replayError("databases.list", { plugin: "postgres" }, "0.35.20", ["postgres-list/unknown-form"]);
    expect(err).toMatchObject({ code: "dokku_error", message: expect.stringContaining("postgres:list printed output the relay could not read") });
    const r = await replay("databases.overview", {}, "0.35.20", ["plugin-list/disabled/0.35.20", "postgres-list/unknown-form"]);
    expect(r.plugins.find((p) => p.plugin === "postgres")).toMatchObject({ services: null, problem: expect.stringContaining("could not read") });
    const html = String(DatabasesBody({ host: host.host, plugins: r.plugins }));
    const postgres = textOf(html.slice(html.indexOf('data-plugin="postgres"'), html.indexOf('data-plugin="redis"')));
    expect(postgres).toContain("The postgres databases could not be read.");
    expect(postgres).not.toContain("No postgres databases yet");
  });
});

describe("7. one odd row does not take the page down", () => {
  it("an app apps:list names but ps:report omits is 'status unknown'; the rest as usual", async () => {
    const { apps } = await replay("apps.list", {}, "0.35.20", ["apps-list/race", "ps-report-all/0.35.20"]);
    expect(apps.find((a) => a.name === "new-app")).toMatchObject({ state: "unknown", processes: null });
    expect(apps.filter((a) => a.state !== "unknown")).toHaveLength(4);
    const text = page(AppsTable({ host: "demo", apps, may: () => true }));
    expect(text).toContain("status unknown");
    expect(text).toContain("running");
  });

  it("a scheduler that gives no container count (-1) leaves that app unknown", async () => {
    const { apps } = await replay("apps.list", {}, "0.35.20", ["apps-list/0.35.20", "ps-report-all/unknown-count"]);
    expect(apps.map((a) => [a.name, a.state])).toEqual([
      ["api", "running"],
      ["blog", "unknown"],
      ["staging", "unknown"],
      ["worker", "unknown"],
    ]);
  });
});

describe("8. what Dokku accepts, the dashboard can manage: port schemes", () => {
  for (const v of FAMILIES) {
    it(`${v}: a grpc mapping is listed with a Remove button`, async () => {
      const r = await replay("ports.report", { app: "api" }, v, [`ports-report/grpc/${v}`]);
      expect(r.map).toEqual(["grpc:80:50051", "http:8080:5000"]);
      const html = String(PortList({ host: "demo", app: "api", ports: { kind: "ok", result: r }, historyHref: "/h" }));
      expect(html).toContain('data-mapping="grpc:80:50051"');
      expect(html).toContain('aria-label="Remove grpc:80:50051"');
    });
  }
  it("removes a listed grpc mapping, and grpc/grpcs can be added", async () => {
    const r = await replay("ports.remove", { app: "api", mappings: ["grpc:80:50051"] }, "0.35.20", ["ports-remove/grpc"]);
    expect(r.output).toContain("Reloading nginx");
    expect(portMapping.safeParse("grpc:80:50051").success).toBe(true);
    expect(portMapping.safeParse("grpcs:443:50051").success).toBe(true);
    expect(portMapping.safeParse("weird:80:5000").success).toBe(false);
    expect(listedPortMapping.safeParse("weird:80:5000").success).toBe(true);
    expect(listedPortMapping.safeParse("-x:80:5000").success).toBe(false);
  });
});
