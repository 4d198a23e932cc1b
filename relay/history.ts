import { count, desc, lt, sql } from "drizzle-orm";
import type { HistoryEntry } from "../protocol/ops.js";
import type { RelayDb } from "./db/open.js";
import { commands, rejections } from "./db/schema.js";

/** Output kept per stream per command; the rest is cut with a marker. */
export const HISTORY_OUTPUT_CAP = 64 * 1024;

export type CommandRecord = Omit<HistoryEntry, "id"> & { host: string; app: string | null };

export interface Retention {
  maxRows: number;
  maxAgeDays: number;
}

export function capOutput(text: string, cap = HISTORY_OUTPUT_CAP): string {
  if (text.length <= cap) return text;
  return `${text.slice(0, cap)}\n[… ${text.length - cap} more characters not kept]`;
}

/** The relay's record of every command it ran, in SQLite through drizzle. */
export class History {
  constructor(
    private readonly db: RelayDb,
    private readonly retention: Retention,
  ) {}

  record(entry: CommandRecord): void {
    this.db
      .insert(commands)
      .values({ ...entry, stdout: capOutput(entry.stdout), stderr: capOutput(entry.stderr) })
      .run();
  }

  reject(opId: string | null, op: string | null, reason: string): void {
    this.db.insert(rejections).values({ opId, op, reason, at: Date.now() }).run();
  }

  list(limit: number, offset: number): { entries: HistoryEntry[]; total: number } {
    const rows = this.db.select().from(commands).orderBy(desc(commands.id)).limit(limit).offset(offset).all();
    const total = this.db.select({ n: count() }).from(commands).get()?.n ?? 0;
    return {
      total,
      entries: rows.map((r) => ({
        id: r.id,
        opId: r.opId,
        op: r.op,
        argv: r.argv,
        exitCode: r.exitCode,
        outcome: r.outcome,
        durationMs: r.durationMs,
        requestedBy: r.requestedBy,
        startedAt: r.startedAt,
        finishedAt: r.finishedAt,
        stdout: r.stdout,
        stderr: r.stderr,
      })),
    };
  }

  /** Drop rows older than the age limit, then the oldest rows past the row limit. */
  prune(now = Date.now()): number {
    const cutoff = now - this.retention.maxAgeDays * 86_400_000;
    const byAge = this.db.delete(commands).where(lt(commands.startedAt, cutoff)).run().changes;
    const byCount = this.db
      .delete(commands)
      .where(
        sql`${commands.id} <= (SELECT id FROM ${commands} ORDER BY id DESC LIMIT 1 OFFSET ${this.retention.maxRows})`,
      )
      .run().changes;
    return byAge + byCount;
  }
}
