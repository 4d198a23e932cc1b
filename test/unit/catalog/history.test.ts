import { describe, expect, it } from "vitest";
import { openDb } from "../../../relay/history/db/open.js";
import { History } from "../../../relay/history/store.js";
import { fakeRelay, runOp } from "../../support/ops.js";

describe("history.list", () => {
  it("answers one page, newest first, with the total, through the op's defaults", async () => {
    const history = new History(openDb(":memory:"), { maxRows: 100, maxAgeDays: 36500 });
    const relay = fakeRelay(undefined, { history });
    for (const app of ["api", "blog", "api"]) await runOp(relay, "apps.restart", { app });
    const page = await runOp(relay, "history.list", { limit: 2, filter: { app: "api" } });
    expect(page.total).toBe(2);
    expect(page.entries.map((e) => e.argv)).toEqual([
      ["dokku", "ps:restart", "api"],
      ["dokku", "ps:restart", "api"],
    ]);
    expect(page.entries[0]!.id).toBeGreaterThan(page.entries[1]!.id);
    expect((await runOp(relay, "history.list", {})).entries).toHaveLength(3);
  });
});
