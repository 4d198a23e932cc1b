import type { Env } from "../env.js";

/** The Durable Object stub of one host's hub (one HostHub per host id). */
export function hubFor(env: Env, host: string) {
  return env.HOST_HUB.get(env.HOST_HUB.idFromName(host));
}

/** What `hubFor` returns: the hub's RPC methods (run, status, start, watch, tails, cancel). */
export type HubStub = ReturnType<typeof hubFor>;
