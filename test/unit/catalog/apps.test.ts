import { describe, expect, it } from "vitest";
import { parseScaleJson, parseScaleText } from "../../../relay/catalog/apps.js";
import { OpFailure } from "../../../relay/dokku/failure.js";
import { defineMatrix, freshSims, type Case } from "../../support/ops-matrix.js";
import { fakeRelay, runOp, simRelay } from "../../support/ops.js";

const sim = freshSims();

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

describe("apps.list", () => {
  it("lists every app with its status using exactly two processes", async () => {
    const ctx = simRelay(sim());
    const { apps } = await runOp(ctx, "apps.list", {});
    expect(apps).toEqual([
      { name: "api", state: "running", processes: 2, unknownReason: null },
      { name: "blog.v2", state: "running", processes: 2, unknownReason: null },
      { name: "queue-worker", state: "stopped", processes: 1, unknownReason: null },
      { name: "staging", state: "not-deployed", processes: 0, unknownReason: null },
    ]);
    expect(ctx.argvs).toEqual([["--quiet", "apps:list"], ["ps:report"]]);
  });

  it("returns nothing when the host has no apps, whatever ps:report says about it", async () => {
    const ctx = simRelay(sim({ seed: "empty" }));
    expect(await runOp(ctx, "apps.list", {})).toEqual({ apps: [] });
    expect(ctx.argvs).toEqual([["--quiet", "apps:list"], ["ps:report"]]);
  });

  it("parses the 0.30 and 0.38 ps:report layouts alike", async () => {
    for (const version of ["0.30.11", "0.38.27"]) {
      const { apps } = await runOp(simRelay(sim({ version })), "apps.list", {});
      expect(
        apps.map((a) => a.name),
        version,
      ).toEqual(["api", "blog.v2", "queue-worker", "staging"]);
    }
  });

  it("tells a stopped app from one scaled to 0 (ps:stop keeps the containers and sets restore=false)", async () => {
    const ctx = simRelay(sim());
    await runOp(ctx, "apps.scale.set", { app: "api", scale: { web: 0, worker: 0 } });
    await runOp(ctx, "apps.stop", { app: "blog.v2" });
    const { apps } = await runOp(ctx, "apps.list", {});
    expect(apps.find((a) => a.name === "api")).toMatchObject({ state: "scaled-to-zero", processes: 0 });
    expect(apps.find((a) => a.name === "blog.v2")).toMatchObject({ state: "stopped", processes: 2 });
    expect(await runOp(ctx, "apps.detail", { app: "api" })).toMatchObject({ state: "scaled-to-zero", deployed: true, running: "false", processes: 0 });
  });

  it("lists an app the all-apps ps:report left out as status unknown, and the rest as usual", async () => {
    const report = ["api", "blog.v2"]
      .map(
        (a) =>
          `=====> ${a} ps information\n       Deployed:                      true\n       Processes:                     1\n       Restore:                       true\n       Running:                       true\n`,
      )
      .join("");
    const ctx = fakeRelay((argv) => (argv[0] === "--quiet" ? { stdout: "api\nblog.v2\nnew-app\n" } : { stdout: report }));
    const { apps } = await runOp(ctx, "apps.list", {});
    expect(apps.map((a) => [a.name, a.state])).toEqual([
      ["api", "running"],
      ["blog.v2", "running"],
      ["new-app", "unknown"],
    ]);
    expect(apps[2]!.unknownReason).toMatch(/did not list it/);
  });

  it("turns a Dokku failure into its message", async () => {
    const s = sim();
    s.faults({ "apps:list": { exitCode: 1, stderr: " !     Unable to read /home/dokku/dokkurc for sourcing" } });
    await expect(runOp(simRelay(s), "apps.list", {})).rejects.toMatchObject({
      code: "dokku_error",
      message: "Unable to read /home/dokku/dokkurc for sourcing",
    });
  });
});

