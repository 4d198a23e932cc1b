import { z } from "zod";
import { START_SCRIPT_AGENT } from "../worker/guard/script-agent.js";

/**
 * Enrolling hosts on a running edge the way the Hosts page does, for scripts: `npm start` and the
 * test stacks sign in with the admin password and add their hosts through the edge's host
 * registry (the same routes, asked for JSON). Nothing here is stored: the edge keeps each token's
 * hash, and the caller keeps the token it was shown once.
 */

/** What the edge answers when a host is added or its token rotated (`command`: the one install command). */
export const hostCredentials = z.object({
  id: z.string(),
  name: z.string(),
  token: z.string(),
  publicKey: z.string(),
  command: z.string(),
});
export type HostCredentials = z.infer<typeof hostCredentials>;

/** Signs in to the edge at `url` (no second factor); the session cookie (`name=value`). Throws when refused. */
export async function signIn(url: string, password: string): Promise<string> {
  const res = await fetch(`${url}/login`, {
    method: "POST",
    // Says what it is, so the Account page's sign-in list can label it (a label only).
    headers: { "content-type": "application/x-www-form-urlencoded", origin: url, "user-agent": START_SCRIPT_AGENT },
    body: new URLSearchParams({ password }),
    redirect: "manual",
  });
  const cookie = /(docklight_session=[^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];
  if (!cookie) throw new Error(`signing in to ${url} failed: HTTP ${res.status}`);
  return cookie;
}

async function post(url: string, cookie: string, path: string, form: Record<string, string> = {}): Promise<HostCredentials> {
  const res = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { cookie, origin: url, accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
  });
  if (!res.ok) throw new Error(`POST ${path} on ${url} answered HTTP ${res.status}: ${(await res.text()).slice(0, 500)}`);
  return hostCredentials.parse(await res.json());
}

/** Adds a host named `name` (its id is made from the name: "demo" stays "demo"); its relay credentials. */
export function addHost(url: string, cookie: string, name: string): Promise<HostCredentials> {
  return post(url, cookie, "/hosts", { name });
}

/** A new token for host `id` (its connected relay is disconnected); its relay credentials. */
export function rotateHostToken(url: string, cookie: string, id: string): Promise<HostCredentials> {
  return post(url, cookie, `/hosts/${encodeURIComponent(id)}/token`);
}

/** Whether the edge accepts `token` for host `id` (`GET /relay/check`, as `docklight-relay doctor` asks). */
export async function tokenAccepted(url: string, id: string, token: string): Promise<boolean> {
  const res = await fetch(`${url}/relay/check?host=${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${token}` } });
  await res.body?.cancel();
  return res.status === 204;
}
