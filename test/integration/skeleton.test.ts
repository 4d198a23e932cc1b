import { describe, expect, it } from "vitest";
import { openDb } from "../../relay/history/db/open.js";
import { History } from "../../relay/history/store.js";
import { useStack } from "../support/use-stack.js";

const stack = useStack();

const get = (path: string) => fetch(`${stack.url}${path}`, { headers: { cookie: stack.cookie } });
const post = (path: string) => fetch(`${stack.url}${path}`, { method: "POST", headers: { cookie: stack.cookie, origin: stack.url } });

describe("walking skeleton: edge in workerd + relay + simulated Dokku", () => {
  it("reports the relay connected, simulated, with the Dokku version it detected", async () => {
    const status = (await (await get("/hosts/demo/status.json")).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ host: "demo", connected: true, simulated: true, dokkuVersion: "0.35.20" });
  });

  it("lists the host's apps with their status", async () => {
    const res = await get("/hosts/demo");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("demo host (simulated Dokku)");
    for (const [app, state] of <Array<[string, string]>>[
      ["api", "running"],
      ["blog.v2", "running"],
      ["queue-worker", "stopped"],
      ["staging", "not deployed"],
    ]) {
      expect(html).toMatch(new RegExp(`data-app="${app.replace(".", "\\.")}">.*?<span class="badge [a-z]+"[^>]*>${state}</span>`));
    }
    // Domains for every app, from one all-apps report.
    expect(html).toMatch(
      /data-app="blog\.v2">.*?<td data-label="Domains" class="domains"><span class="domain">blog\.demo\.dokku\.me<\/span><span class="domain">www\.example\.com<\/span><\/td>/,
    );
  });

  it("restarts an app and shows it running afterwards", async () => {
    const res = await post("/hosts/demo/apps/queue-worker/restart");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Restarted queue-worker");
    expect(html).toContain("-----&gt; Deploying worker (count=1)");
    expect(await (await get("/hosts/demo")).text()).toMatch(/data-app="queue-worker">.*?<span class="badge up"[^>]*>running<\/span>/);
  });

  it("shows Dokku's not-found message for a missing app", async () => {
    const res = await post("/hosts/demo/apps/ghost/restart");
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("App ghost does not exist");
  });

  it("records every command the relay ran, and shows it on /history", async () => {
    const page = await get("/history");
    expect(page.url).toMatch(/\/hosts\/demo\/history$/);
    const html = await page.text();
    expect(html).toContain("<code>dokku ps:restart queue-worker</code>");
    expect(html).toContain("<code>dokku ps:restart ghost</code>");
    // Straight from the relay's SQLite: one row per command that actually ran.
    const history = new History(openDb(stack.relays.demo!.db), { maxRows: 1000, maxAgeDays: 30 });
    const { entries } = history.list(200, 0);
    const restarts = entries.filter((e) => e.argv.join(" ") === "dokku ps:restart queue-worker");
    expect(restarts).toHaveLength(1);
    expect(restarts[0]).toMatchObject({ exitCode: 0, outcome: "ok", requestedBy: "admin" });
    expect(entries.find((e) => e.argv.join(" ") === "dokku ps:restart ghost")).toMatchObject({ exitCode: 20, outcome: "error" });
  });
});
