import { Hono } from "hono";
import { PluginsPage } from "../pages/plugins.js";
import type { HostEnv } from "../types.js";
import { failedSection } from "./answers.js";

/** `/hosts/:host/plugins`: the host's Dokku plugins (read-only). */
export const pluginRoutes = new Hono<HostEnv>().get("/", async (c) => {
  const { host } = c.var;
  const [status, outcome] = await Promise.all([host.status(), host.run("plugins.list", {})]);
  if (outcome.kind !== "ok") return failedSection(c, { title: `Plugins on ${host.id}`, current: "plugins", status }, outcome);
  return c.html(<PluginsPage host={status} hosts={c.var.hosts} plugins={outcome.result.plugins} />);
});
