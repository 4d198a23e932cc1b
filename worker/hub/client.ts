import type { OpArgs, OpName } from "../../protocol/ops.js";
import type { Env } from "../env.js";
import type { HostStatus, Outcome } from "./outcome.js";

export function hubFor(env: Env, host: string) {
  return env.HOST_HUB.get(env.HOST_HUB.idFromName(host));
}

/** Ask a host's hub to run one op; the hub signs it, sends it and waits for its one outcome. */
export async function runOp<N extends OpName>(env: Env, host: string, op: N, args: OpArgs<N>, subject: string): Promise<Outcome<N>> {
  try {
    return (await hubFor(env, host).run(op, args as Record<string, unknown>, subject)) as Outcome<N>;
  } catch (e) {
    console.error(JSON.stringify({ msg: "hub call failed", host, op, err: String(e) }));
    return { kind: "offline", message: "the edge could not reach this host's hub; try again" };
  }
}

export async function hostStatus(env: Env, host: string): Promise<HostStatus> {
  try {
    return (await hubFor(env, host).status()) as HostStatus;
  } catch {
    return { host, connected: false, connectedAt: null, lastHeartbeat: null, lastSeen: null, relayVersion: null, dokkuVersion: null, simulated: false, readOnly: false };
  }
}
