import type { JobInfo } from "../protocol/frames.js";
import { OutputBuffer, type OutputPiece } from "./output-buffer.js";

/** A change running (or waiting for a process slot) on the host, as the dashboard lists it (the frames' shape). */
export type { JobInfo };

/** One running change: its output so far and whether the edge wants its pieces live. */
export interface Job {
  info: JobInfo;
  output: OutputBuffer;
  /** Aborted by an explicit Cancel (never by a viewer leaving). */
  abort: AbortController;
  /** How many attach requests from the edge are open (the edge fans out to its viewers). */
  watchers: number;
}

export type StartVerdict = { ok: true; job: Job } | { ok: false; running: JobInfo };

/**
 * The changes the relay is running. A change runs to its end whoever watches: only its timeout
 * or an explicit cancel stops it. At most one change per app runs at a time — a second one is
 * refused at once, naming the running one (Dokku's own deploy lock would refuse it half-way,
 * after it had already done part of its work). Host-wide changes (no app) are not serialised.
 */
export class JobRegistry {
  private readonly byId = new Map<string, Job>();
  private readonly byApp = new Map<string, string>();

  constructor(private readonly bufferChars?: number) {}

  /** Claim the app for a new change, or say which change holds it. */
  start(info: JobInfo): StartVerdict {
    if (info.app !== null) {
      const holder = this.byApp.get(info.app);
      if (holder !== undefined) return { ok: false, running: this.byId.get(holder)!.info };
      this.byApp.set(info.app, info.opId);
    }
    const job: Job = { info, output: new OutputBuffer(this.bufferChars), abort: new AbortController(), watchers: 0 };
    this.byId.set(info.opId, job);
    return { ok: true, job };
  }

  /** The change ended (any outcome): free its app. */
  finish(opId: string): void {
    const job = this.byId.get(opId);
    if (!job) return;
    this.byId.delete(opId);
    if (job.info.app !== null && this.byApp.get(job.info.app) === opId) this.byApp.delete(job.info.app);
  }

  get(opId: string): Job | undefined {
    return this.byId.get(opId);
  }

  /** Running changes, oldest first. */
  list(): JobInfo[] {
    return [...this.byId.values()].map((j) => j.info).sort((a, b) => a.startedAt - b.startedAt);
  }

  /** The link dropped: nobody on the edge is watching any more. */
  detachAll(): void {
    for (const job of this.byId.values()) job.watchers = 0;
  }

  /** Stop every running change (the relay is shutting down). */
  abortAll(): void {
    for (const job of this.byId.values()) job.abort.abort();
  }
}

export type { OutputPiece };
