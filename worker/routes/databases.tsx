import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { appName, dbPlugin, serviceName, type DbPlugin } from "../../protocol/names.js";
import type { OpArgs } from "../../protocol/ops.js";
import { maskDsn } from "../../protocol/redact.js";
import { hostStatus, runOp } from "../hub/client.js";
import { streamOp, wantsStream } from "../hub/stream.js";
import { DatabasePage, DatabasesPage, DbResult } from "../pages/databases.js";
import { ErrorPage } from "../pages/errors.js";
import { liveRenderer } from "../pages/live.js";
import { OutcomeMessage, outcomeStatus } from "../pages/outcome.js";
import type { AppEnv } from "../types.js";
import { formFields, hostsOf, inputProblem, knownHost } from "./scope.js";

/** Datastore services (dokku-postgres and friends): overview, create, info, link/unlink, destroy. */
export const databaseRoutes = new Hono<AppEnv>();
databaseRoutes.use("/hosts/:host/databases", knownHost);
databaseRoutes.use("/hosts/:host/databases/*", knownHost);

type Ctx = Context<AppEnv>;

const serviceParams = z.object({ plugin: dbPlugin, service: serviceName });
const createBody = z.object({ plugin: dbPlugin, service: serviceName });
const linkBody = z.object({ app: appName, noRestart: z.enum(["1", "on", "true"]).optional() });
const destroyBody = z.object({ confirm: z.string().max(63, "confirm is at most 63 characters") });

/** Refused input: a fragment for htmx (swapped into the form's result), a page otherwise. Nothing ran. */
function badInput(c: Ctx, message: string) {
  const body = (
    <div class="outcome outcome-error" role="alert">
      <strong>Not sent: the input was not valid.</strong>
      <pre class="message">{message}</pre>
    </div>
  );
  if (c.req.header("hx-request")) return c.html(body, 400);
  return c.html(<ErrorPage title="Not valid" current="databases">{body}</ErrorPage>, 400);
}

function params(c: Ctx): { ok: true; plugin: DbPlugin; service: string } | { ok: false; message: string } {
  const p = serviceParams.safeParse({ plugin: c.req.param("plugin"), service: c.req.param("service") });
  return p.success ? { ok: true, ...p.data } : { ok: false, message: inputProblem(p.error) };
}

type ChangeOp = "databases.create" | "databases.link" | "databases.unlink" | "databases.destroy";

/**
 * Run a database change: streamed live into the page when htmx asks for a stream, otherwise run
 * to the end and answered with a fragment (htmx) or a page (a plain form post).
 */
async function change<N extends ChangeOp>(c: Ctx, op: N, args: OpArgs<N>, message: string, next: { href: string; label: string }) {
  const host = c.req.param("host")!;
  const historyHref = `/hosts/${host}/history`;
  if (wantsStream(c.req.header("accept"))) {
    const live = liveRenderer<N>({ historyHref, success: (o) => <DbResult message={message} result={o.result as { output: string; warning?: string }} next={next} /> });
    return streamOp(c.env, c.executionCtx, host, op, args, c.var.session.sub, (opId) => {
      const r = live(opId);
      return { ...r, chunk: (stream, text) => r.chunk(stream, maskDsn(text)) };
    });
  }
  const outcome = await runOp(c.env, host, op, args, c.var.session.sub);
  const fragment =
    outcome.kind === "ok" ? <DbResult message={message} result={outcome.result as { output: string; warning?: string }} next={next} /> : <OutcomeMessage outcome={outcome} historyHref={historyHref} />;
  const code = outcome.kind === "ok" ? 200 : outcomeStatus(outcome);
  if (c.req.header("hx-request")) return c.html(fragment, code);
  const status = await hostStatus(c.env, host);
  return c.html(
    <ErrorPage title={message} host={status} hosts={hostsOf(c)} current="databases">
      {fragment}
    </ErrorPage>,
    code,
  );
}

