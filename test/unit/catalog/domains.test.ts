import { describe, expect, it } from "vitest";
import { defineMatrix, freshSims, type Case } from "../../support/ops-matrix.js";
import { runOp, simRelay } from "../../support/ops.js";

const sim = freshSims();

describe("domains.all", () => {
  it("reads every app's domains from one all-apps report, and nothing on an empty host", async () => {
    const ctx = simRelay(sim());
    const { domains } = await runOp(ctx, "domains.all", {});
    expect(domains["blog.v2"]).toEqual(["blog.demo.dokku.me", "www.example.com"]);
    expect(ctx.argvs).toEqual([["domains:report"]]);
    expect(await runOp(simRelay(sim({ seed: "empty" })), "domains.all", {})).toEqual({ domains: {} });
  });
});

/** domains ops: happy path, missing app, Dokku error, timeout. */
const cases: Case[] = [
  {
    op: "domains.report",
    args: { app: "blog.v2" },
    command: "domains:report",
    check: (r) =>
      expect(r).toEqual({
        appEnabled: true,
        appVhosts: ["blog.demo.dokku.me", "www.example.com"],
        globalEnabled: true,
        globalVhosts: ["demo.dokku.me"],
        format: "text",
      }),
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
];

defineMatrix(cases);
