import { ops, type OpName, type OpResult } from "../../protocol/ops.js";
import { ALL_GRANTS, seesApp, seesHost, type Principal } from "../../protocol/policy.js";
import { keyRing } from "../auth/keys.js";
import { readConfig, type Env } from "../env.js";
import type { StartedChange } from "../hub/started-changes.js";
import { errText, log } from "../log.js";
import { team } from "../team/client.js";
import { AlertStore, type Alert } from "./alert-store.js";
import { openChannel, type Channel } from "./channels.js";
import { ALERT_LIMITS, evaluate, type AlertKind, type DeployEnd, type Observation } from "./conditions.js";
import { noticeText, send } from "./send.js";

/** Who the checks' reads are signed as (history records them under this name); they read, never change. */
export const ALERTS_PRINCIPAL: Principal = { user: "docklight alerts", role: "admin", grants: ALL_GRANTS };

/** A read the host gave within this long (ms) is used as it is, not read again: the Cron Trigger's period. */
export const CHECK_FRESH_MS = 5 * 60_000;

/** What the checks need from their HostHub. */
export interface AlertDeps {
  online(): boolean;
  lastSeen(): Promise<number | null>;
  /** The host's answer to `op` (no arguments) still in the read cache, and when it was read; undefined when none. */
  known(op: OpName): { value: unknown; at: number } | undefined;
  /** Read `op` from the host now, as ALERTS_PRINCIPAL; null when it could not be read. */
  read<N extends OpName>(op: N): Promise<OpResult<N> | null>;
  changes(): Promise<StartedChange[]>;
}

/** The channels set on the Team, opened; one that cannot be opened is logged and left out. */
export async function channelsOf(env: Env): Promise<Channel[]> {
  const records = await team(env).alertChannels();
  if (records.length === 0) return [];
  const cfg = readConfig(env);
  if (!cfg.ok) return [];
  const ring = await keyRing(cfg.config, "alertChannel");
  const opened = await Promise.all(records.map((r) => openChannel(r, ring)));
  for (const [i, c] of opened.entries())
    if (!c) log.error("an alert channel cannot be opened (SESSION_SECRET changed?): set it again", { channel: records[i]!.name });
  return opened.filter((c): c is Channel => c !== null);
}

/** Whether `op` is a change that deploys its app (its declaration's `deploys`). */
function deploysApp(op: string): boolean {
  const spec = Object.hasOwn(ops, op) ? (ops[op as OpName] as { deploys?: boolean }) : undefined;
  return spec?.deploys === true;
}

/** Whether `p` may see alert `a`: an app's alert with the app, any other with the host. */
function mayView(p: Principal, a: Pick<Alert, "kind" | "subject">): boolean {
  const appKinds: AlertKind[] = ["app-down", "cert", "deploy-failed"];
  return appKinds.includes(a.kind) ? seesApp(p, a.subject) : seesHost(p) && (p.role === "owner" || p.role === "admin" || p.grants.host);
}

/**
 * One host's alerts (worker/alerts/): each check reads what the relay already reports — the link
 * state, the health samples (read from /proc by the relay, no Dokku command), the apps and the
 * certificates from the read cache when the host gave them within CHECK_FRESH_MS (else read once,
 * which keeps them for pages too), and the deploys this hub saw end — decides the conditions
 * (conditions.ts), opens and resolves alerts (alert-store.ts) and sends each notice once to every
 * channel (send.ts). While the relay is offline only the offline alert is judged.
 */
export class HubAlerts {
  readonly store: AlertStore;

  constructor(
    sql: SqlStorage,
    private readonly env: Env,
    private readonly deps: AlertDeps,
  ) {
    this.store = new AlertStore(sql);
  }

  private async fresh<N extends OpName>(op: N, now: number): Promise<OpResult<N> | null> {
    const known = this.deps.known(op);
    if (known && now - known.at < CHECK_FRESH_MS) return known.value as OpResult<N>;
    return this.deps.read(op);
  }

  /** What the host reports now. */
  private async observe(now: number): Promise<Observation> {
    const online = this.deps.online();
    const deploys: DeployEnd[] = (await this.deps.changes()).flatMap((c) =>
      c.ended && c.app !== null && deploysApp(c.op) && c.ended.kind !== "unknown"
        ? [{ app: c.app, opId: c.opId, ok: c.ended.ok, at: c.ended.at, message: c.ended.message }]
        : [],
    );
    if (!online) return { now, online, lastSeen: await this.deps.lastSeen(), apps: null, certs: null, health: null, deploys };
    const [apps, certs, health] = await Promise.all([this.fresh("apps.list", now), this.fresh("tls.list", now), this.deps.read("server.health")]);
    return { now, online, lastSeen: null, apps: apps?.apps ?? null, certs: certs?.rows ?? null, health, deploys };
  }

  /** One check at `now` (the Cron Trigger's time): alerts opened and resolved, notices sent. */
  async check(host: string, hostName: string, now: number): Promise<{ open: number; sent: number }> {
    const o = await this.observe(now);
    const open = new Set(this.store.open().map((a) => a.key));
    const cfg = readConfig(this.env);
    const verdict = evaluate(o, this.store.recall<string[]>("wasRunning", []), open, cfg.ok ? cfg.config.alertLimits : ALERT_LIMITS);
    this.store.remember("wasRunning", verdict.wasRunning);
    this.store.sync(verdict.conditions, verdict.judged, now);
    const notices = this.store.claimNotices();
    let sent = 0;
    if (notices.length > 0) {
      const channels = await channelsOf(this.env).catch((e) => (log.error("alert channels unreadable", { err: errText(e) }), [] as Channel[]));
      for (const n of notices) {
        const text = noticeText(n.event, host, hostName, n.alert);
        const results = await Promise.all(channels.map((c) => send(c, text)));
        for (const [i, r] of results.entries()) {
          if (r.ok) sent++;
          else
            log.warn("alert notice not sent", { host, alert: n.alert.key, event: n.event, channel: channels[i]!.name, attempts: r.attempts, error: r.error });
        }
      }
    }
    return { open: this.store.open().length, sent };
  }

  /** The alerts `p` may see: open first, then the newest resolved. */
  list(p: Principal): Alert[] {
    return this.store.list().filter((a) => mayView(p, a));
  }

  /** Acknowledge alert `id` as `p` (who must see it); false when it is not open or not theirs to see. */
  ack(p: Principal, id: number, now: number): boolean {
    const a = this.store.get(id);
    return a !== null && mayView(p, a) && this.store.ack(id, p.user, now);
  }
}
