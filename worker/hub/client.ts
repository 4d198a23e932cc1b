import type { JobInfo } from "../../protocol/frames.js";
import type { ChangeOp, OpArgs, OpName } from "../../protocol/ops.js";
import type { Env } from "../env.js";
import { decide, type Decision, type Principal } from "../../protocol/policy.js";
import type { StartOutcome } from "./pending-ops.js";
import type { StartedChange } from "./started-changes.js";
import type { Download } from "./download.js";
import type { HostStatus, HubStatus, Outcome } from "./outcome.js";
import type { Context } from "hono";
import { streamChange, streamWatch, type StreamRenderer } from "../streams/change.js";
import { streamTail, type TailRenderer } from "../streams/tail.js";
import { hubFor } from "./stub.js";
import { errText, log } from "../log.js";

export { hubFor, type HubStub } from "./stub.js";

/**
 * A host's link state, as `host` (its id) named `name` (the operator's name for it; the id when not
 * given). A hub that cannot be reached reads as "not connected", never as an error; a hub that has
 * never seen a relay does not know its id, so the id always comes from here.
 */
export async function hostStatus(env: Env, host: string, name = host): Promise<HostStatus> {
  try {
    return { ...((await hubFor(env, host).status()) as HubStatus), host, name };
  } catch {
    return {
      host,
      name,
      connected: false,
      connectedAt: null,
      lastHeartbeat: null,
      lastSeen: null,
      relayVersion: null,
      dokkuVersion: null,
      simulated: false,
      readOnly: false,
    };
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
  /** A database's dump as a download (see HostHub.exportDump); a hub that cannot be reached is "offline". */
  exportDump(args: OpArgs<"databases.export">): Promise<Download>;
  /** Import a dump read from `body` into a database (see HostHub.importDump); "started" once all of it reached the host. */
  importDump(args: OpArgs<"databases.import">, body: ReadableStream<Uint8Array>): Promise<StartOutcome>;
  /**
   * Follow a live read (a log tail) as bounded `text/event-stream` segments the page renews (see
   * `streamTail`) for the request `c`; `resume` is the tail's id a renewing page sends back.
   */
  tail(c: Context, args: OpArgs<"logs.tail">, resume: string | null, render: TailRenderer): Response;
  /** Start a change and follow it as `text/event-stream` (see `streamChange`); it runs to its end whoever watches. */
  streamChange<N extends ChangeOp>(c: Context, op: N, args: OpArgs<N>, renderer: (opId: string) => StreamRenderer<N>): Response;
  /** Follow a running change from its first kept line (see `streamWatch`); `gone` tells how one that already ended ended. */
  watch(c: Context, opId: string, render: StreamRenderer<ChangeOp>): Response;
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
  /** Change `opId` as this edge saw it start (its hub remembers the newest 500), or null. */
  startedChange(opId: string): Promise<StartedChange | null>;
}

/** How a change that already ended ended, from history (for a viewer who came too late to watch it). */
export function endedFromHistory<N extends OpName>(client: Pick<HostClient, "run">, opId: string): Promise<Outcome<N>> {
  return client.run("history.get", { opId }).then((h): Outcome<N> => {
    if (h.kind !== "ok") return h;
    const last = h.result.entries.at(-1);
    // Never "not found" for a change being watched: the relay that ran it may have been replaced.
    if (!last)
      return {
        kind: "unknown",
        message: "the relay connected now has no record of this change (the relay that ran it was replaced or reinstalled, or its history was pruned)",
      };
    if (last.outcome === "ok") return { kind: "ok", result: { output: h.result.entries.map((e) => e.stdout).join("") } } as Outcome<N>;
    return {
      kind: "error",
      code: last.outcome === "cancelled" ? "cancelled" : last.outcome === "timeout" ? "timeout" : "dokku_error",
      message: `${last.outcome}${last.exitCode !== null ? ` (exit ${last.exitCode})` : ""}: ${last.stderr.trim().split("\n").slice(-5).join("\n") || "see its output above"}`,
    };
  });
}

/**
 * The client of `host` (shown as `name`) for `principal` (worker/team/principal.ts: the signed-in
 * user on this host; the HostHub decides each op for them).
 */
export function hostClient(env: Env, host: string, principal: Principal, name = host): HostClient {
  return {
    id: host,
    async run<N extends OpName>(op: N, args: OpArgs<N>): Promise<Outcome<N>> {
      try {
        return (await hubFor(env, host).run(op, args as Record<string, unknown>, principal)) as Outcome<N>;
      } catch (e) {
        log.error("hub call failed", { host, op, err: errText(e) });
        return { kind: "offline", message: "the edge could not reach this host's hub; try again" };
      }
    },
    async exportHistory(args) {
      try {
        return (await hubFor(env, host).exportHistory(args, principal)) as Download;
      } catch (e) {
        log.error("hub call failed", { host, op: "history.export", err: errText(e) });
        return { kind: "offline", message: "the edge could not reach this host's hub; try again" };
      }
    },
    async exportDump(args) {
      try {
        return (await hubFor(env, host).exportDump(args, principal)) as Download;
      } catch (e) {
        log.error("hub call failed", { host, op: "databases.export", err: errText(e) });
        return { kind: "offline", message: "the edge could not reach this host's hub; try again" };
      }
    },
    async importDump(args, body) {
      try {
        return (await hubFor(env, host).importDump(args, body, principal)) as StartOutcome;
      } catch (e) {
        log.error("hub call failed", { host, op: "databases.import", err: errText(e) });
        return { kind: "offline", message: "the edge could not reach this host's hub; try again" };
      }
    },
    status: () => hostStatus(env, host, name),
    tail: (c, args, resume, render) => streamTail(c, hubFor(env, host), { op: "logs.tail", args, principal, resume }, render),
    streamChange(c, op, args, renderer) {
      return streamChange(c, hubFor(env, host), host, op, args, principal, renderer, (opId) => endedFromHistory(this, opId));
    },
    watch(c, opId, render) {
      return streamWatch(c, hubFor(env, host), opId, principal, render, () => endedFromHistory(this, opId));
    },
    async start(op, args) {
      try {
        return (await hubFor(env, host).start(op, args as Record<string, unknown>, principal)) as StartOutcome;
      } catch (e) {
        log.error("hub call failed", { host, op, err: errText(e) });
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
    async startedChange(opId) {
      try {
        return (await hubFor(env, host).startedChange(opId)) as StartedChange | null;
      } catch {
        return null;
      }
    },
  };
}
