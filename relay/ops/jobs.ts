import type { JobInfo } from "../../protocol/frames.js";
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
 * How long an ended change's output stays for a viewer who attaches late, in ms: a fast change can
 * end before its own starter's attach arrives, and a second viewer may open its page just after.
 */
export const ENDED_KEEP_MS = 60_000;
/** At most this many characters of ended changes' output are kept in all; the oldest ended go first. */
export const ENDED_KEEP_CHARS = 2 * 1024 * 1024;

/**
 * The changes the relay is running. A change runs to its end whoever watches: only its timeout
 * or an explicit cancel stops it. At most one change per app runs at a time — a second one is
 * refused at once, naming the running one (Dokku's own deploy lock would refuse it half-way,
 * after it had already done part of its work). Host-wide changes (no app) are not serialised.
 */
export class JobRegistry {
  private readonly byId = new Map<string, Job>();
  private readonly byApp = new Map<string, string>();
  /** Changes that ended within ENDED_KEEP_MS, in the order they ended: their output, for late viewers. */
  private readonly ended = new Map<string, { output: OutputBuffer; at: number }>();
  private endedChars = 0;

  constructor(
    private readonly bufferChars?: number,
    private readonly now: () => number = Date.now,
  ) {}

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

  /** The change ended (any outcome): free its app, and keep its output a while for late viewers. */
  finish(opId: string): void {
    const job = this.byId.get(opId);
    if (!job) return;
    this.byId.delete(opId);
    if (job.info.app !== null && this.byApp.get(job.info.app) === opId) this.byApp.delete(job.info.app);
    this.ended.set(opId, { output: job.output, at: this.now() });
    this.endedChars += job.output.keptChars;
    this.pruneEnded();
  }

  /** The output of a change that ended within ENDED_KEEP_MS (and is still within ENDED_KEEP_CHARS), else undefined. */
  endedOutput(opId: string): OutputBuffer | undefined {
    this.pruneEnded();
    return this.ended.get(opId)?.output;
  }

  private pruneEnded(): void {
    const oldest = this.now() - ENDED_KEEP_MS;
    for (const [opId, e] of this.ended) {
      if (e.at >= oldest && this.endedChars <= ENDED_KEEP_CHARS) break;
      this.ended.delete(opId);
      this.endedChars -= e.output.keptChars;
    }
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
