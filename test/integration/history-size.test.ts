import { beforeAll, describe, expect, it } from "vitest";
import { MAX_FRAME_BYTES } from "../../protocol/frames.js";
import type { HistoryEntry } from "../../protocol/ops.js";
import type { CommandRecord } from "../../relay/history/store.js";
import { historyOf, seedHistory } from "../support/history.js";
import { useStack } from "../support/use-stack.js";

/**
 * No history reply is too big for the link, whose frames are capped at MAX_FRAME_BYTES: through the
 * real edge and relays, a history page over rows holding 64 KiB of output per stream loads (as
 * excerpts), a row's own page has its whole output, and an export of 100,000 rows arrives whole.
 */
const KIB64 = 64 * 1024;
const BIG_ROWS = 60;
const EXPORT_ROWS = 100_000;

/** Exactly 64 KiB of build-log-like text, marked at its start, middle and end. */
function bigOutput(i: number): string {
  const head = `BEGIN-${i}\n`;
  const mid = `\nMIDDLE-${i}\n`;
  const tail = `\nEND-${i}`;
  const fill = (n: number) => "=====  log line of a long build 0123456789\n".repeat(Math.ceil(n / 43) + 1).slice(0, n);
  const room = KIB64 - head.length - mid.length - tail.length;
  return head + fill(Math.floor(room / 2)) + mid + fill(Math.ceil(room / 2)) + tail;
}

const base = Date.UTC(2026, 0, 1);
const record = (i: number, over: Partial<CommandRecord>): CommandRecord => ({
  opId: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
  host: "demo",
  op: "apps.rebuild",
  app: "api",
  argv: ["dokku", "ps:rebuild", "api"],
  exitCode: 0,
  outcome: "ok",
  stdout: "",
  stderr: "",
  durationMs: 1000 + i,
  requestedBy: "admin",
  startedAt: base + i * 1000,
  finishedAt: base + i * 1000 + 900,
  ...over,
});

const stack = useStack({ hosts: ["demo", "bulk"] });
beforeAll(async () => {
  // Colour codes escape to 6 bytes each in JSON: the stderr of a row weighs more than its 64 KiB.
  await seedHistory(stack.relays.demo!.db, BIG_ROWS, (i) =>
    record(i, { stdout: bigOutput(i), stderr: "\u001b[31m!\u001b[0m\n".repeat(KIB64 / 11).slice(0, KIB64) }),
  );
  await seedHistory(stack.relays.bulk!.db, EXPORT_ROWS, (i) =>
    record(i, {
      host: "bulk",
      op: "apps.restart",
      app: `app-${i % 50}`,
      argv: ["dokku", "ps:restart", `app-${i % 50}`],
      stdout: i === 12_345 ? '=HYPERLINK("http://evil")' : `Restarting app-${i % 50}, run ${i}, done`,
    }),
  );
});

const get = (path: string) => fetch(`${stack.url}${path}`, { headers: { cookie: stack.cookie }, redirect: "manual" });

describe("history pages over rows of 64 KiB of output each", () => {
  let rows: HistoryEntry[];
  beforeAll(() => {
    rows = historyOf(stack.relays.demo!.db).reverse(); // newest first
    expect(rows).toHaveLength(BIG_ROWS);
    // What one page of whole rows would weigh: far past a frame.
    expect(JSON.stringify(rows.slice(0, 50)).length).toBeGreaterThan(4 * MAX_FRAME_BYTES);
  });

  it("loads the host's history page with each row's output cut to its start and end, and the next page", async () => {
    const res = await get("/hosts/demo/history");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.length).toBeLessThan(MAX_FRAME_BYTES);
    const newest = BIG_ROWS - 1;
    expect(html).toContain(`BEGIN-${newest}`);
    expect(html).toContain(`END-${newest}`);
    expect(html).not.toContain(`MIDDLE-${newest}`);
    expect(html).toContain("characters cut");
    expect(html).toContain(`href="/hosts/demo/history/${rows[0]!.id}"`);
    expect(html).toContain(`Changes 1–50 of ${BIG_ROWS}`);
    const older = /<a href="([^"]+)" rel="next">Older<\/a>/.exec(html)?.[1];
    expect(older).toBe("/hosts/demo/history?offset=50");
    const next = await get(older!);
    expect(next.status).toBe(200);
    const nextHtml = await next.text();
    expect(nextHtml).toContain(`END-${BIG_ROWS - 51}`);
    expect(nextHtml).toContain(`Changes 51–${BIG_ROWS} of ${BIG_ROWS}`);
  });

  it("loads the app's history tab over the same rows", async () => {
    const res = await get("/hosts/demo/apps/api/history");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`END-${BIG_ROWS - 1}`);
    expect(html).not.toContain(`MIDDLE-${BIG_ROWS - 1}`);
  });

  it("shows a row's whole output on its own page, and 404 for a row that is not there", async () => {
    const row = rows[0]!;
    const res = await get(`/hosts/demo/history/${row.id}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(row.stdout); // all 64 KiB, the middle too (the text needs no HTML escaping)
    expect(html).toContain(`MIDDLE-${BIG_ROWS - 1}`);
    expect(html).toContain("dokku ps:rebuild api");
    expect((await get("/hosts/demo/history/999999")).status).toBe(404);
    expect((await get("/hosts/demo/history/0")).status).toBe(400);
  });
});

describe("exports of 100,000 rows", () => {
  const ids = (xs: number[]) => {
    for (let i = 1; i < xs.length; i++) if (!(xs[i]! < xs[i - 1]!)) return `not newest first at ${i}`;
    return "newest first";
  };

  it("streams every row as CSV, formula-safe", async () => {
    const res = await get("/hosts/bulk/history/export.csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="docklight-bulk-history-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = (await res.text()).split("\r\n");
    expect(lines[0]).toBe("id,opId,op,app,argv,exitCode,outcome,durationMs,requestedBy,startedAt,finishedAt,stdout,stderr,title");
    expect(lines.at(-1)).toBe("");
    const records = lines.slice(1, -1);
    expect(records).toHaveLength(EXPORT_ROWS);
    expect(ids(records.map((l) => Number(l.split(",")[0])))).toBe("newest first");
    expect(records[0]).toContain(`run ${EXPORT_ROWS - 1}, done`);
    expect(records.at(-1)).toContain("run 0, done");
    expect(records.find((l) => l.includes("HYPERLINK"))).toContain(`"'=HYPERLINK(""http://evil"")"`);
  });

  it("streams every row as one JSON array, and stops at a limit", async () => {
    const res = await get("/hosts/bulk/history/export.json");
    expect(res.status).toBe(200);
    const rows = (await res.json()) as HistoryEntry[];
    expect(rows).toHaveLength(EXPORT_ROWS);
    expect(ids(rows.map((r) => r.id))).toBe("newest first");
    expect(rows[0]!.stdout).toBe(`Restarting app-49, run ${EXPORT_ROWS - 1}, done`);
    expect(new Set(rows.map((r) => r.opId)).size).toBe(EXPORT_ROWS);

    const limited = (await (await get("/hosts/bulk/history/export.json?limit=12000&app=app-7")).json()) as HistoryEntry[];
    expect(limited).toHaveLength(EXPORT_ROWS / 50);
    expect(limited.every((r) => r.app === "app-7")).toBe(true);
    const capped = (await (await get("/hosts/bulk/history/export.json?limit=12000")).json()) as HistoryEntry[];
    expect(capped).toHaveLength(12_000);
    expect(capped.at(-1)!.id).toBe(rows[11_999]!.id);
  });
});
