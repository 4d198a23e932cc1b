import { appOf, changeTitle, type ReleaseOutcome } from "../../protocol/ops.js";
import type { DokkuCall, OpContext } from "../catalog/types.js";
import { OpFailure } from "../dokku/failure.js";
import { keepReleaseImage } from "./kept.js";
import { buildOfChange } from "./outside.js";
import { sourceOf, type Snapshot } from "./snapshot.js";
import { takeSnapshot } from "./take-snapshot.js";

/** A context whose commands are recorded as usual but never shown live: a change's reads for its own release. */
export function quiet(ctx: OpContext): OpContext {
  return withCall(ctx, { live: false });
}

/** quiet, for what a change records once its command ended: a late Cancel stops none of it (DokkuCall.afterEnd). */
function afterEnd(ctx: OpContext): OpContext {
  return withCall(ctx, { live: false, afterEnd: true });
}

/** `ctx` with `extra` added to every command's call. */
function withCall(ctx: OpContext, extra: DokkuCall): OpContext {
  const docker = ctx.docker;
  return {
    ...ctx,
    dokku: (argv, call) => ctx.dokku(argv, { ...call, ...extra }),
    ...(docker ? { docker: (argv, call) => docker(argv, { ...call, ...extra }) } : {}),
  };
}

/** How a change that threw ended, as a release says it. */
function outcomeOf(e: unknown): ReleaseOutcome {
  if (e instanceof OpFailure && (e.code === "cancelled" || e.code === "timeout")) return e.code;
  return "error";
}

/**
 * Run a change that deploys (declared `deploys` in protocol/ops/) and record its release when it
 * ends, whatever its outcome: number, when, who (the op's `sub`), what started it, how it ended,
 * and — once it went live — where its code came from and a snapshot of what the app runs with
 * (read right after, within the same change, its lines not shown live). A release that did not go
 * live keeps no snapshot: the app still runs the one before. Its own failure to read the snapshot
 * is recorded as a release without one, and never changes how the change ended. On 0.38+ it keeps
 * Dokku's build id of the deploy too (builds:list), so its build output can be read. A release
 * deployed from an image keeps that image (kept.ts).
 */
export async function withRelease<T>(ctx: OpContext, args: unknown, run: () => Promise<T>): Promise<T> {
  const app = appOf(args);
  if (app === null) return run();
  const startedAt = Date.now();
  let outcome: ReleaseOutcome = "ok";
  try {
    return await run();
  } catch (e) {
    outcome = outcomeOf(e);
    throw e;
  } finally {
    // Once the deploy ended, a Cancel comes too late to change how: what it deployed is recorded whole.
    const after = afterEnd(ctx);
    let snapshot: Snapshot | null = null;
    if (outcome === "ok") snapshot = await takeSnapshot(after, app).catch(() => null);
    // Dokku's record of the build (0.38+), for its build output: a failed deploy's log too
    const buildId = outcome === "cancelled" ? null : await buildOfChange(after, app, startedAt).catch(() => null);
    const rollbackTo = ctx.run.op === "releases.rollback" && args !== null && typeof args === "object" && "number" in args ? Number(args.number) : null;
    const number = ctx.history.releases.record({
      app,
      opId: ctx.run.opId,
      startedWith: ctx.run.op,
      title: changeTitle(ctx.run.op, app, args),
      by: ctx.run.requestedBy,
      outside: false,
      startedAt,
      finishedAt: Date.now(),
      outcome,
      source: snapshot ? sourceOf(snapshot) : { kind: "unknown", sha: "", repo: "", image: "" },
      buildId,
      rollbackTo,
      snapshot,
    });
    // a release deployed from an image keeps that image, for a rollback to it (kept.ts)
    if (snapshot !== null) await keepReleaseImage(after, app, number, snapshot);
  }
}
