import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { loggedInCookie, ORIGIN } from "./helpers.js";
import { HELLO } from "./stand-in-relay.js";

/** The change that holds the app, as the relay names it in its "busy" refusal. */
const HOLDER = "0f8fad5b-d9cb-469f-a165-70867728950e";
const LINK = `href="/hosts/demo/ops/${HOLDER}"`;

/** A relay on which every op is refused as busy, as relay/ops/dispatch.ts refuses a second change to an app. */
async function busyRelay(): Promise<WebSocket> {
  const res = await SELF.fetch(`${ORIGIN}/relay/connect?host=demo`, { headers: { upgrade: "websocket", authorization: `Bearer ${env.TEST_RELAY_TOKEN}` } });
  const ws = res.webSocket!;
  ws.accept();
  ws.addEventListener("message", (event) => {
    const frame = JSON.parse(event.data as string) as { type: string; id: string };
    if (frame.type !== "op") return;
    const message = `api is busy: apps.rebuild (started by alice at 2026-01-01T00:00:00.000Z) is still running. Wait for it to end, or follow it on its page (op ${HOLDER}).`;
    ws.send(JSON.stringify({ type: "result", id: frame.id, ok: false, error: { code: "busy", message, opId: HOLDER } }));
  });
  ws.send(HELLO);
  return ws;
}

describe("a change refused as busy", () => {
  it("links to the running change's page in the htmx fragment, the whole page and the stream, keeping the relay's message", async () => {
    const ws = await busyRelay();
    const cookie = await loggedInCookie();
    const post = (path: string, headers: Record<string, string>, body?: Record<string, string>) =>
      SELF.fetch(`${ORIGIN}${path}`, {
        method: "POST",
        headers: { cookie, origin: ORIGIN, ...headers, ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
        ...(body ? { body: new URLSearchParams(body).toString() } : {}),
      });

    const fragment = await post("/hosts/demo/apps/api/ps/restart", { "hx-request": "true" });
    expect(fragment.status).toBe(409);
    const fragmentHtml = await fragment.text();
    expect(fragmentHtml).not.toContain("<html");
    expect(fragmentHtml).toContain(LINK);
    expect(fragmentHtml).toContain(`follow it on its page (op ${HOLDER})`);

    // A plain form post (no JavaScript) gets a whole page.
    const page = await post("/hosts/demo/databases", {}, { plugin: "postgres", service: "db" });
    expect(page.status).toBe(409);
    const pageHtml = await page.text();
    expect(pageHtml).toContain("<html");
    expect(pageHtml).toContain(LINK);

    const stream = await post("/hosts/demo/apps/api/ps/restart", { "hx-request": "true", accept: "text/event-stream" });
    expect(await stream.text()).toContain(LINK);
    ws.close();
  });
});
