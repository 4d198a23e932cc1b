import { Hono } from "hono";
import type { OpName } from "../../protocol/ops.js";
import type { Outcome } from "../hub/outcome.js";
import { ActivitySection, AppsList, AppsSection, DashboardPage, HealthSection, RecentChanges, type Part } from "../pages/dashboard.js";
import { offersChanges } from "../pages/app-state.js";
import { HealthCards } from "../pages/health.js";
import { CreateAppForm } from "../pages/apps.js";
import { OutcomeMessage } from "../pages/outcome.js";
import type { HostEnv } from "../types.js";
import { failure } from "./answers.js";
import { historyHref } from "./scope.js";
import { alertsOf } from "./alerts.js";
import { AlertsSection } from "../pages/alerts.js";
import { mayAct } from "../../protocol/policy.js";
import { fromReads, streamPage } from "./stream-page.js";
import { dashboardApps } from "./granted-apps.js";
import { IfMay, mayOf } from "../pages/may.js";

/** How many of the last changes the dashboard lists. */
const ACTIVITY_SHOWN = 10;
const recentArgs = { limit: ACTIVITY_SHOWN, filter: { show: "changes" as const } };

function part<N extends OpName, T>(outcome: Outcome<N>, historyHref: string, pick: (r: Extract<Outcome<N>, { kind: "ok" }>["result"]) => T): Part<T> {
  if (outcome.kind === "ok") return { ok: true, value: pick(outcome.result) };
  return { ok: false, message: <OutcomeMessage outcome={outcome} historyHref={historyHref} /> };
}

/** The host's dashboard, `/hosts/:host` (link, health, apps, recent changes; streamed), and its health cards alone. */
export const dashboardRoutes = new Hono<HostEnv>()
  .get("/", (c) => {
    const { host } = c.var;
    const history = historyHref(c);
    const status = host.status();
    const may = mayOf(host);
    const { apps, domains } = dashboardApps(host);
    // Host-wide reads the policy refuses this user (granted only some apps) are not attempted, and their sections not shown.
    const health = may("server.health", {}) ? host.run("server.health", {}) : null;
    const recent = may("history.list", recentArgs) ? host.run("history.list", recentArgs) : null;
    const alerts = alertsOf(c.env, host.id, host.principal);
    return streamPage(
      c,
      async (slot) => (
        <DashboardPage host={await status} hosts={c.var.hosts}>
          {slot}
        </DashboardPage>
      ),
      [
        alerts.then((a) => <AlertsSection host={host.id} alerts={a} manages={mayAct(c.var.user.role, "alerts.manage").allowed} />),
        ...(health ? [fromReads([health], (h) => <HealthSection host={host.id} health={part(h, history, (r) => r)} />)] : []),
        fromReads([status, apps, domains], (s, a, d) => (
          <AppsSection
            host={s}
            apps={part(a, history, (r) => r.apps)}
            domains={d.kind === "ok" ? d.result.domains : undefined}
            live={offersChanges(s, a, d)}
            may={may}
          />
        )),
        ...(recent ? [fromReads([recent], (r) => <ActivitySection host={host.id} activity={part(r, history, (x) => x.entries)} />)] : []),
      ],
      // The apps are the page's main content: when they could not be read, the status says so too.
      apps,
    );
  })
  /** The apps table alone, read again when a change made it stale (see pages/stale.ts). */
  .get("/apps-list", async (c) => {
    const { host } = c.var;
    const read = dashboardApps(host);
    const [apps, domains] = await Promise.all([read.apps, read.domains]);
    c.header("cache-control", "no-store");
    const live = offersChanges(await host.status(), apps, domains);
    return c.html(
      <AppsList
        host={host.id}
        apps={part(apps, historyHref(c), (r) => r.apps)}
        domains={domains.kind === "ok" ? domains.result.domains : undefined}
        live={live}
        may={mayOf(host)}
      />,
    );
  })
  /** The recent changes alone, read again after each change (see pages/stale.ts). */
  .get("/recent-changes", async (c) => {
    const { host } = c.var;
    c.header("cache-control", "no-store");
    const recent = await host.run("history.list", recentArgs);
    return c.html(<RecentChanges host={host.id} activity={part(recent, historyHref(c), (x) => x.entries)} />);
  })
  /** The create-app form, empty again once an app was created (it listens for the apps list going stale). */
  .get("/create-app", (c) => {
    c.header("cache-control", "no-store");
    // nothing to one who may not create apps (the page offers them no form either)
    return c.html(
      <IfMay may={mayOf(c.var.host)} op="apps.create" args={{}}>
        <CreateAppForm host={c.var.host.id} open />
      </IfMay>,
    );
  })
  /** The health cards alone, for the dashboard's 30-second refresh. */
  .get("/health", async (c) => {
    const health = await c.var.host.run("server.health", {});
    if (health.kind !== "ok") return failure(c, health);
    c.header("cache-control", "no-store");
    return c.html(<HealthCards now={health.result.now} series={health.result.series} />);
  });
