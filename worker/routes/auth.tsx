import { Hono } from "hono";
import { z } from "zod";
import { verifyPassword } from "../auth/password.js";
import { clearSession, issueSession } from "../auth/session.js";
import { hostStatus } from "../hub/client.js";
import { LoginPage } from "../pages/login.js";
import type { AppEnv } from "../types.js";

const loginForm = z.object({ password: z.string().min(1, "Enter the password").max(1024, "That password is too long") });

async function firstHost(c: { env: AppEnv["Bindings"]; var: AppEnv["Variables"] }) {
  const [host] = Object.keys(c.var.config.relayTokenHashes);
  return host ? hostStatus(c.env, host) : null;
}

export const authRoutes = new Hono<AppEnv>()
  .get("/login", async (c) => c.html(<LoginPage host={await firstHost(c)} />))
  .post("/login", async (c) => {
    const form = loginForm.safeParse(await c.req.parseBody());
    if (!form.success) return c.html(<LoginPage error={form.error.issues[0]!.message} host={await firstHost(c)} />, 400);
    if (!(await verifyPassword(form.data.password, c.var.config.passwordHash))) {
      return c.html(<LoginPage error="That password is not right." host={await firstHost(c)} />, 401);
    }
    await issueSession(c, c.var.config, "admin");
    return c.redirect("/", 303);
  })
  .post("/logout", (c) => {
    clearSession(c, c.var.config);
    return c.redirect("/login", 303);
  });
