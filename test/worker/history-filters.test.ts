import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { loggedInCookie, ORIGIN } from "./helpers.js";

/**
 * The history pages' filters as the edge reads them, before any op is sent (no relay is connected
 * here): changes by default, "All commands" through `show=all`, the op filter as a list of the
 * catalog's ops, and every bad value refused with a 400 that says what was wrong.
 */
let cookie: string;
beforeAll(async () => {
  cookie = await loggedInCookie();
});

const get = (path: string) => SELF.fetch(`${ORIGIN}${path}`, { headers: { cookie } });
const checked = (html: string, value: string) => new RegExp(`<input type="radio" name="show" value="${value}" checked`).test(html);

describe("the host's History page", () => {
  it("shows changes by default, all commands with show=all, kept in its GET form", async () => {
    const plain = await (await get("/hosts/demo/history")).text();
    expect(plain).toContain('<form method="get" action="/hosts/demo/history"');
    expect(checked(plain, "changes")).toBe(true);
    expect(checked(plain, "all")).toBe(false);
    const all = await (await get("/hosts/demo/history?show=all")).text();
    expect(checked(all, "all")).toBe(true);
    expect(checked(all, "changes")).toBe(false);
  });

  it("offers the catalog's ops in a select, changes by their titles, any op by default", async () => {
    const html = await (await get("/hosts/demo/history")).text();
    expect(html).toMatch(/<select id="f-op" name="op"><option value="">any op<\/option><optgroup label="Changes">/);
    expect(html).toContain('<option value="apps.restart">Restart … (apps.restart)</option>');
    expect(html).toContain('<option value="databases.create">Create … database … (databases.create)</option>');
    expect(html).toContain('<option value="apps.list">apps.list</option>');
    const chosen = await (await get("/hosts/demo/history?op=config.set")).text();
    expect(chosen).toContain('<option value="config.set" selected="">Set config vars of … (config.set)</option>');
  });

  it("refuses a bad show or an op outside the catalog with 400, on the page and the exports", async () => {
    for (const [query, says] of [
      ["show=reads", "show is changes or all"],
      ["show=CHANGES", "show is changes or all"],
      ["op=apps.nope", 'op "apps.nope" is not an op of the catalog'],
      ["op=rm%20-rf", 'op "rm -rf" is not an op of the catalog'],
    ] as const) {
      for (const path of ["/hosts/demo/history", "/hosts/demo/history/export.csv", "/hosts/demo/history/export.json"]) {
        const res = await get(`${path}?${query}`);
        expect(res.status, `${path}?${query}`).toBe(400);
        expect(await res.text(), `${path}?${query}`).toContain(says);
      }
    }
  });
});

describe("an app's History tab", () => {
  it("shows changes by default and all commands with show=all, as a GET form", async () => {
    const plain = await (await get("/hosts/demo/apps/api/history")).text();
    expect(plain).toContain('<form method="get" action="/hosts/demo/apps/api/history"');
    expect(checked(plain, "changes")).toBe(true);
    const all = await (await get("/hosts/demo/apps/api/history?show=all")).text();
    expect(checked(all, "all")).toBe(true);
  });

  it("refuses a bad show, or any other key, with 400", async () => {
    const bad = await get("/hosts/demo/apps/api/history?show=everything");
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("show is changes or all");
    const other = await get("/hosts/demo/apps/api/history?op=apps.list");
    expect(other.status).toBe(400);
  });
});
