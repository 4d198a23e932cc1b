import { once } from "node:events";
import { importJWK, SignJWT, type CryptoKey } from "jose";
import { WebSocketServer, type WebSocket } from "ws";
import { OP_AUDIENCE, OP_ISSUER, OP_TOKEN_TYPE, type RelayFrame } from "../../protocol/frames.js";
import { ALL_GRANTS, type HostGrants, type Role } from "../../protocol/principal.js";

export interface OpSpec {
  id?: string;
  host?: string;
  op: string;
  args?: Record<string, unknown>;
  iat?: number;
  exp?: number;
  sub?: string;
  /** The signer's role and grants (protocol/policy.ts); an owner holding everything unless set. */
  role?: Role;
  grants?: HostGrants;
}

/**
 * An edge stand-in that a real relay dials: it signs ops with the edge's key (or another), sends
 * raw frames, and collects what the relay answers. For testing what the relay refuses: replays,
 * tampering, expiry, other hosts — the positions of a man in the middle or a compromised edge.
 * Like a viewer on the real edge, it attaches to every change the relay says it started, so the
 * change's output comes as chunks.
 */
export async function startFakeEdge(privateJwk: string) {
  const key = (await importJWK(JSON.parse(privateJwk) as object, "EdDSA")) as CryptoKey;
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, path: "/relay/connect" });
  await once(wss, "listening");
  const port = (wss.address() as { port: number }).port;
  const frames: RelayFrame[] = [];
  let socket: WebSocket | null = null;
  const waiters: Array<() => void> = [];
  wss.on("connection", (ws) => {
    socket = ws;
    ws.on("message", (data) => {
      const text = data.toString();
      if (text === "ping") return ws.send("pong");
      const frame = JSON.parse(text) as RelayFrame;
      frames.push(frame);
      if (frame.type === "started") ws.send(JSON.stringify({ type: "attach", id: frame.id, tag: crypto.randomUUID() }));
      waiters.splice(0).forEach((w) => w());
    });
  });

  async function sign(spec: OpSpec, signingKey: CryptoKey = key): Promise<{ id: string; jws: string }> {
    const id = spec.id ?? crypto.randomUUID();
    const now = Math.floor(Date.now() / 1000);
    const jws = await new SignJWT({
      host: spec.host ?? "demo",
      op: spec.op,
      args: spec.args ?? {},
      role: spec.role ?? "owner",
      grants: spec.grants ?? ALL_GRANTS,
    })
      .setProtectedHeader({ alg: "EdDSA", typ: OP_TOKEN_TYPE })
      .setJti(id)
      .setIssuer(OP_ISSUER)
      .setAudience(OP_AUDIENCE)
      .setSubject(spec.sub ?? "tester")
      .setIssuedAt(spec.iat ?? now)
      .setExpirationTime(spec.exp ?? now + 60)
      .sign(signingKey);
    return { id, jws };
  }

  const edge = {
    url: `http://127.0.0.1:${port}`,
    frames,
    sign,
    async connected(timeoutMs = 20_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!frames.some((f) => f.type === "hello")) {
        if (Date.now() > deadline) throw new Error("relay did not connect to the fake edge");
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    sendRaw(frame: unknown): void {
      if (!socket) throw new Error("no relay connected");
      socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
    },
    /** The result frame answering op `id`. */
    async result(id: string, timeoutMs = 20_000): Promise<Extract<RelayFrame, { type: "result" }>> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = frames.find((f): f is Extract<RelayFrame, { type: "result" }> => f.type === "result" && f.id === id);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no result for ${id}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
    },
    async send(spec: OpSpec) {
      const { id, jws } = await sign(spec);
      edge.sendRaw({ type: "op", id, jws });
      return edge.result(id);
    },
    close: () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  };
  return edge;
}
