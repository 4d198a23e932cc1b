import type { Context, MiddlewareHandler } from "hono";
import type { Child } from "hono/jsx";
import type { z } from "zod";
import { appName, hostId } from "../../protocol/names.js";
import type { CommandOutput, OpArgs, OpName, OpResult } from "../../protocol/ops.js";
import { hostStatus, runOp } from "../hub/client.js";
import type { Outcome } from "../hub/outcome.js";
import { streamOp, wantsStream } from "../hub/stream.js";
import { AppShell, BadInput, appBase, type AppTab } from "../pages/app/shell.js";
import { ErrorPage } from "../pages/errors.js";
import { liveRenderer } from "../pages/live.js";
import { OutcomeMessage, outcomeStatus } from "../pages/outcome.js";
import type { AppEnv } from "../types.js";
import { problems } from "./app-forms.js";

/**
 * What every per-app route shares: the host/app scope and its guard, form parsing, and the three
 * ways a page talks to the host (a whole page, a fragment reloaded in place, a change that may
 * stream its output).
 */
export type C = Context<AppEnv>;
export type Failed<N extends OpName> = Exclude<Outcome<N>, { kind: "ok" }>;

export const hostsOf = (c: C) => Object.keys(c.var.config.relayTokenHashes);
export const scope = (c: C) => ({ host: c.req.param("host")!, app: c.req.param("app")! });
export const historyHref = (c: C) => `${appBase(scope(c).host, scope(c).app)}/history`;

/** 404 for a host this edge does not know, 400 for a name that cannot be an app. */
export const scoped: MiddlewareHandler<AppEnv> = async (c, next) => {
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

/** A form body as strings (anything else, such as a file, is left out and fails the schema). */
export async function formFields(c: C): Promise<Record<string, string>> {
  try {
    const body = await c.req.parseBody();
    return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === "string"));
  } catch {
    return {};
  }
}

export const badInput = (c: C, error: z.ZodError) => c.html(<BadInput message={problems(error)} />, 400);

/** A whole page that could not be read: the app's tabs stay, the failure is said plainly. */
export async function failedPage<N extends OpName>(c: C, tab: AppTab, outcome: Failed<N>) {
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
export async function fragment<N extends OpName>(c: C, op: N, args: OpArgs<N>, render: (r: OpResult<N>) => Child) {
  const outcome = await runOp(c.env, scope(c).host, op, args, c.var.session.sub);
  if (outcome.kind !== "ok") return c.html(<OutcomeMessage outcome={outcome} historyHref={historyHref(c)} />, outcomeStatus(outcome));
  return c.html(<>{render(outcome.result)}</>);
}

/** The ops a page runs as a change: each answers with the command's output. */
export type ChangeOp =
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
  | "tls.autoRenew"
  | "checks.set"
  | "git.sync"
  | "git.setDeployBranch"
  | "builder.set"
  | "buildpacks.add"
  | "buildpacks.remove"
  | "buildpacks.clear"
  | "apps.unlock";

/**
 * Run a change. When htmx asks for a stream, the host's output streams into the page line by line
 * and the button stays disabled until it ends; otherwise the answer comes whole. Either way a
 * failure is Dokku's own message, and "host offline" / "outcome unknown" are told apart.
 */
export async function change<N extends ChangeOp>(c: C, op: N, args: OpArgs<N>, done: (r: CommandOutput) => Child): Promise<Response> {
  const { host } = scope(c);
  if (wantsStream(c.req.header("accept"))) {
    return streamOp(
      c.env,
      c.executionCtx,
      host,
      op,
      args,
      c.var.session.sub,
      liveRenderer<N>({ historyHref: historyHref(c), success: (o) => done(o.result as CommandOutput) }),
    );
  }
  const outcome = await runOp(c.env, host, op, args, c.var.session.sub);
  if (outcome.kind !== "ok") return c.html(<OutcomeMessage outcome={outcome} historyHref={historyHref(c)} />, outcomeStatus(outcome));
  return c.html(<>{done(outcome.result as CommandOutput)}</>);
}

