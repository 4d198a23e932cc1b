import type { Context } from "hono";
import type { Child } from "hono/jsx";
import { appOf, changeTitle, type ChangeOp, type CommandOutput, type OpArgs, type OpName, type OpResult } from "../../protocol/ops.js";
import type { HostClient } from "../hub/client.js";
import type { HostStatus, Outcome } from "../hub/outcome.js";
import { wantsStream } from "../streams/sse.js";
import { ErrorPage } from "../pages/errors.js";
import type { HostSection } from "../pages/layout.js";
import { liveRenderer } from "../pages/live.js";
import { OutcomeMessage, outcomeStatus } from "../pages/outcome.js";
import type { HostEnv } from "../types.js";
import { historyHref } from "./scope.js";
import { eventsAfter, staleHeader } from "../pages/stale.js";

/**
 * How a host's routes answer after talking to the host: a fragment reloaded in place, a change
 * that may stream its output, a read a page cannot do without.
 */

/**
 * Mark the answer as never to be stored (browser cache, back/forward cache, proxies): for every
 * answer that carries a command's output or reveals a secret on request. Set before `c.html`.
 */
export function noStore<E extends HostEnv>(c: Context<E>): void {
  c.header("cache-control", "no-store");
}

/** An op that did not succeed. */
export type Failed<N extends OpName> = Exclude<Outcome<N>, { kind: "ok" }>;

/** A failed op where the user acted: Dokku's message as text, with the status it stands for (never stored). */
export function failure<N extends OpName, E extends HostEnv>(c: Context<E>, outcome: Failed<N>) {
  noStore(c);
  return c.html(<OutcomeMessage outcome={outcome} historyHref={historyHref(c)} host={c.var.host.id} />, outcomeStatus(outcome));
}

/** A read for a fragment (a section reloaded in place): the fragment, or the failure in its place. */
export async function fragment<N extends OpName, E extends HostEnv>(c: Context<E>, op: N, args: OpArgs<N>, render: (r: OpResult<N>) => Child) {
  const outcome = await c.var.host.run(op, args);
  if (outcome.kind !== "ok") return failure(c, outcome);
  return c.html(<>{render(outcome.result)}</>);
}

/** A read a page cannot do without: `render` with its result, or its failure said plainly in its place. */
export function unlessFailed<N extends OpName, E extends HostEnv>(c: Context<E>, outcome: Outcome<N>, render: (result: OpResult<N>) => Child): Child {
  return outcome.kind === "ok" ? render(outcome.result) : <OutcomeMessage outcome={outcome} historyHref={historyHref(c)} host={c.var.host.id} />;
}

/** The ops a page runs as a change (derived from the op declarations): each answers with the command's output. */
/** A host's page whose main read failed (a history row that is gone): the host's nav stays, the failure is said plainly. */
export function failedSection<N extends OpName, E extends HostEnv>(
  c: Context<E>,
  page: { title: string; current: HostSection; status: HostStatus },
  outcome: Failed<N>,
  more?: Child,
) {
  return c.html(
    <ErrorPage title={page.title} host={page.status} hosts={c.var.hosts} current={page.current}>
      <OutcomeMessage outcome={outcome} historyHref={historyHref(c)} host={c.var.host.id} />
      {more}
    </ErrorPage>,
    outcomeStatus(outcome),
  );
}

export type { ChangeOp };

export interface ChangeOptions {
  /** Applied to each streamed chunk of output before it is rendered (e.g. to mask secrets). */
  mask?: (text: string) => string;
  /** For a plain form post (no htmx): the whole page's title when the change succeeded (else the change's own title, "not done") and its section. */
  page?: { title: string; current: HostSection };
}

/**
 * Run a change. It is a job on the host: it runs to its end whoever watches. When htmx asks for a
 * stream, the host's output streams into the page line by line (with a link to the change's own
 * page, where anyone can follow it) and the button stays disabled until it ends; leaving the page
 * does not stop it. Otherwise the answer comes whole: `done`'s fragment, or the failure in its
 * place; a plain form post (not htmx) gets it in a whole page. Either way a failure is
 * Dokku's own message, and "busy", "host offline" and "outcome unknown" are told apart.
 * The answer carries the command's output, so it is never stored (`no-store`, the stream too).
 */
export async function change<N extends ChangeOp, E extends HostEnv>(
  c: Context<E>,
  op: N,
  args: OpArgs<N>,
  done: (r: CommandOutput) => Child,
  opts: ChangeOptions = {},
): Promise<Response> {
  const host: HostClient = c.var.host;
  if (wantsStream(c.req.header("accept"))) {
    const live = liveRenderer<N>({ host: host.id, historyHref: historyHref(c), success: (o) => done(o.result as CommandOutput) });
    const { mask } = opts;
    const streamed = host.streamChange(c, op, args, (opId) => {
      const r = { ...live(opId), events: (o: { kind: string }) => eventsAfter(op, o.kind) };
      return mask ? { ...r, chunk: (stream, text) => r.chunk(stream, mask(text)) } : r;
    });
    // a Response of our own: the hub's may have immutable headers
    const res = new Response(streamed.body, streamed);
    res.headers.set("cache-control", "no-store, no-transform");
    return res;
  }
  noStore(c);
  const outcome = await host.run(op, args);
  const answer =
    outcome.kind === "ok" ? done(outcome.result as CommandOutput) : <OutcomeMessage outcome={outcome} historyHref={historyHref(c)} host={c.var.host.id} />;
  const code = outcome.kind === "ok" ? 200 : outcomeStatus(outcome);
  if (eventsAfter(op, outcome.kind).length > 0) c.header("hx-trigger", staleHeader(op, outcome.kind));
  if (c.req.header("hx-request")) return c.html(<>{answer}</>, code);
  // A plain form post (no JavaScript) gets a whole page, titled by what happened.
  const what = changeTitle(op, appOf(args), args);
  const title = outcome.kind === "ok" ? (opts.page?.title ?? what) : `${what}: not done`;
  return c.html(
    <ErrorPage title={title} host={await host.status()} hosts={c.var.hosts} current={opts.page?.current}>
      {answer}
    </ErrorPage>,
    code,
  );
}
