import { env, SELF } from "cloudflare:test";
import { ORIGIN, sessionCookie } from "./helpers.js";

/** The Team Durable Object, for tests that prime it (an expired link) or read it. */
export const teamStub = () => env.TEAM.get(env.TEAM.idFromName("team"));

/** A same-origin form post carrying `cookie` (no redirects followed). */
export function postForm(path: string, cookie: string | null, fields: Record<string, string> = {}): Promise<Response> {
  return SELF.fetch(`${ORIGIN}${path}`, {
    method: "POST",
    headers: { ...(cookie ? { cookie } : {}), origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
}

/** A GET carrying `cookie` (no redirects followed). */
export const getWith = (path: string, cookie: string | null) => SELF.fetch(`${ORIGIN}${path}`, { headers: cookie ? { cookie } : {}, redirect: "manual" });

/** The invitation token in a Users page that just made one. */
export function inviteToken(html: string): string {
  const m = /\/invite\/([A-Za-z0-9_-]{43})/.exec(html);
  if (!m) throw new Error("no invitation link on the page");
  return m[1]!;
}

/**
 * The owner (`ownerCookie`) invites `email` as `role`, the invitee accepts with a password, and
 * their session cookie and id come back; `grants` are given through the Users page first.
 */
export async function inviteAndJoin(
  ownerCookie: string,
  email: string,
  role: string,
  grants: Array<Record<string, string>> = [],
): Promise<{ cookie: string; id: string; password: string }> {
  const page = await postForm("/users/invite", ownerCookie, { email, role });
  if (page.status !== 200) throw new Error(`invite answered ${page.status}: ${await page.text()}`);
  const token = inviteToken(await page.text());
  const id = ((await teamStub().list()) as Array<{ id: string; email: string }>).find((u) => u.email === email)!.id;
  for (const g of grants) {
    const res = await postForm(`/users/${id}/grants`, ownerCookie, g);
    if (res.status !== 200) throw new Error(`grant answered ${res.status}: ${await res.text()}`);
  }
  const password = `pw-${crypto.randomUUID()}`;
  const joined = await postForm(`/invite/${token}`, null, { password, confirm: password });
  if (joined.status !== 303) throw new Error(`joining answered ${joined.status}: ${await joined.text()}`);
  return { cookie: sessionCookie(joined), id, password };
}
