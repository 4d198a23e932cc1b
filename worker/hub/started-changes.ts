import type { JobInfo } from "../../protocol/frames.js";

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
export async function startedChange(storage: DurableObjectStorage, opId: string): Promise<JobInfo | null> {
  return (await storage.get<JobInfo>(`${PREFIX}${opId}`)) ?? null;
}
