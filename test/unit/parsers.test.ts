import { describe, expect, it } from "vitest";
import { deployBranchOf, parseScaleJson, parseScaleText } from "../../relay/catalog/apps.js";
import { maskPair, redactConfig } from "../../relay/catalog/config.js";
import { maskDsn, parseServiceList } from "../../relay/catalog/databases.js";
import { parsePluginJson, parsePluginList } from "../../relay/catalog/plugins.js";
import { parseLetsencryptList } from "../../relay/catalog/tls.js";
import { isNotACommand, versionAtLeast } from "../../relay/catalog/types.js";
import { stripAnsi } from "../../relay/dokku/output.js";
import { normalizeReportKeys, parseIndentedFields, parseJsonReport, parseReports } from "../../relay/dokku/report.js";

// Samples copied from shared/reference/dokku-cli.md.

describe("ps:scale", () => {
  it("reads the text layout (type: padded to 5, sorted) and ignores the header lines", () => {
    const text = "-----> Scaling for node-js-app\nproctype: qty\n--------: ---\nweb:  1\nworker: 2\n";
    expect(parseScaleText(text)).toEqual([
      { processType: "web", quantity: 1 },
      { processType: "worker", quantity: 2 },
    ]);
  });
  it("gives nothing when no scale is set (only the two header lines)", () => {
    expect(parseScaleText("-----> Scaling for x\nproctype: qty\n--------: ---\n")).toEqual([]);
  });
  it("reads the 0.38.21 JSON, [] and null alike", () => {
    expect(parseScaleJson('[{"process_type":"web","quantity":1}]')).toEqual([{ processType: "web", quantity: 1 }]);
    expect(parseScaleJson("[]")).toEqual([]);
    expect(parseScaleJson("null")).toEqual([]);
    expect(() => parseScaleJson('[{"process_type":"web","quantity":"x"}]')).toThrow();
  });
});

describe("reports", () => {
  it("normalises 0.30 text, <0.38.8 prefixed JSON and 0.38.8 unprefixed JSON to the same keys", () => {
    const text = parseReports(
      ["=====> node-js-app ps information", "       Deployed:                      true", "       Ps can scale:                  true", "       Status web 1:                  running (CID: 4c1d8f2a9b3)"].join("\n"),
    )[0]!.fields;
    const oldJson = parseJsonReport('{"deployed":"true","ps-can-scale":"true","status-web.1":"running (CID: 4c1d8f2a9b3)"}');
    const newJson = parseJsonReport('{"can-scale":"true","deployed":"true","ps-can-scale":"true"}');
    for (const f of [text, oldJson, newJson]) expect(normalizeReportKeys(f, ["ps"])).toMatchObject({ deployed: "true", "can-scale": "true" });
  });
  it("reads 0.38 bash JSON (domains, keys already stripped)", () => {
    const f = parseJsonReport('{"app-enabled":"true","app-vhosts":"a.example.com b.example.com","global-enabled":"true","global-vhosts":"dokku.me"}');
    expect(normalizeReportKeys(f, ["domains"])).toEqual({ "app-enabled": "true", "app-vhosts": "a.example.com b.example.com", "global-enabled": "true", "global-vhosts": "dokku.me" });
  });
  it("refuses output with no JSON object", () => {
    expect(() => parseJsonReport(" !     Invalid flag passed, valid flags: --domains-app-enabled")).toThrow(/no JSON object/);
  });
  it("reads a datastore info block padded to 20 columns, colons inside values kept", () => {
    const info = [
      "=====> lollipop postgres service information",
      "       Config dir:          /var/lib/dokku/services/postgres/lollipop/data",
      "       Config options:",
      "       Dsn:                 postgres://postgres:8d3f@dokku-postgres-lollipop:5432/lollipop",
      "       Exposed ports:       5432->15432 ",
      "       Links:               node-js-app other ",
      "       Post create network:",
      "       Status:              running",
    ].join("\n");
    const f = parseIndentedFields(info);
    expect(f).toMatchObject({ "config-options": "", dsn: "postgres://postgres:8d3f@dokku-postgres-lollipop:5432/lollipop", "exposed-ports": "5432->15432", links: "node-js-app other", "post-create-network": "", status: "running" });
  });
});

describe("letsencrypt:list", () => {
  const header = "-----> App name           Certificate Expiry        Time before expiry        Time before renewal      ";
  it("cuts fixed columns (durations hold ', ')", () => {
    const row = `${"node-js-app".padEnd(25)} ${"2024-08-15 12:34:56".padEnd(25)} ${"59d, 23h, 10m, 5s".padEnd(25)} ${"29d, 23h, 10m, 5s".padEnd(25)}`;
    expect(parseLetsencryptList(`${header}\n${row}\n`)).toEqual([
      { app: "node-js-app", expiry: "2024-08-15 12:34:56", timeBeforeExpiry: "59d, 23h, 10m, 5s", timeBeforeRenewal: "29d, 23h, 10m, 5s" },
    ]);
  });
  it("copes with a name longer than its column and a renewal in the past", () => {
    const name = "a-very-long-application-name-x";
    const row = `${name} ${"2024-08-15 12:34:56".padEnd(25)} ${"1d, 2h, 3m, 4s".padEnd(25)} ${"28d, 21h, 56m, 56s ago".padEnd(25)}`;
    expect(parseLetsencryptList(row)[0]).toEqual({ app: name, expiry: "2024-08-15 12:34:56", timeBeforeExpiry: "1d, 2h, 3m, 4s", timeBeforeRenewal: "28d, 21h, 56m, 56s ago" });
  });
  it("gives no rows for the header alone", () => {
    expect(parseLetsencryptList(`${header}\n`)).toEqual([]);
  });
});

