import { Hono } from "hono";
import { csrf } from "hono/csrf";
import { contextStorage } from "hono/context-storage";
import { EDGE_SERVICE, type EdgeHealth } from "../protocol/health.js";
import { readSession } from "./auth/session.js";
import { readConfig } from "./env.js";
import { sessionUser } from "./team/current.js";
import { HTTPException } from "hono/http-exception";
import { NotConfiguredPage, ServerErrorPage } from "./pages/errors.js";
import { appRoutes } from "./routes/app/index.js";
import { recentReleaseRoutes } from "./routes/releases.js";
import { appsRoutes } from "./routes/apps.js";
import { renameRoutes } from "./routes/rename.js";
import { authRoutes } from "./routes/auth.js";
import { dashboardRoutes } from "./routes/dashboard.js";
import { databaseRoutes } from "./routes/databases.js";
import { networkRoutes } from "./routes/networks.js";
import { historyRoutes } from "./routes/history.js";
import { hostRoutes } from "./routes/host.js";
import { hostCronRoutes } from "./routes/host-cron.js";
import { hostsRoutes, signingKeyRoutes } from "./routes/hosts.js";
import { opRoutes } from "./routes/ops.js";
import { pluginRoutes } from "./routes/plugins.js";
import { hookRoutes } from "./routes/hooks.js";
import { API_BASE, apiRoutes } from "./api/routes.js";
import { apiTokenRoutes } from "./routes/api-tokens.js";
import { alertRoutes } from "./routes/alerts.js";
import { alertSettingsRoutes } from "./routes/alert-settings.js";
import { inviteRoutes } from "./routes/invite.js";
import { relayRoutes } from "./routes/relay.js";
import { usersRoutes } from "./routes/users.js";
import { ssoRoutes } from "./routes/sso.js";
import { activityRoutes } from "./routes/activity.js";
import { hostGuard, visibleHosts, waitForRelay } from "./routes/scope.js";
import { sameOriginWrites, securityHeaders, securityHeadersUnlessUpgraded } from "./security.js";
import type { AppEnv, HostEnv } from "./types.js";
import { historyUrl, hostUrl } from "./urls.js";
import { errText, log } from "./log.js";
import { loadAssetVersions } from "./static-assets.js";

export const app = new Hono<AppEnv>();

// Unexpected errors: a plain page, the details only in the log.
app.onError((err, c) => {
  if (err instanceof HTTPException) return err.getResponse();
  log.error("unhandled error", { path: c.req.path, err: errText(err) });
  return c.html(<ServerErrorPage />, 500);
});

app.use("/api/health", securityHeaders);
app.get("/api/health", (c) => c.json({ status: "ok", service: EDGE_SERVICE } satisfies EdgeHealth));

// The relay's socket: its own token check, no browser session; headers on all but the 101.
app.use("/relay/*", securityHeadersUnlessUpgraded);
app.use("/relay/*", async (c, next) => {
  const cfg = readConfig(c.env);
  if (!cfg.ok) return c.text("edge not configured", 503);
  c.set("config", cfg.config);
  await next();
});
app.route("/", relayRoutes);

// Deploy hook deliveries from Git hosts: signed by the sender, checked by the host's hub; no session, no same-origin check.
app.use("/hooks/*", securityHeaders);
app.route("/", hookRoutes);

// The JSON API for CI (/api/v1): its own bearer tokens, no session, no same-origin check (worker/api/).
app.use(`${API_BASE}/*`, securityHeaders);
app.route(API_BASE, apiRoutes);

app.use("*", securityHeaders);
// The static files' versions (worker/static-assets.ts), read once per isolate, for the pages' links.
app.use("*", async (c, next) => {
  await loadAssetVersions(c.env.ASSETS, new URL(c.req.url).origin);
  await next();
});
app.use("*", async (c, next) => {
  const cfg = readConfig(c.env);
  if (!cfg.ok) {
    log.error("refusing to serve: edge not configured", { problems: cfg.problems });
    return c.html(<NotConfiguredPage problems={cfg.problems} />, 503);
  }
  c.set("config", cfg.config);
  await next();
});
// Every state-changing request must come from this origin: form posts (hono/csrf) and any other
// content type or none (htmx posts, JSON, empty bodies).
app.use("*", csrf());
app.use("*", sameOriginWrites);
// The request's context, for the layout's nav to read who is signed in however deep a page renders it (pages/nav.ts).
app.use("*", contextStorage());

app.use("*", async (c, next) => {
  if (
    c.req.path === "/login" ||
    c.req.path === "/login/2fa" ||
    c.req.path.startsWith("/login/passkey") ||
    c.req.path.startsWith("/login/sso/") ||
    c.req.path === "/api/health" ||
    c.req.path.startsWith("/invite/")
  )
    return next();
  const session = await readSession(c, c.var.config);
  const user = session ? await sessionUser(c.env, session) : null;
  if (!session || !user) {
    if (c.req.header("hx-request")) {
      c.header("HX-Redirect", "/login");
      return c.body(null, 401);
    }
    return c.redirect("/login", 302);
  }
  c.set("session", session);
  c.set("user", user);
  await next();
});

app.route("/", inviteRoutes);
app.route("/login/sso", ssoRoutes);
app.route("/", authRoutes);
app.route("/", apiTokenRoutes);
app.route("/", alertSettingsRoutes);
app.route("/users", usersRoutes);
app.route("/activity", activityRoutes);

// The first host's pages; with no host yet, the Hosts page (where one is added).
app.get("/", async (c) => {
  const [first] = await visibleHosts(c, c.var.user);
  return c.redirect(first ? hostUrl(first.id) : "/hosts", 302);
});
app.get("/history", async (c) => {
  const [first] = await visibleHosts(c, c.var.user);
  // The filters travel with it: /history?app=web is the first host's history of web.
  return c.redirect(first ? historyUrl(first.id, Object.fromEntries(new URL(c.req.url).searchParams)) : "/hosts", 302);
});

app.route("/hosts", hostsRoutes);
app.route("/signing-key", signingKeyRoutes);

/** Everything about one host, `/hosts/:host/…`, behind the host guard (which sets `c.var.host`). */
const oneHost = new Hono<HostEnv>()
  .use(hostGuard)
  .use(waitForRelay)
  .route("/", dashboardRoutes)
  .route("/", hostRoutes)
  .route("/", alertRoutes)
  .route("/apps", appsRoutes)
  .route("/apps", renameRoutes)
  .route("/apps/:app", appRoutes)
  .route("/databases", databaseRoutes)
  .route("/networks", networkRoutes)
  .route("/plugins", pluginRoutes)
  .route("/cron", hostCronRoutes)
  .route("/history", historyRoutes)
  .route("/releases", recentReleaseRoutes)
  .route("/ops", opRoutes);
app.route("/hosts/:host", oneHost);
