import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { HostStatus } from "../../worker/hub/outcome.js";
import { HostsPage } from "../../worker/pages/hosts.js";
import { loggedInCookie, ORIGIN } from "./helpers.js";
import { standInRelay } from "./stand-in-relay.js";

const SAID = "connected, but dokku does not answer on this host: run docklight-relay doctor there";
/** What a person reads: tags gone, spaces folded. */
const shown = (html: string) => html.replace(/<[^>]+>/g, "").replace(/\s+/g, " ");

const status = (over: Partial<HostStatus>): HostStatus => ({
  host: "demo",
  name: "demo",
  connected: true,
  connectedAt: Date.now() - 60_000,
  lastHeartbeat: Date.now() - 5_000,
  lastSeen: Date.now(),
  relayVersion: "0.1.0",
  dokkuVersion: "0.35.20",
  simulated: false,
  readOnly: false,
  ...over,
});
const render = async (s: HostStatus) =>
  String(
    await HostsPage({
      hosts: [{ record: { id: "demo", name: "demo", createdAt: 1, lastRefusedAt: null, lastRefusedReason: null }, row: { status: s, latencyMs: 12 } }],
      legacy: { opSigningKey: false, relayTokenHashes: false },
    }).toString(),
  );

describe("the Hosts page (and the host's own page), for a relay whose dokku does not answer", () => {
  it("says so plainly instead of showing a healthy connected row", async () => {
    const text = shown(await render(status({ dokkuVersion: null })));
    expect(text).toContain(SAID);
    expect(text).not.toMatch(/\bconnected\b(?!, but)/);
  });

  it("shows a healthy row, and a relay still saying hello, as connected", async () => {
    for (const s of [status({}), status({ relayVersion: null, dokkuVersion: null })]) {
      const text = shown(await render(s));
      expect(text).toContain("connected");
      expect(text).not.toContain("dokku does not answer");
    }
  });

  it("says so for a live relay whose hello carried no Dokku version", async () => {
    // The page measures the link with relay.ping, which a relay answers whether or not dokku does.
    const relay = await standInRelay(() => ({ relayTime: Date.now() }), { dokkuVersion: null, simulated: false });
    const cookie = await loggedInCookie();
    let text = "";
    for (let i = 0; i < 50 && !text.includes(SAID); i++) {
      text = shown(await (await SELF.fetch(`${ORIGIN}/hosts`, { headers: { cookie } })).text());
      if (!text.includes(SAID)) await new Promise((r) => setTimeout(r, 20));
    }
    expect(text).toContain(SAID);
    // The host's own page says the same.
    expect(shown(await (await SELF.fetch(`${ORIGIN}/hosts/demo/host`, { headers: { cookie } })).text())).toContain(SAID);
    relay.close();
  });
});
