import { Hono } from "hono";
import { z } from "zod";
import type { ChangeOp } from "../../protocol/ops.js";
import { liveRenderer } from "../pages/live.js";
import { EndedOpPage, OpEnded, RunningOpPage, RunningOps } from "../pages/op.js";
import { ErrorPage } from "../pages/errors.js";
import { ChangeDone, OutcomeMessage, outcomeStatus } from "../pages/outcome.js";
import type { HostEnv } from "../types.js";
import { valid } from "./input.js";
import { historyHref } from "./scope.js";
import { opUrl } from "../urls.js";
import { keptOutcome } from "../hub/started-changes.js";

const opParam = valid("param", z.object({ opId: z.uuid("not an operation id") }));

/**
 * The changes on one host, `/hosts/:host/ops/…`: each running change's own page (any number of
 * viewers, from its first kept line), its live stream, Cancel, and the list of what runs now.
 */
export const opRoutes = new Hono<HostEnv>()
  /** What runs on the host now: a fragment every host page reloads every few seconds. */
  .get("/running", async (c) => c.html(<RunningOps host={c.var.host.id} jobs={await c.var.host.running()} />))
  .get("/:opId", opParam, async (c) => {
    const { host } = c.var;
    const { opId } = c.req.valid("param");
    const [status, running] = await Promise.all([host.status(), host.running()]);
    const job = running.find((j) => j.opId === opId);
    if (job) return c.html(<RunningOpPage host={status} hosts={c.var.hosts} job={job} />);
    const [history, started] = await Promise.all([host.run("history.get", { opId }), host.startedChange(opId)]);
    if (history.kind === "ok" && history.result.entries.length > 0) {
      c.header("cache-control", "no-store");
      return c.html(<EndedOpPage host={status} hosts={c.var.hosts} entries={history.result.entries} />);
    }
    // It ended before it ran any command (its own checks refused it): no history, but this hub kept how.
    const kept = history.kind === "ok" && started?.ended ? keptOutcome(started.ended) : null;
    if (kept && kept.kind !== "ok") {
      c.header("cache-control", "no-store");
      return c.html(
        <ErrorPage title={`${started?.title ?? "This change"}: not done`} host={status} hosts={c.var.hosts}>
          <OutcomeMessage outcome={kept} historyHref={historyHref(c)} host={status.host} />
        </ErrorPage>,
      );
    }
    // "Not found" only for a change this edge never saw start and the relay has no record of.
    if (history.kind === "ok" && !started) {
      const outcome = { kind: "error", code: "not_found", message: "No change with this id ran on this host (or its history was pruned)." } as const;
      return c.html(
        <ErrorPage title="Change not found" host={status} hosts={c.var.hosts}>
          <OutcomeMessage outcome={outcome} historyHref={historyHref(c)} />
        </ErrorPage>,
        404,
      );
    }
    const message =
      history.kind === "ok"
        ? "This change started here, but the relay connected now has no record of it: the relay that ran it was replaced or reinstalled, and its outcome is in that relay's history on the host."
        : `${history.message}. A change that had started keeps running on the host; its outcome shows here once the host's relay answers again.`;
    c.header("cache-control", "no-store");
    return c.html(
      <ErrorPage title={`${started?.title ?? "This change"}: outcome unknown`} host={status} hosts={c.var.hosts}>
        <OutcomeMessage outcome={{ kind: "unknown", message }} historyHref={historyHref(c)} />
      </ErrorPage>,
      history.kind === "ok" ? 200 : outcomeStatus(history),
    );
  })
  /** The change's output as SSE: what was kept, then live, then how it ended. */
  .get("/:opId/stream", opParam, (c) => {
    const { opId } = c.req.valid("param");
    const host = c.var.host.id;
    const render = liveRenderer<ChangeOp>({
      host,
      historyHref: historyHref(c),
      success: (o) => <ChangeDone title="Finished" result={{ ...o.result, output: "" }} />,
    })(opId);
    // Its end also takes the page's Cancel away and points to the change's record.
    const ended = (<OpEnded host={host} opId={opId} />).toString();
    return c.var.host.watch(c, opId, { ...render, start: () => render.start(false), outcome: (o) => `${render.outcome(o)}${ended}` });
  })
  /** Cancel: the relay stops the command (and everything it started); history says "cancelled". */
  .post("/:opId/cancel", opParam, async (c) => {
    const { opId } = c.req.valid("param");
    // A change that already ended has nothing to stop: say so (a second click, or a late one).
    const running = await c.var.host.running();
    if (!running.some((j) => j.opId === opId)) {
      if (!c.req.header("hx-request")) return c.redirect(opUrl(c.var.host.id, opId), 303);
      return c.html(
        <div class="outcome outcome-warning" role="status">
          <strong>Nothing to cancel:</strong> this change is no longer running; its outcome is below.
        </div>,
        409,
      );
    }
    if (!(await c.var.host.cancel(opId))) {
      return c.html(
        <div class="outcome outcome-error" role="alert">
          <strong>Not allowed:</strong> you may not cancel this change.
        </div>,
        403,
      );
    }
    if (!c.req.header("hx-request")) return c.redirect(opUrl(c.var.host.id, opId), 303);
    return c.html(
      <div class="outcome outcome-warning" role="status">
        <strong>Cancel sent.</strong> The relay is stopping the command; the outcome follows below.
      </div>,
    );
  });
