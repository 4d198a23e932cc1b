/**
 * Catalog figures (printed, never pass/fail): apps.list on 1, 10, 100 and 500 simulated apps —
 * processes spawned and time — and history insert rate and query time at 100,000 rows, text search
 * through the trigram index (migration 0003) beside the LIKE full scan it replaced.
 * Run: npx tsx bench/catalog.ts
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDb } from "../relay/history/db/open.js";
import { exportPage } from "../relay/history/export.js";
import { History, type CommandRecord } from "../relay/history/store.js";
import { runOp, simRelay } from "../test/support/ops.js";
import { makeSim } from "../test/support/sim.js";
import { changeOpNames } from "../protocol/ops.js";

async function appsListBench(): Promise<void> {
  console.log("apps.list on the simulator (each spawn is a Node+tsx process, ~0.3 s; a real dokku is bash + Go)");
  for (const n of [1, 10, 100, 500]) {
    const sim = makeSim({ seed: "empty" });
    const apps: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      apps[`app-${String(i).padStart(3, "0")}`] = {
        createdAt: 1_700_000_000,
        deployed: i % 4 !== 0,
        running: i % 3 !== 0,
        scale: { web: 1 + (i % 2) },
        config: {},
        domains: [],
      };
    }
    writeFileSync(join(sim.dir, "state.json"), JSON.stringify({ apps, globalDomains: ["demo.dokku.me"], plugins: {}, services: {}, letsencrypt: {} }));
    const ctx = simRelay(sim);
    const t0 = performance.now();
    const res = await runOp(ctx, "apps.list", {});
    const ms = performance.now() - t0;
    console.log(`  ${String(n).padStart(3)} apps: ${ctx.argvs.length} processes, ${ms.toFixed(0)} ms (${res.apps.length} apps parsed)`);
    sim.cleanup();
  }
}

function historyBench(): void {
  const dir = mkdtempSync(join(tmpdir(), "docklight-bench-"));
  const db = openDb(join(dir, "relay.db"));
  const history = new History(db, { maxRows: 1_000_000, maxAgeDays: 36500 }, () => changeOpNames);
  const N = 100_000;
  const base = Date.now() - N * 1000;
  const row = (i: number): CommandRecord => ({
    opId: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    host: "bench",
    op: ["apps.restart", "config.set", "domains.add", "apps.list"][i % 4]!,
    app: `app-${i % 50}`,
    argv: ["dokku", "ps:restart", `app-${i % 50}`],
    exitCode: i % 20 ? 0 : 1,
    outcome: i % 20 ? "ok" : "error",
    stdout: `-----> Deploying web (count=1)\n       Attempting pre-flight checks (web.1)\n       run ${i}\n`,
    stderr: "",
    durationMs: 1200,
    requestedBy: "admin",
    startedAt: base + i * 1000,
    finishedAt: base + i * 1000 + 1200,
  });
  let t0 = performance.now();
  for (let i = 0; i < N; i++) history.record(row(i));
  let ms = performance.now() - t0;
  console.log(`history: ${N} inserts (one statement each, WAL) in ${ms.toFixed(0)} ms = ${Math.round(N / (ms / 1000))} rows/s`);
  const q = (label: string, f: () => unknown) => {
    f();
    t0 = performance.now();
    const reps = 20;
    for (let i = 0; i < reps; i++) f();
    ms = (performance.now() - t0) / reps;
    console.log(`  query ${label}: ${ms.toFixed(2)} ms`);
  };
  q("newest page (50)", () => history.list(50, 0));
  q("page 1000 (offset 50,000)", () => history.list(50, 50_000));
  q("app filter", () => history.list(50, 0, { app: "app-7" }));
  q("op + outcome filter", () => history.list(50, 0, { op: "config.set", outcome: "error" }));
  // The History pages' default: changes only (3 of the 4 bench ops are changes), newest first.
  q("changes only (show: changes)", () => history.list(50, 0, { show: "changes" }));
  q("changes only, page 1000 (offset 50,000)", () => history.list(50, 50_000, { show: "changes" }));
  q("changes only + app filter", () => history.list(50, 0, { show: "changes", app: "app-7" }));
  q("date range (1 h)", () => history.list(50, 0, { from: base + 50_000_000, to: base + 53_600_000 }));
  // Before the trigram index, text search was this scan (the same page and count as history.list).
  const likeScan = db.$client.prepare(
    "SELECT * FROM commands WHERE argv LIKE @p ESCAPE '\\' OR stdout LIKE @p ESCAPE '\\' OR stderr LIKE @p ESCAPE '\\' ORDER BY id DESC LIMIT 50",
  );
  const likeCount = db.$client.prepare(
    "SELECT count(*) FROM commands WHERE argv LIKE @p ESCAPE '\\' OR stdout LIKE @p ESCAPE '\\' OR stderr LIKE @p ESCAPE '\\'",
  );
  q('text search, before: LIKE full scan ("run 99999")', () => [likeScan.all({ p: "%run 99999%" }), likeCount.get({ p: "%run 99999%" })]);
  q('text search, after: trigram index ("run 99999", 1 row)', () => history.list(50, 0, { text: "run 99999" }));
  q('text search, after: trigram index ("run 4242", 11 rows)', () => history.list(50, 0, { text: "run 4242" }));
  q('text search, after: trigram index ("nothing-here", 0 rows)', () => history.list(50, 0, { text: "nothing-here" }));
  q('text search, after: trigram index + app ("run 4242", app-42)', () => history.list(50, 0, { text: "run 4242", app: "app-42" }));
  q("text search, after: 200 characters", () => history.list(50, 0, { text: `run 99999 ${"x".repeat(190)}` }));
  q('text search, after: 2 characters, LIKE scan ("zz")', () => history.list(50, 0, { text: "zz" }));
  q('text search, after: trigram index, 11,111 rows match ("run 9")', () => history.list(50, 0, { text: "run 9" }));
  q('text search, after: every row matches, scan ("pre-flight")', () => history.list(50, 0, { text: "pre-flight" }));
  q("export: first page as CSV (1000 rows)", () => exportPage(history, { format: "csv", filter: {}, limit: 1000 }));
  q("export: first page as CSV, changes only (1000 rows)", () => exportPage(history, { format: "csv", filter: { show: "changes" }, limit: 1000 }));
  rmSync(dir, { recursive: true, force: true });
}

await appsListBench();
historyBench();
