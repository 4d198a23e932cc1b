import { env, SELF } from "cloudflare:test";
import { importJWK, jwtVerify } from "jose";
import { OP_AUDIENCE, OP_ISSUER, PROTOCOL_VERSION } from "../../protocol/frames.js";
import { ops, type OpName } from "../../protocol/ops.js";
import { ORIGIN } from "./helpers.js";

/** The hello a stand-in relay for host demo sends (protocol of this checkout, Dokku 0.35.20, simulated). */
export const HELLO = JSON.stringify({
  type: "hello",
  host: "demo",
  relayVersion: "test",
  protocolVersion: PROTOCOL_VERSION,
  dokkuVersion: "0.35.20",
  simulated: true,
  policy: { readOnly: false, deny: [] },
});

/** The verified claims of one op the stand-in relay received. */
export type SeenOp = Record<string, unknown> & { op: string; args: Record<string, unknown>; sub: string; role: string; grants: unknown };

/** An answer that fails the op with `code` and `message` (a change still says "started" first, as one that ran and failed). */
export class Failure {
  constructor(
    readonly code: string,
    readonly message: string,
  ) {}
}

/**
 * A stand-in relay for host "demo", dialled over the real /relay/connect route: it verifies each
 * op's signature with the edge's public key, records its claims in `seen`, and answers with
 * `answer(op)` (a result, or by default an "unavailable" error; a change it answers says "started"
 * first). `close()` when done.
 */
export async function standInRelay(answer: (op: SeenOp) => unknown = () => undefined) {
  const before = Date.now();
  const res = await SELF.fetch(`${ORIGIN}/relay/connect?host=demo`, { headers: { upgrade: "websocket", authorization: `Bearer ${env.TEST_RELAY_TOKEN}` } });
  if (res.status !== 101) throw new Error(`relay connect answered ${res.status}`);
  const ws = res.webSocket!;
  ws.accept();
  const publicKey = await importJWK({ kty: "OKP", crv: "Ed25519", x: env.TEST_OP_PUBLIC_X }, "EdDSA");
  const seen: SeenOp[] = [];
  ws.addEventListener("message", async (event) => {
    const frame = JSON.parse(event.data as string) as { type: string; id: string; jws: string };
    if (frame.type !== "op") return;
    const { payload } = await jwtVerify(frame.jws, publicKey, { algorithms: ["EdDSA"], issuer: OP_ISSUER, audience: OP_AUDIENCE });
    const op = payload as SeenOp;
    seen.push(op);
    const result = answer(op);
    // A change the relay takes runs as a job: it says "started" before its result, as relay/ops/jobs.ts does.
    if (result !== undefined && ops[op.op as OpName]?.mutates)
      ws.send(
        JSON.stringify({
          type: "started",
          id: frame.id,
          job: { opId: frame.id, op: op.op, app: op.args.app ?? null, requestedBy: op.sub, startedAt: Date.now() },
        }),
      );
    if (result instanceof Failure) ws.send(JSON.stringify({ type: "result", id: frame.id, ok: false, error: { code: result.code, message: result.message } }));
    else if (result === undefined)
      ws.send(JSON.stringify({ type: "result", id: frame.id, ok: false, error: { code: "unavailable", message: "not in this test" } }));
    else ws.send(JSON.stringify({ type: "result", id: frame.id, ok: true, result }));
  });
  ws.send(HELLO);
  // The hub has taken this relay's hello once the relay it serves connected after `before` (it
  // serves the newest that said hello): a relay a test before this one left may still be closing.
  const hub = env.HOST_HUB.get(env.HOST_HUB.idFromName("demo"));
  const ours = (s: { connected: boolean; connectedAt: number | null }) => s.connected && (s.connectedAt ?? 0) >= before;
  for (let i = 0; i < 200 && !ours(await hub.status()); i++) await new Promise((r) => setTimeout(r, 10));
  return { seen, ws, close: () => ws.close(1000, "test done") };
}
