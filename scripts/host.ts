import { z } from "zod";
import { START_SCRIPT_AGENT } from "../worker/guard/script-agent.js";

/**
 * Enrolling hosts on a running edge the way the Hosts page and the installer do, for scripts:
 * `npm start` and the test stacks sign in with the admin password, add their hosts through the
 * edge's host registry (the same routes, asked for JSON), and trade each one-time enrollment code
 * for the relay token at `POST /relay/enroll`, as deploy/install.sh does. Nothing here is stored:
 * the edge keeps each token's hash, and the caller keeps the token it was given once.
 */

/** What the edge answers when a host is added, its token rotated or a new command made (`command`: the one install command). */
export const hostEnrollment = z.object({
  id: z.string(),
  name: z.string(),
  code: z.string(),
  expiresAt: z.number(),
  publicKey: z.string(),
  sha256: z.string().nullable(),
  command: z.string(),
});
export type HostEnrollment = z.infer<typeof hostEnrollment>;

/** What `POST /relay/enroll` answers for a good code. */
export const tokenGrant = z.object({ host: z.string(), token: z.string(), publicKey: z.string() });

/** A host's enrollment and the relay token its code was exchanged for. */
export type HostCredentials = HostEnrollment & { token: string };

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

async function post(url: string, cookie: string, path: string, form: Record<string, string> = {}): Promise<HostEnrollment> {
  const res = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { cookie, origin: url, accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
  });
  if (!res.ok) throw new Error(`POST ${path} on ${url} answered HTTP ${res.status}: ${(await res.text()).slice(0, 500)}`);
  return hostEnrollment.parse(await res.json());
}

/** `POST /relay/enroll` as the installer sends it: the raw answer (200 with the token, 403/429 with `error`). */
export function exchangeCode(url: string, host: string, code: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/relay/enroll`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams({ host, code }),
  });
}

/** Trades an enrollment's code for its relay token; throws with the edge's message when refused. */
export async function redeem(url: string, e: HostEnrollment): Promise<HostCredentials> {
  const res = await exchangeCode(url, e.id, e.code);
  const body = (await res.json()) as { error?: string };
  if (!res.ok) throw new Error(`POST /relay/enroll on ${url} answered HTTP ${res.status}: ${body.error ?? ""}`);
  const grant = tokenGrant.parse(body);
  return { ...e, token: grant.token, publicKey: grant.publicKey };
}

/** Adds a host named `name` (its id is made from the name: "demo" stays "demo") and enrolls it: its relay credentials. */
export async function addHost(url: string, cookie: string, name: string): Promise<HostCredentials> {
  return redeem(url, await post(url, cookie, "/hosts", { name }));
}

/** Adds a host named `name` without exchanging its code: what the Hosts page shows, for the installer to use. */
export function addHostCommand(url: string, cookie: string, name: string): Promise<HostEnrollment> {
  return post(url, cookie, "/hosts", { name });
}

/** A new install command for host `id` (nothing is disconnected until its code is exchanged). */
export function newInstallCommand(url: string, cookie: string, id: string): Promise<HostEnrollment> {
  return post(url, cookie, `/hosts/${encodeURIComponent(id)}/code`);
}

/** A new token for host `id` (its connected relay is disconnected), enrolled: its relay credentials. */
export async function rotateHostToken(url: string, cookie: string, id: string): Promise<HostCredentials> {
  return redeem(url, await post(url, cookie, `/hosts/${encodeURIComponent(id)}/token`));
}

/** Whether the edge accepts `token` for host `id` (`GET /relay/check`, as `docklight-relay doctor` asks). */
export async function tokenAccepted(url: string, id: string, token: string): Promise<boolean> {
  const res = await fetch(`${url}/relay/check?host=${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${token}` } });
  await res.body?.cancel();
  return res.status === 204;
}
