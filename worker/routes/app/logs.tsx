import { Hono } from "hono";
import { z } from "zod";
import { processType } from "../../../protocol/names.js";
import { FailedLogs, LogTail, LogsBody, NotDeployed, logRenderer } from "../../pages/app/logs.js";
import { requireSameOrigin } from "../../security.js";
import type { HostAppEnv } from "../../types.js";
import { fragment } from "../answers.js";
import { valid } from "../input.js";
import { historyHref } from "../scope.js";
import { fromReads } from "../stream-page.js";
import { appPage, unlessFailed } from "./kit.js";

/** A tail's id, as the page sends it back to renew its stream (anything else starts a new tail). */
const tailId = z.string().uuid();

/** How many lines, which process type ("" for all), and whether the tail follows. */
const logsQuery = valid(
  "query",
  z.object({
    lines: z.enum(["100", "500", "1000"], "lines is 100, 500 or 1000").default("100").transform(Number),
    process: z.union([z.literal(""), processType]).default(""),
    state: z.enum(["live", "paused"]).default("live"),
  }),
);

/** An app's Logs tab, `…/logs`: a live tail (SSE) and the last failed deploy's output. */
export const logRoutes = new Hono<HostAppEnv>()
  .get("/", logsQuery, (c) => {
    const { host, app } = c.var;
    const [status, detail, scale] = [host.status(), host.run("apps.detail", { app }), host.run("apps.scale.show", { app })];
    const choice = c.req.valid("query");
    // A never-deployed app has no container: `dokku logs` would only fail ("App … has not been
    // deployed", CommandDefault in plugins/logs/subcommands.go of dokku/dokku), so no tail starts.
    const body = fromReads([status, detail, scale], (s, d, sc) =>
      unlessFailed(c, d, (r) =>
        r.deployed ? (
          unlessFailed(c, sc, (x) => <LogsBody host={s} app={app} processes={x.scale.map((p) => p.processType)} choice={choice} />)
        ) : (
          <NotDeployed app={app} />
        ),
      ),
    );
    return appPage(c, "logs", [body], status, detail);
  })
  /** The tail's state element: following (it opens the stream on load) or paused (the stream is gone). */
  .get("/tail", logsQuery, (c) => {
    const choice = c.req.valid("query");
    return c.html(<LogTail host={c.var.host.id} app={c.var.app} choice={choice} paused={choice.state === "paused"} />);
  })
  /**
   * `dokku logs APP -n N -t [-p TYPE]` as SSE, in short segments the page renews (naming its tail
   * in `Last-Event-ID`); a viewer that leaves, or stops renewing, stops the tail and the relay kills it.
   */
  .get("/stream", requireSameOrigin, logsQuery, async (c) => {
    const choice = c.req.valid("query");
    const resume = tailId.safeParse(c.req.header("last-event-id"));
    // A new tail of a never-deployed app is not started (see the page above); the answer says why, once.
    if (!resume.success) {
      const detail = await c.var.host.run("apps.detail", { app: c.var.app });
      if (detail.kind === "ok" && !detail.result.deployed) return c.html(<NotDeployed app={c.var.app} />, 409);
    }
    const args = { app: c.var.app, lines: choice.lines, follow: true, ...(choice.process ? { process: choice.process } : {}) };
    return c.var.host.tail(c, args, resume.success ? resume.data : null, logRenderer({ choice, historyHref: historyHref(c) }));
  })
  /** `dokku logs:failed APP`: what the last failed deploy's containers printed. */
  .get("/failed", (c) => fragment(c, "logs.failed", { app: c.var.app }, (r) => <FailedLogs result={r} />));
