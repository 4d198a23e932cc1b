import { Hono } from "hono";
import { hostClient } from "../hub/client.js";
import { HostsPage } from "../pages/hosts.js";
import type { AppEnv } from "../types.js";
import { measureHost } from "./host.js";
import { knownHosts } from "./scope.js";

/** `/hosts`: every host the edge knows, with its link state and a measured round trip. */
export const hostsRoutes = new Hono<AppEnv>().get("/", async (c) => {
  const clients = (await knownHosts(c)).map((host) => hostClient(c.env, host, c.var.session.sub, (work) => c.executionCtx.waitUntil(work)));
  return c.html(<HostsPage rows={await Promise.all(clients.map(measureHost))} />);
});
