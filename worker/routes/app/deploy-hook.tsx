import { Hono } from "hono";
import { z } from "zod";
import { gitRef, gitRemote, required } from "../../../protocol/names.js";
import { hubFor } from "../../hub/client.js";
import { offersChanges } from "../../pages/app-state.js";
import { HookDeliveries, PushToDeploy } from "../../pages/app/deploy-hook.js";
import { OutcomeMessage, outcomeStatus } from "../../pages/outcome.js";
import type { HostAppEnv } from "../../types.js";
import { valid } from "../input.js";
import { historyHref } from "../scope.js";
import type { C } from "./kit.js";

/** A repository URL the hook may follow: no user name or password in it (credentials stay on the host: dokku git:auth). */
const credentialFree = gitRemote.refine((r) => {
  if (!/^(https?|ssh):\/\//.test(r)) return true;
  try {
    const u = new URL(r);
    return u.password === "" && (u.protocol === "ssh:" || u.username === "");
  } catch {
    return false;
  }
}, "put no credentials in the repository URL: give the host access with dokku git:auth");
const hookForm = z.object({ repo: required("a repository URL", credentialFree), branch: required("a branch", gitRef) });

const denied = (c: C, message: string) => {
  const outcome = { kind: "error", code: "denied", message } as const;
  return c.html(<OutcomeMessage outcome={outcome} historyHref={historyHref(c)} host={c.var.host.id} />, outcomeStatus(outcome));
};

/** The "Push to deploy" section as it stands (the secret only in the answer that set it), or null when the user may not see it. */
export async function pushSection(c: C, secret?: string) {
  const { host, app } = c.var;
  const [shown, status] = await Promise.all([hubFor(c.env, host.id).hookShow(host.principal, app), host.status()]);
  if (!shown.ok) return null;
  const live = offersChanges(status) && host.may("git.sync", { app }).allowed;
  return (
    <PushToDeploy host={host.id} app={app} origin={new URL(c.req.url).origin} hook={shown.hook} deliveries={shown.deliveries} secret={secret} live={live} />
  );
}

/** `…/deploy/hook`: the section (GET), its deliveries alone, set or replace the hook (POST: a new secret, shown once), remove it. */
export const deployHookRoutes = new Hono<HostAppEnv>()
  .get("/", async (c) => c.html(<>{await pushSection(c)}</>))
  .get("/deliveries", async (c) => {
    const { host, app } = c.var;
    const shown = await hubFor(c.env, host.id).hookShow(host.principal, app);
    if (!shown.ok) return denied(c, shown.message);
    c.header("cache-control", "no-store");
    return c.html(<HookDeliveries host={host.id} app={app} deliveries={shown.deliveries} watching={shown.hook !== null} />);
  })
  .post("/", valid("form", hookForm), async (c) => {
    const { repo, branch } = c.req.valid("form");
    const set = await hubFor(c.env, c.var.host.id).hookSet(c.var.host.principal, c.var.app, repo, branch);
    if (!set.ok) return denied(c, set.message);
    c.header("cache-control", "no-store");
    return c.html(<>{await pushSection(c, set.secret)}</>);
  })
  .post("/remove", async (c) => {
    const removed = await hubFor(c.env, c.var.host.id).hookRemove(c.var.host.principal, c.var.app);
    if (!removed.ok) return denied(c, removed.message);
    return c.html(<>{await pushSection(c)}</>);
  });
