import { describe, expect, it, vi } from "vitest";
import { ops } from "../../../protocol/ops.js";
import { resultFrame, type JobInfo } from "../../../protocol/frames.js";
import { Dispatcher } from "../../../relay/ops/dispatch.js";
import type { Log } from "../../../relay/cli/log.js";
import type { OpVerifier } from "../../../relay/link/verify.js";
import { ALL_GRANTS, NO_GRANTS, type Principal } from "../../../protocol/policy.js";
import { fakeRelay } from "../../support/ops.js";

const quiet = { info: () => {}, warn: () => {}, error: () => {} } as unknown as Log;

/** A verifier whose verdict comes only when the test says (as a slow signature check would). */
function heldVerifier(op: string, args: unknown, who: Pick<Principal, "role" | "grants">) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const verifier = {
    verify: async (id: string) => {
      await gate;
      return { ok: true as const, claims: { id, op, args, sub: "admin", host: "test", ...who } };
    },
  } as unknown as OpVerifier;
  return { verifier, release };
}

function dispatcher(op: string, args: unknown, who: Pick<Principal, "role" | "grants"> = { role: "owner", grants: ALL_GRANTS }) {
  const relay = fakeRelay();
  const held = heldVerifier(op, args, who);
  const started: string[] = [];
  const jobs: JobInfo[] = [];
  const onStarted = (id: string, job: JobInfo) => {
    started.push(id);
    jobs.push(job);
  };
  const d = new Dispatcher({ ...relay.runtime, verifier: held.verifier, policy: { readOnly: false, deny: [] }, log: quiet, onStarted });
  return { d, relay, release: held.release, started, jobs };
}

