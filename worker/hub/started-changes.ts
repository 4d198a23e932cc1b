import type { ErrorCode, JobInfo } from "../../protocol/frames.js";
import type { OpName } from "../../protocol/ops.js";
import type { Outcome } from "./outcome.js";

/** How many changes a HostHub remembers having started (the newest are kept). */
export const STARTED_KEEP = 500;

const PREFIX = "started:";

/**
 * The changes this host's hub saw start, kept in its storage: a change's page can then say
 * "outcome unknown" for a change that exists, when the relay connected now has no record of it
 * (it was replaced or reinstalled with another history) or no relay is connected to ask.
 */
export async function rememberStarted(storage: DurableObjectStorage, job: JobInfo): Promise<void> {
  await storage.put(`${PREFIX}${job.opId}`, job);
  const all = await storage.list<JobInfo>({ prefix: PREFIX });
  if (all.size <= STARTED_KEEP) return;
  const oldest = [...all.entries()].sort(([, a], [, b]) => a.startedAt - b.startedAt).slice(0, all.size - STARTED_KEEP);
  await storage.delete(oldest.map(([key]) => key));
}

/** The change `opId` as it started here, or null when this hub never saw it start (or forgot it). */
export async function startedChange(storage: DurableObjectStorage, opId: string): Promise<StartedChange | null> {
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
export async function rememberEnded(
  storage: DurableObjectStorage,
  opId: string,
  outcome: { kind: string; code?: string; message?: string },
  at: number,
): Promise<void> {
  const job = await storage.get<StartedChange>(`${PREFIX}${opId}`);
  if (!job || job.ended) return;
  const ended: ChangeEnd = { ok: outcome.kind === "ok", kind: outcome.kind, code: outcome.code ?? null, message: (outcome.message ?? "").slice(0, 2000), at };
  await storage.put(`${PREFIX}${opId}`, { ...job, ended });
}

/** Every change this hub remembers (the newest STARTED_KEEP), with its end when known. */
export async function startedChanges(storage: DurableObjectStorage): Promise<StartedChange[]> {
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
