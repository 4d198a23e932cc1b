import type { BuildRecord, ReleaseOutcome } from "../../protocol/ops.js";
import { listBuilds } from "../catalog/builds.js";
import type { OpContext } from "../catalog/types.js";
import { BUILDS_SINCE } from "../dokku/builds.js";
import { versionAtLeast } from "../dokku/version.js";
import { keepReleaseImage } from "./kept.js";
import { sourceOf, type Snapshot } from "./snapshot.js";
import { takeSnapshot } from "./take-snapshot.js";

/**
 * Deploys made outside Docklight, from Dokku's own build records (0.38+: plugins/builds). A build
 * is Docklight's when one of the commands Docklight ran on the app was running when it started
 * (Dokku starts the record inside the command: dokku_setup_build_capture in
 * plugins/common/functions); any other build that made an image (kind `build`: a `git push`,
 * `ps:rebuild` over SSH, `git:sync --build` by hand) is a deploy made outside Docklight.
 */

/**
 * How far apart the relay's and Dokku's times of one moment may be: one clock (the same host), read
 * in ms by the relay and in ns by Dokku. A command's row starts before its process, the build's
 * record after it, so a wider margin would give Docklight a build begun by hand just before.
 */
const SLACK_MS = 50;

const OUTCOME: Partial<Record<BuildRecord["status"], ReleaseOutcome>> = { succeeded: "ok", failed: "error", canceled: "cancelled" };

/** Longest a change of Docklight's runs (the longest op timeout, 30 min) and more: older rows cannot hold a build Dokku still lists. */
const LONGEST_CHANGE_MS = 2 * 3_600_000;

type Window = [from: number, to: number];
const within = (t: number, windows: Window[]) => windows.some(([from, to]) => t >= from - SLACK_MS && t <= to + SLACK_MS);

/**
 * What Docklight's history says of `app`'s builds: whether a build started while one of Docklight's
 * own commands on it ran (history's rows of its changes, but for `builds:cancel`, which starts none:
 * a build seen running and cancelled at once began within SLACK_MS of the cancel, and was taken
 * for Docklight's and never listed), or after one of its changes on the app that runs now began;
 * and how a build that ended is shown. Rows are read back to `oldest` (the
 * oldest build listed) less the longest a change runs.
 *
 * A build Docklight cancelled (its `builds:cancel` on the app) is shown cancelled even when Dokku
 * recorded it `failed`: CommandCancel signals the build first and writes `canceled` only if the
 * build's own finalize (builds-record-finalize, which the dying deploy reaches with a non-zero
 * exit) has not written `failed` meanwhile (plugins/builds/subcommands.go, triggers.go). Such a
 * `failed` is written while the cancel runs: a failed build that finished during Docklight's
 * cancel was cancelled, as what the user did says, and as Docklight's own cancelled changes are.
 */
function docklightSays(
  ctx: OpContext,
  app: string,
  oldest: number,
): { ours: (b: BuildRecord) => boolean; outcome: (b: BuildRecord) => ReleaseOutcome | undefined } {
  // builds:cancel starts no build: a build begun just before Docklight cancelled it (within SLACK_MS) is not Docklight's
  const windows: Window[] = ctx.runningChanges().flatMap((j) => (j.app === app && j.op !== "builds.cancel" ? [[j.startedAt, Infinity] as Window] : []));
  const cancels: Window[] = [];
  for (const e of ctx.history.scan({ app, show: "changes" })) {
    if (e.startedAt < oldest - LONGEST_CHANGE_MS) break;
    if (e.argv[1] !== "builds:cancel") windows.push([e.startedAt, e.finishedAt]);
    else if (e.outcome === "ok") cancels.push([e.startedAt, e.finishedAt]);
  }
  return {
    ours: (b) => within(b.startedAt, windows),
    outcome: (b) => (b.status === "failed" && b.finishedAt !== null && within(b.finishedAt, cancels) ? "cancelled" : OUTCOME[b.status]),
  };
}

/**
 * Read `builds:list` and record each build that ended and that no release covers as a release made
 * outside Docklight (oldest first): by "outside Docklight", started with Dokku's build source, its
 * build id kept, cancelled when Docklight cancelled it (whatever Dokku's race recorded). The newest that succeeded after the live release gets the state the relay reads
 * now, right after noticing it (a snapshot: it becomes the live release); older ones keep none (what
 * they ran with is gone). A build abandoned (its process died unfinalized) says nothing of what it
 * left and is not recorded. Returns the builds started outside Docklight that are running now, and
 * how many releases it recorded (the edge's cached drift of the app is stale then).
 * Before Dokku 0.38 there are no records: nothing is read.
 */
export async function noticeOutside(ctx: OpContext, app: string): Promise<{ running: BuildRecord[]; recorded: number }> {
  if (!versionAtLeast(ctx.dokkuVersion, BUILDS_SINCE)) return { running: [], recorded: 0 };
  const builds = await listBuilds(ctx, app);
  if (builds.length === 0) return { running: [], recorded: 0 };
  const { ours, outcome } = docklightSays(ctx, app, Math.min(...builds.map((b) => b.startedAt)));
  const outside = builds.filter((b) => b.kind === "build" && !ours(b));
  const running = outside.filter((b) => b.status === "running");
  const ended = outside.filter((b) => OUTCOME[b.status] !== undefined && !ctx.history.releases.hasBuild(app, b.id)).sort((a, b) => a.startedAt - b.startedAt);
  if (ended.length === 0) return { running, recorded: 0 };
  const liveAt = ctx.history.releases.live(app)?.finishedAt ?? 0;
  const newest = ended.filter((b) => b.status === "succeeded" && (b.finishedAt ?? b.startedAt) > liveAt).at(-1);
  const snapshot: Snapshot | null = newest ? await takeSnapshot(ctx, app) : null;
  // after the last await: checked and written without yielding, so two lists at once record each build once
  let recorded = 0;
  let live: number | null = null;
  for (const b of ended) {
    if (ctx.history.releases.hasBuild(app, b.id)) continue;
    recorded++;
    const now = b === newest ? snapshot : null;
    const number = ctx.history.releases.record({
      app,
      opId: null,
      startedWith: b.source,
      title: `Deploy of ${app} outside Docklight (${b.source})`,
      by: "outside Docklight",
      outside: true,
      startedAt: b.startedAt,
      finishedAt: b.finishedAt,
      outcome: outcome(b)!,
      source: now ? sourceOf(now) : { kind: "unknown", sha: "", repo: "", image: "" },
      buildId: b.id,
      rollbackTo: null,
      snapshot: now,
    });
    if (now) live = number;
  }
  // a git:from-image made over SSH keeps its image too, once recorded
  if (live !== null) await keepReleaseImage(ctx, app, live, snapshot);
  return { running, recorded };
}

/**
 * The build Dokku recorded for a change Docklight ran on `app` since `since` (ms): the newest record
 * of kind `build` that started then and was not abandoned (a git:sync without --build leaves one
 * behind, never finalized). Null before 0.38, or when none is found.
 */
export async function buildOfChange(ctx: OpContext, app: string, since: number): Promise<string | null> {
  if (!versionAtLeast(ctx.dokkuVersion, BUILDS_SINCE)) return null;
  const builds = await listBuilds(ctx, app).catch(() => []);
  const mine = builds.filter((b) => b.kind === "build" && b.status !== "abandoned" && b.startedAt >= since - SLACK_MS);
  return mine.sort((a, b) => b.startedAt - a.startedAt)[0]?.id ?? null;
}
