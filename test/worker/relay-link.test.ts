import { env, SELF } from "cloudflare:test";
import { importJWK, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { OP_AUDIENCE, OP_ISSUER } from "../../protocol/frames.js";
import { loggedInCookie, ORIGIN } from "./helpers.js";
import { HELLO } from "./stand-in-relay.js";

async function connectRelay(token: string, host = "demo"): Promise<Response> {
  return SELF.fetch(`${ORIGIN}/relay/connect?host=${host}`, {
    headers: { upgrade: "websocket", authorization: `Bearer ${token}` },
  });
}

describe("the relay socket", () => {
  it("refuses a wrong token with 401", async () => {
    const res = await connectRelay("x".repeat(43));
    expect(res.status).toBe(401);
    expect(res.webSocket).toBeNull();
  });

  it("refuses a right token presented for another host", async () => {
    const res = await connectRelay(env.TEST_RELAY_TOKEN, "other");
    expect(res.status).toBe(401);
  });

  it("carries a signed op to the relay and its result back to the page", async () => {
    const res = await connectRelay(env.TEST_RELAY_TOKEN);
    expect(res.status).toBe(101);
    const ws = res.webSocket!;
    ws.accept();
    const publicKey = await importJWK({ kty: "OKP", crv: "Ed25519", x: env.TEST_OP_PUBLIC_X }, "EdDSA");
    const seen: Array<Record<string, unknown>> = [];
    ws.addEventListener("message", async (event) => {
      const frame = JSON.parse(event.data as string) as { type: string; id: string; jws: string };
      if (frame.type !== "op") return;
      const { payload } = await jwtVerify(frame.jws, publicKey, { algorithms: ["EdDSA"], issuer: OP_ISSUER, audience: OP_AUDIENCE });
      seen.push(payload);
      if (payload.op !== "apps.list") {
        ws.send(JSON.stringify({ type: "result", id: frame.id, ok: false, error: { code: "unavailable", message: "not in this test" } }));
        return;
      }
      ws.send(
        JSON.stringify({
          type: "result",
          id: frame.id,
          ok: true,
          result: { apps: [{ name: "from-fake-relay", state: "running", processes: 3, unknownReason: null }] },
        }),
      );
    });
    ws.send(HELLO);

    const cookie = await loggedInCookie();
    const page = await SELF.fetch(`${ORIGIN}/hosts/demo`, { headers: { cookie } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("from-fake-relay");
    expect(html).toContain("demo host (simulated Dokku)");
    expect(seen.filter((p) => p.op === "apps.list")).toHaveLength(1);
    for (const claims of seen) {
      expect(claims).toMatchObject({ host: "demo", sub: "admin", iss: OP_ISSUER, aud: OP_AUDIENCE });
      expect((claims.exp as number) - (claims.iat as number)).toBeLessThanOrEqual(60);
    }
    ws.close();
  });

  it("reports Dokku's error message when the relay answers with one", async () => {
    const res = await connectRelay(env.TEST_RELAY_TOKEN);
    const ws = res.webSocket!;
    ws.accept();
    ws.addEventListener("message", (event) => {
      const frame = JSON.parse(event.data as string) as { type: string; id: string };
      if (frame.type === "op") {
        ws.send(JSON.stringify({ type: "result", id: frame.id, ok: false, error: { code: "not_found", message: "App ghost does not exist" } }));
      }
    });
    ws.send(HELLO);
    const cookie = await loggedInCookie();
    const out = await SELF.fetch(`${ORIGIN}/hosts/demo/apps/ghost/restart`, { method: "POST", headers: { cookie, origin: ORIGIN } });
    expect(out.status).toBe(404);
    expect(await out.text()).toContain("App ghost does not exist");
    ws.close();
  });

  it("rejects an invalid app name with 400 before anything is sent", async () => {
    const cookie = await loggedInCookie();
    const out = await SELF.fetch(`${ORIGIN}/hosts/demo/apps/Bad_Name/restart`, { method: "POST", headers: { cookie, origin: ORIGIN } });
    expect(out.status).toBe(400);
    expect(await out.text()).toContain("app name");
  });

  it("answers a repeated read from the hub's cache and asks the relay again after a change to that app", async () => {
    const res = await connectRelay(env.TEST_RELAY_TOKEN);
    const ws = res.webSocket!;
    ws.accept();
    const ops: string[] = [];
    ws.addEventListener("message", (event) => {
      const frame = JSON.parse(event.data as string) as { type: string; id: string; jws: string };
      if (frame.type !== "op") return;
      const claims = JSON.parse(atob(frame.jws.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))) as { op: string };
      ops.push(claims.op);
      if (claims.op === "apps.list") {
        ws.send(
          JSON.stringify({ type: "result", id: frame.id, ok: true, result: { apps: [{ name: "api", state: "running", processes: 1, unknownReason: null }] } }),
        );
      } else if (claims.op === "apps.restart") {
        ws.send(JSON.stringify({ type: "result", id: frame.id, ok: true, result: { output: "-----> Deploying web (count=1)" } }));
      } else {
        ws.send(JSON.stringify({ type: "result", id: frame.id, ok: false, error: { code: "unavailable", message: "not in this test" } }));
      }
    });
    ws.send(HELLO);
    const cookie = await loggedInCookie();
    const restart = async () =>
      expect((await SELF.fetch(`${ORIGIN}/hosts/demo/apps/api/restart`, { method: "POST", headers: { cookie, origin: ORIGIN } })).status).toBe(200);
    const dashboard = async () => expect((await SELF.fetch(`${ORIGIN}/hosts/demo`, { headers: { cookie } })).status).toBe(200);
    // Earlier tests in this file share the hub: a change first, so the cache starts empty.
    await restart();
    for (let i = 0; i < 3; i++) await dashboard();
    await restart();
    await dashboard();
    expect(ops.filter((o) => o === "apps.list" || o === "apps.restart")).toEqual(["apps.restart", "apps.list", "apps.restart", "apps.list"]);
    ws.close();
  });
});
