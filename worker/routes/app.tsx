import { Hono } from "hono";
import { hostStatus, runOp } from "../hub/client.js";
import { streamOp } from "../hub/stream.js";
import { ConfigEditor, ConfigList, ConfigPage, RevealedValue } from "../pages/app/config.js";
import { DomainList, DomainsPage, PortList } from "../pages/app/domains.js";
import { AppHistoryPage } from "../pages/app/history.js";
import { FailedLogs, LogTail, LogsPage, logRenderer } from "../pages/app/logs.js";
import { AppActions, AppSummary, OverviewPage } from "../pages/app/overview.js";
import { BadInput, Done, appBase } from "../pages/app/shell.js";
import { TlsPage, TlsStatus } from "../pages/app/tls.js";
import { OutcomeMessage, outcomeStatus } from "../pages/outcome.js";
import { requireSameOrigin } from "../security.js";
import type { AppEnv } from "../types.js";
import {
  bulkVarsForm,
  destroyForm,
  domainForm,
  emailForm,
  logsQuery,
  addPortForm,
  removePortForm,
  revealQuery,
  scaleForm,
  setVarForm,
  unsetVarForm,
} from "./app-forms.js";
import { deployRoutes } from "./app-deploy.js";
import { badInput, change, failedPage, formFields, fragment, historyHref, hostsOf, scope, scoped, type C } from "./app-kit.js";

/**
 * The pages of one app on one host, `/hosts/:host/apps/:app/…`: overview (actions, scale,
 * destroy), config, domains, TLS, live logs and the app's history. Every page is a plain URL;
 * every change is an htmx request whose answer (or error) lands where the user acted, and the
 * long ones stream the host's output as it comes.
 */
export const appRoutes = new Hono<AppEnv>();
appRoutes.use("/hosts/:host/apps/:app", scoped);
appRoutes.use("/hosts/:host/apps/:app/*", scoped);

// ---- Overview ---------------------------------------------------------------------------------

appRoutes.get("/hosts/:host/apps/:app", async (c) => {
  const { host, app } = scope(c);
  const sub = c.var.session.sub;
  const [status, detail, scale] = await Promise.all([
    hostStatus(c.env, host),
    runOp(c.env, host, "apps.detail", { app }, sub),
    runOp(c.env, host, "apps.scale.show", { app }, sub),
  ]);
  if (detail.kind !== "ok") return failedPage(c, "overview", detail);
  return c.html(<OverviewPage host={status} hosts={hostsOf(c)} detail={detail.result} scale={scale.kind === "ok" ? scale.result.scale : []} />);
});

appRoutes.get("/hosts/:host/apps/:app/summary", (c) =>
  fragment(c, "apps.detail", { app: scope(c).app }, (d) => <AppSummary host={scope(c).host} detail={d} />),
);

appRoutes.get("/hosts/:host/apps/:app/actions", (c) =>
  fragment(c, "apps.detail", { app: scope(c).app }, (d) => <AppActions host={scope(c).host} detail={d} />),
);

/**
 * Dokku's warnings that mean the action did nothing ("App x already running", "… has not been
 * deployed"), as opposed to notes along the way ("App has been detected as not running, releasing").
 */
const nothingDone = (warning: string | undefined) => warning !== undefined && /(already running|has not been deployed|is not running)$/i.test(warning.trim());

const PS_OPS = { start: ["apps.start", "Started"], stop: ["apps.stop", "Stopped"], restart: ["apps.restart", "Restarted"], rebuild: ["apps.rebuild", "Rebuilt"] } as const;

appRoutes.post("/hosts/:host/apps/:app/ps/:action", (c) => {
  const { host, app } = scope(c);
  const action = c.req.param("action");
  if (!Object.hasOwn(PS_OPS, action)) return c.html(<BadInput message="action is start, stop, restart or rebuild" />, 400);
  const [op, verb] = PS_OPS[action as keyof typeof PS_OPS];
  return change(c, op, { app }, (r) => (
    <Done
      title={nothingDone(r.warning) ? `Nothing to do for ${app}` : `${verb} ${app}`}
      result={r}
      refresh={[
        { url: `${appBase(host, app)}/summary`, target: "#app-summary" },
        { url: `${appBase(host, app)}/actions`, target: "#app-actions-buttons" },
      ]}
    />
  ));
});

