import { SELF } from "cloudflare:test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endedChangeRow } from "../support/history-rows.js";
import { loggedInCookie, ORIGIN } from "./helpers.js";
import { Failure, standInRelay, type SeenOp } from "./stand-in-relay.js";

/**
 * The history pages' filters as the edge reads them and sends them to the relay (a stand-in relay
 * here, answering history ops and noting their arguments): changes by default, "All commands"
 * through `show=all`, the op filter as a list of the catalog's ops, every bad value refused with a
 * 400 that says what was wrong (nothing sent); and an ended change's page titled as history kept it.
 */
let cookie: string;
let relay: Awaited<ReturnType<typeof standInRelay>>;
/** The ops the relay was sent, with their arguments, in order. */
const sent: SeenOp[] = [];
const ENDED = "6a0c1f4e-2b7d-4c58-9e31-7d2f0a9b8c41";
const endedRow = endedChangeRow({ opId: ENDED, stdout: "=====> MySQL container created: x" });

/** What the stand-in relay answers each op with. */
function answer(claims: SeenOp): unknown {
  sent.push(claims);
  const { op } = claims;
  if (op === "changes.running") return { changes: [] };
  if (op === "history.list") return { entries: [{ ...endedRow, id: 10 }], total: 1, full: false };
  if (op === "history.get") return { entries: [endedRow] };
  return new Failure("not_found", "not here");
}

beforeAll(async () => {
  cookie = await loggedInCookie();
  relay = await standInRelay(answer);
});
afterAll(() => relay.close());

/** The filter of the last history op the relay was sent. */
const lastFilter = () => sent.findLast((s) => s.op === "history.list")?.args.filter;

const get = (path: string) => SELF.fetch(`${ORIGIN}${path}`, { headers: { cookie } });
const checked = (html: string, value: string) => new RegExp(`<input type="radio" name="show" value="${value}" checked`).test(html);

describe("the host's History page", () => {
  it("shows changes by default, all commands with show=all, kept in its GET form", async () => {
    const plain = await (await get("/hosts/demo/history")).text();
    expect(plain).toContain('<form method="get" action="/hosts/demo/history"');
    expect(checked(plain, "changes")).toBe(true);
    expect(checked(plain, "all")).toBe(false);
    expect(lastFilter()).toEqual({ show: "changes" });
    expect(plain).toContain("Changes 1–1 of 1, newest first.");
    expect(plain).toContain('<a href="/hosts/demo/history?show=all">All commands</a> lists them too.');
    const all = await (await get("/hosts/demo/history?show=all&app=api")).text();
    expect(checked(all, "all")).toBe(true);
    expect(checked(all, "changes")).toBe(false);
    expect(lastFilter()).toEqual({ show: "all", app: "api" });
    expect(all).toContain("Commands 1–1 of 1, newest first.");
    // the pager and exports keep the choice
    expect(all).toContain('href="/hosts/demo/history/export.csv?show=all&amp;app=api"');
  });

  it("offers the catalog's ops in a select, changes by their titles, any op by default", async () => {
    const html = await (await get("/hosts/demo/history")).text();
    expect(html).toMatch(/<select id="f-op" name="op"><option value="">any op<\/option><optgroup label="Changes">/);
    expect(html).toContain('<option value="apps.restart">Restart … (apps.restart)</option>');
    expect(html).toContain('<option value="databases.create">Create … database … (databases.create)</option>');
    expect(html).toContain('<option value="apps.list">apps.list</option>');
    const chosen = await (await get("/hosts/demo/history?op=config.set")).text();
    expect(chosen).toContain('<option value="config.set" selected="">Set config vars of … (config.set)</option>');
    expect(lastFilter()).toEqual({ show: "changes", op: "config.set" });
    // a read with the changes alone: the page says where it is listed
    expect(await (await get("/hosts/demo/history?op=apps.list")).text()).toContain("apps.list is a read, and reads are left out");
  });

  it("refuses a bad show or an op outside the catalog with 400, on the page and the exports", async () => {
    const before = sent.length;
    for (const [query, says] of [
      ["show=reads", "show is changes or all"],
      ["show=CHANGES", "show is changes or all"],
      ["op=apps.nope", "op: apps.nope is not an op of the catalog"],
      ["op=rm%20-rf", "op: rm -rf is not an op of the catalog"],
      // Days a date picker offers that history cannot hold (a 500 before), each with one message.
      ["from=1969-12-31", "from is before 1970-01-01"],
      ["to=0000-01-01", "to is before 1970-01-01"],
      ["from=2025-2-3", "from is a date as YYYY-MM-DD"],
    ] as const) {
      for (const path of ["/hosts/demo/history", "/hosts/demo/history/export.csv", "/hosts/demo/history/export.json"]) {
        const res = await get(`${path}?${query}`);
        expect(res.status, `${path}?${query}`).toBe(400);
        const html = await res.text();
        expect(html, `${path}?${query}`).toContain(says);
        expect(html, `${path}?${query}`).not.toContain("not a real date");
      }
    }
    expect(sent.slice(before).filter((s) => s.op.startsWith("history."))).toEqual([]);
  });

  it("titles a row of a change by the title history kept, linking the change's page", async () => {
    const html = await (await get("/hosts/demo/history")).text();
    expect(html).toContain(`<a class="change-title" href="/hosts/demo/ops/${ENDED}" title="This change&#39;s own page">Create mysql database x</a>`);
  });

  it("titles the dashboard's recent changes the same way, beside their command", async () => {
    const html = await (await get("/hosts/demo")).text();
    const activity = /<ol class="activity">[\s\S]*?<\/ol>/.exec(html)?.[0] ?? "";
    expect(activity).toContain(`<a class="change-title" href="/hosts/demo/ops/${ENDED}" title="This change&#39;s own page">Create mysql database x</a>`);
    expect(activity).toContain("<code>dokku mysql:create x</code>");
  });
});

describe("an app's History tab", () => {
  it("shows changes by default and all commands with show=all, as a GET form", async () => {
    const plain = await (await get("/hosts/demo/apps/api/history")).text();
    expect(plain).toContain('<form method="get" action="/hosts/demo/apps/api/history"');
    expect(checked(plain, "changes")).toBe(true);
    expect(lastFilter()).toEqual({ app: "api", show: "changes" });
    const all = await (await get("/hosts/demo/apps/api/history?show=all")).text();
    expect(checked(all, "all")).toBe(true);
    expect(lastFilter()).toEqual({ app: "api", show: "all" });
    expect(all).toContain('href="/hosts/demo/history?app=api&amp;show=all"');
  });

  it("refuses a bad show, or any other key, with 400", async () => {
    const bad = await get("/hosts/demo/apps/api/history?show=everything");
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("show is changes or all");
    const other = await get("/hosts/demo/apps/api/history?op=apps.list");
    expect(other.status).toBe(400);
  });
});

describe("an ended change's page", () => {
  it('is titled by the title history kept ("Create mysql database x"), not the op name', async () => {
    const html = await (await get(`/hosts/demo/ops/${ENDED}`)).text();
    expect(html).toContain("<h1>Create mysql database x</h1>");
    expect(html).not.toContain("<h1>databases.create</h1>");
  });
});
