import { env, SELF } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { ALL_GRANTS, type Principal } from "../../protocol/policy.js";
import { hubFor } from "../../worker/hub/client.js";
import type { ViewerEvent } from "../../worker/hub/viewers.js";
import { loggedInCookie, ORIGIN } from "./helpers.js";
import { HELLO } from "./stand-in-relay.js";

const OWNER: Principal = { user: "owner@example.com", role: "owner", grants: ALL_GRANTS };
const REFUSAL = "--privileged gives the container every device of the host: refused";
const hub = () => hubFor(env, "demo");

/**
 * A relay as relay/ops/dispatch.ts behaves for a change that fails in its own checks before any
 * command: "started", then at once its failed result; history holds nothing of it (no command ran);
 * an attach after its end replays nothing and says it is not running.
 */
async function failingAtStartRelay(order: "started first" | "result first" = "started first") {
  const before = Date.now();
  const res = await SELF.fetch(`${ORIGIN}/relay/connect?host=demo`, { headers: { upgrade: "websocket", authorization: `Bearer ${env.TEST_RELAY_TOKEN}` } });
  const ws = res.webSocket!;
  ws.accept();
  const send = (f: object) => ws.send(JSON.stringify(f));
  ws.addEventListener("message", (event) => {
    const frame = JSON.parse(event.data as string) as { type: string; id: string; jws: string; tag: string };
    if (frame.type === "attach") return send({ type: "attached", id: frame.id, tag: frame.tag, running: false, end: 0, dropped: 0 });
    if (frame.type !== "op") return;
    const { op, sub } = JSON.parse(atob(frame.jws.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))) as { op: string; sub: string };
    if (op === "apps.restart") {
      // The result names the job as the "started" frame does (relay/ops/dispatch.ts).
      const job = { opId: frame.id, op, app: "api", requestedBy: sub, startedAt: Date.now(), title: "Restart api" };
      const started = { type: "started", id: frame.id, job };
      const result = { type: "result", id: frame.id, ok: false, error: { code: "dokku_error", message: REFUSAL }, job };
      for (const f of order === "started first" ? [started, result] : [result, started]) send(f);
      return;
    }
    const result = op === "history.get" ? { entries: [] } : op === "changes.running" ? { changes: [] } : undefined;
    send(
      result
        ? { type: "result", id: frame.id, ok: true, result }
        : { type: "result", id: frame.id, ok: false, error: { code: "unavailable", message: "not here" } },
    );
  });
  ws.send(HELLO);
  const ours = (s: { connected: boolean; connectedAt: number | null }) => s.connected && (s.connectedAt ?? 0) >= before;
  for (let i = 0; i < 200 && !ours(await hub().status()); i++) await new Promise((r) => setTimeout(r, 10));
  return ws;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let relay: WebSocket | null = null;
afterEach(() => relay?.close(1000, "test done"));

describe("a change that ends before (or while) its start is acknowledged", () => {
  it("tells a viewer who attaches after its end how it ended, not 'gone' to a history that has nothing", async () => {
    relay = await failingAtStartRelay();
    const started = await hub().start("apps.restart", { app: "api" }, OWNER);
    if (started.kind !== "started") throw new Error(`did not start: ${JSON.stringify(started)}`);
    // its end reached the hub before anyone watched (the starter's watch comes after the start reply)
    await until("its end", async () => (await hub().startedChange(started.opId))?.ended);
    const events: ViewerEvent[] = [];
    await hub().watch(started.opId, OWNER, (e: ViewerEvent) => {
      events.push(e);
      return true;
    });
    expect(events.at(-1)).toEqual({ type: "end", outcome: { kind: "error", code: "dokku_error", message: REFUSAL } });
  });

  it("started, whichever of its two frames the hub handles first: its result alone says so, and keeps its end", async () => {
    // workerd has handled a fast failure's result before the "started" frame sent ahead of it.
    relay = await failingAtStartRelay("result first");
    const started = await hub().start("apps.restart", { app: "api" }, OWNER);
    expect(started.kind).toBe("started");
    if (started.kind !== "started") return;
    const kept = await until("its end", async () => (await hub().startedChange(started.opId))?.ended);
    expect(kept).toMatchObject({ ok: false, code: "dokku_error", message: REFUSAL });
    expect((await hub().startedChange(started.opId))?.title).toBe("Restart api");
  });

  it("streams its real failure to the page that started it, and its own page says it too", async () => {
    relay = await failingAtStartRelay();
    const cookie = await loggedInCookie();
    const res = await SELF.fetch(`${ORIGIN}/hosts/demo/apps/api/restart`, {
      method: "POST",
      headers: { cookie, origin: ORIGIN, accept: "text/event-stream", "hx-request": "true" },
    });
    const body = await res.text();
    expect(body).toContain("refused");
    expect(body).not.toMatch(/outcome unknown/i);
    const opId = /\/hosts\/demo\/ops\/([0-9a-f-]{36})/.exec(body)?.[1];
    expect(opId).toBeDefined();

    const page = await SELF.fetch(`${ORIGIN}/hosts/demo/ops/${opId}`, { headers: { cookie } });
    const html = await page.text();
    expect(html).toContain("Restart api: not done");
    expect(html).toContain("gives the container every device of the host: refused");
    expect(html).not.toMatch(/outcome unknown/i);
  });
});
