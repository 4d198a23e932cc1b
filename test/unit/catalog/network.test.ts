import { describe, expect, it } from "vitest";
import { ops } from "../../../protocol/ops.js";
import { defineMatrix, freshSims, type Case } from "../../support/ops-matrix.js";
import { fakeRelay, FAMILIES_KNOWN_OR_NOT, relayKnowing, runOp, simRelay } from "../../support/ops.js";

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

describe.concurrent("the host's docker networks", () => {
  it("lists, creates and destroys on 0.35 and 0.38: JSON with who made each, the new state read back", async () => {
    for (const version of ["0.35.20", "0.38.27"]) {
      const ctx = simRelay(sim({ version }));
      expect((await runOp(ctx, "network.create", { name: "backend" })).output).toBe("-----> Creating network backend\n");
      const listed = await runOp(ctx, "network.list", {});
      expect(listed.format).toBe("json");
      expect(listed.networks.map((n) => [n.name, n.driver, n.dokkuManaged])).toEqual([
        ["backend", "bridge", true],
        ["bridge", "bridge", false],
        ["host", "host", false],
        ["none", "null", false],
      ]);
      const destroyed = await runOp(ctx, "network.destroy", { name: "backend", confirm: "backend" });
      expect(destroyed.output).toBe("-----> Destroying network backend\n");
      expect((await runOp(ctx, "network.list", {})).networks.map((n) => n.name)).toEqual(["bridge", "host", "none"]);
      expect(ctx.argvs.filter((a) => a[0] !== "network:list")).toEqual([
        ["network:create", "backend"],
        ["network:destroy", "backend", "--force"],
      ]);
    }
  });

  it("an old Dokku (before 0.35.3, or one whose version is unknown) is read in its text form: names only, never --format it lacks", async () => {
    for (const opts of [{ version: "0.35.2" }, { version: "0.35.20", unknown: true }]) {
      const s = sim({ version: opts.version });
      const ctx = simRelay(s, opts.unknown ? { dokkuVersion: null } : {});
      await runOp(ctx, "network.create", { name: "backend" });
      const r = await runOp(ctx, "network.list", {});
      expect(r.format).toBe("text");
      expect(r.networks.map((n) => [n.name, n.driver, n.dokkuManaged])).toEqual([
        ["backend", null, null],
        ["bridge", null, null],
        ["host", null, null],
        ["none", null, null],
      ]);
      expect(ctx.argvs.at(-1)).toEqual(["network:list"]);
    }
    // what asking 0.35.2 for JSON would do: pflag's unknown flag, exit 2
    const res = await sim({ version: "0.35.2" }).dokku("network:list", "--format", "json");
    expect([res.exitCode, res.stderr]).toEqual([2, "unknown flag: --format\nUsage of network:list:\n"]);
  });

  it("a Dokku whose network plugin is missing or disabled says so, naming the command", async () => {
    const relay = fakeRelay(() => ({ exitCode: 1, stderr: " !     `network:list` is not a dokku command.\n" }));
    const err = await runOp(relay, "network.list", {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "unavailable", message: expect.stringContaining("`dokku network:list` arrived in Dokku 0.20.0") });
    expect(err).toMatchObject({ message: expect.stringContaining("dokku plugin:list") });
  });

  it("docker's refusals come back as Dokku prints them: a name taken, a network in use", async () => {
    const s = sim({ version: "0.35.20" });
    const ctx = simRelay(s);
    await runOp(ctx, "network.create", { name: "backend" });
    expect(await runOp(ctx, "network.create", { name: "backend" }).catch((e: unknown) => e)).toMatchObject({
      code: "dokku_error",
      message: "Unable to create network: Error response from daemon: network with name backend already exists",
    });
    await runOp(ctx, "network.set", { app: "api", property: "attach-post-deploy", value: ["backend"] });
    expect(await runOp(ctx, "network.destroy", { name: "backend", confirm: "backend" }).catch((e: unknown) => e)).toMatchObject({
      code: "dokku_error",
      message: expect.stringMatching(/^Unable to destroy network: .*network backend id [0-9a-f]{12} has active endpoints$/),
    });
  });

  it("refuses docker's own networks, option-like and malformed names, and a destroy whose name was not typed again", () => {
    for (const name of ["bridge", "host", "none", "-d", "--driver=macvlan", "a b", "a/b", "", "x".repeat(64), "ÄB", "a\nb"]) {
      expect(ops["network.create"].args.safeParse({ name }).success, name).toBe(false);
      expect(ops["network.destroy"].args.safeParse({ name, confirm: name }).success, name).toBe(false);
    }
    expect(ops["network.destroy"].args.safeParse({ name: "backend", confirm: "backen" }).success).toBe(false);
    expect(ops["network.destroy"].args.safeParse({ name: "backend" }).success).toBe(false);
    expect(ops["network.destroy"].args.safeParse({ name: "backend", confirm: "backend", force: true }).success).toBe(false);
    expect(ops["network.create"].args.safeParse({ name: "my_net.v2-1" }).success).toBe(true);
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
  {
    op: "network.list",
    args: {},
    command: "network:list",
    check: (r) => expect(r.networks.map((n: { name: string }) => n.name)).toEqual(["bridge", "host", "none"]),
    missing: null,
  },
  {
    op: "network.create",
    args: { name: "backend" },
    command: "network:create",
    check: (r) => expect(r.output).toBe("-----> Creating network backend\n"),
    missing: null,
  },
  {
    op: "network.destroy",
    args: { name: "backend", confirm: "backend" },
    command: "network:destroy",
    happy: async (ctx) => {
      await runOp(ctx, "network.create", { name: "backend" });
      expect((await runOp(ctx, "network.destroy", { name: "backend", confirm: "backend" })).output).toBe("-----> Destroying network backend\n");
    },
    missing: { name: "ghost", confirm: "ghost" },
    missingMessage: /^Unable to destroy network: Error response from daemon: network ghost not found$/,
  },
];

defineMatrix(cases);
