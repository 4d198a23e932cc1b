import { z } from "zod";
import { appName, hostId } from "../../protocol/names.js";
import { appOf, changeTitle, ops, type OpName } from "../../protocol/ops.js";
import type { Role } from "../../protocol/principal.js";

/**
 * The edge's audit trail: what each event says, and how one becomes a stored row. Call sites
 * describe what happened (an `AuditEvent`); `rowOf` alone turns that into a row, so no call site
 * builds one by hand. Rows live in the Team Durable Object (worker/audit/store.ts).
 */

/** The kinds of event, as the Activity page filters them. */
export const AUDIT_KINDS = ["sign-in", "invitation", "user", "host", "change", "read"] as const;
export const auditKind = z.enum(AUDIT_KINDS, { error: (i) => `${String(i.input).slice(0, 40)} is not a kind of event: ${AUDIT_KINDS.join(", ")}` });
export type AuditKind = z.infer<typeof auditKind>;

/** What happened, as a call site says it. */
export type AuditEvent =
  /** A sign-in, by any method (password, code, passkey, SSO), that worked or was refused. */
  | { kind: "sign-in"; user: string | null; ok: boolean; method: string; detail?: string | null; ip: string }
  /** The owner invited `user` (an e-mail) as `role`, or `user` accepted their invitation. */
  | { kind: "invitation"; action: "invited" | "accepted"; actor: string; user: string; role: Role }
  /** `actor` changed `user`: role, a grant (on `host`, `app`), suspension, removal; `ok` false when the team's rules refused it. */
  | {
      kind: "user";
      action: "role" | "grant" | "grant-removed" | "suspended" | "reinstated" | "removed";
      actor: string;
      user: string;
      ok: boolean;
      detail?: string | null;
      host?: string | null;
      app?: string | null;
    }
  /** `actor` enrolled, renamed, re-keyed or removed a host, rotated the op key, or verified a host's history chain. */
  | {
      kind: "host";
      action: "added" | "enrolled" | "token-rotated" | "new-code" | "renamed" | "removed" | "key-rotated" | "verified";
      actor: string;
      host: string | null;
      ok: boolean;
      detail?: string | null;
    }
  /**
   * An op the HostHub signed for `user` on `host` (or refused: outcome "denied", `detail` the
   * policy's reason). `outcome` "running" for a change just sent; its end updates the row by `opId`.
   */
  | { kind: "op"; user: string; host: string | null; op: OpName; args: unknown; opId: string | null; outcome: string; detail?: string | null };

/** An event as stored and listed: who did what to whom, where, and how it ended. */
export interface AuditRow {
  id: number;
  /** ms since epoch */
  at: number;
  kind: AuditKind;
  /** What was done: the sign-in method, "invited", "role", "added", an op name… */
  action: string;
  /** Who did it (a user's name; null for a sign-in nobody could be named for). */
  actor: string | null;
  /** Whom it was done to: the user invited or changed. */
  subject: string | null;
  host: string | null;
  app: string | null;
  op: string | null;
  /** "ok", "refused", "denied", "running", or how an op ended (an error code, "timeout", "offline", "unknown"). */
  outcome: string;
  /** A short human detail: the change's title, a refusal's reason, the new role. Never a secret. */
  detail: string | null;
  /** The op id of an op event (a change's end updates its row by it). */
  ref: string | null;
  ip: string | null;
}

/** A row before it is stored (no id yet). */
export type NewAuditRow = Omit<AuditRow, "id">;

const cut = (s: string | null | undefined, n: number) => (s === null || s === undefined ? null : s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The one way an event becomes a row. */
export function rowOf(e: AuditEvent, at = Date.now()): NewAuditRow {
  const base = { at, actor: null, subject: null, host: null, app: null, op: null, detail: null, ref: null, ip: null };
  switch (e.kind) {
    case "sign-in":
      return {
        ...base,
        kind: e.kind,
        action: cut(e.method, 40)!,
        actor: cut(e.user, 254),
        outcome: e.ok ? "ok" : "refused",
        detail: cut(e.detail, 200),
        ip: cut(e.ip, 64),
      };
    case "invitation":
      return { ...base, kind: e.kind, action: e.action, actor: e.actor, subject: e.user, outcome: "ok", detail: `as ${e.role}` };
    case "user":
      return {
        ...base,
        kind: e.kind,
        action: e.action,
        actor: e.actor,
        subject: e.user,
        host: e.host ?? null,
        app: e.app ?? null,
        outcome: e.ok ? "ok" : "refused",
        detail: cut(e.detail, 200),
      };
    case "host":
      // A verification finds a chain intact or broken; anything else was done or refused.
      const outcome = e.action === "verified" ? (e.ok ? "intact" : "broken") : e.ok ? "ok" : "refused";
      return { ...base, kind: e.kind, action: e.action, actor: e.actor, host: e.host, outcome, detail: cut(e.detail, 200) };
    case "op": {
      const change = Object.hasOwn(ops, e.op) && ops[e.op].mutates;
      const app = appOf(e.args);
      return {
        ...base,
        kind: change ? "change" : "read",
        action: e.op,
        actor: e.user,
        host: e.host,
        app,
        op: e.op,
        outcome: e.outcome,
        detail: cut(e.detail ?? (change ? changeTitle(e.op, app, e.args) : null), 200),
        ref: e.opId,
      };
    }
  }
}

/** How an op ended, as its audit row says it: "ok", the error's code, or the outcome's kind. */
export function opOutcomeText(o: { kind: string; code?: string }): string {
  return o.kind === "error" && o.code ? o.code : o.kind;
}

/** The Activity page's filters (query string; empty fields mean "any", unknown keys refused). */
export const auditFilter = z
  .object({
    user: z.string().trim().toLowerCase().max(254, "user is at most 254 characters").optional(),
    host: hostId.optional(),
    app: appName.optional(),
    kind: auditKind.optional(),
    /** Keyset paging: only events older than this id (the previous page's last). */
    before: z.coerce.number("before is a number").int("before is a whole number").min(1, "before starts at 1").max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .strict();
export type AuditFilter = z.infer<typeof auditFilter>;

/** The columns of the Activity CSV export, in order (its header line). */
export const AUDIT_CSV_COLUMNS = ["id", "at", "kind", "action", "actor", "subject", "host", "app", "op", "outcome", "detail", "ref", "ip"] as const;
