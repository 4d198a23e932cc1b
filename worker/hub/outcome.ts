import type { ErrorCode } from "../../protocol/frames.js";
import type { OpName, OpResult } from "../../protocol/ops.js";

/**
 * How an op ended, seen from the edge. Exactly one per op: a result, Dokku's (or the relay's)
 * error, a timeout, "host offline" (it never reached a relay), or "outcome unknown" (a change was
 * sent and its reply was lost: it is never retried; history tells what happened).
 */
export type Outcome<N extends OpName> =
  /**
   * `ageMs`: served from the edge's cache past its freshness, this old (ms); a fresh read is on its way.
   * `asOf`: the host is offline; this is the last result it gave, read then (ms since epoch).
   */
  | { kind: "ok"; result: OpResult<N>; ageMs?: number; asOf?: number }
  /** `opId`: with "busy", the change that holds the app (its page is where to follow it). */
  | { kind: "error"; code: ErrorCode; message: string; opId?: string }
  | { kind: "timeout"; message: string }
  | { kind: "offline"; message: string }
  | { kind: "unknown"; message: string };

/** A host the edge knows, as the switcher and headings name it: its id (in URLs) and the operator's name for it. */
export interface HostRef {
  id: string;
  name: string;
}

/** A host's link state as its HostHub knows it (the hub knows no display name). */
export interface HubStatus {
  host: string;
  connected: boolean;
  connectedAt: number | null;
  lastHeartbeat: number | null;
  lastSeen: number | null;
  relayVersion: string | null;
  dokkuVersion: string | null;
  simulated: boolean;
  readOnly: boolean;
}

/** A host's link state as pages show it: the hub's, with `host` its id and `name` the name the operator gave it. */
export interface HostStatus extends HubStatus {
  name: string;
}

/**
 * The relay is connected and said hello, but `dokku version` failed on its host when it started
 * (its hello's dokkuVersion is null, relay/cli/serve.ts): the link is up, yet no op can work there.
 */
export function dokkuSilent(s: HostStatus): boolean {
  return s.connected && s.relayVersion !== null && s.dokkuVersion === null;
}
