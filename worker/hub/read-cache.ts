import { appOf, freshMsOf, invalidatedByRead, invalidatesOf, isChangeOp, isSecretRead, type OpName } from "../../protocol/ops.js";
import { FRESH_MS, SERVE_STALE_MS } from "../../protocol/ops/spec.js";
import { MemoryCacheStore, type CacheStore } from "./read-cache-store.js";

interface Scoped {
  op: OpName;
  /** The app the read named, or null for a read that names none (a list, a database's info). */
  app: string | null;
}

interface Loading extends Scoped {
  promise: Promise<unknown>;
  /** A change made this read's answer stale while it ran: it is not stored. */
  stale: boolean;
}

/** A stored result: how old it is (ms) and whether it is still within its op's freshness. */
export interface CacheHit {
  value: unknown;
  ageMs: number;
  fresh: boolean;
}

/**
 * A cache of read results for one host. Each op's declaration says how long its result stays fresh
 * (`freshMs`, 0 = never cached) and what a change makes stale (`invalidates`), see
 * protocol/ops/spec.ts. A result past its freshness is still offered (with its age) for
 * SERVE_STALE_MS more, so a page can show it at once while it is read again. Reads of the same op
 * and arguments that overlap share one trip to the host (`fetch`), and a result a change made
 * stale while it was being read is never stored. Results live in `store` (the HostHub's storage,
 * so they outlive its hibernation), except those of reads declared `secret`, which stay in memory.
 */
export class ReadCache {
  private readonly secrets = new MemoryCacheStore();
  private readonly loading = new Map<string, Loading>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly staleMs = SERVE_STALE_MS,
    private readonly store: CacheStore = new MemoryCacheStore(),
  ) {}

  static cacheable(op: OpName): boolean {
    return freshMsOf(op) > 0;
  }

  private static key(op: OpName, args: Record<string, unknown>): string {
    return `${op} ${JSON.stringify(args, Object.keys(args).sort())}`;
  }

  private storeFor(op: OpName): CacheStore {
    return isSecretRead(op) ? this.secrets : this.store;
  }

  /** The stored result, fresh or stale, with its age; undefined when none is kept (or it is too old to show). */
  read(op: OpName, args: Record<string, unknown>): CacheHit | undefined {
    if (!ReadCache.cacheable(op)) return undefined;
    const key = ReadCache.key(op, args);
    const store = this.storeFor(op);
    const hit = store.get(key);
    if (!hit) return undefined;
    const ageMs = this.now() - hit.at;
    const freshMs = freshMsOf(op);
    if (ageMs >= freshMs + this.staleMs) {
      store.delete([key]);
      return undefined;
    }
    return { value: hit.value, ageMs, fresh: ageMs < freshMs };
  }

  /** The stored result while it is fresh, else undefined. */
  get(op: OpName, args: Record<string, unknown>): unknown {
    const hit = this.read(op, args);
    return hit?.fresh ? hit.value : undefined;
  }

  set(op: OpName, args: Record<string, unknown>, value: unknown): void {
    if (!ReadCache.cacheable(op)) return;
    const store = this.storeFor(op);
    const at = this.now();
    // Nothing older than the longest a result may be shown is worth keeping.
    store.prune(at - Math.max(FRESH_MS, freshMsOf(op)) - this.staleMs);
    store.put(ReadCache.key(op, args), { op, app: appOf(args), at, value });
  }

  /**
   * Read through `load` (one trip to the host), sharing a trip already under way for the same op
   * and arguments. A successful result is stored, unless a change made it stale meanwhile.
   */
  fetch<T extends { kind: string; result?: unknown }>(op: OpName, args: Record<string, unknown>, load: () => Promise<T>): Promise<T> {
    const key = ReadCache.key(op, args);
    const running = this.loading.get(key);
    if (running) return running.promise as Promise<T>;
    const entry: Loading = { op, app: appOf(args), stale: false, promise: Promise.resolve() };
    const promise = load().then(
      (outcome) => {
        if (this.loading.get(key) === entry) this.loading.delete(key);
        if (outcome.kind === "ok" && !entry.stale) this.set(op, args, outcome.result);
        return outcome;
      },
      (e: unknown) => {
        if (this.loading.get(key) === entry) this.loading.delete(key);
        throw e;
      },
    );
    entry.promise = promise;
    this.loading.set(key, entry);
    return promise;
  }

  /**
   * Stale-while-revalidate: a fresh result at once; a stale one at once too, with its age (`ageMs`),
   * while `refresh` is handed the trip that reads it again (offered only when `live()`: a host that
   * is offline is said to be offline, not shown from memory); else one trip through `fetch`.
   */
  serve<T extends { kind: string; result?: unknown }>(
    op: OpName,
    args: Record<string, unknown>,
    load: () => Promise<T>,
    live: () => boolean,
    refresh: (trip: Promise<T>) => void,
  ): Promise<T | { kind: "ok"; result: unknown; ageMs?: number }> {
    const hit = this.read(op, args);
    if (hit?.fresh) return Promise.resolve({ kind: "ok", result: hit.value });
    if (hit && live()) {
      refresh(this.fetch(op, args, load));
      return Promise.resolve({ kind: "ok", result: hit.value, ageMs: hit.ageMs });
    }
    return this.fetch(op, args, load);
  }

  /** Whether the read `r` is one a change with these arguments and declaration (or these reads named: `declared`) makes stale. */
  private static stales(r: Scoped, args: Record<string, unknown>, op: OpName | undefined, named?: readonly string[]): boolean {
    const declared = named ?? (op !== undefined && isChangeOp(op) ? invalidatesOf(op) : "host");
    if (declared === "host") return true;
    if (!declared.includes(r.op)) return false;
    const app = appOf(args);
    return app === null || r.app === null || r.app === app;
  }

  /**
   * After a successful (or possibly successful) change: forget what it made stale, as the change
   * op declares (without an op, everything), and keep reads under way from storing what they bring.
   */
  invalidate(args: Record<string, unknown>, op?: OpName, named?: readonly string[]): void {
    for (const store of [this.store, this.secrets])
      store.delete(
        store
          .scopes()
          .filter((e) => ReadCache.stales(e, args, op, named))
          .map((e) => e.key),
      );
    for (const [key, entry] of this.loading) {
      if (!ReadCache.stales(entry, args, op, named)) continue;
      entry.stale = true;
      this.loading.delete(key);
    }
  }

  /** Forget everything (the relay reconnected: the host may have changed while the link was down). */
  clear(): void {
    this.invalidate({});
  }

  /**
   * An op ended: a change that did (or may have) happened makes what it declares stale; a read that
   * recorded something on the relay makes stale what its answer says (`invalidatedByRead`: a
   * releases.list that noticed a deploy made outside Docklight, the app's drift). Reads are stored by `fetch`.
   */
  learn(op: OpName, args: Record<string, unknown>, outcome: { kind: string; result?: unknown }): void {
    if (isChangeOp(op)) {
      if (outcome.kind === "ok" || outcome.kind === "unknown") this.invalidate(args, op);
      return;
    }
    const stale = outcome.kind === "ok" ? invalidatedByRead(op, outcome.result) : [];
    if (stale.length > 0) this.invalidate(args, op, stale);
  }

  /** How many results are kept. */
  get size(): number {
    return this.store.scopes().length + this.secrets.scopes().length;
  }
}
