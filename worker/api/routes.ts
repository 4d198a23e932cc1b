import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { OpName } from "../../protocol/ops.js";
import { decide, seesApp } from "../../protocol/policy.js";
import { endedFromHistory } from "../hub/client.js";
import type { Outcome } from "../hub/outcome.js";
import type { StartOutcome } from "../hub/pending-ops.js";
import { hubFor } from "../hub/stub.js";
import { problems } from "../routes/input.js";
import { opUrl } from "../urls.js";
import { apiRefusal, tokenAuth, tokenHost, type ApiEnv } from "./auth.js";
import { apiOutcome, followNdjson } from "./follow.js";
import { deployApp, followChange, getChange, listApps, readHistory, restartApp } from "./schemas.js";

/** Where the API lives, and its document. */
export const API_BASE = "/api/v1";
export const OPENAPI_PATH = `${API_BASE}/openapi.json`;

type Failure = Exclude<Outcome<OpName>, { kind: "ok" }>;

/** The HTTP status an op's failure is answered with. */
function statusOf(o: Failure): 400 | 403 | 404 | 409 | 502 | 503 | 504 {
  if (o.kind === "offline") return 503;
  if (o.kind === "timeout") return 504;
  if (o.kind === "unknown") return 502;
  switch (o.code) {
    case "denied":
      return 403;
    case "bad_request":
      return 400;
    case "not_found":
      return 404;
    case "busy":
      return 409;
    default:
      return 502;
  }
}

const fail = (c: Context<ApiEnv>, o: Failure) =>
  c.json(apiRefusal(o.message, o.kind === "error" ? o.code : o.kind, o.kind === "error" ? o.opId : undefined), statusOf(o));

/** A started change's answer: 202 with where to follow it. */
function started(c: Context<ApiEnv>, op: OpName, s: StartOutcome) {
  if (s.kind !== "started") return fail(c, s);
  const self = `${API_BASE}/hosts/${encodeURIComponent(c.var.host.id)}/changes/${s.opId}`;
  return c.json({ opId: s.opId, op, links: { self, events: `${self}/events`, page: opUrl(c.var.host.id, s.opId) } }, 202);
}

/**
 * The JSON API for CI and scripts, `/api/v1/…`: a bearer API token (worker/team/api-tokens.ts)
 * acts as its user's principal, narrowed to its host or app, through the same HostClient, ops and
 * HostHub policy as the pages; nothing here decides who may do what. Bad input is a 400 naming
 * what was wrong; the OpenAPI document is generated from these routes' zod schemas.
 */
export const apiRoutes = new OpenAPIHono<ApiEnv>({
  defaultHook: (result, c) => {
    if (!result.success) return c.json(apiRefusal(problems(result.error), "bad_request"), 400);
  },
});

apiRoutes.openAPIRegistry.registerComponent("securitySchemes", "Bearer", {
  type: "http",
  scheme: "bearer",
  description: "An API token (dlt_…) from the Account page",
});
apiRoutes.doc31("/openapi.json", (c) => ({
  openapi: "3.1.0",
  info: { title: "Docklight API", version: "1.0.0", description: "Apps, deploys, restarts, changes and history of the Dokku hosts behind this edge." },
  servers: [{ url: `${new URL(c.req.url).origin}${API_BASE}` }],
}));

apiRoutes.use("/hosts/*", tokenAuth);
apiRoutes.use("/hosts/:host/*", tokenHost);

apiRoutes.openapi(listApps, async (c) => {
  const { host, principal } = c.var;
  // A token on the whole host lists every app it may see; one scoped to apps reads just those (apps.list is host-wide).
  if (decide(principal, "apps.list", {}).allowed) {
    const r = await host.run("apps.list", {});
    if (r.kind !== "ok") return fail(c, r);
    return c.json({ host: host.id, apps: r.result.apps.filter((a) => seesApp(principal, a.name)), asOf: r.asOf ?? null }, 200);
  }
  const apps = [];
  let asOf: number | null = null;
  for (const app of principal.grants.apps) {
    const r = await host.run("apps.detail", { app });
    if (r.kind !== "ok") return fail(c, r);
    const { name, state, processes, unknownReason } = r.result;
    apps.push({ name, state, processes, unknownReason });
    asOf = r.asOf ?? asOf;
  }
  return c.json({ host: host.id, apps, asOf }, 200);
});

