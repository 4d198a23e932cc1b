import { Hono, type Context } from "hono";
import { z } from "zod";
import {
  authenticationResponse,
  registrationOptions,
  registrationResponse,
  relyingParty,
  signInOptions,
  verifyRegistration,
  verifySignIn,
} from "../auth/passkey.js";
import { LoginPage } from "../pages/login.js";
import { team } from "../team/client.js";
import type { AppEnv } from "../types.js";
import { accountPage } from "./account.js";
import { valid } from "./input.js";
import { beginAttempt, signIn } from "./sign-in.js";

/**
 * Passkeys: a signed-in user adds (named), lists and removes their own on the Account page; anyone
 * signs in with one alone on the sign-in page. The browser's half is public/passkeys.js on
 * @simplewebauthn/browser: it asks for options here as JSON, runs the ceremony, and posts the
 * answer as a plain form field, so every outcome is an ordinary page.
 */

/** The answer field as the form posts it: the ceremony's JSON, at most 32 KiB. */
const answerField = z
  .string({ error: "Adding or using a passkey needs JavaScript in this browser." })
  .min(1, "Adding or using a passkey needs JavaScript in this browser.")
  .max(32 * 1024, "That passkey answer is too long");

/** The answer field's JSON, parsed with `schema`, or null. */
function answer<S extends z.ZodType>(schema: S, text: string): z.output<S> | null {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const addForm = z.object({
  name: z
    .string({ error: "Name the passkey" })
    .trim()
    .min(1, "Name the passkey (e.g. the device it is on)")
    .max(64, "Keep the name under 64 characters")
    .regex(/^[^\p{Cc}\p{Cf}]*$/u, "The name may not hold control or invisible characters"),
  response: answerField,
});
const signInForm = z.object({ response: answerField });
const idParam = z.object({
  id: z
    .string()
    .min(1)
    .max(1400)
    .regex(/^[A-Za-z0-9_-]+$/, "no such passkey"),
});

/** Challenges answered by JSON: never cached. */
function noStore(c: Context) {
  c.header("cache-control", "no-store");
}

/** Behind the session: `/account/passkeys…`, the signed-in user's own passkeys. */
export const accountPasskeyRoutes = new Hono<AppEnv>()
  .post("/account/passkeys/options", async (c) => {
    noStore(c);
    const { user } = c.var;
    const options = await registrationOptions(relyingParty(c.req.url), user, await team(c.env).passkeyIdsOf(user.id));
    await team(c.env).keepChallenge(options.challenge, "register", user.id);
    return c.json(options);
  })
  .post("/account/passkeys", async (c) => {
    const form = addForm.safeParse(await c.req.parseBody());
    if (!form.success) return accountPage(c, { error: form.error.issues[0]!.message }, 400);
    const response = answer(registrationResponse, form.data.response);
    if (!response) return accountPage(c, { error: "That passkey answer is not one a browser sends." }, 400);
    const { user } = c.var;
    const made = await verifyRegistration(relyingParty(c.req.url), user.id, response, (ch) => team(c.env).takeChallenge(ch, "register", user.id));
    if ("refused" in made) return accountPage(c, { error: made.refused }, 400);
    const added = await team(c.env).addPasskey({ ...made, name: form.data.name });
    if ("refused" in added) return accountPage(c, { error: added.refused }, 409);
    return accountPage(c, { notice: `Passkey “${added.added.name}” added: it signs you in on its own.` });
  })
  .post("/account/passkeys/:id/remove", valid("param", idParam), async (c) => {
    const removed = await team(c.env).removePasskey(c.var.user.id, c.req.valid("param").id);
    return accountPage(
      c,
      removed ? { notice: "That passkey was removed: it no longer signs you in." } : { error: "You have no such passkey." },
      removed ? 200 : 404,
    );
  });

/**
 * Before any session: `/login/passkey/options` (a challenge for any passkey of this dashboard) and
 * `/login/passkey` (the answer: counted as a sign-in attempt like a password, then verified; a
 * passkey of a suspended or removed user, one removed from its account, a replayed or expired
 * challenge, another origin, or a counter that went backwards is refused).
 */
export const signInPasskeyRoutes = new Hono<AppEnv>()
  .post("/login/passkey/options", async (c) => {
    noStore(c);
    const options = await signInOptions(relyingParty(c.req.url));
    await team(c.env).keepChallenge(options.challenge, "sign-in", "");
    return c.json(options);
  })
  .post("/login/passkey", async (c) => {
    const form = signInForm.safeParse(await c.req.parseBody());
    if (!form.success) return c.html(<LoginPage error={form.error.issues[0]!.message} />, 400);
    const response = answer(authenticationResponse, form.data.response);
    if (!response) return c.html(<LoginPage error="That passkey answer is not one a browser sends." />, 400);
    const attempt = await beginAttempt(c, "login");
    if ("locked" in attempt) return attempt.locked;
    const found = await team(c.env).passkeyForSignIn(response.id);
    const refused = async (why: string, user: string | null) => {
      await attempt.guard.recordLogin(attempt.ip, attempt.ua, "bad_passkey", why, user);
      return c.html(<LoginPage error={why} />, 401);
    };
    if (!found) return refused("That passkey does not open an active account here.", null);
    const { credential, user } = found;
    const checked = await verifySignIn(relyingParty(c.req.url), credential, response, (ch) => team(c.env).takeChallenge(ch, "sign-in", ""));
    if ("refused" in checked) return refused(checked.refused, user.name);
    if (!(await team(c.env).passkeyUsed(credential.id, credential.counter, checked.newCounter))) {
      return refused("This passkey was just used by another sign-in: it may have been copied.", user.name);
    }
    return signIn(c, attempt, user.id, "passkey");
  });
