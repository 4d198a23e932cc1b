import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CLOSE_REVOKED } from "../../protocol/frames.js";
import { hostIdFor } from "../../worker/registry/names.js";
import { commandIn, connectRelay, exchange } from "./enroll-helpers.js";
import { loggedInCookie, ORIGIN } from "./helpers.js";

/** The host registry through the Hosts page and the relay endpoints, as an admin and a relay see it. */

const post = async (path: string, form: Record<string, string> = {}, accept = "text/html") =>
  SELF.fetch(`${ORIGIN}${path}`, {
    method: "POST",
    headers: { cookie: await loggedInCookie(), origin: ORIGIN, "content-type": "application/x-www-form-urlencoded", accept },
    body: new URLSearchParams(form).toString(),
    redirect: "manual",
  });
const page = async (path: string) => SELF.fetch(`${ORIGIN}${path}`, { headers: { cookie: await loggedInCookie() }, redirect: "manual" });
const check = (host: string, token: string) => SELF.fetch(`${ORIGIN}/relay/check?host=${host}`, { headers: { authorization: `Bearer ${token}` } });

/** Adds a host through the page, reads the one command off it and trades its code for the token, as the installer does. */
async function addHost(name: string): Promise<{ html: string; id: string; token: string; key: string; url: string }> {
  const res = await post("/hosts", { name });
  expect(res.status).toBe(200);
  const html = await res.text();
  const { url, id, code, key } = commandIn(html);
  return { html, url, id, token: await exchange(id, code), key };
}

describe("adding a host", () => {
  it("shows one command, with a fresh token and the edge's key, once; the page waits for the relay", async () => {
    const added = await addHost("Prod EU");
    expect(added).toMatchObject({ url: ORIGIN, id: "prod-eu", key: env.TEST_OP_PUBLIC_X });
    expect(added.html).toContain("This command works once");
    expect(added.html).toMatch(/hx-get="\/hosts\/prod-eu\/link\?since=\d+" hx-trigger="every 2s"/);
    expect((await check("prod-eu", added.token)).status).toBe(204);

    const list = await (await page("/hosts")).text();
    expect(list).toContain("Prod EU");
    expect(list).toContain('data-host="prod-eu"');
    expect(list).not.toContain(added.token);
    // Shown once: no page shows it again.
    expect(await (await page("/hosts/prod-eu/link?since=0")).text()).not.toContain(added.token);
  });

  it("makes a distinct id from a name already taken, and refuses an empty name with 400", async () => {
    const first = await addHost("Staging");
    const second = await addHost("Staging!");
    expect([first.id, second.id]).toEqual(["staging", "staging-2"]);
    const empty = await post("/hosts", { name: "   " });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("give the host a name");
  });

  it("answers scripts with JSON: the code, the pinned sha256 and the same command", async () => {
    const res = await post("/hosts", { name: "scripted" }, "application/json");
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; code: string; publicKey: string; sha256: string; command: string };
    expect(body.id).toBe("scripted");
    expect(body.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(body.command).toBe(
      `curl -fsSL ${ORIGIN}/install.sh | sh -s -- --url ${ORIGIN} --host scripted --code ${body.code} --key ${body.publicKey} --sha256 ${body.sha256}`,
    );
  });
});

describe("the wait for the relay", () => {
  it("keeps polling until a relay connects after the enrolment, then says connected and stops", async () => {
    const added = await addHost("waiting");
    const since = Date.now() - 1000;
    const before = await (await page(`/hosts/waiting/link?since=${since}`)).text();
    expect(before).toContain('hx-trigger="every 2s"');
    expect(before).toContain("Waiting for waiting");
    const { ws } = await connectRelay("waiting", added.token);
    const after = await (await page(`/hosts/waiting/link?since=${since}`)).text();
    expect(after).toContain("connected");
    expect(after).not.toContain("hx-trigger");
    expect(after).toContain('href="/hosts/waiting"');
    ws.close(1000, "done");
  });
});

describe("refusals", () => {
  it("a wrong token is a 401 with a Date header; a relay refused (not a doctor's check) shows on the Hosts page, when and why", async () => {
    await addHost("refused");
    const res = await check("refused", "w".repeat(43));
    expect(res.status).toBe(401);
    expect(Date.parse(res.headers.get("date") ?? "")).not.toBeNaN();
    expect(await (await page("/hosts")).text()).not.toContain("a relay for this host was refused");
    const socket = await SELF.fetch(`${ORIGIN}/relay/connect?host=refused`, { headers: { upgrade: "websocket", authorization: `Bearer ${"w".repeat(43)}` } });
    expect(socket.status).toBe(401);
    const html = await (await page("/hosts")).text();
    const row = html.slice(html.indexOf('data-host="refused"'));
    expect(row).toMatch(/a relay for this host was refused at <time datetime="[^"]+">\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC<\/time>: bad token/);
  });

  it("an unknown host's check is a 401 too, and no host is made of it", async () => {
    expect((await check("nobody", "w".repeat(43))).status).toBe(401);
    expect((await page("/hosts/nobody")).status).toBe(404);
  });
});

