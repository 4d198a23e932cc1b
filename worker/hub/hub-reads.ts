import type { OpName } from "../../protocol/ops.js";
import { ALERTS_PRINCIPAL, type AlertDeps } from "../alerts/hub-alerts.js";
import { startedChanges } from "./started-changes.js";
import type { Principal } from "../../protocol/principal.js";
import { LastKnown, type KnownRead } from "./last-known.js";
import type { Outcome } from "./outcome.js";
import { ReadCache } from "./read-cache.js";

/** Signs and sends one read to the relay and resolves with how it ended (OpSender.send). */
export type SendRead = <N extends OpName>(op: N, args: Record<string, unknown>, principal: Principal) => Promise<Outcome<N>>;

/**
 * How a HostHub answers a read the policy allowed: from its read cache (stale-while-revalidate,
 * one trip to the host at most), straight from the host, or, while the relay is offline, with the
 * last known state (`asOf` when it was read). Whatever the host gives is kept as that state.
 */
export class HubReads {
  /** What each read last gave, shown while the relay is offline (kept apart from the cache, which a reconnect empties). */
  private readonly lastKnown: LastKnown;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly cache: ReadCache,
    private readonly send: SendRead,
    /** Whether a relay is connected now. */
    private readonly online: () => boolean,
  ) {
    this.lastKnown = new LastKnown(ctx.storage.sql);
  }

  /** Read `op` for `principal` (already allowed by the policy). */
  async answer<N extends OpName>(op: N, args: Record<string, unknown>, principal: Principal): Promise<Outcome<N>> {
    // Offline, a read answers with what the host last said, `asOf` when (even a fresh cache hit: the page must know).
    if (!this.online()) return this.lastKnown.answer(op, args, { kind: "offline", message: "the host's relay is not connected" });
    const outcome = ReadCache.cacheable(op) ? await this.cached(op, args, principal) : await this.once(op, args, principal);
    return outcome.kind === "offline" ? this.lastKnown.answer(op, args, outcome) : outcome;
  }

  /** A read straight from the host; what it gives is kept as the last known state. */
  async once<N extends OpName>(op: N, args: Record<string, unknown>, principal: Principal): Promise<Outcome<N>> {
    return this.lastKnown.kept(op, args, await this.send(op, args, principal));
  }

  /** `op` without arguments as the read cache holds it (a change that made it stale has dropped it), or undefined. */
  known(op: OpName): KnownRead | undefined {
    const hit = this.cache.read(op, {});
    return hit ? { value: hit.value, at: Date.now() - hit.ageMs } : undefined;
  }

  /** What the alert checks of this host read (worker/alerts/hub-alerts.ts), through this. */
  forAlerts(): AlertDeps {
    return {
      online: this.online,
      lastSeen: async () => (await this.ctx.storage.get<number>("lastSeen")) ?? null,
      // The read cache: a change that made a read stale has dropped it, so a stopped app is not hidden by an older read.
      known: (op) => this.known(op),
      // Straight from the host (what it gives is kept as the last known state, and the cache learns it).
      read: async (op) => {
        const r = this.online() ? await this.once(op, {}, ALERTS_PRINCIPAL) : null;
        return r?.kind === "ok" ? r.result : null;
      },
      changes: () => startedChanges(this.ctx.storage),
    };
  }

  /** A cacheable read, stale-while-revalidate (ReadCache.serve), one trip to the host at most. */
  private cached<N extends OpName>(op: N, args: Record<string, unknown>, principal: Principal): Promise<Outcome<N>> {
    return this.cache.serve(
      op,
      args,
      () => this.once(op, args, principal),
      this.online,
      (trip) => this.ctx.waitUntil(trip),
    ) as Promise<Outcome<N>>;
  }
}
