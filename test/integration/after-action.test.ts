import { describe, expect, it } from "vitest";
import { changeOpNames } from "../../protocol/ops.js";
import { eventsAfter, staleEventsOf } from "../../worker/pages/stale.js";
import { useStack } from "../support/use-stack.js";

/**
 * A page after an action shows the state the action made, against the real edge and relay: each
 * example a new user met. The change's answer names what it made stale (from the op's own
 * `invalidates`), and each part of the page that shows one of those reads listens for it and reads
 * itself again from its own URL; these tests follow that path as htmx would (answer → event →
 * the listening part's GET) and check what the part then says.
 */
const stack = useStack();

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${stack.url}${path}`, { headers: { cookie: stack.cookie, ...headers }, redirect: "manual" });
const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${stack.url}${path}`, {
    method: "POST",
    headers: { cookie: stack.cookie, origin: stack.url, "hx-request": "true", "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form).toString(),
    redirect: "manual",
  });

/** The events an answer's HX-Trigger header fires. */
const firedBy = (res: Response) => Object.keys(JSON.parse(res.headers.get("hx-trigger") ?? "{}") as object);

/** The element with `id` in `html`: its opening tag's attributes (hx-get, hx-trigger). */
function part(html: string, id: string): { get: string; listens: string[] } {
  const tag = new RegExp(`<[a-z]+\\b[^>]*\\bid="${id}"[^>]*>`).exec(html)?.[0];
  expect(tag, `#${id} in the page`).toBeDefined();
  const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(tag!)?.[1] ?? "";
  return {
    get: attr("hx-get"),
    listens: attr("hx-trigger")
      .split(",")
      .map((s) => s.trim().replace(/ from:body$/, "")),
  };
}

/** Follow the rule as htmx does: the answer's events reach the part, which GETs itself again. */
async function reloaded(page: string, id: string, fired: string[]): Promise<string> {
  const p = part(page, id);
  expect(
    p.listens.filter((e) => fired.includes(e)),
    `#${id} listens for one of ${fired.join(", ")}`,
  ).not.toEqual([]);
  const res = await get(p.get, { "hx-request": "true" });
  expect(res.status).toBe(200);
  return res.text();
}

describe("the stale events a change sends", () => {
  it("come from each change op's invalidates declaration, the one the read cache follows", () => {
    for (const op of changeOpNames) expect(staleEventsOf(op).length, op).toBeGreaterThan(0);
    expect(staleEventsOf("apps.create")).toEqual(["stale-apps-list", "stale-domains-all"]);
    expect(staleEventsOf("apps.destroy")).toEqual(["stale-host"]);
  });

  it("name history after every change the host answered: a failed change is listed too", () => {
    expect(eventsAfter("apps.restart", "ok")).toEqual([...staleEventsOf("apps.restart"), "stale-history-list"]);
    expect(eventsAfter("apps.restart", "unknown")).toEqual([...staleEventsOf("apps.restart"), "stale-history-list"]);
    expect(eventsAfter("apps.restart", "error")).toEqual(["stale-history-list"]);
    // a host that did not answer would only answer a history read the same way
    expect(eventsAfter("apps.restart", "offline")).toEqual([]);
    expect(eventsAfter("apps.restart", "timeout")).toEqual([]);
  });

  it("are sent at the end of a streamed change, after its outcome and before `done`", async () => {
    const res = await post("/hosts/demo/apps/api/ps/restart", {}, { accept: "text/html, text/event-stream" });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const text = await res.text(); // the whole stream, however it was cut into chunks
    const at = (s: string) => text.indexOf(s);
    expect(at("event: stale-apps-detail")).toBeGreaterThan(at("Restarted api"));
    expect(at("event: done")).toBeGreaterThan(at("event: stale-apps-detail"));
    expect(text).toContain("event: stale-apps-list");
  });
});

describe("the dashboard after Create", () => {
  it("lists the new app and empties the form", async () => {
    const page = await (await get("/hosts/demo")).text();
    expect(page).not.toContain('data-app="fresh-app"');
    const res = await post("/hosts/demo/apps", { name: "fresh-app" });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Created fresh-app");
    const fired = firedBy(res);
    expect(await reloaded(page, "apps-list", fired)).toContain('data-app="fresh-app"');
    const form = await reloaded(page, "create-app", fired);
    expect(form).toMatch(/<input id="new-app" name="name"(?![^>]*value=)[^>]*>/);
    expect(form).toContain("hx-preserve"); // the answer ("Created fresh-app") stays where it was
  });
});