databaseRoutes.get("/hosts/:host/databases", async (c) => {
  const host = c.req.param("host");
  const [status, outcome] = await Promise.all([hostStatus(c.env, host), runOp(c.env, host, "databases.overview", {}, c.var.session.sub)]);
  if (outcome.kind !== "ok") {
    return c.html(
      <ErrorPage title={`Databases on ${host}`} host={status} hosts={hostsOf(c)} current="databases">
        <OutcomeMessage outcome={outcome} historyHref={`/hosts/${host}/history`} />
      </ErrorPage>,
      outcomeStatus(outcome),
    );
  }
  return c.html(<DatabasesPage host={status} hosts={hostsOf(c)} plugins={outcome.result.plugins} />);
});

databaseRoutes.post("/hosts/:host/databases", async (c) => {
  const body = createBody.safeParse(await formFields(c));
  if (!body.success) return badInput(c, inputProblem(body.error));
  const { plugin, service } = body.data;
  const host = c.req.param("host");
  return change(c, "databases.create", { plugin, service }, `Created ${plugin} database ${service}`, {
    href: `/hosts/${host}/databases/${plugin}/${service}`,
    label: `Open ${service}`,
  });
});

databaseRoutes.get("/hosts/:host/databases/:plugin/:service", async (c) => {
  const host = c.req.param("host");
  const p = params(c);
  if (!p.ok) return badInput(c, p.message);
  const sub = c.var.session.sub;
  const [status, info, apps] = await Promise.all([
    hostStatus(c.env, host),
    runOp(c.env, host, "databases.info", { plugin: p.plugin, service: p.service }, sub),
    runOp(c.env, host, "apps.list", {}, sub),
  ]);
  if (info.kind !== "ok") {
    return c.html(
      <ErrorPage title={`${p.service} (${p.plugin})`} host={status} hosts={hostsOf(c)} current="databases">
        <OutcomeMessage outcome={info} historyHref={`/hosts/${host}/history`} />
        <p>
          <a href={`/hosts/${host}/databases`}>All databases</a>
        </p>
      </ErrorPage>,
      outcomeStatus(info),
    );
  }
  return c.html(
    <DatabasePage
      host={status}
      hosts={hostsOf(c)}
      plugin={p.plugin}
      service={p.service}
      info={info.result}
      apps={apps.kind === "ok" ? apps.result.apps.map((a) => a.name) : null}
    />,
  );
});

for (const action of ["link", "unlink"] as const) {
  databaseRoutes.post(`/hosts/:host/databases/:plugin/:service/${action}`, async (c) => {
    const p = params(c);
    if (!p.ok) return badInput(c, p.message);
    const body = linkBody.safeParse(await formFields(c));
    if (!body.success) return badInput(c, inputProblem(body.error));
    const { app, noRestart } = body.data;
    const host = c.req.param("host");
    const args = { plugin: p.plugin, service: p.service, app, noRestart: noRestart !== undefined };
    const next = { href: `/hosts/${host}/databases/${p.plugin}/${p.service}`, label: "Reload to see the links" };
    return action === "link"
      ? change(c, "databases.link", args, `Linked ${p.service} to ${app}`, next)
      : change(c, "databases.unlink", args, `Unlinked ${p.service} from ${app}`, next);
  });
}

databaseRoutes.post("/hosts/:host/databases/:plugin/:service/destroy", async (c) => {
  const p = params(c);
  if (!p.ok) return badInput(c, p.message);
  const body = destroyBody.safeParse(await formFields(c));
  if (!body.success) return badInput(c, inputProblem(body.error));
  if (body.data.confirm !== p.service) return badInput(c, `Type the database's name, ${p.service}, exactly to confirm; nothing was destroyed.`);
  const host = c.req.param("host");
  return change(c, "databases.destroy", { plugin: p.plugin, service: p.service, confirm: body.data.confirm }, `Destroyed ${p.plugin} database ${p.service}`, {
    href: `/hosts/${host}/databases`,
    label: "Back to the databases",
  });
});
