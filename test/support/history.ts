import { openDb } from "../../relay/history/db/open.js";
import { History, type CommandRecord } from "../../relay/history/store.js";
import type { HistoryEntry } from "../../protocol/ops.js";

/** What a relay's SQLite says it ran, oldest first (read beside the running relay: WAL). */
export function historyOf(dbPath: string): HistoryEntry[] {
  const db = openDb(dbPath);
  try {
    return new History(db, { maxRows: 100_000, maxAgeDays: 3650 }).list(1000, 0).entries.reverse();
  } finally {
    db.$client.close();
  }
}

/**
 * Write `n` rows into a relay's history (beside a running relay: WAL), as `row(i)` makes them, i
 * from 0 (oldest) up; output is capped as the relay caps it. Written 10,000 rows a transaction,
 * with a turn of the event loop after each: a blocked loop would miss that the edge closed an idle
 * keep-alive connection, and fetch would then reuse it ("other side closed").
 */
export async function seedHistory(dbPath: string, n: number, row: (i: number) => CommandRecord): Promise<void> {
  const db = openDb(dbPath);
  try {
    const history = new History(db, { maxRows: 10_000_000, maxAgeDays: 36500 });
    for (let from = 0; from < n; from += 10_000) {
      db.$client.transaction(() => {
        for (let i = from; i < Math.min(n, from + 10_000); i++) history.record(row(i));
      })();
      await new Promise((r) => setTimeout(r, 0));
    }
  } finally {
    db.$client.close();
  }
}

export function commandsIn(dbPath: string, argv: string): HistoryEntry[] {
  return historyOf(dbPath).filter((e) => e.argv.join(" ") === argv);
}

export async function until<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
