import type { JobInfo } from "../../protocol/frames.js";
import type { ChangeOp, OpArgs, OpName } from "../../protocol/ops.js";
import type { Env } from "../env.js";
import { decide, type Decision, type Principal } from "../../protocol/policy.js";
import type { StartOutcome } from "./pending-ops.js";
import type { Download } from "./download.js";
import type { HostStatus, HubStatus, Outcome } from "./outcome.js";
import { streamChange, streamTail, streamWatch, type StreamRenderer, type TailRenderer } from "./stream.js";

/** The Durable Object stub of one host's hub (one HostHub per host id). */
export function hubFor(env: Env, host: string) {
  return env.HOST_HUB.get(env.HOST_HUB.idFromName(host));
}

/** What `hubFor` returns: the hub's RPC methods (run, status, cancel, fetch). */
export type HubStub = ReturnType<typeof hubFor>;

/**
 * A host's link state, as `host` (its id) named `name` (the operator's name for it; the id when not
 * given). A hub that cannot be reached reads as "not connected", never as an error; a hub that has
 * never seen a relay does not know its id, so the id always comes from here.
 */
export async function hostStatus(env: Env, host: string, name = host): Promise<HostStatus> {
  try {
    return { ...((await hubFor(env, host).status()) as HubStatus), host, name };
  } catch {
    return { host, name, connected: false, connectedAt: null, lastHeartbeat: null, lastSeen: null, relayVersion: null, dokkuVersion: null, simulated: false, readOnly: false };
  }
}

/**
 * One host as a route sees it, on behalf of one signed-in user (every op is signed and recorded
 * with that user as its subject). The host guard puts one on the request context as `c.var.host`.
 */
export interface HostClient {
  /** The host's id, as in `/hosts/:host`. */
  readonly id: string;
  /** Run one op and wait for its one outcome; a hub that cannot be reached is "offline". */
  run<N extends OpName>(op: N, args: OpArgs<N>): Promise<Outcome<N>>;
  /** The host's link state (see `hostStatus`). */
  status(): Promise<HostStatus>;
  /** The history export as a download (see `pagedDownload`); a hub that cannot be reached is "offline". */
  exportHistory(args: OpArgs<"history.export">): Promise<Download>;
  /**
   * Follow a live read (a log tail) as bounded `text/event-stream` segments the page renews (see
   * `streamTail`); `resume` is the tail's id a renewing page sends back; `signal` the request's.
   */
  tail(args: OpArgs<"logs.tail">, resume: string | null, signal: AbortSignal, render: TailRenderer): Response;
  /** Start a change and follow it as `text/event-stream` (see `streamChange`); it runs to its end whoever watches. */
  streamChange<N extends ChangeOp>(op: N, args: OpArgs<N>, renderer: (opId: string) => StreamRenderer<N>): Response;
  /** Follow a running change from its first kept line (see `streamWatch`); `gone` tells how one that already ended ended. */
  watch(opId: string, render: StreamRenderer<ChangeOp>): Response;
  /** Start a change without following it: "started" once the host accepted it, or why it never started. */
  start(op: ChangeOp, args: OpArgs<ChangeOp>): Promise<StartOutcome>;
  /** Stop a change (an explicit Cancel); false when the policy refused it to this user. */
  cancel(opId: string): Promise<boolean>;
  /** What the one policy says of `op` with `args` for this user on this host (pages choose what to show by it). */
  may(op: OpName, args: unknown): Decision;
  /** Who this client acts for on this host. */
  readonly principal: Principal;
  /** The changes running on the host now ([] when it cannot tell). */
  running(): Promise<JobInfo[]>;
}

/** How a change that already ended ended, from history (for a viewer who came too late to watch it). */
export function endedFromHistory<N extends OpName>(client: Pick<HostClient, "run">, opId: string): Promise<Outcome<N>> {
  return client.run("history.get", { opId }).then((h): Outcome<N> => {
    if (h.kind !== "ok") return h;
    const last = h.result.entries.at(-1);
    if (!last) return { kind: "error", code: "not_found", message: "no record of this change on the host (history may have been pruned)" };
    if (last.outcome === "ok") return { kind: "ok", result: { output: h.result.entries.map((e) => e.stdout).join("") } } as Outcome<N>;
    return { kind: "error", code: last.outcome === "cancelled" ? "cancelled" : last.outcome === "timeout" ? "timeout" : "dokku_error", message: `${last.outcome}${last.exitCode !== null ? ` (exit ${last.exitCode})` : ""}: ${last.stderr.trim().split("\n").slice(-5).join("\n") || "see its output above"}` };
  });
}

/**
 * The client of `host` (shown as `name`) for `principal` (worker/team/principal.ts: the signed-in
 * user on this host; the HostHub decides each op for them). `waitUntil` keeps a streamed op running after the response
 * has started (the Worker's `ExecutionContext.waitUntil`); it is only called by `stream`.
 */
export function hostClient(env: Env, host: string, principal: Principal, waitUntil: (work: Promise<unknown>) => void, name = host): HostClient {
  return {
    id: host,
    async run<N extends OpName>(op: N, args: OpArgs<N>): Promise<Outcome<N>> {
      try {
        return (await hubFor(env, host).run(op, args as Record<string, unknown>, principal)) as Outcome<N>;
      } catch (e) {
        console.error(JSON.stringify({ msg: "hub call failed", host, op, err: String(e) }));
        return { kind: "offline", message: "the edge could not reach this host's hub; try again" };
      }
    },
    async exportHistory(args) {
      try {
        return (await hubFor(env, host).exportHistory(args, principal)) as Download;
      } catch (e) {
        console.error(JSON.stringify({ msg: "hub call failed", host, op: "history.export", err: String(e) }));
        return { kind: "offline", message: "the edge could not reach this host's hub; try again" };
      }
    },
    status: () => hostStatus(env, host, name),
    tail: (args, resume, signal, render) => streamTail(hubFor(env, host), waitUntil, signal, { op: "logs.tail", args, principal, resume }, render),
    streamChange(op, args, renderer) {
      return streamChange(hubFor(env, host), waitUntil, host, op, args, principal, renderer, (opId) => endedFromHistory(this, opId));
    },
    watch(opId, render) {
      return streamWatch(hubFor(env, host), waitUntil, opId, principal, render, () => endedFromHistory(this, opId));
    },
    async start(op, args) {
      try {
        return (await hubFor(env, host).start(op, args as Record<string, unknown>, principal)) as StartOutcome;
      } catch (e) {
        console.error(JSON.stringify({ msg: "hub call failed", host, op, err: String(e) }));
        return { kind: "offline", message: "the edge could not reach this host's hub; try again" };
      }
    },
    async cancel(opId) {
      try {
        return await hubFor(env, host).cancelChange(opId, principal);
      } catch {
        // the hub is unreachable: nothing was sent
        return true;
      }
    },
    may: (op, args) => decide(principal, op, args),
    principal,
    async running() {
      const r = await this.run("changes.running", {});
      return r.kind === "ok" ? r.result.changes : [];
    },
  };
}