apiRoutes.openapi(deployApp, async (c) => {
  const { app } = c.req.valid("param");
  const body = c.req.header("content-type")?.includes("json") ? c.req.valid("json") : {};
  if (body.remote) return started(c, "git.sync", await c.var.host.start("git.sync", { app, remote: body.remote, ...(body.ref ? { ref: body.ref } : {}) }));
  return started(c, "apps.rebuild", await c.var.host.start("apps.rebuild", { app }));
});

apiRoutes.openapi(restartApp, async (c) => {
  const { app } = c.req.valid("param");
  return started(c, "apps.restart", await c.var.host.start("apps.restart", { app }));
});

/** May the token's principal look at change `job`: it sees its app, or may read the host's history. */
function seesChange(c: Context<ApiEnv>, job: { app: string | null; opId: string }): boolean {
  const p = c.var.principal;
  return (job.app !== null && seesApp(p, job.app)) || decide(p, "history.get", { opId: job.opId }).allowed;
}

apiRoutes.openapi(getChange, async (c) => {
  const { opId } = c.req.valid("param");
  const job = await c.var.host.startedChange(opId);
  if (!job) return c.json(apiRefusal("this edge saw no such change start (it remembers the newest 500)", "not_found"), 404);
  if (!seesChange(c, job)) return c.json(apiRefusal("Not allowed: this token may not see this change.", "denied"), 403);
  return c.json(
    {
      opId: job.opId,
      op: job.op,
      app: job.app,
      title: job.title ?? null,
      requestedBy: job.requestedBy,
      startedAt: job.startedAt,
      state: job.ended ? ("ended" as const) : ("running" as const),
      outcome: job.ended ? apiOutcome(job.ended) : null,
    },
    200,
  );
});

apiRoutes.openapi(followChange, async (c) => {
  const { opId } = c.req.valid("param");
  const { host, principal } = c.var;
  const job = await host.startedChange(opId);
  if (!job) return c.json(apiRefusal("this edge saw no such change start (it remembers the newest 500)", "not_found"), 404);
  if (!seesChange(c, job)) return c.json(apiRefusal("Not allowed: this token may not see this change.", "denied"), 403);
  const ended = job.ended;
  const gone = async (): Promise<Outcome<OpName>> =>
    ended ? (ended.ok ? { kind: "ok", result: { output: "" } } : { kind: "unknown", message: ended.message }) : endedFromHistory(host, opId);
  return followNdjson(hubFor(c.env, host.id), opId, principal, gone, (p) => c.executionCtx.waitUntil(p)) as never;
});

apiRoutes.openapi(readHistory, async (c) => {
  const q = c.req.valid("query");
  // A token on one app reads that app's history: the policy allows it narrowed to the app, not host-wide.
  const own = c.var.principal.grants.apps;
  const app = q.app ?? (!decide(c.var.principal, "history.list", {}).allowed && own.length === 1 ? own[0] : undefined);
  const filter = { ...(app ? { app } : {}), ...(q.op ? { op: q.op } : {}), ...(q.outcome ? { outcome: q.outcome } : {}) };
  const r = await c.var.host.run("history.list", { limit: q.limit, offset: q.offset, filter });
  if (r.kind !== "ok") return fail(c, r);
  const entries = r.result.entries.map((e) => ({
    id: e.id,
    opId: e.opId,
    op: e.op,
    app: e.app,
    title: e.title,
    outcome: e.outcome,
    exitCode: e.exitCode,
    requestedBy: e.requestedBy,
    startedAt: e.startedAt,
    finishedAt: e.finishedAt,
    durationMs: e.durationMs,
  }));
  return c.json({ entries, total: r.result.total }, 200);
});
