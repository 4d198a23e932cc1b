import { env, SELF } from "cloudflare:test";
import { importJWK, jwtVerify } from "jose";
import { OP_AUDIENCE, OP_ISSUER, PROTOCOL_VERSION, type HelloFrame } from "../../protocol/frames.js";
import { ops, type OpName } from "../../protocol/ops.js";
import { ORIGIN } from "./helpers.js";

/** What a relay says in its hello (what it runs, the Dokku it found, its local policy). */
export type Hello = Omit<HelloFrame, "type">;

/** The hello of a stand-in relay for host demo (protocol of this checkout, Dokku 0.35.20, simulated), with `over` changed. */
export const helloWith = (over: Partial<Hello> = {}) =>
  JSON.stringify({
    type: "hello",
    host: "demo",
    relayVersion: "test",
    protocolVersion: PROTOCOL_VERSION,
    dokkuVersion: "0.35.20",
    simulated: true,
    policy: { readOnly: false, deny: [] },
    ...over,
  });

/** The hello a stand-in relay for host demo sends. */
export const HELLO = helloWith();

/** The verified claims of one op the stand-in relay received (`jti` is its frame's id). */
export type SeenOp = Record<string, unknown> & { jti: string; op: string; args: Record<string, unknown>; sub: string; role: string; grants: unknown };

/**
 * An answer that fails the op with `code` and `message`: a change still says "started" first, as one
 * that ran and failed, unless it is `refused` before it started (as the relay's jobs refuse a change
 * to a busy app, naming the running one's `opId`).
 */
export class Failure {
  constructor(
    readonly code: string,
    readonly message: string,
    readonly opts: { refused?: boolean; opId?: string } = {},
  ) {}
}

/** An answer that says "started" and leaves the result to the test (a change still running: send its result frame on `ws`). */
export const HELD = Symbol("held");

/**
 * A stand-in relay for host "demo", dialled over the real /relay/connect route: it verifies each
 * op's signature with the edge's public key, records its claims in `seen`, and answers with
 * `answer(op)` (a result, a `Failure`, `HELD`, or by default an "unavailable" error; a change it
 * answers says "started" first). Its hello is `HELLO` with `hello` changed. `close()` when done.
 */
export async function standInRelay(answer: (op: SeenOp) => unknown = () => undefined, hello: Partial<Hello> = {}) {
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
    const refused = result === undefined || (result instanceof Failure && result.opts.refused);
    // A started change's result names its job too, as relay/ops/dispatch.ts sends it.
    const job =
      !refused && ops[op.op as OpName]?.mutates
        ? { opId: frame.id, op: op.op, app: (op.args.app as string | undefined) ?? null, requestedBy: op.sub, startedAt: Date.now() }
        : undefined;
    if (job) ws.send(JSON.stringify({ type: "started", id: frame.id, job }));
    if (result === HELD) return;
    if (result instanceof Failure)
      ws.send(JSON.stringify({ type: "result", id: frame.id, ok: false, error: { code: result.code, message: result.message, opId: result.opts.opId }, job }));
    else if (result === undefined)
      ws.send(JSON.stringify({ type: "result", id: frame.id, ok: false, error: { code: "unavailable", message: "not in this test" } }));
    else ws.send(JSON.stringify({ type: "result", id: frame.id, ok: true, result, job }));
  });
  ws.send(helloWith(hello));
  // The hub has taken this relay's hello once the relay it serves connected after `before` (it
  // serves the newest that said hello): a relay a test before this one left may still be closing.
  const hub = env.HOST_HUB.get(env.HOST_HUB.idFromName("demo"));
  const ours = (s: { connected: boolean; connectedAt: number | null }) => s.connected && (s.connectedAt ?? 0) >= before;
  for (let i = 0; i < 200 && !ours(await hub.status()); i++) await new Promise((r) => setTimeout(r, 10));
  return { seen, ws, close: () => ws.close(1000, "test done") };
}