describe("apps.restart", () => {
  it("restarts a stopped app and reports its deploy output", async () => {
    const ctx = simRelay(sim());
    const res = await runOp(ctx, "apps.restart", { app: "queue-worker" });
    expect(res.warning).toBeUndefined();
    expect(res.output).toContain("-----> Deploying worker (count=1)");
    const { apps } = await runOp(ctx, "apps.list", {});
    expect(apps.find((a) => a.name === "queue-worker")?.state).toBe("running");
    expect(ctx.history.list(10, 0).entries[2]?.argv).toEqual(["dokku", "ps:restart", "queue-worker"]);
  });

  it("reports exit 20 as not found", async () => {
    const err = await runOp(simRelay(sim()), "apps.restart", { app: "ghost" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpFailure);
    expect(err).toMatchObject({ code: "not_found", message: "App ghost does not exist" });
  });

  it("reports an undeployed app's exit-0 warning as a warning, not a success", async () => {
    const res = await runOp(simRelay(sim()), "apps.restart", { app: "staging" });
    expect(res.warning).toBe("App staging has not been deployed");
  });

  it("stops a command that runs past its timeout", async () => {
    const s = sim();
    s.faults({ "ps:restart": { hang: true } });
    await expect(runOp(simRelay(s, { timeoutMs: 800 }), "apps.restart", { app: "api" })).rejects.toMatchObject({ code: "timeout" });
  });
});

describe.concurrent("apps.scale", () => {
  it("apps.scale.show uses JSON only from 0.38.21", async () => {
    const old = simRelay(sim({ version: "0.38.20" }));
    expect(await runOp(old, "apps.scale.show", { app: "api" })).toMatchObject({
      format: "text",
      scale: [
        { processType: "web", quantity: 1 },
        { processType: "worker", quantity: 1 },
      ],
    });
    const neu = simRelay(sim({ version: "0.38.27" }));
    expect(await runOp(neu, "apps.scale.show", { app: "api" })).toMatchObject({
      format: "json",
      scale: [
        { processType: "web", quantity: 1 },
        { processType: "worker", quantity: 1 },
      ],
    });
    expect(neu.argvs).toEqual([["ps:scale", "api", "--format", "json"]]);
  });

  it("scale set sends every process type in one command", async () => {
    const ctx = simRelay(sim());
    await runOp(ctx, "apps.scale.set", { app: "api", scale: { worker: 0, web: 3 } });
    expect(ctx.argvs).toEqual([["ps:scale", "api", "--", "web=3", "worker=0"]]);
    expect((await runOp(ctx, "apps.scale.show", { app: "api" })).scale).toEqual([
      { processType: "web", quantity: 3 },
      { processType: "worker", quantity: 0 },
    ]);
  });
});

/** apps ops: happy path, missing app, Dokku error, timeout. */
const cases: Case[] = [
  {
    op: "apps.detail",
    args: { app: "blog.v2" },
    command: "ps:report",
    check: (r) => {
      expect(r).toMatchObject({
        name: "blog.v2",
        state: "running",
        deployed: true,
        running: "true",
        processes: 2,
        canScale: true,
        restartPolicy: "on-failure:10",
      });
      expect(r.containers.map((c: { process: string }) => c.process)).toEqual(["web.1", "web.2"]);
      expect(r.containers[0].cid).toMatch(/^[0-9a-f]{11}$/);
      expect(r.domains).toEqual({ enabled: true, vhosts: ["blog.demo.dokku.me", "www.example.com"] });
      expect(r.git).toMatchObject({ deployBranch: { own: "main", effective: "main" }, sha: "cd7b8afccb202f222e7dc7b427553e71ba5ddafd" });
      expect(r.git.lastUpdatedAt).toBeGreaterThan(1_000_000_000);
    },
    missing: { app: "ghost" },
  },
  {
    op: "apps.create",
    args: { app: "fresh-one" },
    command: "apps:create",
    check: (r) => expect(r.output).toContain("-----> Creating fresh-one..."),
    missing: null,
  },
  {
    op: "apps.destroy",
    args: { app: "staging", confirm: "staging" },
    command: "apps:destroy",
    check: (r) => expect(r.output).toContain("-----> Destroying staging (including all add-ons)"),
    missing: { app: "ghost", confirm: "ghost" },
  },
  {
    op: "apps.start",
    args: { app: "queue-worker" },
    command: "ps:start",
    check: (r) => {
      expect(r.output).toContain("Deploying worker (count=1)");
      expect(r.warning).toBe("App has been detected as not running, releasing");
    },
    missing: { app: "ghost" },
  },
  {
    op: "apps.stop",
    args: { app: "api" },
    command: "ps:stop",
    check: (r) => expect(r).toEqual({ output: "-----> Stopping api\n" }),
    missing: { app: "ghost" },
  },
  {
    op: "apps.rebuild",
    args: { app: "api" },
    command: "ps:rebuild",
    check: (r) => expect(r.output).toContain("Building api from herokuish"),
    missing: { app: "ghost" },
    happyTimeoutMs: 120_000,
  },
  {
    op: "apps.scale.show",
    args: { app: "api" },
    command: "ps:scale",
    check: (r) =>
      expect(r).toEqual({
        scale: [
          { processType: "web", quantity: 1 },
          { processType: "worker", quantity: 1 },
        ],
        format: "text",
      }),
    missing: { app: "ghost" },
  },
  {
    op: "apps.scale.set",
    args: { app: "api", scale: { worker: 3, web: 2 } },
    command: "ps:scale",
    check: (r) => expect(r.output).toContain("-----> Scaling api processes: web=2 worker=3"),
    missing: { app: "ghost", scale: { web: 1 } },
  },
];

defineMatrix(cases);
