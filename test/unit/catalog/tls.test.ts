import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseLetsencryptList } from "../../../relay/catalog/tls.js";
import { defineMatrix, freshSims, type Case } from "../../support/ops-matrix.js";
import { runOp, simRelay } from "../../support/ops.js";

const sim = freshSims();

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

    delete state.plugins.letsencrypt;
    writeFileSync(file, JSON.stringify(state));
    const status = await runOp(simRelay(s), "tls.status", { app: "api" });
    expect(status).toMatchObject({ letsencryptInstalled: false, letsencrypt: null });
    await expect(runOp(simRelay(s), "tls.enable", { app: "api" })).rejects.toMatchObject({ code: "unavailable" });
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
];

defineMatrix(cases);
