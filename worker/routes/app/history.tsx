import { Hono } from "hono";
import { AppHistoryBody } from "../../pages/app/history.js";
import type { HostAppEnv } from "../../types.js";
import { fromReads } from "../stream-page.js";
import { appPage, unlessFailed } from "./kit.js";

/** An app's History tab, `…/history`: the host's history filtered to the app. */
export const appHistoryRoutes = new Hono<HostAppEnv>().get("/", (c) => {
  const { host, app } = c.var;
  const [status, history] = [host.status(), host.run("history.list", { limit: 50, filter: { app } })];
  const body = fromReads([status, history], (s, h) => unlessFailed(c, h, (r) => <AppHistoryBody host={s} app={app} entries={r.entries} total={r.total} />));
  return appPage(c, "history", [body], status, history);
});
