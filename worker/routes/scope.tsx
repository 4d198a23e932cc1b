import type { Context, MiddlewareHandler } from "hono";
import { appName, hostId } from "../../protocol/names.js";
import { seesHost } from "../../protocol/policy.js";
import { hostClient } from "../hub/client.js";
import { hostRegistry } from "../registry/client.js";
import { ErrorPage } from "../pages/errors.js";
import { WaitingPage, neverConnected } from "../pages/waiting.js";
import { principalOf, type PolicyUser } from "../team/principal.js";
import type { AppEnv, HostAppEnv, HostEnv, HostRef } from "../types.js";
import { refuse } from "./input.js";
import { appUrl, historyUrl } from "../urls.js";

/**
 * Every host this edge knows (id, and the name the operator gave it), in the order they were added:
 * the hosts in the host registry (the Hosts page adds and removes them). The one place that says
 * where the list comes from.
 */
export async function knownHosts(c: { env: AppEnv["Bindings"] }): Promise<HostRef[]> {
  return (await hostRegistry(c.env).list()).map((h) => ({ id: h.id, name: h.name }));
}

/** The hosts `user` may look at (a grant on the host or one of its apps; every host for an owner or admin), in order. */
export async function visibleHosts(c: { env: AppEnv["Bindings"] }, user: PolicyUser): Promise<HostRef[]> {
  return (await knownHosts(c)).filter((h) => seesHost(principalOf(user, h.id)));
}

/**
 * The guard of `/hosts/:host/*`: 404 unless `:host` names a host this edge knows, 403 unless the
 * user holds a grant on it; then
 * `c.var.host` is that host's client (ops signed for the signed-in user) and `c.var.hosts` the
 * list for the host switcher.
 */
export const hostGuard: MiddlewareHandler<HostEnv> = async (c, next) => {
  const host = hostId.safeParse(c.req.param("host"));
  const all = await knownHosts(c);
  const known = host.success ? all.find((h) => h.id === host.data) : undefined;
  if (!known) {
    return c.html(<ErrorPage title="No such host">This edge has no host by that name.</ErrorPage>, 404);
  }
  const principal = principalOf(c.var.user, known.id);
  // Ops are decided where they are signed; this only keeps a user off a host's pages they hold nothing on.
  if (!seesHost(principal)) {
    return c.html(<ErrorPage title="Not allowed">Not allowed: you have no grant on this host.</ErrorPage>, 403);
  }
  c.set(
    "hosts",
    all.filter((h) => seesHost(principalOf(c.var.user, h.id))),
  );
  c.set("host", hostClient(c.env, known.id, principal, known.name));
  await next();
};

/**
 * A host's page while its relay has never connected: the waiting page instead (it refreshes
 * itself) rather than a page of "host offline" sections. Decided once the route answered, so bad
 * input keeps its 400; a page (200 or 503, HTML) is replaced, its stream dropped. Fragments (htmx)
 * and the waiting poll keep their own answers. The hub's link state runs no command.
 */
export const waitForRelay: MiddlewareHandler<HostEnv> = async (c, next) => {
  await next();
  if (c.req.method !== "GET" || c.req.header("hx-request") || c.req.path.endsWith("/waiting")) return;
  if (c.res.status !== 503 && !(c.res.status === 200 && (c.res.headers.get("content-type") ?? "").startsWith("text/html"))) return;
  const status = await c.var.host.status();
  if (!neverConnected(status)) return;
  await c.res.body?.cancel().catch(() => {});
  c.res = undefined;
  c.res = await c.html(<WaitingPage host={{ ...status, host: c.var.host.id }} hosts={c.var.hosts} />, 503, { "cache-control": "no-store" });
};

/** The guard of one app's routes: 400 for a name that cannot be an app; then `c.var.app` is it. */
export const appGuard: MiddlewareHandler<HostAppEnv> = async (c, next) => {
  const app = appName.safeParse(c.req.param("app"));
  if (!app.success) return refuse(c, `app: ${app.error.issues[0]!.message}`);
  c.set("app", app.data);
  await next();
};

/** Where to look when an outcome is unknown: the app's history inside an app's pages, else the host's. */
export function historyHref<E extends HostEnv>(c: Context<E>): string {
  const { host, app } = c.var;
  return app === undefined ? historyUrl(host.id) : appUrl(host.id, app, "/history");
}
