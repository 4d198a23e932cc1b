import { eq, sql } from "drizzle-orm";
import type { RelayDb } from "./db/open.js";
import { commands } from "./db/schema.js";

/** A value bound at run time to the prepared statement's parameter of the same name. */
const p = (name: string) => sql.placeholder(name);

/** A placeholder as an SQL expression, for update's set(). */
const bound = (name: string) => sql`${sql.placeholder(name)}`;

/** Every written column of a history row, each bound by its own name (drizzle encodes argv's JSON). */
const row = {
  opId: p("opId"),
  host: p("host"),
  op: p("op"),
  app: p("app"),
  argv: p("argv"),
  exitCode: p("exitCode"),
  outcome: p("outcome"),
  stdout: p("stdout"),
  stderr: p("stderr"),
  durationMs: p("durationMs"),
  requestedBy: p("requestedBy"),
  startedAt: p("startedAt"),
  finishedAt: p("finishedAt"),
  title: p("title"),
};

/**
 * The history writes every command makes (one row per read; a row at start and its completion for a
 * change), built and prepared once per database: drizzle would otherwise build their SQL, and SQLite
 * parse it, for every command. Parameters are named as the columns of `commands`.
 */
export function prepareHistoryWrites(db: RelayDb) {
  return {
    /** A whole row (a read, or a refused op): every column of `row`; returns its id. */
    insert: db.insert(commands).values(row).returning({ id: commands.id }).prepare(),
    /** A row as its command starts; returns its id. */
    start: db.insert(commands).values(row).returning({ id: commands.id }).prepare(),
    /** Completes row `id`: exitCode, outcome, stdout, stderr, durationMs, finishedAt. */
    finish: db
      .update(commands)
      // (set() takes SQL, not placeholders: these columns need no encoding, so the values bind as they are.)
      .set({
        exitCode: bound("exitCode"),
        outcome: bound("outcome"),
        stdout: bound("stdout"),
        stderr: bound("stderr"),
        durationMs: bound("durationMs"),
        finishedAt: bound("finishedAt"),
      })
      .where(eq(commands.id, sql.placeholder("id")))
      .prepare(),
  };
}
