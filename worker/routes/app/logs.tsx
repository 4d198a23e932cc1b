import { Hono } from "hono";
import { z } from "zod";
import { processType } from "../../../protocol/names.js";
import { FailedLogs, LogTail, LogsBody, logRenderer } from "../../pages/app/logs.js";
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
    const [status, scale] = [host.status(), host.run("apps.scale.show", { app })];
    const choice = c.req.valid("query");
    const body = fromReads([status, scale], (s, sc) =>
      unlessFailed(c, sc, (r) => <LogsBody host={s} app={app} processes={r.scale.map((p) => p.processType)} choice={choice} />),
    );
    return appPage(c, "logs", [body], status, scale);
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
  .get("/stream", requireSameOrigin, logsQuery, (c) => {
    const choice = c.req.valid("query");
    const args = { app: c.var.app, lines: choice.lines, follow: true, ...(choice.process ? { process: choice.process } : {}) };
    const resume = tailId.safeParse(c.req.header("last-event-id"));
    return c.var.host.tail(args, resume.success ? resume.data : null, c.req.raw.signal, logRenderer({ choice, historyHref: historyHref(c) }));
  })
  /** `dokku logs:failed APP`: what the last failed deploy's containers printed. */
  .get("/failed", (c) => fragment(c, "logs.failed", { app: c.var.app }, (r) => <FailedLogs result={r} />));