describe("the dashboard's recent changes after an action", () => {
  it("list the change the dashboard just ran", async () => {
    const page = await (await get("/hosts/demo")).text();
    expect(page).not.toContain("Create app recent-one");
    const res = await post("/hosts/demo/apps", { name: "recent-one" });
    expect(res.status).toBe(200);
    expect(await reloaded(page, "recent-changes", firedBy(res))).toContain("Create app recent-one");
  });
});

describe("the dashboard's and Overview's actions of a stopped app", () => {
  it("offer Start, not Restart", async () => {
    const dash = await (await get("/hosts/demo")).text();
    const row = /<tr data-app="queue-worker">[\s\S]*?<\/tr>/.exec(dash)![0];
    expect(row).toContain('data-state="stopped"');
    expect(row).toContain('hx-post="/hosts/demo/apps/queue-worker/start"');
    expect(row).toContain(">Start</button>");
    expect(row).not.toContain("Restart");
    const overview = await (await get("/hosts/demo/apps/queue-worker")).text();
    expect(overview).toContain('hx-post="/hosts/demo/apps/queue-worker/ps/start"');
    expect(overview).not.toContain('hx-post="/hosts/demo/apps/queue-worker/ps/restart"');
  });

  it("after Start, the row shows it running and offers Restart", async () => {
    const dash = await (await get("/hosts/demo")).text();
    const res = await post("/hosts/demo/apps/queue-worker/start", {});
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Started queue-worker");
    const list = await reloaded(dash, "apps-list", firedBy(res));
    const row = /<tr data-app="queue-worker">[\s\S]*?<\/tr>/.exec(list)![0];
    expect(row).toContain('data-state="running"');
    expect(row).toContain(">Restart</button>");
  });
});

describe("an app's Overview after Destroy", () => {
  it("no longer offers Destroy: it says the app is gone", async () => {
    expect((await post("/hosts/demo/apps", { name: "doomed" })).status).toBe(200);
    const page = await (await get("/hosts/demo/apps/doomed")).text();
    expect(page).toContain("Destroy doomed");
    const res = await post("/hosts/demo/apps/doomed/destroy", { confirm: "doomed" });
    expect(res.status).toBe(200);
    expect(firedBy(res)).toEqual(["stale-host", "stale-history-list"]);
    const after = await reloaded(page, "app-overview", firedBy(res));
    expect(after).not.toContain("Destroy doomed");
    expect(after).toMatch(/does not exist/);
    expect(after).toContain('id="app-overview"'); // still listening
  });
});

describe("a database's page after Link", () => {
  it("lists the app as linked, not 'Not linked'", async () => {
    const url = "/hosts/demo/databases/postgres/main-db";
    const page = await (await get(url)).text();
    expect(page).toContain("Not linked to any app.");
    const res = await post(`${url}/link`, { app: "api", noRestart: "1" });
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain("Reload to see");
    const after = await reloaded(page, "db-body", firedBy(res));
    expect(after).toContain('data-linked="api"');
    expect(after).not.toContain("Not linked to any app.");
  });
});

describe("the Config tab after Set", () => {
  it("lists the key and leaves no value in clear text in the form", async () => {
    const url = "/hosts/demo/apps/blog.v2/config";
    const page = await (await get(url)).text();
    const res = await post(`${url}/set`, { key: "AFTER_SET", value: "s3cret-after-set", no_restart: "on" });
    expect(res.status).toBe(200);
    const fired = firedBy(res);
    expect(await reloaded(page, "config-list", fired)).toContain('data-key="AFTER_SET"');
    const form = await reloaded(page, "set-var", fired);
    expect(form).not.toContain("s3cret-after-set");
    expect(form).toMatch(/<textarea id="set-value" name="value"[^>]*><\/textarea>/);
    expect(await reloaded(page, "bulk-part", fired)).toContain('<textarea id="bulk-lines"');
  });
});

describe("/history with filters", () => {
  it("keeps its query through the redirect to the first host's history", async () => {
    const res = await get("/history?app=api&outcome=error");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/hosts/demo/history?app=api&outcome=error");
  });
});
