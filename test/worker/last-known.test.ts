import { abortAllDurableObjects, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { loggedInCookie, ORIGIN } from "./helpers.js";
import { standInRelay } from "./stand-in-relay.js";

const APPS = { apps: [{ name: "api", state: "running", processes: 2, unknownReason: null }] };

/** A stand-in relay for host demo that answers apps.list and domains.all, and refuses everything else. */
const connectRelay = () =>
  standInRelay((op) => (op.op === "apps.list" ? APPS : op.op === "domains.all" ? { domains: { api: ["api.example.com"] } } : undefined), { simulated: false });

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    const v = await read();
    if (ok(v) || i > 200) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("a host whose relay went offline", () => {
  it("shows its last known apps, marked 'as of T, host offline', with nothing to change", async () => {
    const cookie = await loggedInCookie();
    const page = () => SELF.fetch(`${ORIGIN}/hosts/demo`, { headers: { cookie } }).then((r) => r.text());
    const { ws } = await connectRelay();
    const live = await until(page, (html) => html.includes('data-app="api"'));
    expect(live).toContain('hx-post="/hosts/demo/apps/api/restart"');
    expect(live).toContain("Create an app");
    expect(live).not.toContain("host offline");

    ws.close(1000, "test: the relay stops");
    const offline = await until(page, (html) => html.includes("host offline"));
    expect(offline).toContain("host offline");
    expect(offline).toMatch(/As of <time datetime="\d{4}-\d\d-\d\dT[\d:.]+Z">/);
    // the last known apps and domains, as they were read
    expect(offline).toContain('data-app="api"');
    expect(offline).toContain("api.example.com");
    // nothing that changes anything: no Restart, no Create
    expect(offline).not.toContain("/restart");
    expect(offline).not.toContain("Create an app");
    expect(offline).not.toMatch(/hx-post=/);

    // An edge restart (every object's memory gone) keeps it: it is in the hub's storage.
    await abortAllDurableObjects();
    const restarted = await page();
    expect(restarted).toContain("host offline");
    expect(restarted).toContain('data-app="api"');
    expect(restarted).not.toContain("/restart");

    // The app's own page: its summary as last known, no action button.
    const app = await SELF.fetch(`${ORIGIN}/hosts/demo/apps/api`, { headers: { cookie } }).then((r) => r.text());
    expect(app).not.toMatch(/hx-post="[^"]*\/ps\//);
  });
});
