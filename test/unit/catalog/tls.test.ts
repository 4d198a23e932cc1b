import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseLetsencryptList, parseOpensslDate, parseTimediff } from "../../../relay/dokku/letsencrypt.js";
import { defineMatrix, freshSims, type Case } from "../../support/ops-matrix.js";
import { runOp, simRelay } from "../../support/ops.js";

const sim = freshSims();

describe("letsencrypt:list", () => {
  const header = "-----> App name           Certificate Expiry        Time before expiry        Time before renewal      ";
  const row = (app: string, expiry: string, left: string, renewal: string) => `${app.padEnd(25)} ${expiry.padEnd(25)} ${left.padEnd(25)} ${renewal.padEnd(25)}`;
  it("reads each duration by its form (they hold ', ') and in seconds", () => {
    expect(parseLetsencryptList(`${header}\n${row("node-js-app", "2024-08-15 12:34:56", "59d, 23h, 10m, 5s", "29d, 23h, 10m, 5s")}\n`)).toEqual([
      {
        app: "node-js-app",
        expiry: "2024-08-15 12:34:56",
        timeBeforeExpiry: "59d, 23h, 10m, 5s",
        timeBeforeRenewal: "29d, 23h, 10m, 5s",
        secondsToExpiry: 59 * 86_400 + 23 * 3600 + 10 * 60 + 5,
        secondsToRenewal: 29 * 86_400 + 23 * 3600 + 10 * 60 + 5,
      },
    ]);
  });
  it("reads ` ago` as past (an expired certificate, an overdue renewal), with zero parts left out", () => {
    const [r] = parseLetsencryptList(row("api", "2021-08-20 09:00:00", "1196d, 15h, 20m, 1s ago", "1226d, 15h, 20m, 1s ago"));
    expect(r).toMatchObject({ secondsToExpiry: -(1196 * 86_400 + 15 * 3600 + 20 * 60 + 1), secondsToRenewal: -(1226 * 86_400 + 15 * 3600 + 20 * 60 + 1) });
    expect(parseTimediff("3d, 5s")).toBe(3 * 86_400 + 5);
    expect(parseTimediff("2h ago")).toBe(-7200);
    expect(parseTimediff("soon")).toBeNull();
  });
  it("copes with a name or a duration longer than its column", () => {
    const name = "a-very-long-application-name-x";
    const line = `${name} ${"2024-08-15 12:34:56".padEnd(25)} ${"1d, 2h, 3m, 4s".padEnd(25)} ${"10000d, 23h, 59m, 59s ago"} `;
    expect(parseLetsencryptList(line)[0]).toMatchObject({ app: name, timeBeforeExpiry: "1d, 2h, 3m, 4s", timeBeforeRenewal: "10000d, 23h, 59m, 59s ago" });
  });
  it("gives no rows for the header alone, and refuses a line in no known form", () => {
    expect(parseLetsencryptList(`${header}\n`)).toEqual([]);
    expect(() => parseLetsencryptList(`${header}\napi expires soon\n`)).toThrow(/unexpected line/);
  });
});

describe("openssl dates in certs:report", () => {
  it("reads `Oct  5 23:59:59 2019 GMT`", () => {
    expect(parseOpensslDate("Oct  5 23:59:59 2019 GMT")).toBe(Date.UTC(2019, 9, 5, 23, 59, 59));
    expect(parseOpensslDate("")).toBeNull();
  });
});