describe("Dispatcher", () => {
  // The edge decided each op where it signed it; an edge bug that signs more than the claims cover
  // is caught here by the same policy (protocol/policy.ts), before anything runs.
  it.each([
    ["a viewer's change", "apps.restart", { app: "api" }, { role: "viewer", grants: { ...NO_GRANTS, host: true } }, "viewers change nothing"],
    ["another app than the one granted", "apps.restart", { app: "web" }, { role: "deployer", grants: { ...NO_GRANTS, apps: ["api"] } }, "no grant on app web"],
    [
      "a host-root op without its grant",
      "apps.destroy",
      { app: "api", confirm: "api" },
      { role: "deployer", grants: { ...NO_GRANTS, host: true } },
      "host-root",
    ],
    ["a secret to a viewer", "config.get", { app: "api" }, { role: "viewer", grants: { ...NO_GRANTS, host: true, reveal: true } }, "secrets"],
  ] as Array<[string, string, unknown, Pick<Principal, "role" | "grants">, string]>)(
    "refuses %s the signed claims do not cover, running nothing",
    async (_what, op, args, who, reason) => {
      const { d, relay, release, started } = dispatcher(op, args, who);
      const pending = d.handle("op-denied", "jws");
      release();
      const res = await pending;
      expect(res).toMatchObject({ ok: false, error: { code: "denied" } });
      expect(JSON.stringify(res)).toContain(reason);
      expect(relay.argvs).toEqual([]);
      expect(started).toEqual([]);
    },
  );

  it("runs what the claims cover: a deployer's restart of the app granted", async () => {
    const { d, relay, release } = dispatcher("apps.restart", { app: "api" }, { role: "deployer", grants: { ...NO_GRANTS, apps: ["api"] } });
    const pending = d.handle("op-ok", "jws");
    release();
    expect(await pending).toMatchObject({ ok: true });
    expect(relay.argvs).toEqual([["ps:restart", "api"]]);
  });

  it.each([
    ["a change", "apps.restart", { app: "api" }],
    ["a read", "apps.detail", { app: "api" }],
  ] as const)("parses %s's arguments once, for its job and its run alike", async (_what, op, args) => {
    const parse = vi.spyOn(ops[op].args, "safeParse");
    try {
      const { d, release } = dispatcher(op, args);
      const pending = d.handle("op-once", "jws");
      release();
      await pending;
      expect(parse).toHaveBeenCalledTimes(1);
    } finally {
      parse.mockRestore();
    }
  });

  it("names a started change's job in its result, ended ok or not; a read's and a refused change's name none", async () => {
    const ok = dispatcher("apps.restart", { app: "api" });
    const done = ok.d.handle("op-job", "jws");
    ok.release();
    const okResult = await done;
    expect(okResult).toMatchObject({ ok: true, job: { opId: "op-job", op: "apps.restart", app: "api" } });
    expect(okResult.job).toEqual(ok.jobs[0]);

    const cancelled = dispatcher("apps.restart", { app: "api" });
    const stopped = cancelled.d.handle("op-cancelled", "jws");
    cancelled.d.cancel("op-cancelled");
    cancelled.release();
    expect(await stopped).toMatchObject({ ok: false, job: { opId: "op-cancelled" } });

    const read = dispatcher("apps.detail", { app: "api" });
    const answered = read.d.handle("op-read", "jws");
    read.release();
    expect(await answered).not.toHaveProperty("job");

    const refused = dispatcher("apps.restart", { app: "--force" });
    const bad = refused.d.handle("op-refused", "jws");
    refused.release();
    expect(await bad).not.toHaveProperty("job");
  });

  it("answers bad arguments as a bad request, running nothing", async () => {
    const { d, relay, release, started } = dispatcher("apps.restart", { app: "--force" });
    const pending = d.handle("op-bad", "jws");
    release();
    expect(await pending).toMatchObject({ ok: false, error: { code: "bad_request" } });
    expect(relay.argvs).toEqual([]);
    expect(started).toEqual([]);
  });

  it("keeps a cancel that overtakes a read's checks: the read then runs no command", async () => {
    const { d, relay, release } = dispatcher("logs.tail", { app: "api", lines: 100 });
    const pending = d.handle("op-1", "jws");
    expect(d.inFlight).toBe(1);
    d.cancel("op-1"); // the viewer left before the op was verified
    release();
    await pending;
    expect(relay.argvs).toEqual([]);
    expect(d.inFlight).toBe(0);
  });

  it("keeps a cancel that overtakes a change's checks: the change starts, cancelled, and runs no command", async () => {
    const { d, relay, release, started } = dispatcher("apps.restart", { app: "api" });
    const pending = d.handle("op-2", "jws");
    d.cancel("op-2");
    release();
    await pending;
    expect(started).toEqual(["op-2"]);
    expect(relay.argvs).toEqual([]);
    expect(d.inFlight).toBe(0);
  });

  it("runs a change whose checks pass when nobody cancelled it, announcing it with its title", async () => {
    const { d, relay, release, jobs } = dispatcher("apps.restart", { app: "api" });
    const pending = d.handle("op-3", "jws");
    release();
    const res = await pending;
    expect(res).toMatchObject({ type: "result", id: "op-3", ok: true });
    expect(relay.argvs).toEqual([["ps:restart", "api"]]);
    expect(jobs).toMatchObject([{ opId: "op-3", op: "apps.restart", app: "api", title: "Restart api" }]);
  });

  it("refuses a change to a busy app, naming the running change's op id as data (the edge links to its page)", async () => {
    const { d, relay, release } = dispatcher("apps.rebuild", { app: "api" });
    const holder = "0f8fad5b-d9cb-469f-a165-70867728950e";
    relay.runtime.jobs.start({
      opId: holder,
      op: "apps.restart",
      app: "api",
      title: "Restart api",
      requestedBy: "alice",
      startedAt: Date.UTC(2026, 10, 29, 21, 54, 20),
    });
    const id = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    const pending = d.handle(id, "jws");
    release();
    const res = resultFrame.parse(await pending);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.code).toBe("busy");
    expect(res.error.opId).toBe(holder);
    expect(res.error.message).toBe("api is busy: Restart api, started by alice at 2026-11-29 21:54:20 UTC, is still running. Wait for it to end.");
    expect(relay.argvs).toEqual([]);
  });

  it("replays a change that ended moments ago to a viewer who attaches late, saying it no longer runs", () => {
    const { d, relay } = dispatcher("apps.restart", { app: "api" });
    const jobs = relay.runtime.jobs;
    const started = jobs.start({ opId: "op-late", op: "apps.restart", app: "api", title: "Restart api", requestedBy: "admin", startedAt: Date.now() });
    if (!started.ok) throw new Error("the app was busy");
    started.job.output.append("stdout", "-----> Restarting api\n");
    started.job.output.append("stderr", "warning: slow\n");
    jobs.finish("op-late");
    expect(d.attach("op-late", "t1")).toEqual([
      { type: "chunk", id: "op-late", stream: "stdout", data: "-----> Restarting api\n", seq: 0, tag: "t1" },
      { type: "chunk", id: "op-late", stream: "stderr", data: "warning: slow\n", seq: 22, tag: "t1" },
      { type: "attached", id: "op-late", tag: "t1", running: false, end: 36, dropped: 0 },
    ]);
    expect(d.attach("op-never", "t2")).toEqual([{ type: "attached", id: "op-never", tag: "t2", running: false, end: 0, dropped: 0 }]);
  });
});
