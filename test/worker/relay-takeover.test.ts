import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CLOSE_INCOMPATIBLE, CLOSE_REPLACED, PROTOCOL_VERSION } from "../../protocol/frames.js";
import { loggedInCookie, ORIGIN } from "./helpers.js";

/** A relay socket the test drives: what it was sent, how it was closed, and a hello to say. */
async function fakeRelay(name: string) {
  const res = await SELF.fetch(`${ORIGIN}/relay/connect?host=demo`, { headers: { upgrade: "websocket", authorization: `Bearer ${env.TEST_RELAY_TOKEN}` } });
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  ws.accept();
  const got = { ops: 0, replaced: false, closed: null as number | null };
  ws.addEventListener("message", (event) => {
    const frame = JSON.parse(event.data as string) as { type: string; id: string };
    if (frame.type === "replaced") got.replaced = true;
    if (frame.type !== "op") return;
    got.ops++;
    ws.send(JSON.stringify({ type: "result", id: frame.id, ok: true, result: { output: `restarted by ${name}` } }));
  });
  ws.addEventListener("close", (event) => (got.closed = event.code));
  const hello = (over: Record<string, unknown> = {}) =>
    ws.send(JSON.stringify({ type: "hello", host: "demo", relayVersion: name, protocolVersion: PROTOCOL_VERSION, dokkuVersion: "0.35.20", simulated: true, policy: { readOnly: false, deny: [] }, ...over }));
  return { ws, got, hello };
}

async function until(what: string, probe: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !probe(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!probe()) throw new Error(`timed out waiting for ${what}`);
}

describe("a socket holding the host's token never knocks the running relay off", () => {
  it("keeps the incumbent through a silent socket, a wrong protocol and another host's id; only a fully valid hello replaces it", async () => {
    const cookie = await loggedInCookie();
    const restart = async () => {
      const res = await SELF.fetch(`${ORIGIN}/hosts/demo/apps/api/restart`, { method: "POST", headers: { cookie, origin: ORIGIN } });
      expect(res.status).toBe(200);
      return res.text();
    };

    const incumbent = await fakeRelay("incumbent");
    incumbent.hello();
    expect(await restart()).toContain("restarted by incumbent");

    // A socket that opened and never said hello is never sent an op, and displaces nobody.
    const silent = await fakeRelay("silent");
    expect(await restart()).toContain("restarted by incumbent");
    expect(silent.got.ops).toBe(0);

    // A hello in another protocol, or naming another host, closes only the socket that said it.
    const future = await fakeRelay("future");
    future.hello({ protocolVersion: PROTOCOL_VERSION + 1 });
    await until("the wrong protocol's socket to close", () => future.got.closed !== null);
    expect(future.got.closed).toBe(CLOSE_INCOMPATIBLE);
    const stranger = await fakeRelay("stranger");
    stranger.hello({ host: "other" });
    await until("the other host's socket to close", () => stranger.got.closed !== null);
    expect(stranger.got.closed).toBe(4003);

    expect(await restart()).toContain("restarted by incumbent");
    expect(incumbent.got).toMatchObject({ replaced: false, closed: null });
    expect(silent.got.ops + future.got.ops + stranger.got.ops).toBe(0);

    // A relay whose hello is fully valid takes over: the incumbent is told so and closed.
    const newer = await fakeRelay("newer");
    newer.hello();
    await until("the incumbent to be replaced", () => incumbent.got.closed !== null);
    expect(incumbent.got).toMatchObject({ replaced: true, closed: CLOSE_REPLACED });
    expect(await restart()).toContain("restarted by newer");
    expect(silent.got.ops).toBe(0);
    for (const s of [silent, newer]) s.ws.close();
  });
});
