import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CLOSE_INCOMPATIBLE, CLOSE_REPLACED, PROTOCOL_VERSION } from "../../protocol/frames.js";
import { loggedInCookie, ORIGIN } from "./helpers.js";
import { HELLO } from "./stand-in-relay.js";

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
  ws.addEventListener("close", (event) => {
    got.closed = event.code;
  });
  const hello = (over: Record<string, unknown> = {}) =>
    ws.send(
      JSON.stringify({
        type: "hello",
        host: "demo",
        relayVersion: name,
        protocolVersion: PROTOCOL_VERSION,
        dokkuVersion: "0.35.20",
        simulated: true,
        policy: { readOnly: false, deny: [] },
        ...over,
      }),
    );
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

/** A relay (said hello) that answers ops by name; an op it has no answer for is "unavailable". */
async function answeringRelay(answer: (op: string, id: string, ws: WebSocket) => unknown | undefined) {
  const res = await SELF.fetch(`${ORIGIN}/relay/connect?host=demo`, { headers: { upgrade: "websocket", authorization: `Bearer ${env.TEST_RELAY_TOKEN}` } });
  const ws = res.webSocket!;
  ws.accept();
  ws.addEventListener("message", (event) => {
    const frame = JSON.parse(event.data as string) as { type: string; id: string; jws: string };
    if (frame.type !== "op") return;
    const { op } = JSON.parse(atob(frame.jws.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))) as { op: string };
    const result = answer(op, frame.id, ws);
    if (result === null) return; // answered (or left running) by `answer` itself
    ws.send(
      JSON.stringify(
        result === undefined
          ? { type: "result", id: frame.id, ok: false, error: { code: "unavailable", message: "not in this test" } }
          : { type: "result", id: frame.id, ok: true, result },
      ),
    );
  });
  ws.send(HELLO);
  return ws;
}

describe("a change while its host's token is rotated or the host removed", () => {
  const job = (opId: string) => ({ opId, op: "apps.rebuild", app: "api", requestedBy: "admin", startedAt: Date.now(), title: "Rebuild api" });

  it("says on each confirmation what becomes of the running change", async () => {
    const cookie = await loggedInCookie();
    const opId = crypto.randomUUID();
    const ws = await answeringRelay((op) => (op === "changes.running" ? { changes: [job(opId)] } : undefined));
    for (const path of ["token", "remove"]) {
      const html = await (await SELF.fetch(`${ORIGIN}/hosts/demo/${path}`, { headers: { cookie } })).text();
      expect(html).toContain("A change is running on it now");
      expect(html).toContain(`href="/hosts/demo/ops/${opId}"`);
      expect(html).toContain("Rebuild api");
      expect(html).toContain("It is not stopped: the relay runs it to its end");
    }
    ws.close();
  });

  it("never says 'Change not found' for a change that started here: offline, or unknown to the relay connected now", async () => {
    const cookie = await loggedInCookie();
    let opId = "";
    const first = await answeringRelay((op, id, ws) => {
      if (op === "changes.running") return { changes: [] };
      if (op !== "apps.restart") return undefined;
      opId = id;
      ws.send(JSON.stringify({ type: "started", id, job: { ...job(id), op: "apps.restart", title: "Restart api" } }));
      return null; // it runs on, and its relay goes away before it ends
    });
    const streamed = await SELF.fetch(`${ORIGIN}/hosts/demo/apps/api/restart`, {
      method: "POST",
      headers: { cookie, origin: ORIGIN, accept: "text/event-stream", "hx-request": "true" },
    });
    const reader = streamed.body!.getReader();
    await until("the change to start", () => opId !== "");
    await reader.cancel();
    first.close();
    for (let i = 0; i < 100; i++) {
      const s = (await (await SELF.fetch(`${ORIGIN}/hosts/demo/status.json`, { headers: { cookie } })).json()) as { connected: boolean };
      if (!s.connected) break;
      await new Promise((r) => setTimeout(r, 25));
    }

    const offline = await SELF.fetch(`${ORIGIN}/hosts/demo/ops/${opId}`, { headers: { cookie } });
    const offlineHtml = await offline.text();
    expect(offlineHtml).not.toContain("Change not found");
    expect(offlineHtml).toContain("Restart api: outcome unknown");
    expect(offline.status).toBe(503);

    // Another relay (reinstalled, with its own history) knows nothing of it: still not "not found".
    const second = await answeringRelay((op) => (op === "changes.running" ? { changes: [] } : op === "history.get" ? { entries: [] } : undefined));
    const unknown = await SELF.fetch(`${ORIGIN}/hosts/demo/ops/${opId}`, { headers: { cookie } });
    const unknownHtml = await unknown.text();
    expect(unknown.status).toBe(200);
    expect(unknownHtml).toContain("Restart api: outcome unknown");
    expect(unknownHtml).toContain("the relay connected now has no record of it");

    // An id this edge never saw start, that the relay has no record of either, is not found.
    const never = await SELF.fetch(`${ORIGIN}/hosts/demo/ops/${crypto.randomUUID()}`, { headers: { cookie } });
    expect(never.status).toBe(404);
    expect(await never.text()).toContain("Change not found");
    second.close();
  });
});
