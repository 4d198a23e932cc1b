import { Hono } from "hono";
import { HostCronList, HostCronPage } from "../pages/host-cron.js";
import { mayOf } from "../pages/may.js";
import type { HostEnv } from "../types.js";
import { historyHref } from "./scope.js";
import { fromReads, streamPage } from "./stream-page.js";

/**
 * `/hosts/:host/cron`: every cron task on the host (cron.host), streamed; the list alone at
 * `/cron/list` for its reload after a change. Run now, suspend and resume post to the app's own
 * Cron routes (`/apps/:app/cron/…`), whose answers land in this page's #cron-result.
 */
export const hostCronRoutes = new Hono<HostEnv>()
  .get("/", (c) => {
    const { host } = c.var;
    const [status, list] = [host.status(), host.run("cron.host", {})];
    return streamPage(
      c,
      async (slot) => (
        <HostCronPage host={await status} hosts={c.var.hosts}>
          {slot}
        </HostCronPage>
      ),
      [fromReads([list], (l) => <HostCronList host={host.id} list={l} historyHref={historyHref(c)} may={mayOf(host)} />)],
      list,
    );
  })
  .get("/list", async (c) => {
    const { host } = c.var;
    return c.html(<HostCronList host={host.id} list={await host.run("cron.host", {})} historyHref={historyHref(c)} may={mayOf(host)} />);
  });
