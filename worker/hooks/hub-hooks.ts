import { decide, type Principal } from "../../protocol/policy.js";
import { keyRing } from "../auth/keys.js";
import { readConfig, type Env } from "../env.js";
import type { StartOutcome } from "../hub/pending-ops.js";
import { DeployHooks, type DeliveryAnswer, type HookView } from "./deploy-hooks.js";
import type { Delivery } from "./hook-store.js";

/**
 * Who a hook's deploy runs as: "webhook (the pusher)", a deployer granted this one app only, so the
 * policy lets it do a deploy of that app and nothing else (history records it by that name).
 */
export function webhookPrincipal(app: string, by: string): Principal {
  return { user: `webhook (${by})`, role: "deployer", grants: { host: false, hostRoot: false, reveal: false, apps: [app] } };
}

/** A refusal by the policy, or null: setting a hook needs the right to deploy the app; seeing it, to read how it deploys. */
function denied(principal: Principal, op: "git.sync" | "deploy.report", args: Record<string, unknown>): string | null {
  const d = decide(principal, op, args);
  return d.allowed ? null : `Not allowed: ${d.reason}.`;
}

/** The HostHub's deploy hooks (see DeployHooks), behind the policy where a user asks. */
export class HubHooks {
  readonly hooks: DeployHooks;

  constructor(
    sql: SqlStorage,
    env: Env,
    start: (app: string, args: Record<string, unknown>, principal: Principal, onEnded: (ok: boolean, message: string) => void) => Promise<StartOutcome>,
    wake: (at: number) => Promise<void>,
  ) {
    this.hooks = new DeployHooks(sql, {
      now: Date.now,
      ring: () => {
        const cfg = readConfig(env);
        if (!cfg.ok) throw new Error("edge not configured");
        return keyRing(cfg.config, "deployHook");
      },
      deploy: (app, repo, sha, by, onEnded) => start(app, { app, remote: repo, ref: sha }, webhookPrincipal(app, by), onEnded),
      wake,
    });
  }

  async set(
    principal: Principal,
    app: string,
    repo: string,
    branch: string,
  ): Promise<{ ok: true; hook: HookView; secret: string } | { ok: false; message: string }> {
    const no = denied(principal, "git.sync", { app, remote: repo, ref: branch });
    if (no) return { ok: false, message: no };
    return { ok: true, ...(await this.hooks.set(app, repo, branch, principal.user)) };
  }

  remove(principal: Principal, app: string): { ok: true } | { ok: false; message: string } {
    const no = denied(principal, "git.sync", { app });
    if (no) return { ok: false, message: no };
    this.hooks.remove(app);
    return { ok: true };
  }

  show(principal: Principal, app: string): { ok: true; hook: HookView | null; deliveries: Delivery[] } | { ok: false; message: string } {
    const no = denied(principal, "deploy.report", { app });
    return no ? { ok: false, message: no } : { ok: true, ...this.hooks.show(app) };
  }

  deliver(hookId: string, headers: Record<string, string>, body: Uint8Array | null): Promise<DeliveryAnswer | null> {
    return this.hooks.deliver(hookId, new Headers(headers), body);
  }
}
