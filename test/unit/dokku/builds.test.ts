import { describe, expect, it } from "vitest";
import { parseBuildInfo, parseBuildList } from "../../../relay/dokku/builds.js";

/** builds:list/info --format json (listView in plugins/builds/subcommands.go of dokku/dokku). */
const running = {
  id: "mxbmd4e5f6g7h8",
  app: "api",
  kind: "build",
  pid: 5150,
  started_at: "2026-12-06T08:30:00.123456789Z",
  status: "running",
  source: "git-hook",
  display_status: "running",
  duration: "3s",
  log_path: "/var/lib/dokku/data/builds/api/mxbmd4e5f6g7h8.log",
};

describe("builds JSON", () => {
  it("a running record has no finished_at or exit_code (omitempty): null, and Go's nanosecond time is read in ms", () => {
    expect(parseBuildList(JSON.stringify([running]))).toEqual([
      {
        id: "mxbmd4e5f6g7h8",
        kind: "build",
        status: "running",
        source: "git-hook",
        pid: 5150,
        startedAt: Date.parse("2026-12-06T08:30:00.123Z"),
        finishedAt: null,
        exitCode: null,
        duration: "3s",
      },
    ]);
  });

  it("the status shown is display_status: a running record whose process is gone is abandoned", () => {
    expect(parseBuildInfo(JSON.stringify({ ...running, display_status: "abandoned" })).status).toBe("abandoned");
  });

  it("what does not match is a dokku_error naming the command, never a half-read record", () => {
    expect(() => parseBuildList("No builds recorded for this app")).toThrow(/builds:list printed JSON the relay could not read/);
    expect(() => parseBuildList(JSON.stringify([{ ...running, kind: "other" }]))).toThrow(/builds:list did not print the build records/);
    expect(() => parseBuildInfo(JSON.stringify({ ...running, started_at: "yesterday" }))).toThrow(/not an RFC 3339 time: yesterday/);
  });
});
