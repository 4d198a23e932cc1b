import type { ErrorCode, JobInfo } from "../../protocol/frames.js";
import type { OpName } from "../../protocol/ops.js";
import type { Outcome } from "./outcome.js";

/** How many changes a HostHub remembers having started (the newest are kept). */
export const STARTED_KEEP = 500;
/** The oldest go in batches: up to this many more than STARTED_KEEP are kept until the next prune. */
export const STARTED_PRUNE_BATCH = 50;

const PREFIX = "started:";

/** The part of a Durable Object's storage (its key-value API) the kept changes live in. */
export interface KvStorage {
  put(key: string, value: unknown): Promise<void>;
  get<T>(key: string): Promise<T | undefined>;
  list<T>(options: { prefix: string }): Promise<Map<string, T>>;
  delete(keys: string[]): Promise<number>;
}
/** Most keys one storage.delete takes. */
const DELETE_MAX = 128;

/**
 * How many changes each hub's storage keeps: listed once per object instance (the first start after
 * it woke), then counted here. Only that instance writes its storage, so the count stays true;
 * listing all 500 on every start was most of what a change's start cost the hub.
 */
const keptCount = new WeakMap<KvStorage, number>();

/**
 * The changes this host's hub saw start, kept in its storage: a change's page can then say
 * "outcome unknown" for a change that exists, when the relay connected now has no record of it
 * (it was replaced or reinstalled with another history) or no relay is connected to ask. At least
 * the newest STARTED_KEEP are kept, at most STARTED_PRUNE_BATCH more.
 */
export async function rememberStarted(storage: KvStorage, job: JobInfo): Promise<void> {
  // Kept once: a change's "started" frame and its result (which names its job too) may come in
  // either order, and the second must not write over an end the first already kept beside it.
  if ((await storage.get(`${PREFIX}${job.opId}`)) !== undefined) return;
  const counted = keptCount.get(storage);
  if (counted !== undefined) keptCount.set(storage, counted + 1);
  await storage.put(`${PREFIX}${job.opId}`, job);
  const kept = keptCount.get(storage) ?? (await storage.list({ prefix: PREFIX })).size;
  keptCount.set(storage, kept);
  if (kept <= STARTED_KEEP + STARTED_PRUNE_BATCH) return;
  const all = await storage.list<JobInfo>({ prefix: PREFIX });
  const oldest = [...all.entries()]
    .sort(([, a], [, b]) => a.startedAt - b.startedAt)
    .slice(0, Math.max(0, all.size - STARTED_KEEP))
    .map(([key]) => key);
  for (let i = 0; i < oldest.length; i += DELETE_MAX) await storage.delete(oldest.slice(i, i + DELETE_MAX));
  keptCount.set(storage, all.size - oldest.length);
}

/** The change `opId` as it started here, or null when this hub never saw it start (or forgot it). */
export async function startedChange(storage: KvStorage, opId: string): Promise<StartedChange | null> {
  return (await storage.get<StartedChange>(`${PREFIX}${opId}`)) ?? null;
}

/** How a change this hub saw start ended, as kept beside it: ok, or its error's kind, code and message (at most 2,000 characters). */
export interface ChangeEnd {
  ok: boolean;
  kind: string;
  code: string | null;
  message: string;
  /** ms since epoch */
  at: number;
}

/** A change as this hub saw it start, and its end once known. */
export type StartedChange = JobInfo & { ended?: ChangeEnd };

/** Keep how change `opId` ended beside its start (nothing when this hub never saw it start). */
export async function rememberEnded(storage: KvStorage, opId: string, outcome: { kind: string; code?: string; message?: string }, at: number): Promise<void> {
  const job = await storage.get<StartedChange>(`${PREFIX}${opId}`);
  if (!job || job.ended) return;
  const ended: ChangeEnd = { ok: outcome.kind === "ok", kind: outcome.kind, code: outcome.code ?? null, message: (outcome.message ?? "").slice(0, 2000), at };
  await storage.put(`${PREFIX}${opId}`, { ...job, ended });
}

/** Every change this hub remembers (the newest STARTED_KEEP), with its end when known. */
export async function startedChanges(storage: KvStorage): Promise<StartedChange[]> {
  return [...(await storage.list<StartedChange>({ prefix: PREFIX })).values()];
}

/**
 * A kept failure as an outcome (its kind, code and message), or null for one that ended ok: its
 * result (the output) is not kept here, history has it.
 */
export function keptOutcome(end: ChangeEnd): Outcome<OpName> | null {
  if (end.ok) return null;
  if (end.kind === "error") return { kind: "error", code: (end.code ?? "internal") as ErrorCode, message: end.message };
  if (end.kind === "timeout" || end.kind === "offline" || end.kind === "unknown") return { kind: end.kind, message: end.message };
  return { kind: "unknown", message: end.message };
}
