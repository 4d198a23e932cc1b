import { beforeAll, describe, expect, it } from "vitest";
import { isChangeOp, opName, type HistoryEntry } from "../../protocol/ops.js";
import type { CommandRecord } from "../../relay/history/store.js";
import { historyOf, seedHistory } from "../support/history.js";
import { useStack } from "../support/use-stack.js";

/**
 * History as an operator reads it, through the real edge and relay: changes by default, every
 * command (failed reads too) under show=all, strictly newest first within one second, and an ended
 * database change's page titled as it ran.
 */
const second = Date.UTC(2026, 0, 1, 12, 0, 0);
/** Five commands in one second, written out of start order; one is a read that failed. */
const seeded: Array<Partial<CommandRecord> & { opId: string; startedAt: number }> = [
  { opId: "00000000-0000-4000-8000-000000000001", startedAt: second + 400, op: "apps.list", argv: ["dokku", "apps:list"] },
  { opId: "00000000-0000-4000-8000-000000000002", startedAt: second + 100, op: "apps.restart", argv: ["dokku", "ps:restart", "api"], app: "api" },
  {
    opId: "00000000-0000-4000-8000-000000000003",
    startedAt: second + 900,
    op: "databases.list",
    argv: ["dokku", "mysql:list"],
    outcome: "error",
    exitCode: 1,
    stderr: " !     mysql:list is not a dokku command.",
  },
  { opId: "00000000-0000-4000-8000-000000000004", startedAt: second + 400, op: "config.set", argv: ["dokku", "config:set", "api", "A=***"], app: "api" },
  { opId: "00000000-0000-4000-8000-000000000005", startedAt: second + 0, op: "apps.detail", argv: ["dokku", "ps:report", "api"], app: "api" },
];
/** Newest start first; for the same start, the row written last first. */
const newestFirst = [3, 4, 1, 2, 5].map((n) => `00000000-0000-4000-8000-00000000000${n}`);

const stack = useStack();
beforeAll(async () => {
  await seedHistory(stack.relays.demo!.db, seeded.length, (i) => ({
    host: "demo",
    op: "apps.list",
    app: null,
    argv: ["dokku"],
    exitCode: 0,
    outcome: "ok",
    stdout: "",
    stderr: "",
    durationMs: 5,
    requestedBy: "admin",
    finishedAt: seeded[i]!.startedAt + 5,
    ...seeded[i]!,
  }));
});

const get = (path: string) => fetch(`${stack.url}${path}`, { headers: { cookie: stack.cookie }, redirect: "manual" });
const rowIds = (html: string) => [...html.matchAll(/data-history-id="(\d+)"/g)].map((m) => Number(m[1]));
const isChange = (e: HistoryEntry) => {
  const op = opName.safeParse(e.op);
  return op.success && isChangeOp(op.data);
};
/** The relay's rows, newest first as history orders them. */
const newest = () => historyOf(stack.relays.demo!.db).sort((a, b) => b.startedAt - a.startedAt || b.id - a.id);

describe("an ended database change", () => {
  it("keeps its title in history, and its page shows it rather than the op name", async () => {
    const res = await fetch(`${stack.url}/hosts/demo/databases`, {
      method: "POST",
      headers: { cookie: stack.cookie, origin: stack.url, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ plugin: "postgres", service: "hist-db" }),
      redirect: "manual",
    });
    expect(res.status).toBe(200);
    const rows = historyOf(stack.relays.demo!.db).filter((e) => e.op === "databases.create");
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((e) => e.title === "Create postgres database hist-db")).toBe(true);
    const page = await (await get(`/hosts/demo/ops/${rows[0]!.opId}`)).text();
    expect(page).toContain("<h1>Create postgres database hist-db</h1>");
    // reads keep no title
    expect(
      historyOf(stack.relays.demo!.db)
        .filter((e) => !isChange(e))
        .every((e) => e.title === null),
    ).toBe(true);
  });
});

describe("the host's History page", () => {
  it("lists only changes by default, newest first", async () => {
    const html = await (await get("/hosts/demo/history")).text();
    const changes = newest().filter(isChange);
    expect(rowIds(html)).toEqual(changes.slice(0, 50).map((e) => e.id));
    expect(html).toContain("Create postgres database hist-db");
    expect(html).toContain(`Changes 1–${Math.min(50, changes.length)} of ${changes.length}, newest first.`);
  });

  it("lists every command with show=all, and finds the read that failed", async () => {
    const html = await (await get("/hosts/demo/history?show=all")).text();
    const all = newest();
    expect(all.some((e) => !isChange(e))).toBe(true);
    expect(rowIds(html)).toEqual(all.slice(0, 50).map((e) => e.id));
    const failed = await (await get("/hosts/demo/history?show=all&outcome=error&op=databases.list")).text();
    expect(failed).toContain("mysql:list is not a dokku command.");
    const hidden = await (await get("/hosts/demo/history?outcome=error&op=databases.list")).text();
    expect(hidden).toContain("No changes match.");
    expect(hidden).toContain("databases.list is a read, and reads are left out");
  });

  it("orders rows of one second strictly newest first, on the page and in the export", async () => {
    const day = "from=2026-01-01&to=2026-01-01";
    const page = await (await get(`/hosts/demo/history?show=all&${day}`)).text();
    const byId = new Map(historyOf(stack.relays.demo!.db).map((e) => [e.id, e.opId]));
    expect(rowIds(page).map((id) => byId.get(id))).toEqual(newestFirst);
    const json = (await (await get(`/hosts/demo/history/export.json?show=all&${day}`)).json()) as HistoryEntry[];
    expect(json.map((e) => e.opId)).toEqual(newestFirst);
    const csv = await (await get(`/hosts/demo/history/export.csv?${day}`)).text();
    expect(
      csv
        .trim()
        .split("\r\n")
        .slice(1)
        .map((l) => l.split(",")[1]),
    ).toEqual(newestFirst.filter((_, i) => i === 1 || i === 3));
  });
});

describe("an app's History tab", () => {
  it("lists the app's changes by default and every command with show=all", async () => {
    const forApi = newest().filter((e) => e.app === "api");
    const changes = await (await get("/hosts/demo/apps/api/history")).text();
    expect(rowIds(changes)).toEqual(
      forApi
        .filter(isChange)
        .slice(0, 50)
        .map((e) => e.id),
    );
    const all = await (await get("/hosts/demo/apps/api/history?show=all")).text();
    expect(rowIds(all)).toEqual(forApi.slice(0, 50).map((e) => e.id));
  });
});
