import type { OpArgs, OpName } from "../../protocol/ops.js";
import type { Env } from "../env.js";
import type { Download } from "./download.js";
import type { HostStatus, Outcome } from "./outcome.js";
import { streamOp, type StreamRenderer } from "./stream.js";

/** The Durable Object stub of one host's hub (one HostHub per host id). */
export function hubFor(env: Env, host: string) {
  return env.HOST_HUB.get(env.HOST_HUB.idFromName(host));
}

/** What `hubFor` returns: the hub's RPC methods (run, status, cancel, fetch). */
export type HubStub = ReturnType<typeof hubFor>;

/** A host's link state; a hub that cannot be reached reads as "not connected", never as an error. */
export async function hostStatus(env: Env, host: string): Promise<HostStatus> {
  try {
    return (await hubFor(env, host).status()) as HostStatus;
  } catch {
    return { host, connected: false, connectedAt: null, lastHeartbeat: null, lastSeen: null, relayVersion: null, dokkuVersion: null, simulated: false, readOnly: false };
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
  /** Run one op as `text/event-stream` (see `streamOp`): output as it comes, then the outcome. */
  stream<N extends OpName>(op: N, args: OpArgs<N>, renderer: (opId: string) => StreamRenderer<N>): Response;
}

/**
 * The client of `host` for `subject`. `waitUntil` keeps a streamed op running after the response
 * has started (the Worker's `ExecutionContext.waitUntil`); it is only called by `stream`.
 */
export function hostClient(env: Env, host: string, subject: string, waitUntil: (work: Promise<unknown>) => void): HostClient {
  return {
    id: host,
    async run<N extends OpName>(op: N, args: OpArgs<N>): Promise<Outcome<N>> {
      try {
        return (await hubFor(env, host).run(op, args as Record<string, unknown>, subject)) as Outcome<N>;
      } catch (e) {
        console.error(JSON.stringify({ msg: "hub call failed", host, op, err: String(e) }));
        return { kind: "offline", message: "the edge could not reach this host's hub; try again" };
      }
    },
    async exportHistory(args) {
      try {
        return (await hubFor(env, host).exportHistory(args, subject)) as Download;
      } catch (e) {
        console.error(JSON.stringify({ msg: "hub call failed", host, op: "history.export", err: String(e) }));
        return { kind: "offline", message: "the edge could not reach this host's hub; try again" };
      }
    },
    status: () => hostStatus(env, host),
    stream: (op, args, renderer) => streamOp(hubFor(env, host), waitUntil, host, op, args, subject, renderer),
  };
}
