import { abortAllDurableObjects, env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { PROTOCOL_VERSION } from "../../protocol/frames.js";
import { loggedInCookie, ORIGIN } from "./helpers.js";

/** The op a signed op frame carries (its JWS payload, read without checking: the test sent it to itself). */
const opOf = (jws: string) => (JSON.parse(atob(jws.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))) as { op: string }).op;

const APPS = { apps: [{ name: "api", state: "running", processes: 2, unknownReason: null }] };

/** A fake relay for host demo that answers apps.list and domains.all, and refuses everything else. */
async function connectRelay(): Promise<WebSocket> {
  const res = await SELF.fetch(`${ORIGIN}/relay/connect?host=demo`, { headers: { upgrade: "websocket", authorization: `Bearer ${env.TEST_RELAY_TOKEN}` } });
  const ws = res.webSocket!;
  ws.accept();
  ws.addEventListener("message", (event) => {
    const frame = JSON.parse(event.data as string) as { type: string; id: string; jws: string };
    if (frame.type !== "op") return;
    const op = opOf(frame.jws);
    const result = op === "apps.list" ? APPS : op === "domains.all" ? { domains: { api: ["api.example.com"] } } : null;
    ws.send(
      JSON.stringify(
        result
          ? { type: "result", id: frame.id, ok: true, result }
          : { type: "result", id: frame.id, ok: false, error: { code: "internal", message: "not in this test" } },
      ),
    );
  });
  ws.send(
    JSON.stringify({
      type: "hello",
      host: "demo",
      relayVersion: "test",
      protocolVersion: PROTOCOL_VERSION,
      dokkuVersion: "0.35.20",
      simulated: false,
      policy: { readOnly: false, deny: [] },
    }),
  );
  return ws;
}

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
    const ws = await connectRelay();
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
