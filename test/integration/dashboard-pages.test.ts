import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { historyOf } from "../support/history.js";
import { startStack, type TestStack } from "../support/stack.js";

/**
 * The dashboard's pages over plain HTTP against the real edge and relay: bad filters and bad
 * database names are refused with 400 and what was wrong, and no command runs for them.
 */
let stack: TestStack;
let cookie: string;

beforeAll(async () => {
  stack = await startStack();
  cookie = await stack.login();
});
afterAll(async () => stack?.stop());

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${stack.url}${path}`, { headers: { cookie, ...headers }, redirect: "manual" });
const postForm = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${stack.url}${path}`, {
    method: "POST",
    headers: { cookie, origin: stack.url, "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form),
    redirect: "manual",
  });
const commandCount = () => historyOf(stack.relays.demo!.db).length;

describe("pages of one host", () => {
  it("renders the dashboard, databases, plugins, history and host pages", async () => {
    const dash = await (await get("/hosts/demo")).text();
    expect(dash).toMatch(/<svg[^>]*class="spark"[^>]*role="img"/);
    expect(dash).toMatch(/<title id="cpu-spark">CPU, last hour/);
    expect(dash).not.toMatch(/ style=/);
    expect(dash).toContain('data-app="api"');
    expect(dash).toContain('href="/hosts/demo/apps/api"');
    // the health cards reload themselves from their own fragment, which runs no Dokku command
    expect(dash).toContain('hx-get="/hosts/demo/health" hx-trigger="every 30s"');
    const before = commandCount();
    const health = await get("/hosts/demo/health");
    expect(health.status).toBe(200);
    expect(health.headers.get("cache-control")).toBe("no-store");
    expect(await health.text()).toMatch(/data-metric="cpu"[\s\S]*data-metric="memory"/);
    expect(commandCount()).toBe(before);
    for (const [path, text] of [
      ["/hosts/demo/databases", "main-db"],
      ["/hosts/demo/plugins", "postgres"],
      ["/hosts/demo/history", "Command history on demo"],
      ["/hosts/demo/host", "Latency"],
      ["/hosts/demo/databases/postgres/main-db", "Connection (password masked)"],
    ] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(html, path).toContain(text);
      expect(html, path).toContain('aria-label="Host"');
    }
    const db = await (await get("/hosts/demo/databases")).text();
    expect(db).toContain("sudo dokku plugin:install https://github.com/dokku/dokku-mysql.git");
    const info = await (await get("/hosts/demo/databases/postgres/main-db")).text();
    expect(info).not.toContain("8d3f6c1e2b7a4f90"); // the simulator's password for main-db
  });

  it("lists sign-ins, failed ones too, with IP and browser as text, on the history page", async () => {
    const probe = "<img src=x onerror=alert(1)> EvilBrowser/1.0";
    const bad = await fetch(`${stack.url}/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: stack.url, "user-agent": probe },
      body: new URLSearchParams({ password: "not the password" }),
      redirect: "manual",
    });
    expect(bad.status).toBe(401);
    const html = await (await get("/hosts/demo/history")).text();
    const section = html.slice(html.indexOf('id="sign-ins-h"'));
    expect(section).toContain("wrong password");
    expect(section).toContain("signed in"); // the test's own sign-in
    expect(section).toContain("&lt;img src=x onerror=alert(1)&gt; EvilBrowser/1.0");
    expect(section).not.toContain("<img src=x");
    // a bad filter still shows them (the page is the same, the table empty)
    expect(await (await get("/hosts/demo/history?offset=-1")).text()).toContain("wrong password");
  });

  it("still redirects /history to the first host's history", async () => {
    const res = await get("/history");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/hosts/demo/history");
  });

  it("exports the filtered history as attachments", async () => {
    const csv = await get("/hosts/demo/history/export.csv?show=all&op=apps.list");
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename="docklight-demo-history-\d{4}-\d{2}-\d{2}\.csv"$/);
    const body = await csv.text();
    expect(body.split("\r\n")[0]).toBe("id,opId,op,app,argv,exitCode,outcome,durationMs,requestedBy,startedAt,finishedAt,stdout,stderr,title");
    expect(body).toContain("apps.list");
    const json = await get("/hosts/demo/history/export.json?show=all&outcome=ok");
    expect(json.headers.get("content-disposition")).toMatch(/attachment; filename=".*\.json"/);
    const rows = (await json.json()) as Array<{ outcome: string }>;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.outcome === "ok")).toBe(true);
  });
});

describe("bad input is refused with 400 and nothing runs", () => {
  it("refuses bad history filters, on the page and on the exports", async () => {
    const before = commandCount();
    for (const [query, says] of [
      ["app=Not_An_App", "app"],
      ["outcome=maybe", "outcome"],
      ["op=rm%20-rf", "op"],
      ["from=2024-13-45", "from"],
      ["from=yesterday", "from"],
      ["from=2025-02-01&to=2025-01-01", "from is after to"],
      [`text=${"x".repeat(201)}`, "text"],
      ["offset=-1", "offset"],
      ["offset=abc", "offset"],
      ["sort=evil", "sort"],
    ] as const) {
      for (const path of ["/hosts/demo/history", "/hosts/demo/history/export.csv", "/hosts/demo/history/export.json"]) {
        const res = await get(`${path}?${query}`);
        expect(res.status, `${path}?${query}`).toBe(400);
        const text = await res.text();
        expect(text, `${path}?${query}`).toContain(says);
        expect(res.headers.get("content-disposition")).toBeNull();
      }
    }
    expect(commandCount()).toBe(before);
  });

  it("refuses bad database names, plugins, apps and confirmations", async () => {
    const before = commandCount();
    const cases: Array<[string, Record<string, string>, string]> = [
      ["/hosts/demo/databases", { plugin: "postgres", service: "-rf" }, "service name"],
      ["/hosts/demo/databases", { plugin: "postgres", service: "bad name" }, "service name"],
      ["/hosts/demo/databases", { plugin: "postgres", service: "x;reboot" }, "service name"],
      ["/hosts/demo/databases", { plugin: "postgres", service: "a".repeat(64) }, "at most 63"],
      ["/hosts/demo/databases", { plugin: "sqlite", service: "fine" }, "plugin"],
      ["/hosts/demo/databases", { service: "fine" }, "plugin"],
      ["/hosts/demo/databases/postgres/main-db/link", { app: "Bad App" }, "app name"],
      ["/hosts/demo/databases/postgres/main-db/link", {}, "app"],
      ["/hosts/demo/databases/postgres/main-db/unlink", { app: "-x" }, "app name"],
      ["/hosts/demo/databases/postgres/bad%20name/link", { app: "api" }, "service name"],
      ["/hosts/demo/databases/sqlite/main-db/destroy", { confirm: "main-db" }, "plugin"],
      ["/hosts/demo/databases/postgres/main-db/destroy", { confirm: "main" }, "exactly"],
      ["/hosts/demo/databases/postgres/main-db/destroy", {}, "confirm"],
      ["/hosts/demo/databases/postgres/main-db/expose", { ports: "--publish" }, "a port is a number"],
      ["/hosts/demo/databases/postgres/main-db/expose", { ports: "5432 5433 5434 5435 5436" }, "at most 4 ports"],
      ["/hosts/demo/databases/postgres/main-db/backups/schedule", { schedule: "0 3 * * *\n* * * * * root id", bucket: "b-1" }, "five cron fields"],
      ["/hosts/demo/databases/postgres/main-db/backups/run", { bucket: "Bad Bucket" }, "a bucket is"],
      ["/hosts/demo/databases/postgres/main-db/backups/auth", { accessKeyId: "AKIA1", secretAccessKey: "--force" }, "may not start with"],
    ];
    for (const [path, form, says] of cases) {
      for (const headers of [{}, { "hx-request": "true", accept: "text/html, text/event-stream" }] as Array<Record<string, string>>) {
        const res = await postForm(path, form, headers);
        expect(res.status, `${path} ${JSON.stringify(form)}`).toBe(400);
        expect(res.headers.get("content-type")).toContain("text/html");
        expect(await res.text(), `${path} ${JSON.stringify(form)}`).toContain(says);
      }
    }
    const info = await get("/hosts/demo/databases/postgres/no%20such");
    expect(info.status).toBe(400);
    expect(await info.text()).toContain("service name");
    expect(commandCount()).toBe(before);
    // main-db is still there
    expect(await (await get("/hosts/demo/databases")).text()).toContain('data-service="main-db"');
  });

  it("asks before an unlink posted without JavaScript, and runs nothing until confirmed", async () => {
    const before = commandCount();
    const res = await postForm("/hosts/demo/databases/postgres/main-db/unlink", { app: "api", noRestart: "1" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<title>Unlink main-db from api?");
    expect(html).toContain('name="confirmed" value="1"');
    expect(html).toContain('name="noRestart" value="1"');
    expect(commandCount()).toBe(before);
  });

  it("shows Dokku's not-found for a well-formed database that does not exist", async () => {
    const res = await get("/hosts/demo/databases/postgres/ghost-db");
    expect(res.status).toBe(200); // streamed: the failure is in the page
    const html = await res.text();
    expect(html).toContain("ghost-db does not exist");
    expect(html).toContain('href="/hosts/demo/databases">All databases');
    expect(html).not.toContain("Linked apps");
  });

  it("answers a plain form post (no JavaScript) with a whole page titled by what happened", async () => {
    // main-db exists: the change fails, and the page must not be titled as if it had succeeded.
    const failed = await (await postForm("/hosts/demo/databases", { plugin: "postgres", service: "main-db" })).text();
    expect(failed).toContain("<title>Create postgres database main-db: not done");
    expect(failed).not.toContain("Created postgres database main-db");
    expect(failed).toContain('aria-label="Host"');
    // A change whose route names no page of its own (create an app, on the dashboard) gets one too.
    const created = await postForm("/hosts/demo/apps", { name: "nojs-app" });
    const html = await created.text();
    expect(created.status, html).toBe(200);
    expect(html).toMatch(/<title>[^<]*nojs-app/);
    expect(html).toContain('aria-label="Host"');
  });
});
