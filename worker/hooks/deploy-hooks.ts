import { b64url } from "../auth/password.js";
import type { KeyRing } from "../auth/keys.js";
import { seal, unseal } from "../auth/secret-box.js";
import type { StartOutcome } from "../hub/pending-ops.js";
import { HookStore, type Delivery, type DeliveryOutcome, type Hook } from "./hook-store.js";
import { isPush, readHeaders, readPush, signedWith, type DeliveryHeaders } from "./verify.js";

/** How long a queued commit waits before it is tried again when no deploy end woke it (ms). */
export const RETRY_MS = 30_000;
/** …and while the host is offline. */
const OFFLINE_RETRY_MS = 60_000;

/** What the hooks need from their HostHub. */
export interface HookDeps {
  now(): number;
  /** The key ring the secrets are sealed with. */
  ring(): Promise<KeyRing>;
  /** Start `git.sync` of `sha` from `repo` on `app`, as "webhook (by)"; `onEnded` once it ended. */
  deploy(app: string, repo: string, sha: string, by: string, onEnded: (ok: boolean, message: string) => void): Promise<StartOutcome>;
  /** Run `drain` at `at` (ms since epoch) at the latest (the HostHub's alarm). */
  wake(at: number): Promise<void>;
}

/** How a delivery was answered: the HTTP status its sender gets and what was done. */
export interface DeliveryAnswer {
  status: number;
  outcome: DeliveryOutcome;
  reason: string;
}

/** A hook as its app's Deploy tab shows it (never its secret). */
export type HookView = Pick<Hook, "app" | "id" | "repo" | "branch" | "createdAt" | "createdBy">;

const sealLabel = (hookId: string) => `deploy-hook ${hookId}`;
const short = (sha: string) => sha.slice(0, 7);

/**
 * Push to deploy for one host's apps. A delivery is checked as its sender signs it, a replay
 * (a delivery id seen before) and anything but a push to the followed branch start nothing, and
 * each is listed with why. A push to the branch starts `git.sync` of the pushed commit; while a
 * deploy of the app runs, the newest pushed commit waits (replacing an older one waiting) and
 * deploys when it ends, so a burst of pushes deploys the newest once.
 */
export class DeployHooks {
  private readonly store: HookStore;

  constructor(
    sql: SqlStorage,
    private readonly deps: HookDeps,
  ) {
    this.store = new HookStore(sql);
  }

  /** Set the app's hook (a new URL id and secret; an old hook's URL stops working). The secret is returned once. */
  async set(app: string, repo: string, branch: string, by: string): Promise<{ hook: HookView; secret: string }> {
    const id = b64url.encode(crypto.getRandomValues(new Uint8Array(16)));
    const secret = b64url.encode(crypto.getRandomValues(new Uint8Array(32)));
    const sealed = await seal(secret, (await this.deps.ring()).current, sealLabel(id));
    const hook = { app, id, repo, branch, sealed, createdAt: this.deps.now(), createdBy: by };
    this.store.put(hook);
    return { hook: view(hook), secret };
  }

  remove(app: string): void {
    this.store.remove(app);
  }

  /** The app's hook and its newest deliveries. */
  show(app: string): { hook: HookView | null; deliveries: Delivery[] } {
    const hook = this.store.byApp(app);
    return { hook: hook ? view(hook) : null, deliveries: this.store.deliveries(app) };
  }

