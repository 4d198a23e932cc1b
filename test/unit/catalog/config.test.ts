import { describe, expect, it } from "vitest";
import { defineMatrix, freshSims, type Case } from "../../support/ops-matrix.js";
import { runOp, simRelay } from "../../support/ops.js";

const sim = freshSims();

describe.concurrent("config values never reach history, replies or live lines", () => {
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
    const ctx = simRelay(sim());
    const res = await runOp(ctx, "config.set", { app: "api", vars: hostileValues, noRestart: true });
    expect(res.output).toContain("-----> Setting config vars");
    const { vars } = await runOp(ctx, "config.get", { app: "api" });
    for (const [k, v] of Object.entries(hostileValues)) expect(vars[k], k).toBe(v);

    const setArgv = ctx.argvs[0]!;
    expect(setArgv.slice(0, 5)).toEqual(["config:set", "--encoded", "--no-restart", "api", "--"]);
    expect(setArgv).toHaveLength(5 + Object.keys(hostileValues).length);

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

  it("config.set's reply and live lines show the keys it set, never their values", async () => {
    const ctx = simRelay(sim());
    const res = await runOp(ctx, "config.set", {
      app: "api",
      vars: { API_TOKEN: "tok-4f8a2b9c", PEM: "-----BEGIN-----\nabc123xyz\n-----END-----" },
      noRestart: true,
    });
    for (const shown of [res.output, ctx.chunks.join("")]) {
      expect(shown).toContain("API_TOKEN:");
      expect(shown).toContain("***");
      expect(shown).not.toContain("tok-4f8a2b9c");
      expect(shown).not.toContain("abc123xyz");
    }
  });
});

/** config ops: happy path, missing app, Dokku error, timeout. */
const cases: Case[] = [
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
];

defineMatrix(cases);