describe("plugin:list", () => {
  it("splits on whitespace (long names overflow) and tolerates a plugn line", () => {
    const text = [
      "plugn: dev",
      "  letsencrypt          0.20.4 enabled    Automated installation of let's encrypt TLS certificates",
      "  postgres             1.41.0 enabled    dokku postgres service plugin",
      "  scheduler-docker-local 0.36.11 enabled    dokku core scheduler-docker-local plugin",
      "  old-thing            0.1.0 disabled   ",
    ].join("\n");
    expect(parsePluginList(text)).toEqual([
      { name: "letsencrypt", version: "0.20.4", enabled: true, description: "Automated installation of let's encrypt TLS certificates" },
      { name: "postgres", version: "1.41.0", enabled: true, description: "dokku postgres service plugin" },
      { name: "scheduler-docker-local", version: "0.36.11", enabled: true, description: "dokku core scheduler-docker-local plugin" },
      { name: "old-thing", version: "0.1.0", enabled: false, description: "" },
    ]);
  });
  it("reads the 0.38.22 JSON", () => {
    const json = '[{"name":"postgres","version":"1.41.0","enabled":true,"core":false,"description":"dokku postgres service plugin","source_url":"","committish":"","branch":""}]';
    expect(parsePluginJson(json)).toEqual([{ name: "postgres", version: "1.41.0", enabled: true, description: "dokku postgres service plugin" }]);
  });
});

describe("datastores", () => {
  it("lists services under the =====> header", () => {
    expect(parseServiceList("=====> Postgres services\nlollipop\nmain_db\n")).toEqual(["lollipop", "main_db"]);
    expect(parseServiceList("")).toEqual([]);
  });
  it("masks the password of every plugin's DSN", () => {
    expect(maskDsn("postgres://postgres:8d3f@dokku-postgres-x:5432/x")).toBe("postgres://postgres:***@dokku-postgres-x:5432/x");
    expect(maskDsn("redis://:pw123@dokku-redis-x:6379")).toBe("redis://:***@dokku-redis-x:6379");
    expect(maskDsn("mysql://mariadb:p@ss@h:3306/db")).not.toContain("p@ss");
    expect(maskDsn("       DATABASE_URL:  mongodb://x:secretpw@dokku-mongo-x:27017/x")).toBe("       DATABASE_URL:  mongodb://x:***@dokku-mongo-x:27017/x");
  });
});

describe("config redaction", () => {
  it("masks K=V argv elements and leaves flags alone", () => {
    expect(maskPair("TOKEN=c2VjcmV0")).toBe("TOKEN=***");
    expect(maskPair("--no-restart")).toBeNull();
  });
  it("removes values from config:set output, multi-line values included", () => {
    const out = "-----> Setting config vars\n       PEM:    -----BEGIN KEY-----\nline-two-secret\n       SHORT:  ab\n";
    const red = redactConfig(out, { PEM: "-----BEGIN KEY-----\nline-two-secret", SHORT: "ab" });
    expect(red).not.toContain("BEGIN KEY");
    expect(red).not.toContain("line-two-secret");
    expect(red).toContain("PEM:  ***");
    expect(red).toContain("SHORT:  ***");
  });
});

describe("small helpers", () => {
  it("compares versions", () => {
    expect(versionAtLeast("0.38.21", "0.38.21")).toBe(true);
    expect(versionAtLeast("0.38.3", "0.38.21")).toBe(false);
    expect(versionAtLeast("0.100.0", "0.38.0")).toBe(true);
    expect(versionAtLeast(null, "0.23.1")).toBe(false);
  });
  it("recognises an unknown command (a plugin not installed)", () => {
    const res = { exitCode: 1, stdout: "", stderr: " !     `letsencrypt:list` is not a dokku command.\n !     See `dokku help` for a list of available commands.\n", durationMs: 1, stopped: null, startedAt: 0, finishedAt: 1 };
    expect(isNotACommand(res)).toBe(true);
    expect(isNotACommand({ ...res, stderr: " !     App x does not exist" })).toBe(false);
  });
  it("strips log colours", () => {
    expect(stripAnsi("\u001b[36m2024-01-01T00:00:00.000000000Z app[web.1]:\u001b[0m hello")).toBe("2024-01-01T00:00:00.000000000Z app[web.1]: hello");
  });
});

describe("the deploy branch from git:report", () => {
  const g = (branch: string, global: string) => ({ "deploy-branch": branch, "global-deploy-branch": global, sha: "", "last-updated-at": "" });
  it("reads `master` as following the global branch, and an app's own branch as winning", () => {
    expect(deployBranchOf(g("master", "main"))).toEqual({ own: "", effective: "main" });
    expect(deployBranchOf(g("master", ""))).toEqual({ own: "", effective: "master" });
    expect(deployBranchOf(g("release", "main"))).toEqual({ own: "release", effective: "release" });
  });
});
