import { SELF } from "cloudflare:test";
import { expect } from "vitest";
import { ORIGIN } from "./helpers.js";
import { helloWith } from "./stand-in-relay.js";

/** The one install command on an enrollment page, and its parts (it must match the whole shape). */
export function commandIn(html: string): { command: string; url: string; id: string; code: string; key: string; sha256: string } {
  const m =
    /curl -fsSL (\S+)\/install\.sh \| sh -s -- --url (\S+) --host ([a-z0-9-]+) --code ([A-Za-z0-9_-]{24}) --key ([A-Za-z0-9_-]{43}) --sha256 ([0-9a-f]{64})/.exec(
      html,
    );
  expect(m, html).not.toBeNull();
  expect(m![1]).toBe(m![2]);
  return { command: m![0], url: m![1]!, id: m![3]!, code: m![4]!, key: m![5]!, sha256: m![6]! };
}

/** `POST /relay/enroll` as the installer sends it, from client address `ip`. */
export const enroll = (host: string, code: string, ip = "192.0.2.1") =>
  SELF.fetch(`${ORIGIN}/relay/enroll`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": ip },
    body: new URLSearchParams({ host, code }).toString(),
  });

/** Trades `code` for host `id`'s relay token; the test fails if the edge refuses. */
export async function exchange(id: string, code: string): Promise<string> {
  const res = await enroll(id, code);
  const body = (await res.json()) as { token?: string; error?: string };
  expect(res.status, body.error).toBe(200);
  return body.token!;
}

/** A relay's socket for `host`, said hello on; its close event when the edge closes it. */
export async function connectRelay(host: string, token: string) {
  const res = await SELF.fetch(`${ORIGIN}/relay/connect?host=${host}`, { headers: { upgrade: "websocket", authorization: `Bearer ${token}` } });
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  ws.accept();
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.addEventListener("close", (e) => resolve({ code: e.code, reason: e.reason })));
  ws.send(helloWith({ host }));
  return { ws, closed };
}
