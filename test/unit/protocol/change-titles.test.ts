import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CHANGE_TITLE_MAX } from "../../../protocol/frames.js";
import { changeOpNames, changeTitle, isChangeOp, opLabel, opNames, ops } from "../../../protocol/ops.js";
import { opArgs } from "../../support/op-arbitraries.js";

describe("change titles", () => {
  it("every change op declares a title, and every valid call of it is a plain, bounded text", () => {
    const changes = opNames.filter(isChangeOp);
    expect(changes.length).toBeGreaterThan(20);
    for (const op of changes) {
      const spec = ops[op];
      expect(spec.mutates && spec.title, `${op} declares no title`).toBeTruthy();
      const valid = fc
        .sample(opArgs[op], { numRuns: 300, seed: 7 })
        .map((a) => spec.args.safeParse(a))
        .filter((r) => r.success)
        .map((r) => r.data as Record<string, unknown>);
      expect(valid.length, `${op}: no valid args sampled`).toBeGreaterThan(0);
      for (const args of valid) {
        const app = typeof args.app === "string" ? args.app : null;
        const title = changeTitle(op, app, args);
        expect(title, op).not.toMatch(/\{app\}|undefined|\[object /);
        expect(title.startsWith(op), `${op} fell back to its name`).toBe(false);
        expect(title.length, op).toBeLessThanOrEqual(CHANGE_TITLE_MAX);
        if (app !== null) expect(title, op).toContain(app);
        // a title never shows a config value
        for (const value of Object.values((args.vars as Record<string, string> | undefined) ?? {}))
          if (value.length > 3) expect(title, op).not.toContain(value);
      }
    }
  });

  it("names the app where `{app}` stands, or the subject its arguments give", () => {
    expect(changeTitle("apps.rebuild", "api")).toBe("Rebuild api");
    expect(changeTitle("apps.restart", "api")).toBe("Restart api");
    expect(changeTitle("git.sync", "api", { app: "api", remote: "https://example.com/x.git" })).toBe("Deploy api from Git");
    expect(changeTitle("databases.create", null, { plugin: "postgres", service: "db" })).toBe("Create postgres database db");
    expect(changeTitle("databases.link", "api", { plugin: "redis", service: "cache", app: "api", noRestart: false })).toBe("Link redis database cache to api");
  });

  it("falls back to the op name (on its app) without a declaration, or without the arguments a title function needs", () => {
    expect(changeTitle("databases.link", "api")).toBe("databases.link on api");
    expect(changeTitle("databases.create", null)).toBe("databases.create");
    expect(changeTitle("apps.list", null)).toBe("apps.list");
    expect(changeTitle("made.up", "api")).toBe("made.up on api");
    expect(changeTitle("apps.rebuild", null)).toBe("apps.rebuild");
  });

  it("labels every change for history's op filter with '…' for what it names (a title reading a list as a list would throw there)", () => {
    for (const op of changeOpNames) expect(() => opLabel(op), op).not.toThrow();
    expect(opLabel("host.domains.add")).toBe("Add global domain … (host.domains.add)");
  });

  it("cuts a long title to CHANGE_TITLE_MAX characters", () => {
    const service = "s".repeat(300);
    const title = changeTitle("databases.create", null, { plugin: "postgres", service });
    expect(title).toHaveLength(CHANGE_TITLE_MAX);
    expect(title.endsWith("…")).toBe(true);
  });
});