appRoutes.post("/hosts/:host/apps/:app/scale", async (c) => {
  const { host, app } = scope(c);
  const form = scaleForm.safeParse(await formFields(c));
  if (!form.success) return badInput(c, form.error);
  const summary = Object.entries(form.data)
    .map(([t, n]) => `${t}=${n}`)
    .join(" ");
  return change(c, "apps.scale.set", { app, scale: form.data }, (r) => (
    <Done title={`Scaled ${app}: ${summary}`} result={r} refresh={[{ url: `${appBase(host, app)}/summary`, target: "#app-summary" }]} />
  ));
});

appRoutes.post("/hosts/:host/apps/:app/destroy", async (c) => {
  const { host, app } = scope(c);
  const form = destroyForm.safeParse(await formFields(c));
  if (!form.success) return badInput(c, form.error);
  // The relay checks the typed name against the app and refuses a mismatch (bad_request).
  return change(c, "apps.destroy", { app, confirm: form.data.confirm }, (r) => (
    <div class="outcome outcome-ok" role="status">
      <strong>Destroyed {app}.</strong> <a href={`/hosts/${host}`}>Back to the apps on {host}</a>
      {r.output ? <pre>{r.output}</pre> : null}
    </div>
  ));
});

// ---- Config -----------------------------------------------------------------------------------

const keysOf = (vars: Record<string, string>) => Object.keys(vars).sort();

appRoutes.get("/hosts/:host/apps/:app/config", async (c) => {
  const { host, app } = scope(c);
  const [status, config] = await Promise.all([hostStatus(c.env, host), runOp(c.env, host, "config.get", { app }, c.var.session.sub)]);
  if (config.kind !== "ok") return failedPage(c, "config", config);
  return c.html(<ConfigPage host={status} hosts={hostsOf(c)} app={app} keys={keysOf(config.result.vars)} />);
});

appRoutes.get("/hosts/:host/apps/:app/config/list", (c) =>
  fragment(c, "config.get", { app: scope(c).app }, (r) => <ConfigList host={scope(c).host} app={scope(c).app} keys={keysOf(r.vars)} />),
);

/** Reads one variable named by `?key=`, or answers for it (bad key, host trouble, key gone). */
async function oneVar(c: C): Promise<{ key: string; value: string; index: number } | Response> {
  const q = revealQuery.safeParse(c.req.query());
  if (!q.success) return badInput(c, q.error);
  const config = await runOp(c.env, scope(c).host, "config.get", { app: scope(c).app }, c.var.session.sub);
  if (config.kind !== "ok") return c.html(<OutcomeMessage outcome={config} historyHref={historyHref(c)} />, outcomeStatus(config));
  if (!Object.hasOwn(config.result.vars, q.data.key)) return c.html(<BadInput message={`${q.data.key} is not set (any more)`} />, 404);
  c.header("cache-control", "no-store");
  return { key: q.data.key, value: config.result.vars[q.data.key]!, index: keysOf(config.result.vars).indexOf(q.data.key) };
}

/** One value, as text. Same-origin only: a value is a secret. */
appRoutes.get("/hosts/:host/apps/:app/config/value", requireSameOrigin, async (c) => {
  const v = await oneVar(c);
  return v instanceof Response ? v : c.html(<RevealedValue id={`val-${v.index}`} value={v.value} />);
});

/** One value in an edit form (so revealed too): same-origin only, never cached. */
appRoutes.get("/hosts/:host/apps/:app/config/edit", requireSameOrigin, async (c) => {
  const v = await oneVar(c);
  return v instanceof Response ? v : c.html(<ConfigEditor host={scope(c).host} app={scope(c).app} name={v.key} value={v.value} />);
});

const configRefresh = (c: C) => [{ url: `${appBase(scope(c).host, scope(c).app)}/config/list`, target: "#config-list" }];
const restartNote = (noRestart: boolean) => (noRestart ? " (not restarted)" : "");

appRoutes.post("/hosts/:host/apps/:app/config/set", async (c) => {
  const form = setVarForm.safeParse(await formFields(c));
  if (!form.success) return badInput(c, form.error);
  const noRestart = form.data.no_restart === "on";
  return change(c, "config.set", { app: scope(c).app, vars: { [form.data.key]: form.data.value }, noRestart }, (r) => (
    <Done title={`Set ${form.data.key}${restartNote(noRestart)}`} result={r} refresh={configRefresh(c)} />
  ));
});

