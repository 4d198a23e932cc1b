import { env, SELF } from "cloudflare:test";

export const ORIGIN = "https://docklight.example";

export async function login(password = env.TEST_PASSWORD): Promise<Response> {
  return SELF.fetch(`${ORIGIN}/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN },
    body: new URLSearchParams({ password }).toString(),
    redirect: "manual",
  });
}

/** The `name=value` part of the session cookie a response set. */
export function sessionCookie(res: Response): string {
  const set = res.headers.get("set-cookie") ?? "";
  const m = /(__Host-docklight_session=[^;]+)/.exec(set);
  if (!m) throw new Error(`no session cookie in: ${set}`);
  return m[1]!;
}

export async function loggedInCookie(): Promise<string> {
  return sessionCookie(await login());
}

/** The global AuthGuard Durable Object, for tests that read or prime its counts. */
export function authGuardStub() {
  const bindings = env as unknown as import("../../worker/env.js").Env;
  return bindings.AUTH_GUARD.get(bindings.AUTH_GUARD.idFromName("global"));
}
