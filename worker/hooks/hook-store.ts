/**
 * The deploy hooks of one host's apps and the deliveries each received, in the HostHub's SQLite.
 * A hook's secret is kept sealed (AES-GCM under a key derived from SESSION_SECRET): HMAC
 * senders need the secret itself to be checked against, so it cannot be a one-way hash.
 */

/** One app's deploy hook: the repository and branch it follows. */
export interface Hook {
  app: string;
  /** The random id in the hook's URL (not a secret: the signature is). */
  id: string;
  repo: string;
  branch: string;
  /** The secret, sealed (worker/auth/secret-box.ts). */
  sealed: string;
  createdAt: number;
  createdBy: string;
  /** The deploy this hook started that has not ended ("starting" while it is being started). */
  runningOp: string | null;
  /** The newest pushed commit waiting for that deploy to end, who pushed it, and its delivery. */
  pendingSha: string | null;
  pendingBy: string | null;
  pendingDelivery: number | null;
}

/** What was done with a delivery. */
export type DeliveryOutcome = "deployed" | "queued" | "superseded" | "ignored" | "refused" | "failed";

/** One delivery as the app's Deploy tab lists it. */
export interface Delivery {
  seq: number;
  at: number;
  sender: string | null;
  deliveryId: string | null;
  event: string | null;
  branch: string | null;
  sha: string | null;
  by: string | null;
  outcome: DeliveryOutcome;
  /** Why, in words ("other branch: dev (follows main)", "bad signature"…). */
  reason: string;
  /** The deploy it started (its change page). */
  opId: string | null;
}

/** How many deliveries an app keeps (the newest). */
export const DELIVERIES_KEPT = 200;

/** A row SQLite answers already named as `T` names its fields (SELECT … AS …): no mapping to keep in step. */
type Named<T> = T & Record<string, SqlStorageValue>;

/** deploy_hooks' columns under Hook's names. */
const HOOK = `app, id, repo, branch, sealed, created_at AS createdAt, created_by AS createdBy,
  running_op AS runningOp, pending_sha AS pendingSha, pending_by AS pendingBy, pending_delivery AS pendingDelivery`;

export class HookStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`
      CREATE TABLE IF NOT EXISTS deploy_hooks (
        app TEXT PRIMARY KEY, id TEXT NOT NULL UNIQUE, repo TEXT NOT NULL, branch TEXT NOT NULL, sealed TEXT NOT NULL,
        created_at INTEGER NOT NULL, created_by TEXT NOT NULL,
        running_op TEXT, pending_sha TEXT, pending_by TEXT, pending_delivery INTEGER
      );
      CREATE TABLE IF NOT EXISTS hook_deliveries (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, app TEXT NOT NULL, at INTEGER NOT NULL, sender TEXT, delivery_id TEXT,
        verified INTEGER NOT NULL, event TEXT, branch TEXT, sha TEXT, by TEXT, outcome TEXT NOT NULL, reason TEXT NOT NULL, op_id TEXT
      );
      CREATE UNIQUE INDEX IF NOT EXISTS hook_delivery_seen ON hook_deliveries (app, delivery_id) WHERE verified = 1;
    `);
  }

  byApp(app: string): Hook | undefined {
    return this.sql.exec<Named<Hook>>(`SELECT ${HOOK} FROM deploy_hooks WHERE app = ?`, app).toArray()[0];
  }

  byId(id: string): Hook | undefined {
    return this.sql.exec<Named<Hook>>(`SELECT ${HOOK} FROM deploy_hooks WHERE id = ?`, id).toArray()[0];
  }

  /** The hooks with a pushed commit waiting to deploy. */
  pending(): Hook[] {
    return this.sql.exec<Named<Hook>>(`SELECT ${HOOK} FROM deploy_hooks WHERE pending_sha IS NOT NULL`).toArray();
  }

  /** Set (or replace: a new id and secret) the app's hook; its deliveries stay listed. */
  put(h: Pick<Hook, "app" | "id" | "repo" | "branch" | "sealed" | "createdAt" | "createdBy">): void {
    this.sql.exec(
      "INSERT OR REPLACE INTO deploy_hooks (app, id, repo, branch, sealed, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
      h.app,
      h.id,
      h.repo,
      h.branch,
      h.sealed,
      h.createdAt,
      h.createdBy,
    );
  }

  remove(app: string): void {
    this.sql.exec("DELETE FROM deploy_hooks WHERE app = ?", app);
  }

  setRunning(app: string, opId: string | null): void {
    this.sql.exec("UPDATE deploy_hooks SET running_op = ? WHERE app = ?", opId, app);
  }

  setPending(app: string, pending: { sha: string; by: string; delivery: number } | null): void {
    this.sql.exec(
      "UPDATE deploy_hooks SET pending_sha = ?, pending_by = ?, pending_delivery = ? WHERE app = ?",
      pending?.sha ?? null,
      pending?.by ?? null,
      pending?.delivery ?? null,
      app,
    );
  }

  /** The app whose hook started `opId`, if any. */
  appRunning(opId: string): string | undefined {
    return this.sql.exec<{ app: string }>("SELECT app FROM deploy_hooks WHERE running_op = ?", opId).toArray()[0]?.app;
  }

  /** Whether a verified delivery with this id reached the app's hook before. */
  seen(app: string, deliveryId: string): boolean {
    return this.sql.exec("SELECT 1 FROM hook_deliveries WHERE app = ? AND delivery_id = ? AND verified = 1", app, deliveryId).toArray().length > 0;
  }

  /** List a delivery; its number. Only `verified` ones count as seen (a forged one cannot use up an id). */
  record(app: string, at: number, d: Omit<Delivery, "seq" | "at"> & { verified: boolean }): number {
    const seq = this.sql
      .exec<{ seq: number }>(
        "INSERT INTO hook_deliveries (app, at, sender, delivery_id, verified, event, branch, sha, by, outcome, reason, op_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq",
        app,
        at,
        d.sender,
        d.deliveryId,
        d.verified ? 1 : 0,
        d.event,
        d.branch,
        d.sha,
        d.by,
        d.outcome,
        d.reason,
        d.opId,
      )
      .one().seq;
    this.sql.exec(
      "DELETE FROM hook_deliveries WHERE app = ? AND seq NOT IN (SELECT seq FROM hook_deliveries WHERE app = ? ORDER BY seq DESC LIMIT ?)",
      app,
      app,
      DELIVERIES_KEPT,
    );
    return seq;
  }

  /** Say what finally became of a delivery (a queued one deployed or superseded, a deploy that ended). */
  update(seq: number, outcome: DeliveryOutcome, reason: string, opId: string | null = null): void {
    this.sql.exec("UPDATE hook_deliveries SET outcome = ?, reason = ?, op_id = COALESCE(?, op_id) WHERE seq = ?", outcome, reason, opId, seq);
  }

  /** The delivery that started `opId`. */
  deliveryOf(opId: string): number | undefined {
    return this.sql.exec<{ seq: number }>("SELECT seq FROM hook_deliveries WHERE op_id = ?", opId).toArray()[0]?.seq;
  }

  /** The app's newest deliveries, newest first. */
  deliveries(app: string, limit = 50): Delivery[] {
    return this.sql
      .exec<Named<Delivery>>(
        "SELECT seq, at, sender, delivery_id AS deliveryId, event, branch, sha, by, outcome, reason, op_id AS opId FROM hook_deliveries WHERE app = ? ORDER BY seq DESC LIMIT ?",
        app,
        limit,
      )
      .toArray();
  }
}
