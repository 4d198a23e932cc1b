import { Hono } from "hono";
import { AppHistoryPage } from "../../pages/app/history.js";
import type { HostAppEnv } from "../../types.js";
import { failedPage } from "./kit.js";

/** An app's History tab, `…/history`: the host's history filtered to the app. */
export const appHistoryRoutes = new Hono<HostAppEnv>().get("/", async (c) => {
  const { host, app } = c.var;
  const [status, history] = await Promise.all([host.status(), host.run("history.list", { limit: 50, filter: { app } })]);
  if (history.kind !== "ok") return failedPage(c, "history", history);
  return c.html(<AppHistoryPage host={status} hosts={c.var.hosts} app={app} entries={history.result.entries} total={history.result.total} />);
});
