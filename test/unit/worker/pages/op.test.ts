import { describe, expect, it } from "vitest";
import type { JobInfo } from "../../../../protocol/frames.js";
import type { HistoryRow } from "../../../../protocol/ops/history.js";
import type { HostStatus } from "../../../../worker/hub/outcome.js";
import { EndedOpPage, OpEnded, RunningOpPage, RunningOps } from "../../../../worker/pages/op.js";
import { endedChangeRow } from "../../../support/history-rows.js";

const html = async (node: unknown) => String(await (node as { toString(): string | Promise<string> }).toString());
const job: JobInfo = {
  opId: "0f8fad5b-d9cb-469f-a165-70867728950e",
  op: "databases.create",
  app: null,
  requestedBy: "admin",
  startedAt: 1_700_000_000_000,
  title: "Create postgres database db",
};
const host: HostStatus = {
  host: "demo",
  name: "demo",
  connected: true,
  connectedAt: 1,
  lastHeartbeat: 1,
  lastSeen: 1,
  relayVersion: "1",
  dokkuVersion: "0.35.0",
  simulated: true,
  readOnly: false,
};

describe("a change's title on the running bar and its page", () => {
  it("shows the title the relay sent, not the op name", async () => {
    const bar = await html(RunningOps({ host: "demo", jobs: [job] }));
    expect(bar).toContain(`<a href="/hosts/demo/ops/${job.opId}">Create postgres database db</a>`);
    expect(bar).not.toContain("databases.create");
    const page = await html(RunningOpPage({ host, hosts: [{ id: "demo", name: "demo" }], job }));
    expect(page).toContain("<h1>Create postgres database db</h1>");
    expect(page).toContain("<title>Create postgres database db (running)");
  });

  it("titles a change from its declaration when its relay sent none (an older relay), and an ended one from its history", async () => {
    const { title: _, ...untitled } = job;
    const rebuild = { ...untitled, op: "apps.rebuild", app: "api" };
    expect(await html(RunningOps({ host: "demo", jobs: [rebuild] }))).toContain(">Rebuild api</a>");
    const row: HistoryRow = {
      id: 1,
      opId: job.opId,
      op: "git.sync",
      app: "api",
      argv: ["dokku", "git:sync", "--build", "api", "https://example.com/x.git"],
      exitCode: 0,
      outcome: "ok",
      durationMs: 1200,
      requestedBy: "admin",
      startedAt: 1_700_000_000_000,
      finishedAt: 1_700_000_001_200,
      stdout: "-----> done",
      stderr: "",
      title: null,
      cut: false,
    };
    expect(await html(EndedOpPage({ host, hosts: [{ id: "demo", name: "demo" }], entries: [row] }))).toContain("<h1>Deploy api from Git</h1>");
  });

  it("titles an ended change by the title history kept for it, which a title made of its args alone could not say", async () => {
    const row = endedChangeRow({ id: 2, opId: job.opId });
    const page = await html(EndedOpPage({ host, hosts: [{ id: "demo", name: "demo" }], entries: [row] }));
    expect(page).toContain("<h1>Create mysql database x</h1>");
    expect(page).toContain("<title>Create mysql database x");
    // Without the kept title (a row from before history kept titles), the op name is all there is.
    expect(await html(EndedOpPage({ host, hosts: [{ id: "demo", name: "demo" }], entries: [{ ...row, title: null }] }))).toContain("<h1>databases.create</h1>");
  });
});

describe("a change's page once it ended", () => {
  it("says one thing: the intro, Cancel and 'Cancel sent' go, and the Running-now banner is read again", async () => {
    const page = await html(RunningOpPage({ host, hosts: [{ id: "demo", name: "demo" }], job }));
    // "Cancel sent" lands inside the part the end replaces, so it cannot outlive it (nor land after it)
    const running = /<div id="op-running">[\s\S]*?<div id="op-cancel-result"><\/div>\s*<\/div>/.exec(page);
    expect(running, page).not.toBeNull();
    const ended = await html(OpEnded({ host: "demo", opId: job.opId }));
    expect(ended).toContain('<hx-partial hx-target="#op-running" hx-swap="innerHTML">');
    expect(ended).toContain("This change has ended.");
    expect(ended).toMatch(
      /<hx-partial hx-target="#running-ops" hx-swap="outerHTML"><div id="running-ops" class="running-ops empty" hx-get="\/hosts\/demo\/ops\/running" hx-trigger="load"/,
    );
  });
});
