import type { Env } from "../env.js";

/** The single global HostRegistry object: the hosts, their token hashes and the op-signing key. */
export function hostRegistry(env: Env) {
  return env.HOST_REGISTRY.get(env.HOST_REGISTRY.idFromName("global"));
}
