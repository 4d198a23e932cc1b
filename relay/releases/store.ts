import { and, desc, eq, isNotNull, lt, sql } from "drizzle-orm";
import type { ReleaseOutcome, ReleaseSource, ReleaseSummary } from "../../protocol/ops.js";
import type { RelayDb } from "../history/db/open.js";
import { releases } from "../history/db/schema.js";
import { diffSnapshots } from "./diff.js";
import { snapshotSchema, type Snapshot } from "./snapshot.js";

/** Releases kept per app: the oldest beyond it are dropped as a new one is recorded. */
export const RELEASES_KEPT = 100;

type Row = typeof releases.$inferSelect;

/** A release as it is written (its number is given by the store). */
export interface NewRelease {
  app: string;
  opId: string | null;
  startedWith: string;
  title: string;
  by: string;
  outside: boolean;
  startedAt: number;
  finishedAt: number | null;
  outcome: ReleaseOutcome;
  source: ReleaseSource;
  buildId: string | null;
  rollbackTo: number | null;
  snapshot: Snapshot | null;
}

/** A release as the relay reads it back: its summary fields and its snapshot (values included: never sent as is). */
export interface Release extends Omit<NewRelease, "snapshot"> {
  number: number;
  snapshot: Snapshot | null;
}

function toRelease(r: Row): Release {
  const { id: _id, sourceKind, sourceSha, sourceRepo, sourceImage, snapshot: stored, outcome, ...fields } = r;
  let snapshot: Snapshot | null = null;
  if (stored !== null) {
    const parsed = snapshotSchema.safeParse(JSON.parse(stored));
    snapshot = parsed.success ? parsed.data : null;
  }
  return {
    ...fields,
    outcome: outcome as ReleaseOutcome,
    source: { kind: sourceKind as ReleaseSource["kind"], sha: sourceSha, repo: sourceRepo, image: sourceImage },
    snapshot,
  };
}

/**
 * The releases of every app on this host, in the relay's SQLite (table `releases`). Numbers count
 * per app from 1; the live release of an app is its newest one that went live (outcome ok, with a
 * snapshot).
 */
export class ReleaseStore {
  constructor(private readonly db: RelayDb) {}

  /** Write a release with the next number of its app (in one transaction), drop the app's oldest past RELEASES_KEPT; returns its number. */
  record(r: NewRelease): number {
    return this.db.transaction((tx) => {
      const last =
        tx
          .select({ n: sql<number>`max(${releases.number})` })
          .from(releases)
          .where(eq(releases.app, r.app))
          .get()?.n ?? 0;
      const number = last + 1;
      const { source, snapshot, ...fields } = r;
      tx.insert(releases)
        .values({
          ...fields,
          number,
          sourceKind: source.kind,
          sourceSha: source.sha,
          sourceRepo: source.repo,
          sourceImage: source.image,
          snapshot: snapshot === null ? null : JSON.stringify(snapshot),
        })
        .run();
      tx.delete(releases)
        .where(and(eq(releases.app, r.app), lt(releases.number, number - RELEASES_KEPT + 1)))
        .run();
      return number;
    });
  }

  /** One release, or null. */
  get(app: string, number: number): Release | null {
    const row = this.db
      .select()
      .from(releases)
      .where(and(eq(releases.app, app), eq(releases.number, number)))
      .get();
    return row ? toRelease(row) : null;
  }

  /** The release running now: the newest that went live, or null. */
  live(app: string): Release | null {
    const row = this.db
      .select()
      .from(releases)
      .where(and(eq(releases.app, app), eq(releases.outcome, "ok"), isNotNull(releases.snapshot)))
      .orderBy(desc(releases.number))
      .limit(1)
      .get();
    return row ? toRelease(row) : null;
  }

  /** Whether a release of `app` already records Dokku's build `buildId`. */
  hasBuild(app: string, buildId: string): boolean {
    return (
      this.db
        .select({ id: releases.id })
        .from(releases)
        .where(and(eq(releases.app, app), eq(releases.buildId, buildId)))
        .get() !== undefined
    );
  }

  /** Record Dokku's build id on a release made by Docklight (read from builds:list once the deploy ended). */
  setBuild(app: string, number: number, buildId: string): void {
    this.db
      .update(releases)
      .set({ buildId })
      .where(and(eq(releases.app, app), eq(releases.number, number)))
      .run();
  }

  /** Set (or clear, "") the tag a release's image is kept under, in its snapshot. */
  setKeptImage(app: string, number: number, tag: string): void {
    const r = this.get(app, number);
    if (!r?.snapshot) return;
    this.db
      .update(releases)
      .set({ snapshot: JSON.stringify({ ...r.snapshot, keptImage: tag }) })
      .where(and(eq(releases.app, app), eq(releases.number, number)))
      .run();
  }

  /** The releases of `app` whose image is kept, newest first: [number, tag]. */
  keptImages(app: string): Array<[number, string]> {
    return this.db
      .select()
      .from(releases)
      .where(and(eq(releases.app, app), isNotNull(releases.snapshot)))
      .orderBy(desc(releases.number))
      .all()
      .map(toRelease)
      .flatMap((r) => (r.snapshot?.keptImage ? [[r.number, r.snapshot.keptImage] as [number, string]] : []));
  }

  /** An app's releases as pages list them, newest first, each with its diff against the live one before it. */
  list(app: string, limit = 50): ReleaseSummary[] {
    // One more than asked, and every older snapshot-bearing one is reached through `before`.
    const rows = this.db.select().from(releases).where(eq(releases.app, app)).orderBy(desc(releases.number)).all().map(toRelease);
    const live = rows.find((r) => r.outcome === "ok" && r.snapshot !== null)?.number ?? null;
    return rows.slice(0, limit).map((r, i) => {
      const before = rows.slice(i + 1).find((p) => p.outcome === "ok" && p.snapshot !== null);
      return summaryOf(r, live, before?.snapshot ?? null);
    });
  }

  /** The newest releases on the host, every app, without diffs. */
  recent(limit = 30): ReleaseSummary[] {
    const rows = this.db.select().from(releases).orderBy(desc(releases.startedAt), desc(releases.id)).limit(limit).all().map(toRelease);
    const lives = new Map<string, number | null>();
    return rows.map((r) => {
      if (!lives.has(r.app)) lives.set(r.app, this.live(r.app)?.number ?? null);
      return summaryOf(r, lives.get(r.app)!, null);
    });
  }
}

/** A release as the edge may see it: no snapshot, only whether there is one and what it changed (keys only). */
export function summaryOf(r: Release, live: number | null, before: Snapshot | null): ReleaseSummary {
  const { snapshot, ...fields } = r;
  return {
    ...fields,
    snapshot: snapshot !== null,
    live: r.number === live,
    diff: snapshot !== null && before !== null ? diffSnapshots(before, snapshot) : null,
  };
}
