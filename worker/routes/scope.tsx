import type { Context, MiddlewareHandler } from "hono";
import type { z } from "zod";
import { argsErrorMessage } from "../../protocol/ops.js";
import { hostId } from "../../protocol/names.js";
import { hostStatus, runOp } from "../hub/client.js";
import { ErrorPage } from "../pages/errors.js";
import type { HostRow } from "../pages/hosts.js";
import type { AppEnv } from "../types.js";

/** 404 unless `:host` names a host this edge knows. Use on `/hosts/:host` and `/hosts/:host/*`. */
export const knownHost: MiddlewareHandler<AppEnv> = async (c, next) => {
  const host = hostId.safeParse(c.req.param("host"));
  if (!host.success || !Object.hasOwn(c.var.config.relayTokenHashes, host.data)) {
    return c.html(<ErrorPage title="No such host">This edge has no host by that name.</ErrorPage>, 404);
  }
  await next();
};

/** Every host the edge knows (for the host switcher). */
export const hostsOf = (c: { var: AppEnv["Variables"] }): string[] => Object.keys(c.var.config.relayTokenHashes);

/** What was wrong with some input, readably (zod's own messages, bounded). */
export const inputProblem = (error: z.ZodError): string => argsErrorMessage(error);

/** A form body as plain strings (files and repeated keys dropped: no form here sends them). */
export async function formFields(c: Context<AppEnv>): Promise<Record<string, string>> {
  try {
    const body = await c.req.parseBody();
    return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === "string"));
  } catch {
    return {};
  }
}

/** A host's link state plus a measured round trip edge → relay → edge (when connected). */
export async function measureHost(env: AppEnv["Bindings"], host: string, subject: string): Promise<HostRow> {
  const status = await hostStatus(env, host);
  if (!status.connected) return { status: { ...status, host }, latencyMs: null };
  const started = Date.now();
  const ping = await runOp(env, host, "relay.ping", {}, subject);
  return { status, latencyMs: ping.kind === "ok" ? Date.now() - started : null };
}
