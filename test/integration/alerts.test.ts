import { once } from "node:events";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertSettingsUrl, alertUrl, appUrl } from "../../worker/urls.js";
import { until } from "../support/history.js";
import { useStack } from "../support/use-stack.js";

/**
 * Alerts end to end (issue #24): the real edge (wrangler dev, workerd) runs its Cron Trigger's
 * handler when the test says (`--test-scheduled`, GET /__scheduled, which answers once the checks
 * ended), a real relay reports its simulated host, and a local HTTP receiver, set as a JSON
 * webhook channel, gets what the edge sends. wrangler dev cannot set the trigger's clock, so the
 * alert limits are set small through the edge's vars instead (worker/alerts/limits.ts: offline
 * and sustained for 0 min; memory never, it is this machine's): every step waits for a state (a
 * notice arrived, the relay is gone or back), never for time. The host turns bad (a certificate
 * near expiry, an app stopped, a disk full), its relay goes silent and comes back, then each state
 * clears: each alert's "opened" and "resolved" notice arrives exactly once.
 */
const stack = useStack({
  testScheduled: true,
  edgeVars: { ALERT_OFFLINE_MINUTES: "0", ALERT_SUSTAIN_MINUTES: "0", ALERT_MEMORY_PERCENT: "100" },
});

/** A notice as the webhook channel posts it (worker/alerts/send.ts requestFor). */
interface Notice {
  event: string;
  host: string;
  title: string;
  alert: { key: string; kind: string; message: string; openedAt: number; resolvedAt: number | null } | null;
}

let server: Server;
const notices: Notice[] = [];
let receiverUrl = "";

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      if (req.method === "POST" && req.url === "/hook" && req.headers["content-type"] === "application/json") notices.push(JSON.parse(body) as Notice);
      res.writeHead(204).end();
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  receiverUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** Run the Cron Trigger's handler; resolves once its checks have ended (their notices sent). */
async function tick(): Promise<void> {
  const res = await fetch(`${stack.url}/__scheduled?cron=${encodeURIComponent("*/5 * * * *")}`);
  expect(`${res.status} ${await res.text()}`, stack.edge.output().slice(-4000)).toBe("200 Ran scheduled event");
}

const keysOf = (event: string) =>
  notices
    .filter((n) => n.event === event)
    .map((n) => n.alert!.key)
    .sort();

/** The host's alerts as its dashboard section lists them: key → open, acknowledged or resolved. */
async function dashboardStates(): Promise<Record<string, string>> {
  const html = await (await fetch(`${stack.url}${alertUrl("demo")}`, { headers: { cookie: stack.cookie } })).text();
  return Object.fromEntries([...html.matchAll(/data-alert="([^"]+)" data-state="([^"]+)"/g)].map((m) => [m[1]!, m[2]!]));
}

/** Run an app action as the dashboard's form does; returns the page's answer. */
async function act(app: string, path: string): Promise<string> {
  const res = await fetch(`${stack.url}${appUrl("demo", app, path)}`, {
    method: "POST",
    headers: { cookie: stack.cookie, origin: stack.url, "hx-request": "true", "content-type": "application/x-www-form-urlencoded" },
    body: "",
  });
  const html = await res.text();
  expect(res.status, html).toBe(200);
  return html;
}

const connected = async () =>
  ((await (await fetch(`${stack.url}/hosts/demo/status.json`, { headers: { cookie: stack.cookie } })).json()) as { connected: boolean }).connected;

