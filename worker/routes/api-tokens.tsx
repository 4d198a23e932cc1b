import { Hono, type Context } from "hono";
import { z } from "zod";
import { sha256Hex } from "../auth/crypto.js";
import { ApiTokensPage } from "../pages/api-tokens.js";
import { newTokenText, tokenForm } from "../team/api-tokens.js";
import { team } from "../team/client.js";
import type { AppEnv } from "../types.js";
import { apiTokenUrl } from "../urls.js";
import { problems, valid } from "./input.js";
import { visibleHosts } from "./scope.js";

const DAY_MS = 86_400_000;

/** The tokens page of the signed-in user, with a token just made (shown once) or an error. */
async function tokensPage(c: Context<AppEnv>, extra: { made?: { token: string; name: string }; error?: string } = {}, status: 200 | 400 = 200) {
  const [tokens, hosts] = await Promise.all([team(c.env).tokenList(c.var.user.id), visibleHosts(c, c.var.user)]);
  // It may show a token: never kept by a browser's or a proxy's cache.
  c.header("cache-control", "no-store");
  return c.html(<ApiTokensPage tokens={tokens} hosts={hosts} now={Date.now()} {...extra} />, status);
}

/**
 * `/account/tokens`: the signed-in user's API tokens (worker/team/api-tokens.ts): make one (for a
 * host they see, or an app on it; its life in days), shown once; revoke one. Each user manages
 * only their own; what a token may do is decided at each call from its user's grants then.
 */
export const apiTokenRoutes = new Hono<AppEnv>()
  .get("/account/tokens", (c) => tokensPage(c))
  .post("/account/tokens", async (c) => {
    const form = tokenForm.safeParse(await c.req.parseBody());
    if (!form.success) return tokensPage(c, { error: problems(form.error) }, 400);
    const { name, host, app, days } = form.data;
    if (!(await visibleHosts(c, c.var.user)).some((h) => h.id === host)) return tokensPage(c, { error: `host: you hold no grant on ${host}` }, 400);
    const token = newTokenText();
    const now = Date.now();
    const made = await team(c.env).tokenCreate(
      c.var.user.id,
      await sha256Hex(token),
      token.slice(0, 8),
      { name, host, app: app === "" ? null : app },
      now + days * DAY_MS,
      now,
    );
    if ("refused" in made) return tokensPage(c, { error: made.refused }, 400);
    return tokensPage(c, { made: { token, name } });
  })
  .post("/account/tokens/:id/revoke", valid("param", z.object({ id: z.uuid() })), async (c) => {
    await team(c.env).tokenRevoke(c.var.user.id, c.req.valid("param").id);
    return c.redirect(apiTokenUrl(), 303);
  });
