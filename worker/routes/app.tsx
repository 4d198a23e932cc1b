import { Hono, type Context, type MiddlewareHandler } from "hono";
import type { Child } from "hono/jsx";
import type { z } from "zod";
import { appName, hostId } from "../../protocol/names.js";
import type { CommandOutput, OpArgs, OpName, OpResult } from "../../protocol/ops.js";
import { hostStatus, runOp } from "../hub/client.js";
import type { Outcome } from "../hub/outcome.js";
import { streamOp, wantsStream } from "../hub/stream.js";
import { ConfigEditor, ConfigList, ConfigPage, RevealedValue } from "../pages/app/config.js";
import { DomainList, DomainsPage, PortList } from "../pages/app/domains.js";
import { AppHistoryPage } from "../pages/app/history.js";
import { FailedLogs, LogTail, LogsPage, logRenderer } from "../pages/app/logs.js";
import { AppSummary, OverviewPage } from "../pages/app/overview.js";
import { AppShell, BadInput, Done, appBase, type AppTab } from "../pages/app/shell.js";
import { TlsPage, TlsStatus } from "../pages/app/tls.js";
import { ErrorPage } from "../pages/errors.js";
import { liveRenderer } from "../pages/live.js";
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
  problems,
  revealQuery,
  scaleForm,
  setVarForm,
  unsetVarForm,
} from "./app-forms.js";

/**
 * The pages of one app on one host, `/hosts/:host/apps/:app/…`: overview (actions, scale,
 * destroy), config, domains, TLS, live logs and the app's history. Every page is a plain URL;
 * every change is an htmx request whose answer (or error) lands where the user acted, and the
 * long ones stream the host's output as it comes.
 */
export const appRoutes = new Hono<AppEnv>();

type C = Context<AppEnv>;
type Failed<N extends OpName> = Exclude<Outcome<N>, { kind: "ok" }>;

const hostsOf = (c: C) => Object.keys(c.var.config.relayTokenHashes);
const scope = (c: C) => ({ host: c.req.param("host")!, app: c.req.param("app")! });
const historyHref = (c: C) => `${appBase(scope(c).host, scope(c).app)}/history`;

/** 404 for a host this edge does not know, 400 for a name that cannot be an app. */
const scoped: MiddlewareHandler<AppEnv> = async (c, next) => {
  const host = hostId.safeParse(c.req.param("host"));
  if (!host.success || !Object.hasOwn(c.var.config.relayTokenHashes, host.data)) {
    return c.html(<ErrorPage title="No such host">This edge has no host by that name.</ErrorPage>, 404);
  }
  const app = appName.safeParse(c.req.param("app"));
  if (!app.success) {
    if (c.req.header("hx-request")) return c.html(<BadInput message={`app: ${app.error.issues[0]!.message}`} />, 400);
    return c.html(<ErrorPage title="Not an app name">{app.error.issues[0]!.message}</ErrorPage>, 400);
  }
  await next();
};
appRoutes.use("/hosts/:host/apps/:app", scoped);
appRoutes.use("/hosts/:host/apps/:app/*", scoped);

/** A form body as strings (anything else, such as a file, is left out and fails the schema). */
async function formFields(c: C): Promise<Record<string, string>> {
  try {
    const body = await c.req.parseBody();
    return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === "string"));
  } catch {
    return {};
  }
}

const badInput = (c: C, error: z.ZodError) => c.html(<BadInput message={problems(error)} />, 400);

/** A whole page that could not be read: the app's tabs stay, the failure is said plainly. */
async function failedPage<N extends OpName>(c: C, tab: AppTab, outcome: Failed<N>) {
  const { host, app } = scope(c);
  const status = await hostStatus(c.env, host);
  return c.html(
    <AppShell host={status} hosts={hostsOf(c)} app={app} tab={tab}>
      <OutcomeMessage outcome={outcome} historyHref={historyHref(c)} />
    </AppShell>,
    outcomeStatus(outcome),
  );
}

/** A read for a fragment (a section reloaded in place): the fragment, or the failure in its place. */
async function fragment<N extends OpName>(c: C, op: N, args: OpArgs<N>, render: (r: OpResult<N>) => Child) {
  const outcome = await runOp(c.env, scope(c).host, op, args, c.var.session.sub);
  if (outcome.kind !== "ok") return c.html(<OutcomeMessage outcome={outcome} historyHref={historyHref(c)} />, outcomeStatus(outcome));
  return c.html(<>{render(outcome.result)}</>);
}

type ChangeOp =
  | "apps.start"
  | "apps.stop"
  | "apps.restart"
  | "apps.rebuild"
  | "apps.scale.set"
  | "apps.destroy"
  | "config.set"
  | "config.unset"
  | "domains.add"
  | "domains.remove"
  | "ports.add"
  | "ports.remove"
  | "tls.enable"
  | "tls.autoRenew";

/**
 * Run a change. When htmx asks for a stream, the host's output streams into the page line by line
 * and the button stays disabled until it ends; otherwise the answer comes whole. Either way a
 * failure is Dokku's own message, and "host offline" / "outcome unknown" are told apart.
 */
async function change<N extends ChangeOp>(c: C, op: N, args: OpArgs<N>, done: (r: CommandOutput) => Child): Promise<Response> {
  const { host } = scope(c);
  if (wantsStream(c.req.header("accept"))) {
    return streamOp(
      c.env,
      c.executionCtx,
      host,
      op,
      args,
      c.var.session.sub,
      liveRenderer<N>({ historyHref: historyHref(c), success: (o) => done({ ...(o.result as CommandOutput), output: "" }) }),
    );
  }
  const outcome = await runOp(c.env, host, op, args, c.var.session.sub);
  if (outcome.kind !== "ok") return c.html(<OutcomeMessage outcome={outcome} historyHref={historyHref(c)} />, outcomeStatus(outcome));
  return c.html(<>{done(outcome.result as CommandOutput)}</>);
}

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

const PS_OPS = { start: ["apps.start", "Started"], stop: ["apps.stop", "Stopped"], restart: ["apps.restart", "Restarted"], rebuild: ["apps.rebuild", "Rebuilt"] } as const;

appRoutes.post("/hosts/:host/apps/:app/ps/:action", (c) => {
  const { host, app } = scope(c);
  const action = c.req.param("action");
  if (!Object.hasOwn(PS_OPS, action)) return c.html(<BadInput message="action is start, stop, restart or rebuild" />, 400);
  const [op, verb] = PS_OPS[action as keyof typeof PS_OPS];
  return change(c, op, { app }, (r) => (
    <Done title={r.warning ? `Nothing to do for ${app}` : `${verb} ${app}`} result={r} refresh={[{ url: `${appBase(host, app)}/summary`, target: "#app-summary" }]} />
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
