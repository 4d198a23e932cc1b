import { SELF } from "cloudflare:test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ops, type OpName } from "../../protocol/ops.js";
import { HOST_SECTIONS } from "../../worker/pages/nav.js";
import { ORIGIN } from "./helpers.js";
import { MEMBERS, signInMembers, type Member, type Signed } from "./host-routes.js";
import { sampleResult } from "./sample-answers.js";
import { standInRelay, type SeenOp } from "./stand-in-relay.js";

/**
 * The nav knows who is signed in: for every member (owner, admin, deployer, viewer, host-root
 * deployer, and a deployer and a viewer granted one app), each link of the top nav (the edge's
 * pages, the host's pages, the host switcher) is there exactly when the member may open it, as
 * the page itself answers them: a link the member follows never ends on "Not allowed", and a page
 * they may open is not left out. Granted one app, a member's host nav is the dashboard alone.
 */

let members: Record<Member, Signed>;
let relay: Awaited<ReturnType<typeof standInRelay>>;
beforeAll(async () => {
  relay = await standInRelay((op: SeenOp) => (ops[op.op as OpName]?.mutates ? { output: "done" } : sampleResult(op.op as OpName, "full")));
  members = await signInMembers("nav");
});
afterAll(() => relay.close());

/** A page as member `m` gets it: its status and HTML. */
async function get(m: Member, path: string): Promise<{ status: number; html: string }> {
  const res = await SELF.fetch(`${ORIGIN}${path}`, { headers: { cookie: members[m].cookie }, redirect: "manual" });
  return { status: res.status, html: await res.text() };
}

/** The hrefs of a page's top nav (its `<header>`). */
function navLinks(html: string): string[] {
  const header = /<header class="top">([\s\S]*?)<\/header>/.exec(html)?.[1] ?? "";
  return [...header.matchAll(/<a [^>]*href="([^"]+)"/g)].map((x) => x[1]!);
}

/** Whether the page at `path` refuses `m` (403, or a streamed page whose part says so). */
async function refuses(m: Member, path: string): Promise<boolean> {
  const { status, html } = await get(m, path);
  expect(status, `GET ${path} as ${m}`).not.toBe(500);
  return status === 403 || html.includes("Not allowed:");
}

const HOST_PAGES = HOST_SECTIONS.map((s) => `/hosts/demo${s.path}`);
const EDGE_PAGES = ["/hosts", "/users", "/activity"];

describe.each(MEMBERS)("the nav of %s", (m) => {
  it("links the host's pages they may open, and no other, on the host's pages and an app's", async () => {
    const opens = new Map<string, boolean>();
    for (const page of HOST_PAGES) opens.set(page, !(await refuses(m, page)));
    for (const path of ["/hosts/demo", "/hosts/demo/apps/web"]) {
      const { status, html } = await get(m, path);
      expect(status, path).toBe(200);
      const links = navLinks(html);
      for (const page of HOST_PAGES) expect(links.includes(page), `${page} in the nav of ${path}`).toBe(opens.get(page));
    }
    // granted one app, the host's own pages are not theirs; granted the host (or everything), every one is
    const shown = HOST_PAGES.filter((p) => opens.get(p));
    expect(shown).toEqual(m.startsWith("app-") ? ["/hosts/demo"] : HOST_PAGES);
  });

  it("links the edge's own pages (hosts, users, activity) only when they may open them", async () => {
    const links = navLinks((await get(m, "/hosts/demo")).html);
    for (const page of EDGE_PAGES) expect(links.includes(page), page).toBe(!(await refuses(m, page)));
  });

  it("offers Host details on the dashboard only when the host's page is theirs", async () => {
    const { html } = await get(m, "/hosts/demo");
    const main = html.slice(html.indexOf("</header>"));
    expect(main.includes('href="/hosts/demo/host"'), "a link to /hosts/demo/host").toBe(!(await refuses(m, "/hosts/demo/host")));
  });

  it("switches only between the hosts they hold a grant on", async () => {
    const links = navLinks((await get(m, "/hosts/demo/apps/web")).html);
    const everywhere = m === "owner" || m === "admin";
    expect(links.includes("/hosts/elsewhere"), "the switcher's link to elsewhere").toBe(everywhere);
    expect(await refuses(m, "/hosts/elsewhere")).toBe(!everywhere);
  });
});
