import { z } from "zod";
import { BUILD_STATUSES, type BuildRecord } from "../../protocol/ops.js";
import { OpFailure } from "./failure.js";

/**
 * The Dokku version that records builds: plugins/builds (Go) in dokku/dokku from v0.38.0, with
 * `builds:list|info|output|cancel`. Before it the commands do not exist ("is not a dokku command").
 */
export const BUILDS_SINCE = "0.38.0";

/** An RFC 3339 time as Go's encoding/json writes a time.Time (nanoseconds, trailing zeros dropped), in ms. */
const goTime = z.string().transform((s, ctx) => {
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: "custom", message: `not an RFC 3339 time: ${s}` });
    return z.NEVER;
  }
  return ms;
});

/**
 * One record as `builds:list --format json` and `builds:info --format json` print it: listView in
 * plugins/builds/subcommands.go, which embeds Build (plugins/builds/builds.go: id, app, kind, pid,
 * started_at, finished_at and exit_code omitted while running, status, source) and adds
 * display_status (`abandoned` for a running record whose process is gone), duration and log_path.
 */
export const dokkuBuild = z
  .object({
    id: z.string().min(1),
    app: z.string(),
    kind: z.enum(["build", "deploy"]),
    pid: z.number().int(),
    started_at: goTime,
    finished_at: goTime.optional(),
    status: z.enum(["running", "succeeded", "failed", "canceled"]),
    source: z.string(),
    exit_code: z.number().int().optional(),
    display_status: z.enum(BUILD_STATUSES),
    duration: z.string(),
    log_path: z.string(),
  })
  .transform((b): BuildRecord => ({
    id: b.id,
    kind: b.kind,
    status: b.display_status,
    source: b.source,
    pid: b.pid,
    startedAt: b.started_at,
    finishedAt: b.finished_at ?? null,
    exitCode: b.exit_code ?? null,
    duration: b.duration,
  }));

function parsed<T extends z.ZodType>(schema: T, stdout: string, command: string): z.output<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(stdout);
  } catch (e) {
    throw new OpFailure("dokku_error", `${command} printed JSON the relay could not read: ${(e as Error).message}`);
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw new OpFailure("dokku_error", `${command} did not print the build records the relay reads: ${z.prettifyError(r.error)}`);
  return r.data;
}

/**
 * `builds:list APP --format json` (CommandList in plugins/builds/subcommands.go): one JSON array on
 * stdout, `[]` when nothing is recorded; the running builds first, then newest first.
 */
export function parseBuildList(stdout: string): BuildRecord[] {
  return parsed(z.array(dokkuBuild), stdout, "builds:list");
}

/** `builds:info APP ID --format json` (CommandInfo in plugins/builds/subcommands.go): one JSON object. */
export function parseBuildInfo(stdout: string): BuildRecord {
  return parsed(dokkuBuild, stdout, "builds:info");
}
