import { describe, expect, it } from "vitest";
import { ops } from "../../../protocol/ops.js";
import { parseGlobalDomains } from "../../../relay/catalog/host-settings.js";
import { defineMatrix, freshSims, type Case } from "../../support/ops-matrix.js";
import { runOp, simRelay } from "../../support/ops.js";

const sim = freshSims();
const MARK = "global-SECRET-4c2e91";

const cases: Case[] = [
  {
    op: "host.settings",
    args: {},
    command: "domains:report",
    missing: null,
    check: (r) => expect(r).toEqual({ domainsEnabled: true, domains: ["demo.dokku.me"], configKeys: [], deployBranch: null }),
  },
  {
    op: "host.domains.add",
    args: { domains: ["apps.example.com"] },
    command: "domains:add-global",
    missing: null,
    check: (r) => expect(r.output).toBe("-----> Added apps.example.com\n"),
  },
  {
    op: "host.domains.remove",
    args: { domains: ["demo.dokku.me"] },
    command: "domains:remove-global",
    missing: null,
    check: (r) => expect(r.output).toBe("-----> Removed demo.dokku.me\n"),
  },
  {
    op: "host.config.set",
    args: { vars: { SENTRY_DSN: MARK } },
    command: "config:set",
    missing: null,
    check: (r) => {
      expect(r.output).toContain("-----> Setting config vars");
      expect(r.output).not.toContain(MARK);
    },
  },
  {
    op: "host.config.unset",
    args: { keys: ["SENTRY_DSN"] },
    command: "config:unset",
    missing: null,
    check: (r) => expect(r.output).toBe("-----> Skipping SENTRY_DSN, it is not set in the environment\n"),
  },
  {
    op: "host.deployBranch",
    args: { branch: "main" },
    command: "git:set",
    missing: null,
    check: (r) => expect(r.output).toBe("=====> Setting deploy-branch to main\n"),
  },
  { op: "host.cleanup", args: {}, command: "cleanup", missing: null, check: (r) => expect(r.output).toMatch(/^-----> Cleaning up\.\.\.\n/) },
  {
    op: "plugins.update",
    args: { name: "postgres", confirm: "postgres" },
    command: "plugin:update",
    missing: null,
    check: (r) => expect(r.output).toBe("Already up to date.\n"),
  },
];

defineMatrix(cases);

describe.concurrent("host-wide settings", () => {
  it("global domains, config keys (never values) and, on 0.38.22+, the deploy branch follow each change", async () => {
    const s = sim({ version: "0.38.27" });
    const ctx = simRelay(s);
    await runOp(ctx, "host.domains.add", { domains: ["apps.example.com"] });
    await runOp(ctx, "host.config.set", { vars: { SENTRY_DSN: MARK, LOG_LEVEL: "info" } });
    await runOp(ctx, "host.config.unset", { keys: ["LOG_LEVEL"] });
    await runOp(ctx, "host.deployBranch", { branch: "main" });
    expect(await runOp(simRelay(s), "host.settings", {})).toEqual({
      domainsEnabled: true,
      domains: ["demo.dokku.me", "apps.example.com"],
      configKeys: ["SENTRY_DSN"],
      deployBranch: "main",
    });
    expect(ctx.argvs[1]!.slice(0, 4)).toEqual(["config:set", "--global", "--encoded", "--"]);
    expect(ctx.argvs.slice(2)).toEqual([
      ["config:unset", "--global", "--", "LOG_LEVEL"],
      ["git:set", "--global", "deploy-branch", "main"],
    ]);
    // the value travels base64-encoded and is masked in history, live lines and the answer
    const rows = JSON.stringify(ctx.history.list(50, 0));
    expect(rows).not.toContain(MARK);
    expect(rows).not.toContain(Buffer.from(MARK).toString("base64"));
    await runOp(ctx, "host.deployBranch", {});
    expect((await runOp(simRelay(s), "host.settings", {})).deployBranch).toBe("");
  });

  it("a core plugin's update is Dokku's refusal; the update needs the name typed again", async () => {
    await expect(runOp(simRelay(sim()), "plugins.update", { name: "git", confirm: "git" })).rejects.toMatchObject({
      code: "dokku_error",
      message: "Cannot trigger plugin:update against core plugin, please update Dokku instead",
    });
    expect(ops["plugins.update"].args.safeParse({ name: "postgres", confirm: "postgre" }).success).toBe(false);
    for (const bad of ["--all", "-x", "Post gres", "a;b"]) expect(ops["plugins.update"].args.safeParse({ name: bad, confirm: bad }).success, bad).toBe(false);
  });

  it("reads domains:report --global's rows, and refuses output without them", () => {
    const text =
      "=====> Global domains information\n       Domains global enabled:        true                     \n       Domains global vhosts:         a.example.com b.example.com\n";
    expect(parseGlobalDomains(text)).toEqual({ domainsEnabled: true, domains: ["a.example.com", "b.example.com"] });
    expect(() => parseGlobalDomains("nothing here")).toThrow();
  });
});
