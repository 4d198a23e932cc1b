import { Hono, type Context } from "hono";
import { issueSession } from "../auth/session.js";
import { authGuard, clientIp, userAgent } from "../guard/client.js";
import { errText, log } from "../log.js";
import { LoginPage } from "../pages/login.js";
import { SignedInPage, SsoButtons } from "../pages/sso.js";
import { accessEmail, ACCESS_HEADER } from "../sso/access.js";
import type { SsoAnswer } from "../sso/email.js";
import { setFlow, takeFlow } from "../sso/flow.js";
import { oidcFinish, oidcStart, OIDC_CALLBACK_PATH } from "../sso/oidc.js";
import { team } from "../team/client.js";
import type { AppEnv } from "../types.js";

type Method = "OpenID Connect" | "Cloudflare Access";

/** The sign-in page's SSO buttons for this edge's configuration. */
export function ssoButtons(config: AppEnv["Variables"]["config"]) {
  return <SsoButtons oidc={config.sso.oidc?.name ?? null} access={config.sso.access !== undefined} />;
}

/** The sign-in page again, saying why single sign-on did not sign this browser in (403). */
function refused(c: Context<AppEnv>, method: Method, why: string) {
  return c.html(<LoginPage error={`${method} sign-in refused: ${why}.`} sso={ssoButtons(c.var.config)} />, 403);
}

/**
 * The end of either method: a verified e-mail becomes a session for the user invited or existing
 * with it (worker/team/team.ts ssoUser: never a new user, never a suspended one). Every outcome is
 * recorded with the sign-ins (and so audited). `page`: answer with SignedInPage (the OIDC callback,
 * reached cross-site) rather than a redirect.
 */
async function finish(c: Context<AppEnv>, method: Method, answer: SsoAnswer, page: boolean) {
  const guard = authGuard(c.env);
  const [ip, ua] = [clientIp(c.req), userAgent(c.req)];
  if ("refused" in answer) {
    await guard.recordLogin(ip, ua, "sso_refused", `${method}: ${answer.refused}`, null);
    return refused(c, method, answer.refused);
  }
  const user = await team(c.env).ssoUser(answer.email);
  if ("refused" in user) {
    await guard.recordLogin(ip, ua, "sso_refused", `${method}: ${user.refused}`, answer.email);
    return refused(c, method, user.refused);
  }
  await guard.recordLogin(ip, ua, "success", method, answer.email);
  await issueSession(c, c.var.config, user.id);
  c.header("cache-control", "no-store");
  return page ? c.html(<SignedInPage />) : c.redirect("/", 303);
}

/** The provider's redirect URI for this edge. */
const redirectUri = (c: Context) => new URL(OIDC_CALLBACK_PATH, c.req.url).href;

/**
 * `/login/sso/*`, before any session: OpenID Connect (`oidc` to the provider, `oidc/callback` back)
 * and Cloudflare Access (`access`, a POST from the sign-in page: the assertion Access added).
 * A method that is not configured is a 404.
 */
export const ssoRoutes = new Hono<AppEnv>()
  .get("/oidc", async (c) => {
    const cfg = c.var.config.sso.oidc;
    if (!cfg) return c.notFound();
    try {
      const { url, flow } = await oidcStart(cfg, redirectUri(c));
      await setFlow(c, c.var.config, flow);
      c.header("cache-control", "no-store");
      return c.redirect(url, 302);
    } catch (e) {
      log.error("OpenID Connect discovery failed", { issuer: cfg.issuer, err: errText(e) });
      return c.html(<LoginPage error={`Could not reach ${cfg.name}: try again, or sign in with a password.`} />, 502);
    }
  })
  .get("/oidc/callback", async (c) => {
    const cfg = c.var.config.sso.oidc;
    if (!cfg) return c.notFound();
    const flow = await takeFlow(c, c.var.config);
    if (!flow) return finish(c, "OpenID Connect", { refused: "this sign-in expired or was started in another browser: start again" }, true);
    try {
      return await finish(c, "OpenID Connect", await oidcFinish(cfg, flow, new URL(c.req.url), redirectUri(c)), true);
    } catch (e) {
      log.error("OpenID Connect sign-in failed", { issuer: cfg.issuer, err: errText(e) });
      return finish(c, "OpenID Connect", { refused: "the provider could not be reached to finish it" }, true);
    }
  })
  .post("/access", async (c) => {
    const cfg = c.var.config.sso.access;
    if (!cfg) return c.notFound();
    return finish(c, "Cloudflare Access", await accessEmail(cfg, c.req.header(ACCESS_HEADER)), false);
  });