  /**
   * One delivery to hook `hookId`: `body` null when it was over the size limit (not read).
   * Null when no hook has this id (nothing to list it on).
   */
  async deliver(hookId: string, headers: Headers, body: Uint8Array | null): Promise<DeliveryAnswer | null> {
    const hook = this.store.byId(hookId);
    if (!hook) return null;
    const h = readHeaders(headers);
    const base = { sender: h?.sender ?? null, deliveryId: h?.deliveryId ?? null, event: h?.event ?? null, branch: null, sha: null, by: null, opId: null };
    const refuse = (status: number, reason: string): DeliveryAnswer => {
      this.store.record(hook.app, this.deps.now(), { ...base, verified: false, outcome: "refused", reason });
      return { status, outcome: "refused", reason };
    };
    if (body === null) return refuse(413, "the body is over the size limit");
    if (!h) return refuse(400, "not a GitHub, GitLab or Gitea/Forgejo delivery (no event header)");
    const secret = await unseal(hook.sealed, await this.deps.ring(), sealLabel(hook.id));
    if (!secret) return refuse(500, "the hook's secret cannot be opened (the edge's SESSION_SECRET changed): set the hook again");
    if (!(await signedWith(h, body, secret.plain))) return refuse(401, h.sender === "gitlab" ? "bad token" : "bad signature");
    if (h.deliveryId === null) return refuse(400, "the delivery carries no delivery id");
    // From here the delivery is the sender's: its id counts as seen (checked and listed at once, no await between).
    if (this.store.seen(hook.app, h.deliveryId)) return refuse(409, `replay (delivery ${h.deliveryId} was received before)`);
    const list = (outcome: DeliveryOutcome, reason: string, more: Partial<Delivery> = {}) =>
      this.store.record(hook.app, this.deps.now(), { ...base, ...more, verified: true, outcome, reason });
    const ignore = (status: number, reason: string, more: Partial<Delivery> = {}): DeliveryAnswer => (
      list("ignored", reason, more),
      { status, outcome: "ignored", reason }
    );
    if (!isPush(h)) return ignore(200, `a ${h.event || "nameless"} event, not a push`);
    const read = readPush(body);
    if (!read.ok) return ignore(400, read.reason);
    const { push } = read;
    const seen = { branch: push.branch, sha: push.sha, by: push.by };
    if (push.branch === null) return ignore(200, "a tag, not a branch", seen);
    if (push.branch !== hook.branch) return ignore(200, `other branch: ${push.branch} (the hook follows ${hook.branch})`, seen);
    if (push.sha === null) return ignore(200, `the branch ${push.branch} was deleted`, seen);
    const seq = list("queued", "received", seen);
    return this.deployOrQueue(hook, push.sha, push.by, seq);
  }

  /** Start the deploy of `sha` now, or let it wait for the app's running deploy (it replaces an older commit waiting). */
  private async deployOrQueue(hook: Hook, sha: string, by: string, seq: number): Promise<DeliveryAnswer> {
    if (hook.runningOp !== null) return this.queue(hook, sha, by, seq, "a deploy of this app is running: this commit deploys when it ends", RETRY_MS);
    this.store.setRunning(hook.app, "starting");
    const started = await this.deps.deploy(hook.app, hook.repo, sha, by, (ok, message) => this.ended(hook.app, seq, sha, ok, message));
    if (started.kind === "started") {
      this.store.setRunning(hook.app, started.opId);
      this.store.update(seq, "deployed", `deploying ${short(sha)} of ${hook.branch}`, started.opId);
      return { status: 202, outcome: "deployed", reason: `deploying ${short(sha)}` };
    }
    this.store.setRunning(hook.app, null);
    if (started.kind === "error" && started.code === "busy")
      return this.queue(hook, sha, by, seq, "another change to this app is running: this commit deploys when it ends", RETRY_MS);
    if (started.kind === "offline") return this.queue(hook, sha, by, seq, "the host is offline: this commit deploys when it is back", OFFLINE_RETRY_MS);
    const reason = started.message;
    this.store.update(seq, "failed", reason);
    return { status: 202, outcome: "failed", reason };
  }

  private async queue(hook: Hook, sha: string, by: string, seq: number, why: string, retryMs: number): Promise<DeliveryAnswer> {
    const older = this.store.byApp(hook.app)?.pendingDelivery;
    if (older !== null && older !== undefined && older !== seq) this.store.update(older, "superseded", `superseded by a newer push (${short(sha)})`);
    this.store.setPending(hook.app, { sha, by, delivery: seq });
    this.store.update(seq, "queued", why);
    await this.deps.wake(this.deps.now() + retryMs);
    return { status: 202, outcome: "queued", reason: why };
  }

  /** A deploy a hook started ended: it is said on its delivery, and the commit waiting (if any) deploys now. */
  private ended(app: string, seq: number, sha: string, ok: boolean, message: string): void {
    const hook = this.store.byApp(app);
    this.store.update(seq, ok ? "deployed" : "failed", ok ? `deployed ${short(sha)}` : `the deploy of ${short(sha)} ended: ${message}`);
    if (!hook) return;
    this.store.setRunning(app, null);
    if (hook.pendingSha !== null) void this.deps.wake(this.deps.now());
  }

  /** The alarm: each app's waiting commit is tried again (the relay says "busy" while a deploy still runs). */
  async drain(): Promise<void> {
    for (const hook of this.store.pending()) {
      if (hook.runningOp === "starting") continue;
      const { pendingSha: sha, pendingBy: by, pendingDelivery: seq } = hook;
      this.store.setPending(hook.app, null);
      await this.deployOrQueue({ ...hook, runningOp: null, pendingDelivery: null }, sha!, by ?? "unknown", seq!);
    }
  }
}

function view(h: Pick<Hook, "app" | "id" | "repo" | "branch" | "createdAt" | "createdBy">): HookView {
  return { app: h.app, id: h.id, repo: h.repo, branch: h.branch, createdAt: h.createdAt, createdBy: h.createdBy };
}

export type { DeliveryHeaders };
