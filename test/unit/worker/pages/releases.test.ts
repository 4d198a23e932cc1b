import { describe, expect, it } from "vitest";
import type { ReleaseSummary } from "../../../../protocol/ops.js";
import { ReleasesBody } from "../../../../worker/pages/app/releases.js";
import { ReleaseDetail } from "../../../../worker/pages/app/release-detail.js";
import { textOf } from "../../../conformance/recordings.js";

const release: ReleaseSummary = {
  app: "api",
  number: 2,
  opId: null,
  startedWith: "git-hook",
  title: "Deploy of api outside Docklight (git-hook)",
  by: "outside Docklight",
  outside: true,
  startedAt: 1_796_540_000_000,
  finishedAt: 1_796_540_030_000,
  outcome: "ok",
  source: { kind: "git-push", sha: "cd7b8afccb202f222e7dc7b427553e71ba5ddafd", repo: "", image: "" },
  buildId: "mxbm7k2a9q4z1c",
  snapshot: true,
  rollbackTo: null,
  live: false,
  diff: null,
};
const running = {
  id: "mxbmd4e5f6g7h8",
  kind: "build" as const,
  status: "running" as const,
  source: "git-hook",
  pid: 5150,
  startedAt: 1_796_540_100_000,
  finishedAt: null,
  exitCode: null,
  duration: "3s",
};

describe("the Releases tab on deploys made outside Docklight", () => {
  it("0.35: says they cannot be seen there", () => {
    const html = String(
      ReleasesBody({ host: "demo", app: "api", may: () => true, list: { releases: [], seesOutside: false, running: [], outsideError: null, noticed: 0 } }),
    );
    expect(textOf(html)).toContain("cannot be seen here: this host's Dokku keeps no record of them (build records came in Dokku 0.38)");
    expect(html).not.toContain("/releases/builds/cancel");
  });

  it("0.38: lists them marked 'outside Docklight', and a deploy running that was started outside has Cancel", () => {
    const html = String(
      ReleasesBody({
        host: "demo",
        app: "api",
        may: () => true,
        list: { releases: [release], seesOutside: true, running: [running], outsideError: null, noticed: 0 },
      }),
    );
    const text = textOf(html);
    expect(text).toContain("are read from Dokku's build records and listed");
    expect(text).toContain("outside Docklight");
    expect(html).toContain('data-build="mxbmd4e5f6g7h8"');
    expect(html).toContain('hx-post="/hosts/demo/apps/api/releases/builds/cancel"');
  });

  it("a release's page loads Dokku's build output and offers its config values on demand only", () => {
    const html = String(ReleaseDetail({ host: "demo", r: release, may: () => true }));
    expect(html).toContain('hx-get="/hosts/demo/apps/api/releases/builds/mxbm7k2a9q4z1c/output"');
    expect(html).toContain('hx-get="/hosts/demo/apps/api/releases/2/values"');
    expect(String(ReleaseDetail({ host: "demo", r: { ...release, snapshot: false, buildId: null }, may: () => true }))).not.toContain("/values");
  });
});