describe.concurrent("the letsencrypt plugin's versions and absence", () => {
  it("letsencrypt:ls is used only when letsencrypt:list is not a dokku command", async () => {
    const s = sim();
    await runOp(simRelay(s), "tls.list", {}); // seeds the state file
    const file = join(s.dir, "state.json");
    const state = JSON.parse(readFileSync(file, "utf8"));
    state.plugins.letsencrypt.version = "0.9.4";
    writeFileSync(file, JSON.stringify(state));
    const ctx = simRelay(s);
    const { rows } = await runOp(ctx, "tls.list", {});
    expect(rows.map((r) => r.app)).toEqual(["api"]);
    expect(ctx.argvs).toEqual([["letsencrypt:list"], ["letsencrypt:ls"]]);

    // 0.9.4 lacks letsencrypt:set: too old for the TLS tab, but its list is still read
    const old = await runOp(simRelay(s), "tls.status", { app: "api" });
    expect(old.letsencryptPlugin).toEqual({ name: "letsencrypt", state: "too-old", version: "0.9.4", minVersion: "0.20.0" });
    expect(old.letsencrypt?.app).toBe("api");
    await expect(runOp(simRelay(s), "tls.setEmail", { app: "api", email: "a@example.com" })).rejects.toMatchObject({
      code: "unavailable",
      message: "the letsencrypt plugin is too old (0.9.4; 0.20.0 or later needed) — sudo dokku plugin:update letsencrypt",
    });

    state.plugins.letsencrypt = { ...state.plugins.letsencrypt, version: "0.20.4", enabled: false };
    writeFileSync(file, JSON.stringify(state));
    const disabled = await runOp(simRelay(s), "tls.status", { app: "api" });
    expect(disabled).toMatchObject({ letsencryptPlugin: { state: "disabled", version: "0.20.4" }, letsencrypt: null, email: null });
    await expect(runOp(simRelay(s), "tls.enable", { app: "api" })).rejects.toMatchObject({
      code: "unavailable",
      message: "the letsencrypt plugin is installed but disabled — sudo dokku plugin:enable letsencrypt",
    });

    delete state.plugins.letsencrypt;
    writeFileSync(file, JSON.stringify(state));
    const status = await runOp(simRelay(s), "tls.status", { app: "api" });
    expect(status).toMatchObject({ letsencryptPlugin: { state: "missing" }, letsencrypt: null });
    await expect(runOp(simRelay(s), "tls.enable", { app: "api" })).rejects.toMatchObject({
      code: "unavailable",
      message: "the letsencrypt plugin is not installed — sudo dokku plugin:install https://github.com/dokku/dokku-letsencrypt.git",
    });
  });

  it("a failed certificate retrieval says why: lego's lines before `Certificate retrieval failed!`", async () => {
    const ctx = simRelay(sim());
    await runOp(ctx, "domains.add", { app: "blog.v2", domains: ["shop.invalid"] });
    await runOp(ctx, "tls.setEmail", { app: "blog.v2", email: "ops@example.com" });
    const err = await runOp(ctx, "tls.enable", { app: "blog.v2" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "dokku_error", message: expect.stringContaining("NXDOMAIN looking up A for shop.invalid") });
    expect((err as Error).message).toContain("-----> Certificate retrieval failed!");
  });

  it("letsencrypt:enable without an e-mail fails with Dokku's message", async () => {
    const err = await runOp(simRelay(sim()), "tls.enable", { app: "blog.v2" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "dokku_error", message: expect.stringContaining("Cannot request a certificate without an e-mail address") });
  });
});

describe("tls.status e-mail", () => {
  it("reports the e-mail set for the app, and none before one is set", async () => {
    const ctx = simRelay(sim());
    expect((await runOp(ctx, "tls.status", { app: "blog.v2" })).email).toBeNull();
    await runOp(ctx, "tls.setEmail", { app: "blog.v2", email: "certs@example.org" });
    expect((await runOp(ctx, "tls.status", { app: "blog.v2" })).email).toBe("certs@example.org");
  });
});

/** TLS ops: happy path, missing app, Dokku error, timeout. */
const cases: Case[] = [
  {
    op: "tls.status",
    args: { app: "api" },
    command: "certs:report",
    check: (r) => {
      expect(r.letsencryptPlugin).toMatchObject({ state: "enabled", version: "0.20.4" });
      expect(r.letsencrypt).toMatchObject({ app: "api", timeBeforeExpiry: expect.stringMatching(/^(60d|59d, 23h, 59m, \d+s)$/) });
      expect(r.letsencrypt.secondsToExpiry).toBeGreaterThan(59 * 86_400);
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
    check: (r) => {
      expect(r.output).toMatch(/^ {7}api still has (29d, 23h, 59m, \d+s|30d) left before renewal\n$/);
      expect(r.warning).toMatch(/^Not renewed: the certificate still has (29d, 23h, 59m, \d+s|30d) before its renewal window$/);
    },
    missing: { app: "ghost" },
  },
];

defineMatrix(cases);