describe("managing a host", () => {
  it("renames it: the name changes, the id and the token do not", async () => {
    const added = await addHost("old name");
    const res = await post("/hosts/old-name/name", { name: "New name" });
    expect(res.status).toBe(303);
    const html = await (await page("/hosts")).text();
    expect(html).toContain(">New name</a>");
    expect((await check("old-name", added.token)).status).toBe(204);
    expect((await post("/hosts/old-name/name", { name: "" })).status).toBe(400);
    expect((await post("/hosts/no-such/name", { name: "x" })).status).toBe(404);
  });

  it("rotates its token: the connected relay is closed for good with the reason, the old token is refused", async () => {
    const added = await addHost("rotating");
    const relay = await connectRelay("rotating", added.token);
    expect((await page("/hosts/rotating/token")).status).toBe(200); // the confirmation page
    const res = await post("/hosts/rotating/token");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("The old token no longer works");
    const token = await exchange("rotating", commandIn(html).code);
    expect(token).not.toBe(added.token);
    expect(await relay.closed).toEqual({ code: CLOSE_REVOKED, reason: expect.stringContaining("token was rotated") });
    expect((await check("rotating", added.token)).status).toBe(401);
    expect((await check("rotating", token)).status).toBe(204);
  });

  it("removes it: its relay is closed with the reason, its pages are gone and its token is refused", async () => {
    const added = await addHost("leaving");
    const relay = await connectRelay("leaving", added.token);
    const res = await post("/hosts/leaving/remove");
    expect(res.status).toBe(303);
    expect(await relay.closed).toEqual({ code: CLOSE_REVOKED, reason: "this host was removed from the edge" });
    expect((await page("/hosts/leaving")).status).toBe(404);
    expect((await check("leaving", added.token)).status).toBe(401);
    expect(await (await page("/hosts")).text()).not.toContain('data-host="leaving"');
    expect((await post("/hosts/leaving/remove")).status).toBe(404);
  });
});

describe("the legacy secrets", () => {
  it("were imported: the host they name serves with its old token, and the Hosts page says they can be deleted", async () => {
    expect((await check("demo", env.TEST_RELAY_TOKEN)).status).toBe(204);
    const html = await (await page("/hosts")).text();
    expect(html).toContain("OP_SIGNING_KEY and RELAY_TOKEN_HASHES are still set on the edge");
    expect(html).toContain("npx wrangler secret delete OP_SIGNING_KEY &amp;&amp; npx wrangler secret delete RELAY_TOKEN_HASHES");
  });
});

describe("host ids made from names", () => {
  it("lower-cases, joins other characters with '-', caps at 32 and numbers a taken id", () => {
    const none = () => false;
    expect(hostIdFor("Prod EU #1", none)).toBe("prod-eu-1");
    expect(hostIdFor("  ---  ", none)).toBe("host");
    expect(hostIdFor("Crème brûlée", none)).toBe("creme-brulee");
    expect(hostIdFor("a".repeat(40), none)).toBe("a".repeat(32));
    const taken = new Set(["web", "web-2"]);
    expect(hostIdFor("web", (id) => taken.has(id))).toBe("web-3");
    expect(hostIdFor("b".repeat(32), (id) => id === "b".repeat(32))).toBe(`${"b".repeat(30)}-2`);
  });
});

describe("a host's name on its own pages", () => {
  it("heads every page, the switcher and the breadcrumbs with the name the operator gave, links by id, even before its relay ever connected", async () => {
    const other = await addHost("Build box");
    const added = await addHost("-Prod EU");
    expect(added.id).toMatch(/^prod-eu(-\d+)?$/);
    const paths = [`/hosts/${added.id}/history`, `/hosts/${added.id}/history?show=bogus`, `/hosts/${added.id}`];
    for (const path of paths) {
      const html = await (await page(path)).text();
      expect(html, path).toContain("-Prod EU");
      expect(html, path).not.toContain("/hosts//");
      expect(html, path).toContain(`href="/hosts/${added.id}`);
      // The switcher names every host by its name.
      expect(html, path).toContain(`<a href="/hosts/${other.id}">Build box</a>`);
    }
    const bad = await page(`/hosts/${added.id}/history?show=bogus`);
    expect(bad.status).toBe(400);
  });
});

describe("one name, one host", () => {
  it("refuses a second host of a name already used (a reload of the add form adds nothing), and a rename onto one", async () => {
    const first = await addHost("Twice EU");
    const count = async () => ((await (await page("/hosts")).text()).match(/data-host="/g) ?? []).length;
    const before = await count();
    for (const name of ["Twice EU", "twice eu"]) {
      const again = await post("/hosts", { name });
      expect(again.status).toBe(400);
      const html = await again.text();
      expect(html).toContain(`a host named Twice EU already exists (id ${first.id})`);
      expect(html).not.toMatch(/--code [A-Za-z0-9_-]+/);
    }
    expect(await count()).toBe(before);
    const other = await addHost("Other EU");
    const rename = await post(`/hosts/${other.id}/name`, { name: "TWICE EU" });
    expect(rename.status).toBe(400);
    expect(await rename.text()).toContain("a host named Twice EU already exists");
    // Its own name, in another case, is no clash.
    expect((await post(`/hosts/${first.id}/name`, { name: "twice eu" })).status).toBe(303);
  });
});
