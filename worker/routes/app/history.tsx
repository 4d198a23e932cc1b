import { Hono } from "hono";
import { z } from "zod";
import { AppHistoryBody } from "../../pages/app/history.js";
import type { HostAppEnv } from "../../types.js";
import { showChoice } from "../history-query.js";
import { valid } from "../input.js";
import { fromReads } from "../stream-page.js";
import { appPage, unlessFailed } from "./kit.js";

/** The tab's query: changes only (the default) or every command, `?show=all`. Unknown keys are refused. */
const appHistoryQuery = valid("query", z.object({ show: showChoice }).strict());

/** An app's History tab, `…/history`: the host's history filtered to the app, its changes unless `show=all`. */
export const appHistoryRoutes = new Hono<HostAppEnv>().get("/", appHistoryQuery, (c) => {
  const { host, app } = c.var;
  const { show } = c.req.valid("query");
  const [status, history] = [host.status(), host.run("history.list", { limit: 50, filter: { app, show } })];
  const body = fromReads([status, history], (s, h) =>
    unlessFailed(c, h, (r) => <AppHistoryBody host={s} app={app} show={show} entries={r.entries} total={r.total} />),
  );
  return appPage(c, "history", [body], status, history);
});
