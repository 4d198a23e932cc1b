import { describe, expect, it } from "vitest";
import { commandsIn } from "../support/history.js";
import { useStack } from "../support/use-stack.js";

/**
 * What a new user met on the pages, against the real edge and relay: the Logs tab of a
 * never-deployed app says so once and starts no tail. (A page after a change: after-action.test.ts.)
 */
const stack = useStack();

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${stack.url}${path}`, { headers: { cookie: stack.cookie, ...headers }, redirect: "manual" });

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