appRoutes.post("/hosts/:host/apps/:app/config/bulk", async (c) => {
  const form = bulkVarsForm.safeParse(await formFields(c));
  if (!form.success) return badInput(c, form.error);
  const keys = Object.keys(form.data.lines);
  const noRestart = form.data.no_restart === "on";
  return change(c, "config.set", { app: scope(c).app, vars: form.data.lines, noRestart }, (r) => (
    <Done title={`Set ${keys.length} variable${keys.length === 1 ? "" : "s"}: ${keys.join(", ")}${restartNote(noRestart)}`} result={r} refresh={configRefresh(c)} />
  ));
});

appRoutes.post("/hosts/:host/apps/:app/config/unset", async (c) => {
  const form = unsetVarForm.safeParse(await formFields(c));
  if (!form.success) return badInput(c, form.error);
  const noRestart = form.data.no_restart === "on";
  return change(c, "config.unset", { app: scope(c).app, keys: [form.data.key], noRestart }, (r) => (
    <Done title={`Removed ${form.data.key}${restartNote(noRestart)}`} result={r} refresh={configRefresh(c)} />
  ));
});

// ---- Domains ----------------------------------------------------------------------------------

appRoutes.get("/hosts/:host/apps/:app/domains", async (c) => {
  const { host, app } = scope(c);
  const [status, report, ports] = await Promise.all([
    hostStatus(c.env, host),
    runOp(c.env, host, "domains.report", { app }, c.var.session.sub),
    runOp(c.env, host, "ports.report", { app }, c.var.session.sub),
  ]);
  if (report.kind !== "ok") return failedPage(c, "domains", report);
  return c.html(<DomainsPage host={status} hosts={hostsOf(c)} app={app} report={report.result} ports={ports} historyHref={historyHref(c)} />);
});

appRoutes.get("/hosts/:host/apps/:app/domains/list", (c) =>
  fragment(c, "domains.report", { app: scope(c).app }, (r) => <DomainList host={scope(c).host} app={scope(c).app} report={r} />),
);

const domainsRefresh = (c: C) => [{ url: `${appBase(scope(c).host, scope(c).app)}/domains/list`, target: "#domain-list" }];

appRoutes.post("/hosts/:host/apps/:app/domains/add", async (c) => {
  const form = domainForm.safeParse(await formFields(c));
  if (!form.success) return badInput(c, form.error);
  return change(c, "domains.add", { app: scope(c).app, domains: [form.data.domain] }, (r) => (
    <Done title={`Added ${form.data.domain}`} result={r} refresh={domainsRefresh(c)} />
  ));
});

appRoutes.post("/hosts/:host/apps/:app/domains/remove", async (c) => {
  const form = domainForm.safeParse(await formFields(c));
  if (!form.success) return badInput(c, form.error);
  return change(c, "domains.remove", { app: scope(c).app, domains: [form.data.domain] }, (r) => (
    <Done title={`Removed ${form.data.domain}`} result={r} refresh={domainsRefresh(c)} />
  ));
});

// ---- Ports ------------------------------------------------------------------------------------

appRoutes.get("/hosts/:host/apps/:app/ports/list", async (c) => {
  const { host, app } = scope(c);
  const ports = await runOp(c.env, host, "ports.report", { app }, c.var.session.sub);
  return c.html(<PortList host={host} app={app} ports={ports} historyHref={historyHref(c)} />);
});

const portsRefresh = (c: C) => [{ url: `${appBase(scope(c).host, scope(c).app)}/ports/list`, target: "#port-list" }];

appRoutes.post("/hosts/:host/apps/:app/ports/add", async (c) => {
  const form = addPortForm.safeParse(await formFields(c));
  if (!form.success) return badInput(c, form.error);
  const { mapping } = form.data;
  return change(c, "ports.add", { app: scope(c).app, mappings: [mapping] }, (r) => <Done title={`Added ${mapping}`} result={r} refresh={portsRefresh(c)} />);
});

appRoutes.post("/hosts/:host/apps/:app/ports/remove", async (c) => {
  const form = removePortForm.safeParse(await formFields(c));
  if (!form.success) return badInput(c, form.error);
  const { mapping } = form.data;
  return change(c, "ports.remove", { app: scope(c).app, mappings: [mapping] }, (r) => <Done title={`Removed ${mapping}`} result={r} refresh={portsRefresh(c)} />);
});

// ---- TLS --------------------------------------------------------------------------------------

