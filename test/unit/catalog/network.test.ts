import { describe, expect, it } from "vitest";
import { ops } from "../../../protocol/ops.js";
import { defineMatrix, freshSims, type Case } from "../../support/ops-matrix.js";
import { fakeRelay, FAMILIES_KNOWN_OR_NOT, relayKnowing, runOp } from "../../support/ops.js";

const sim = freshSims();

describe.concurrent("network across versions", () => {
  it("attach networks set on 0.35 and 0.38 read back alike from JSON and text", async () => {
    for (const [version, known] of FAMILIES_KNOWN_OR_NOT) {
      const ctx = relayKnowing(sim({ version }), known);
      await runOp(ctx, "network.set", { app: "api", property: "attach-post-deploy", value: ["backend", "db"] });
      const r = await runOp(ctx, "network.report", { app: "api" });
      expect(r.settings["attach-post-deploy"], version).toEqual({ app: "backend,db", computed: "backend,db" });
      expect(r.settings["bind-all-interfaces"]).toEqual({ app: "", computed: "false" });
      expect(r.webListeners).toEqual(["172.17.0.5:5000"]);
      expect(r.format).toBe(known ? "json" : "text");
    }
  });

  it("unsets with no value, one argv element per network", async () => {
    const relay = fakeRelay();
    await runOp(relay, "network.set", { app: "api", property: "attach-post-create", value: ["a", "b"] });
    await runOp(relay, "network.set", { app: "api", property: "tld" });
    expect(relay.argvs).toEqual([
      ["network:set", "api", "attach-post-create", "a", "b"],
      ["network:set", "api", "tld"],
    ]);
  });

  it("refuses the host network (it would give the app the host's ports and interfaces), bridge for attach, and option-like values", () => {
    const bad = [
      { property: "initial-network", value: "host" },
      { property: "attach-post-deploy", value: ["host"] },
      { property: "attach-post-create", value: ["bridge"] },
      { property: "initial-network", value: "--net=host" },
      { property: "tld", value: "-x" },
      { property: "bind-all-interfaces", value: "yes" },
      { property: "static-web-listener", value: "1.2.3.4" },
      { property: "docker-options", value: "x" },
    ];
    for (const b of bad) expect(ops["network.set"].args.safeParse({ app: "api", ...b }).success, JSON.stringify(b)).toBe(false);
    expect(ops["network.set"].args.safeParse({ app: "api", property: "static-web-listener", value: "10.0.0.5:8080" }).success).toBe(true);
  });
});

/** network ops: happy path, missing app, Dokku error, timeout. */
const cases: Case[] = [
  {
    op: "network.report",
    args: { app: "api" },
    command: "network:report",
    check: (r) => expect(r.settings.tld).toEqual({ app: "", computed: "" }),
    missing: { app: "ghost" },
  },
  {
    op: "network.set",
    args: { app: "api", property: "initial-network", value: "backend" },
    command: "network:set",
    check: (r) => expect(r.output).toBe("=====> Setting initial-network to backend\n"),
    missing: { app: "ghost", property: "tld", value: "svc" },
  },
];

defineMatrix(cases);
