import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandsIn } from "../support/history.js";
import { startStack, type TestStack } from "../support/stack.js";

/**
 * What a new user met on the pages, against the real edge and relay: the dashboard's row of an app
 * shows the app's new state once a change to it ended (not the edge's cached read of before), and
 * the Logs tab of a never-deployed app says so once and starts no tail.
 */
let stack: TestStack;
let cookie: string;

beforeAll(async () => {
  stack = await startStack();
  cookie = await stack.login();
});
afterAll(async () => stack?.stop());

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${stack.url}${path}`, { headers: { cookie, ...headers }, redirect: "manual" });
const post = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${stack.url}${path}`, { method: "POST", headers: { cookie, origin: stack.url, "hx-request": "true", ...headers }, redirect: "manual" });

/** The `<tr data-app="…">` of `app` in a page or fragment. */
function rowOf(html: string, app: string): string {
  const m = new RegExp(`<tr data-app="${app.replace(".", "\\.")}">[\\s\\S]*?</tr>`).exec(html);
  expect(m, html).not.toBeNull();
  return m![0];
}
const stateIn = (row: string) => /data-state="([a-z-]+)"/.exec(row)?.[1];

describe("the dashboard's row of an app after a change", () => {
  it("is read again when the Restart ends and shows the new state, not the cached one", async () => {
    // The dashboard reads (and the edge caches) the apps: queue-worker is stopped.
    const dash = await (await get("/hosts/demo")).text();
    expect(stateIn(rowOf(dash, "queue-worker"))).toBe("stopped");
    expect(rowOf(dash, "queue-worker")).toContain('hx-target="next .result"');

    const restart = await post("/hosts/demo/apps/queue-worker/restart");
    expect(restart.status).toBe(200);
    const answer = await restart.text();
    expect(answer).toContain("Restarted queue-worker");
    // The answer reads the row again in place once it lands.
    expect(answer).toContain('hx-get="/hosts/demo/apps/queue-worker/row" hx-trigger="load" hx-target="closest tr" hx-swap="outerHTML"');

    const res = await get("/hosts/demo/apps/queue-worker/row", { "hx-request": "true" });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const row = await res.text();
    expect(stateIn(rowOf(row, "queue-worker"))).toBe("running");
    expect(row).toContain('<td class="processes">1</td>');
    // The result area keeps its id across the refresh, so the outcome stays where the user acted.
    expect(row).toMatch(/<div id="result-queue-worker" class="result" aria-live="polite" hx-preserve="true"><\/div>/);
    expect(row).not.toMatch(/ style=|<script/);
  });

  it("of an app that is gone is empty (the row is removed), and a name that cannot be an app is refused", async () => {
    const gone = await get("/hosts/demo/apps/no-such-app/row", { "hx-request": "true" });
    expect(gone.status).toBe(200);
    expect(await gone.text()).toBe("");
    expect((await get("/hosts/demo/apps/Bad_Name/row", { "hx-request": "true" })).status).toBe(400);
  });
});

describe("the Logs tab of an app that was never deployed", () => {
  it("says so once, plainly, and starts no tail", async () => {
    const res = await get("/hosts/demo/apps/staging/logs");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.match(/has not been deployed/g)).toEqual(["has not been deployed"]);
    expect(html).toContain("staging has not been deployed yet: nothing to show.");
    expect(html).not.toContain("hx-sse:connect");
    expect(html).not.toContain('id="log-tail"');

    // Its stream, asked for anyway, says the same and runs no `dokku logs`.
    const stream = await get("/hosts/demo/apps/staging/logs/stream?lines=100&process=", { accept: "text/event-stream", "sec-fetch-site": "same-origin" });
    expect(stream.status).toBe(409);
    expect(await stream.text()).toContain("staging has not been deployed yet: nothing to show.");
    expect(commandsIn(stack.relays.demo!.db, "dokku logs staging -n 100 -t")).toHaveLength(0);

    // A deployed app still tails.
    const api = await (await get("/hosts/demo/apps/api/logs")).text();
    expect(api).toContain("hx-sse:connect");
  });
});

describe("the TLS tab", () => {
  it("shows one expiry, clearly labelled, where it showed the plugin's line beside certs:report's", async () => {
    const html = await (await get("/hosts/demo/apps/api/tls")).text();
    const status = html.slice(html.indexOf('id="tls-status"'), html.indexOf("</dl>"));
    expect(status.match(/<dt>[^<]*[Ee]xpir[^<]*<\/dt>/g)).toEqual(["<dt>Certificate expires</dt>"]);
    expect(status.match(/class="expiry"/g)).toHaveLength(1);
    // the certificate's own date, in the one way pages write times, and how long is left
    expect(status).toMatch(/<dd class="expiry">\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \((59|60) days left\)<\/dd>/);
    expect(status).not.toMatch(/ GMT|\d+d, \d+h[^<]* left/);
    expect(status).toMatch(/<dd class="renewal">in \d+d/);
  });
});
