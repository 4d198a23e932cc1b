import { SELF } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { loggedInCookie, ORIGIN } from "./helpers.js";
import { standInRelay } from "./stand-in-relay.js";

const LIST = {
  format: "json",
  networks: [
    { name: "backend", id: "a4b6791bc987", driver: "bridge", scope: "local", internal: false, ipv6: false, dokkuManaged: true },
    { name: "bridge", id: "1183956ec66a", driver: "bridge", scope: "local", internal: false, ipv6: false, dokkuManaged: false },
  ],
};

let relay: Awaited<ReturnType<typeof standInRelay>> | null = null;
afterEach(() => relay?.close());

const post = (cookie: string, path: string, form: Record<string, string>) =>
  SELF.fetch(`${ORIGIN}/hosts/demo/networks/${path}`, {
    method: "POST",
    headers: { cookie, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded", "hx-request": "true" },
    body: new URLSearchParams(form).toString(),
  });

describe("the host's Networks page", () => {
  it("lists the networks from the host nav, with Create and a Destroy behind the name typed again", async () => {
    relay = await standInRelay((op) => (op.op === "network.list" ? LIST : undefined));
    const cookie = await loggedInCookie();
    const res = await SELF.fetch(`${ORIGIN}/hosts/demo/networks`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('href="/hosts/demo/networks" aria-current="page"');
    expect(html).toContain('data-network="backend"');
    expect(html).toContain("Type backend to confirm");
    expect(html).toContain('aria-label="Create a network"');
    // the list reads itself again when a change made it stale
    expect(html).toContain('hx-get="/hosts/demo/networks/list"');
    expect(html).toContain("stale-network-list from:body");
    // docker's own networks offer no Destroy
    expect(html).not.toContain("Type bridge to confirm");
  });

  it("a create answers with what Dokku printed and names the list stale; the fragment then reads the new state", async () => {
    let created = false;
    relay = await standInRelay((op) => {
      if (op.op === "network.create") return ((created = true), { output: "-----> Creating network backend\n" });
      if (op.op === "network.list") return created ? LIST : { ...LIST, networks: LIST.networks.slice(1) };
      return undefined;
    });
    const cookie = await loggedInCookie();
    const res = await post(cookie, "create", { name: "backend" });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Network backend created");
    expect(JSON.parse(res.headers.get("hx-trigger") ?? "{}")).toHaveProperty("stale-network-list");
    expect(relay.seen.filter((o) => o.op === "network.create").map((o) => o.args)).toEqual([{ name: "backend" }]);
    const list = await (await SELF.fetch(`${ORIGIN}/hosts/demo/networks/list`, { headers: { cookie } })).text();
    expect(list).toContain('data-network="backend"');
  });

  it("refuses a destroy whose name was not typed again, an option-like name and docker's own network, signing nothing", async () => {
    relay = await standInRelay((op) =>
      op.op === "network.list" ? LIST : op.op === "network.destroy" ? { output: "-----> Destroying network backend\n" } : undefined,
    );
    const cookie = await loggedInCookie();
    for (const [path, form, says] of [
      ["destroy", { name: "backend", confirm: "backen" }, "name to confirm"],
      ["destroy", { name: "bridge", confirm: "bridge" }, "they cannot be created or destroyed"],
      ["create", { name: "--driver=macvlan" }, "a network name holds"],
      ["create", { name: "  " }, "give the network a name"],
    ] as const) {
      const res = await post(cookie, path, form);
      expect(res.status, JSON.stringify(form)).toBe(400);
      expect(await res.text()).toContain(says);
    }
    expect(relay.seen.filter((o) => o.op !== "network.list")).toEqual([]);
    const ok = await post(cookie, "destroy", { name: "backend", confirm: "backend" });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("Network backend destroyed");
    expect(JSON.parse(ok.headers.get("hx-trigger") ?? "{}")).toHaveProperty("stale-network-list");
    expect(relay.seen.filter((o) => o.op === "network.destroy").map((o) => o.args)).toEqual([{ name: "backend", confirm: "backend" }]);
  });
});
