import type { OpName } from "../../protocol/ops.js";

/** Read ops whose answers may be reused for a few seconds: the rest are live (health, history, logs). */
const CACHEABLE: ReadonlySet<OpName> = new Set<OpName>([
  "apps.list",
  "apps.detail",
  "apps.scale.show",
  "config.get",
  "domains.report",
  "tls.status",
  "tls.list",
  "plugins.list",
  "databases.overview",
  "databases.list",
  "databases.info",
]);

export const READ_CACHE_TTL_MS = 10_000;

interface Entry {
  app: string | null;
  expires: number;
  value: unknown;
}

/**
 * A short-lived cache of read results for one host, kept in its HostHub's memory (lost when the
 * object hibernates, which is fine for seconds-long entries). A successful change to an app drops
 * that app's entries and every host-wide one (the apps list shows every app's status); a change
 * that names no app drops everything.
 */
export class ReadCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = READ_CACHE_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  static cacheable(op: OpName): boolean {
    return CACHEABLE.has(op);
  }

  private static key(op: OpName, args: Record<string, unknown>): string {
    return `${op} ${JSON.stringify(args, Object.keys(args).sort())}`;
  }

  get(op: OpName, args: Record<string, unknown>): unknown {
    const key = ReadCache.key(op, args);
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.value;
  }

  set(op: OpName, args: Record<string, unknown>, value: unknown): void {
    if (!ReadCache.cacheable(op)) return;
    const app = typeof args.app === "string" ? args.app : null;
    this.entries.set(ReadCache.key(op, args), { app, expires: this.now() + this.ttlMs, value });
  }

  /** After a successful change: forget what it may have made stale. */
  invalidate(args: Record<string, unknown>): void {
    const app = typeof args.app === "string" ? args.app : null;
    for (const [key, entry] of this.entries) {
      if (app === null || entry.app === null || entry.app === app) this.entries.delete(key);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
