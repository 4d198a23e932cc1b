import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CLOSE_INCOMPATIBLE, PROTOCOL_VERSION } from "../../protocol/frames.js";
import { loggedInCookie, ORIGIN } from "./helpers.js";

/** Say hello with a protocol version (or none, as relays before protocol 1) and see how the hub closes. */
async function helloWith(protocolVersion: number | undefined): Promise<{ code: number; reason: string } | null> {
  const res = await SELF.fetch(`${ORIGIN}/relay/connect?host=demo`, {
    headers: { upgrade: "websocket", authorization: `Bearer ${env.TEST_RELAY_TOKEN}` },
  });
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  ws.accept();
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.addEventListener("close", (e) => resolve({ code: e.code, reason: e.reason })));
  const hello = { type: "hello", host: "demo", relayVersion: "test", dokkuVersion: "0.35.20", simulated: true, policy: { readOnly: false, deny: [] } };
  ws.send(JSON.stringify(protocolVersion === undefined ? hello : { ...hello, protocolVersion }));
  const outcome = await Promise.race([closed, new Promise<null>((r) => setTimeout(() => r(null), 500))]);
  if (outcome === null) ws.close(1000, "test done");
  return outcome;
}

describe("the hub checks the relay's protocol version", () => {
  it("refuses a relay that predates protocol versions, telling it to upgrade the relay", async () => {
    const closed = await helloWith(undefined);
    expect(closed?.code).toBe(CLOSE_INCOMPATIBLE);
    expect(closed?.reason).toContain("upgrade the relay");
  });

  it("refuses a relay newer than the edge, telling to upgrade the edge", async () => {
    const closed = await helloWith(PROTOCOL_VERSION + 1);
    expect(closed?.code).toBe(CLOSE_INCOMPATIBLE);
    expect(closed?.reason).toContain("upgrade the edge");
  });

  it("keeps a relay that speaks the edge's protocol", async () => {
    expect(await helloWith(PROTOCOL_VERSION)).toBeNull();
    const res = await SELF.fetch(`${ORIGIN}/hosts/demo/status.json`, { headers: { cookie: await loggedInCookie() } });
    expect(((await res.json()) as { relayVersion: string | null }).relayVersion).toBe("test");
  });
});