describe("alerts through a real edge and relay to a local receiver", () => {
  it("open on a certificate near expiry, a stopped app, a full disk and a silent relay; each notice arrives once, and each resolves as its state clears", async () => {
    const relay = stack.relays.demo!;
    const { sim } = relay;
    sim.disks([{ path: "/", usedPercent: 41 }]);
    // api's certificate has 5 days left (the demo seed's has 60).
    sim.certExpiresAt("api", Math.floor(Date.now() / 1000) + 5 * 86_400);

    // The owner sets the receiver as a JSON webhook (http:// to localhost: the stack's edge runs in development).
    const added = await fetch(`${stack.url}${alertSettingsUrl()}`, {
      method: "POST",
      headers: { cookie: stack.cookie, origin: stack.url, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ kind: "webhook", name: "local receiver", url: receiverUrl, token: "", from: "", to: "" }),
      redirect: "manual",
    });
    expect(added.status, await added.text()).toBe(303);
    const test = await fetch(`${stack.url}${alertSettingsUrl((await channelId())!, "/test")}`, {
      method: "POST",
      headers: { cookie: stack.cookie, origin: stack.url },
    });
    expect(await test.text()).toContain("Test sent to local receiver.");
    expect(notices.map((n) => n.event)).toEqual(["test"]);
    notices.length = 0;

    // A first check learns which apps run (api and blog.v2 in the demo seed) and finds the certificate.
    await tick();
    await until("the certificate's notice", () => notices.length >= 1);
    expect(keysOf("alert.opened")).toEqual(["cert:api"]);
    expect(notices[0]!.alert!.message).toMatch(/^The certificate of api expires in 5 d \(/);

    // blog.v2 is stopped (from its page: the change drops the read cache's app list) and / fills up.
    expect(await act("blog.v2", "/ps/stop")).toContain("Stopped blog.v2");
    sim.disks([{ path: "/", usedPercent: 97 }]);
    await tick();
    const opened = ["app-down:blog.v2", "cert:api", "disk:/"];
    await until("three opened notices", () => notices.length >= 3);
    expect(keysOf("alert.opened")).toEqual(opened);
    const byKey = new Map(notices.map((n) => [n.alert!.key, n]));
    expect(byKey.get("app-down:blog.v2")!.alert!.message).toBe("blog.v2 was running and is now stopped.");
    expect(byKey.get("disk:/")!.alert!.message).toMatch(/^Disk \/ is 97% full \(at least 90% for \d+ min\)\.$/);
    for (const n of notices) expect(n).toMatchObject({ host: "demo", title: expect.stringMatching(/^\[demo\] /) });

    // Nothing changed: a later check (ended when tick returns) sends nothing again.
    await tick();
    expect(notices).toHaveLength(3);
    expect(await dashboardStates()).toEqual({ "app-down:blog.v2": "open", "cert:api": "open", "disk:/": "open" });

    // The relay goes silent: the edge itself opens the offline alert (judged without the host).
    await relay.proc.stop();
    await until("the hub to see the relay gone", async () => !(await connected()));
    await tick();
    await until("the offline notice", () => notices.length >= 4);
    expect(keysOf("alert.opened")).toEqual([...opened, "relay-offline"]);
    expect(notices.at(-1)!.alert!.message).toMatch(/^The host's relay has not been connected for \d+ min \(last seen /);
    await tick();
    expect(notices).toHaveLength(4);

    // The relay is back: only its own alert resolves; the host's states are as they were.
    await relay.restart();
    await tick();
    await until("the offline alert's resolution", () => notices.length >= 5);
    expect(keysOf("alert.resolved")).toEqual(["relay-offline"]);
    expect(await dashboardStates()).toEqual({ "app-down:blog.v2": "open", "cert:api": "open", "disk:/": "open", "relay-offline": "resolved" });

    // Everything else clears: blog.v2 runs again, api's certificate is renewed, / is cleaned.
    expect(await act("blog.v2", "/ps/start")).toContain("Started blog.v2");
    expect(await act("api", "/tls/renew")).toContain("Renewed the certificate of api");
    sim.disks([{ path: "/", usedPercent: 41 }]);
    await tick();
    await until("four resolved notices", () => notices.filter((n) => n.event === "alert.resolved").length >= 4);
    expect(keysOf("alert.resolved")).toEqual([...opened, "relay-offline"]);
    for (const n of notices.filter((x) => x.event === "alert.resolved")) expect(n.title, n.alert!.key).toMatch(/^\[demo\] Resolved: /);

    // And no notice twice: another check sends nothing; the dashboard shows each resolved.
    await tick();
    expect(notices).toHaveLength(8);
    expect(await dashboardStates()).toEqual(Object.fromEntries([...opened, "relay-offline"].map((k) => [k, "resolved"])));
  });
});

/** The id of the one channel set (from the settings page's Send a test form). */
async function channelId(): Promise<string | undefined> {
  const page = await (await fetch(`${stack.url}${alertSettingsUrl()}`, { headers: { cookie: stack.cookie } })).text();
  return /data-channel="([0-9a-f-]{36})"/.exec(page)?.[1];
}
