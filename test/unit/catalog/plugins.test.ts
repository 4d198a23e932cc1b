import { describe, expect, it } from "vitest";
import { parsePluginJson, parsePluginList } from "../../../relay/catalog/plugins.js";
import { defineMatrix, freshSims, type Case } from "../../support/ops-matrix.js";
import { runOp, simRelay } from "../../support/ops.js";

const sim = freshSims();

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
  it("refuses a line in no known form rather than reading fewer plugins", () => {
    expect(() => parsePluginList("  postgres             1.41.0 enabled    dokku postgres service plugin\nsomething else entirely\n")).toThrow(
      /unexpected line/,
    );
    expect(parsePluginList("")).toEqual([]);
  });
  it("reads the 0.38.22 JSON", () => {
    const json =
      '[{"name":"postgres","version":"1.41.0","enabled":true,"core":false,"description":"dokku postgres service plugin","source_url":"","committish":"","branch":""}]';
    expect(parsePluginJson(json)).toEqual([{ name: "postgres", version: "1.41.0", enabled: true, description: "dokku postgres service plugin" }]);
  });
});

describe("plugins.list across versions", () => {
  it("plugins.list uses JSON only from 0.38.22", async () => {
    const neu = simRelay(sim({ version: "0.38.27" }));
    const plugins = await runOp(neu, "plugins.list", {});
    expect(plugins.plugins).toContainEqual({ name: "redis", version: "1.39.1", enabled: true, description: "dokku redis service plugin" });
    expect(neu.argvs).toContainEqual(["plugin:list", "--format", "json"]);
    const old = simRelay(sim({ version: "0.38.21" }));
    expect((await runOp(old, "plugins.list", {})).plugins).toContainEqual({
      name: "redis",
      version: "1.39.1",
      enabled: true,
      description: "dokku redis service plugin",
    });
    expect(old.argvs).toEqual([["plugin:list"]]);
  });
});

/** plugins.list: happy path, Dokku error, timeout. */
const cases: Case[] = [
  {
    op: "plugins.list",
    args: {},
    command: "plugin:list",
    check: (r) => {
      expect(r.plugins).toContainEqual({ name: "postgres", version: "1.41.0", enabled: true, description: "dokku postgres service plugin" });
      expect(r.plugins).toContainEqual(expect.objectContaining({ name: "scheduler-docker-local", enabled: true }));
    },
    missing: null,
  },
];

defineMatrix(cases);
