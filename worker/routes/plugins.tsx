import { Hono } from "hono";
import { PluginsBody, PluginsPage } from "../pages/plugins.js";
import type { HostEnv } from "../types.js";
import { unlessFailed } from "./answers.js";
import { fromReads, streamPage } from "./stream-page.js";

/** `/hosts/:host/plugins`: the host's Dokku plugins (read-only; streamed). */
export const pluginRoutes = new Hono<HostEnv>().get("/", (c) => {
  const { host } = c.var;
  const [status, plugins] = [host.status(), host.run("plugins.list", {})];
  return streamPage(
    c,
    async (slot) => (
      <PluginsPage host={await status} hosts={c.var.hosts}>
        {slot}
      </PluginsPage>
    ),
    [fromReads([plugins], (p) => unlessFailed(c, p, (r) => <PluginsBody plugins={r.plugins} />))],
    plugins,
  );
});
