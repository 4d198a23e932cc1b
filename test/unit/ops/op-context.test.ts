import { describe, expect, it } from "vitest";
import { flag } from "../../../relay/process/argv-guard.js";
import { openDb } from "../../../relay/history/db/open.js";
import { History } from "../../../relay/history/store.js";
import { JobRegistry } from "../../../relay/ops/jobs.js";
import { ProcessLimiter } from "../../../relay/ops/limiter.js";
import { opContext, runEntry, type RelayRuntime } from "../../../relay/ops/op-context.js";
import type { RunResult } from "../../../relay/process/run.js";

/**
 * The context every catalog entry runs in. A stand-in `exec` plays the command: it sends its output
 * in the pieces given, as a pipe would, and exits as told.
 */
function runtime(pieces: Array<["stdout" | "stderr", string]>, exit: Partial<RunResult> = {}) {
  const chunks: Array<{ id: string; stream: string; data: string }> = [];
  const history = new History(openDb(":memory:"), { maxRows: 100, maxAgeDays: 30 });
  const rt: RelayRuntime = {
    history,
    host: "demo",
    dokkuBin: "/usr/bin/dokku",
    dokkuVersion: "0.35.20",
    sendChunk: (id, stream, data) => chunks.push({ id, stream, data }),
    jobs: new JobRegistry(),
    limiter: new ProcessLimiter(8, 2),
    exec: async (_bin, _argv, o) => {
      for (const [stream, data] of pieces) o.onChunk?.(stream, data);
      const text = (s: string) =>
        pieces
          .filter(([p]) => p === s)
          .map(([, d]) => d)
          .join("");
      return { exitCode: 0, stdout: text("stdout"), stderr: text("stderr"), durationMs: 5, stopped: null, startedAt: 1, finishedAt: 6, ...exit };
    },
  };
  return { rt, chunks, history };
}

const run = (op: "databases.create" | "databases.info" | "databases.list" | "apps.restart" | "config.set" | "logs.tail") => ({
  opId: "11111111-1111-4111-8111-111111111111",
  op,
  requestedBy: "admin",
  signal: new AbortController().signal,
});

describe("the recording dokku()", () => {
  it("runs a log tail in its own bound, apart from the slots reads and changes take", async () => {
    const { rt, history } = runtime([["stdout", "a line\n"]]);
    rt.limiter = new ProcessLimiter(2, 1, 1);
    const held = await Promise.all([rt.limiter.acquire("read"), rt.limiter.acquire("change")]); // every other slot is taken
    const ctx = opContext(rt, run("logs.tail"), { app: "api" });
    await ctx.dokku(["logs", "api", flag("-t")]); // (were it waiting for a read slot, this would never end)
    expect(history.list(10, 0).entries).toMatchObject([{ op: "logs.tail", outcome: "ok" }]);
    expect(rt.limiter.inUse).toEqual({ read: 1, change: 1, live: 0 });
    held.forEach((release) => release());
  });

  it("records the command with the op, app and requester, and completes the row when it ends", async () => {
    const { rt, history } = runtime([["stdout", "-----> Restarting api\n"]]);
    const ctx = opContext(rt, run("apps.restart"), { app: "api" });
    await ctx.dokku(["ps:restart", "api"]);
    const [row] = history.list(10, 0).entries;
    expect(row).toMatchObject({
      op: "apps.restart",
      app: "api",
      requestedBy: "admin",
      argv: ["dokku", "ps:restart", "api"],
      outcome: "ok",
      exitCode: 0,
      stdout: "-----> Restarting api\n",
    });
  });

  it("streams a streaming op's output as whole lines, a DSN split between two pipe reads masked like any other (no redaction asked: the baseline)", async () => {
    const { rt, chunks, history } = runtime([
      ["stdout", "=====> Redis container created\n       Dsn: redis://:s3cr"],
      ["stdout", "etpw@dokku-redis-x:6379\n"],
      ["stderr", "no newline at the end"],
    ]);
    const ctx = opContext(rt, run("databases.create"), { plugin: "redis", service: "x" });
    const res = await ctx.dokku(["redis:create", "x"]);
    expect(chunks.map((c) => c.data).join("")).not.toContain("s3cretpw");
    expect(chunks).toContainEqual({ id: "11111111-1111-4111-8111-111111111111", stream: "stdout", data: "       Dsn: redis://:***@dokku-redis-x:6379\n" });
    expect(chunks.at(-1)).toMatchObject({ stream: "stderr", data: "no newline at the end" });
    // the same redaction for the reply and history
    expect(res.stdout).toContain("redis://:***@dokku-redis-x:6379");
    expect(JSON.stringify(history.list(10, 0))).not.toContain("s3cretpw");
  });

  it("keeps a change's title with its rows (the ended change's page shows it) and none for a read", async () => {
    const { rt, history } = runtime([["stdout", "=====> mysql container created: x\n"]]);
    await opContext(rt, run("databases.create"), { plugin: "mysql", service: "x" }).dokku(["mysql:create", "x"]);
    await opContext(rt, run("databases.list"), { plugin: "mysql" }).dokku(["mysql:list"]);
    const rows = history.list(10, 0).entries;
    expect(rows.find((e) => e.op === "databases.create")).toMatchObject({ title: "Create mysql database x" });
    expect(rows.find((e) => e.op === "databases.list")).toMatchObject({ title: null });
    // The title is made of names only: a config change's title never holds the values it sets.
    await opContext(rt, run("config.set"), { app: "api", vars: { SECRET_KEY: "hunter2-value" } }).dokku(["config:set", "api", "SECRET_KEY=***"]);
    const set = history.list(10, 0).entries.find((e) => e.op === "config.set")!;
    expect(set.title).toBe("Set config vars of api");
  });

  it("sends nothing live for an op that does not stream", async () => {
    const { rt, chunks } = runtime([["stdout", "=====> x postgres service information\n"]]);
    await opContext(rt, run("databases.info"), { plugin: "postgres", service: "x" }).dokku(["postgres:info", "x"]);
    expect(chunks).toEqual([]);
  });

  it("records how a command was stopped", async () => {
    const { rt, history } = runtime([], { exitCode: null, stopped: "timeout" });
    await opContext(rt, run("apps.restart"), { app: "api" }).dokku(["ps:restart", "api"]);
    expect(history.list(1, 0).entries[0]!.outcome).toBe("timeout");
  });
});

describe("runEntry", () => {
  it("refuses arguments the op's schema refuses, as bad_request, before anything runs", async () => {
    const { rt, history } = runtime([]);
    const err = await runEntry("apps.restart", { app: "--force" }, (args) => opContext(rt, run("apps.restart"), args)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "bad_request", message: expect.stringContaining("app") });
    expect(history.list(10, 0).total).toBe(0);
  });

  it("holds the entry's answer to the op's result schema", async () => {
    const { rt } = runtime([["stdout", "not a report\n"]]);
    // databases.info needs a dsn or status field; output with neither is Dokku's fault, reported as such
    const err = await runEntry("databases.info", { plugin: "postgres", service: "x" }, (args) => opContext(rt, run("databases.info"), args)).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: "dokku_error" });
    const ok = await runEntry("relay.ping", {}, (args) => opContext(rt, run("apps.restart"), args));
    expect(ok.relayTime).toBeGreaterThan(0);
  });
});
