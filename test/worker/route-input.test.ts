import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { loggedInCookie, ORIGIN } from "./helpers.js";

/**
 * The edge's routing contract, checked before any op is sent (no relay is connected here): the
 * host and app guards, and the validators whose one hook answers refused input with a 400.
 */
let cookie: string;
beforeAll(async () => {
  cookie = await loggedInCookie();
});

const get = (path: string, headers: Record<string, string> = {}) => SELF.fetch(`${ORIGIN}${path}`, { headers: { cookie, ...headers } });
const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  SELF.fetch(`${ORIGIN}${path}`, {
    method: "POST",
    headers: { cookie, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded", ...headers },
    body,
  });
const htmx = { "hx-request": "true" };

describe("the host and app guards", () => {
  it("answers 404 for a host the edge does not know, at every depth", async () => {
    for (const path of ["/hosts/nope", "/hosts/nope/history", "/hosts/nope/apps/api/config", "/hosts/NOT_A_HOST/databases"]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).toContain("This edge has no host by that name.");
    }
  });

  it("answers 400 for a name that cannot be an app, as a fragment for htmx and as a page otherwise", async () => {
    const page = await get("/hosts/demo/apps/Bad_Name/config");
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain("<html");
    expect(html).toContain("app: app name must start with a lowercase letter");
    // a page that was only read: no "nothing was changed"
    expect(html).toContain("Not accepted");
    expect(html).not.toContain("nothing was changed");
    const fragment = await post("/hosts/demo/apps/Bad_Name/config/set", "key=A&value=1", htmx);
    expect(fragment.status).toBe(400);
    const text = await fragment.text();
    expect(text).not.toContain("<html");
    expect(text).toContain("Not accepted (nothing was changed)");
  });
});

describe("validated input", () => {
  it("refuses a bad form with what was wrong: a fragment for htmx, a whole page for a plain post", async () => {
    const body = new URLSearchParams({ key: "BAD KEY", value: "x" }).toString();
    const fragment = await post("/hosts/demo/apps/api/config/set", body, htmx);
    expect(fragment.status).toBe(400);
    const text = await fragment.text();
    expect(text).not.toContain("<html");
    expect(text).toContain("key: an env key starts with a letter or");
    const page = await post("/hosts/demo/apps/api/config/set", body);
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain("<html");
    expect(html).toContain("Not accepted (nothing was changed)");
    expect(html).toContain("key: an env key starts with a letter or");
  });

  it("takes a repeated form field's last value", async () => {
    // The last value is bad: refused before anything is sent.
    expect((await post("/hosts/demo/apps/api/domains/add", "domain=good.example.com&domain=bad_domain!", htmx)).status).toBe(400);
    // The last value is good: it gets as far as the host, which is not connected here.
    const sent = await post("/hosts/demo/apps/api/domains/add", "domain=bad_domain!&domain=good.example.com", htmx);
    expect(sent.status).toBe(503);
    expect(await sent.text()).toContain("Host offline");
  });

  it("validates the query string and the path", async () => {
    const badLines = await get("/hosts/demo/apps/api/logs/tail?lines=7", htmx);
    expect(badLines.status).toBe(400);
    expect(await badLines.text()).toContain("lines is 100, 500 or 1000");
    const tail = await get("/hosts/demo/apps/api/logs/tail?lines=500&process=web", htmx);
    expect(tail.status).toBe(200);
    expect(await tail.text()).toContain("lines=500&amp;process=web");
    const badPlugin = await get("/hosts/demo/databases/sqlite/main-db");
    expect(badPlugin.status).toBe(400);
    expect(await badPlugin.text()).toContain("plugin: ");
    const badService = await post("/hosts/demo/databases/postgres/-rf/destroy", "confirm=-rf", htmx);
    expect(badService.status).toBe(400);
    expect(await badService.text()).toContain("service: a service name holds only");
  });
});

describe("forms checked by their op's own schema at the route (no relay is connected: a 400 here ran nothing)", () => {
  const cases: Array<[string, Record<string, string>, string]> = [
    ["/hosts/demo/apps/api/storage/mount", { host_path: "/srv/../", container_path: "/data" }, "mounting / gives the app the whole host"],
    ["/hosts/demo/apps/api/storage/mount", { host_path: "/var/run/docker.sock", container_path: "/s" }, "the docker socket lets the app start containers"],
    ["/hosts/demo/apps/api/storage/create", { name: "legacy-x", chown: "herokuish" }, "names starting with legacy- are Dokku&#39;s own"],
    ["/hosts/demo/apps/api/docker-options/add", { option: "--memory 1g;reboot", phases: "deploy" }, "a docker option is one flag"],
    ["/hosts/demo/apps/api/docker-options/add", { option: "--quiet", phases: "deploy" }, "--quiet is a flag of Dokku&#39;s own command line"],
    ["/hosts/demo/databases/postgres/db1/expose", { ports: "1 2 3 4 5" }, "a service has at most 4 ports"],
    ["/hosts/demo/databases/postgres/db1/backups/run", { bucket: "-bad" }, "a bucket is 3–63 of a-z"],
  ];
  it.each(cases)("%s %j is refused, saying why", async (path, fields, why) => {
    const res = await post(path, new URLSearchParams(fields).toString(), htmx);
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain(why);
    expect(text).toContain("nothing was changed");
  });
});
