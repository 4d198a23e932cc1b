import { describe, expect, it } from "vitest";
import type { AuditRow } from "../../../../worker/audit/events.js";
import { ActivityTable } from "../../../../worker/pages/activity.js";

const OP = "0f8fad5b-d9cb-469f-a165-70867728950e";
const change = (outcome: string, id: number): AuditRow => ({
  id,
  at: Date.UTC(2026, 11, 7),
  kind: "change",
  action: "apps.clone",
  actor: "owner",
  subject: null,
  host: "demo",
  app: "api",
  op: "apps.clone",
  outcome,
  detail: "Clone api to api",
  ref: OP,
  ip: null,
});
const render = async (rows: AuditRow[]) => String(await (ActivityTable({ events: rows }) as { toString(): string | Promise<string> }).toString());

describe("the Activity page's changes", () => {
  it("link a change that ran (or runs) to its own page", async () => {
    for (const outcome of ["ok", "running", "dokku_error", "timeout", "cancelled", "unknown"])
      expect(await render([change(outcome, 1)]), outcome).toContain(`<a href="/hosts/demo/ops/${OP}">apps.clone: Clone api to api</a>`);
  });

  it("do not link a change refused before it started, which has no page on its host: its outcome says why", async () => {
    for (const outcome of ["bad_request", "busy", "denied", "rejected", "unavailable", "offline"]) {
      const html = await render([change(outcome, 2)]);
      expect(html, outcome).not.toContain(`/ops/${OP}`);
      expect(html, outcome).toContain("apps.clone: Clone api to api");
      expect(html, outcome).toContain(outcome);
    }
  });
});