appRoutes.get("/hosts/:host/apps/:app/tls", async (c) => {
  const { host, app } = scope(c);
  const [status, tls] = await Promise.all([hostStatus(c.env, host), runOp(c.env, host, "tls.status", { app }, c.var.session.sub)]);
  if (tls.kind !== "ok") return failedPage(c, "tls", tls);
  return c.html(<TlsPage host={status} hosts={hostsOf(c)} app={app} status={tls.result} />);
});

appRoutes.get("/hosts/:host/apps/:app/tls/status", (c) => fragment(c, "tls.status", { app: scope(c).app }, (r) => <TlsStatus status={r} />));

const tlsRefresh = (c: C) => [{ url: `${appBase(scope(c).host, scope(c).app)}/tls/status`, target: "#tls-status" }];

/** Set the e-mail first (a short op); only if that worked, enable (streamed: it talks to Let's Encrypt). */
appRoutes.post("/hosts/:host/apps/:app/tls/enable", async (c) => {
  const { host, app } = scope(c);
  const form = emailForm.safeParse(await formFields(c));
  if (!form.success) return badInput(c, form.error);
  const set = await runOp(c.env, host, "tls.setEmail", { app, email: form.data.email }, c.var.session.sub);
  if (set.kind !== "ok") return c.html(<OutcomeMessage outcome={set} historyHref={historyHref(c)} />, outcomeStatus(set));
  return change(c, "tls.enable", { app }, (r) => <Done title={`Let's Encrypt enabled for ${app}`} result={r} refresh={tlsRefresh(c)} />);
});

appRoutes.post("/hosts/:host/apps/:app/tls/renew", (c) =>
  change(c, "tls.autoRenew", { app: scope(c).app }, (r) => <Done title="Auto-renew ran" result={r} refresh={tlsRefresh(c)} />),
);

// ---- Logs -------------------------------------------------------------------------------------

appRoutes.get("/hosts/:host/apps/:app/logs", async (c) => {
  const { host, app } = scope(c);
  const q = logsQuery.safeParse(c.req.query());
  if (!q.success) return badInput(c, q.error);
  const [status, scale] = await Promise.all([hostStatus(c.env, host), runOp(c.env, host, "apps.scale.show", { app }, c.var.session.sub)]);
  if (scale.kind !== "ok") return failedPage(c, "logs", scale);
  const processes = scale.result.scale.map((s) => s.processType);
  return c.html(<LogsPage host={status} hosts={hostsOf(c)} app={app} processes={processes} choice={q.data} />);
});

/** The tail's state element: following (it opens the stream on load) or paused (the stream is gone). */
appRoutes.get("/hosts/:host/apps/:app/logs/tail", (c) => {
  const q = logsQuery.safeParse(c.req.query());
  if (!q.success) return badInput(c, q.error);
  return c.html(<LogTail host={scope(c).host} app={scope(c).app} choice={q.data} paused={q.data.state === "paused"} />);
});

/** `dokku logs APP -n N -t [-p TYPE]` as SSE; closing the request cancels the op and the relay kills it. */
appRoutes.get("/hosts/:host/apps/:app/logs/stream", requireSameOrigin, (c) => {
  const { host, app } = scope(c);
  const q = logsQuery.safeParse(c.req.query());
  if (!q.success) return badInput(c, q.error);
  const args = { app, lines: q.data.lines, follow: true, ...(q.data.process ? { process: q.data.process } : {}) };
  return streamOp(c.env, c.executionCtx, host, "logs.tail", args, c.var.session.sub, logRenderer({ choice: q.data, historyHref: historyHref(c) }));
});

/** `dokku logs:failed APP`: what the last failed deploy's containers printed. */
appRoutes.get("/hosts/:host/apps/:app/logs/failed", (c) => fragment(c, "logs.failed", { app: scope(c).app }, (r) => <FailedLogs result={r} />));

// ---- History ----------------------------------------------------------------------------------

appRoutes.get("/hosts/:host/apps/:app/history", async (c) => {
  const { host, app } = scope(c);
  const [status, history] = await Promise.all([
    hostStatus(c.env, host),
    runOp(c.env, host, "history.list", { limit: 50, filter: { app } }, c.var.session.sub),
  ]);
  if (history.kind !== "ok") return failedPage(c, "history", history);
  return c.html(<AppHistoryPage host={status} hosts={hostsOf(c)} app={app} entries={history.result.entries} total={history.result.total} />);
});

// The Deploy tab lives in its own file; mounted here so the scope guard above covers it.
appRoutes.route("/", deployRoutes);
