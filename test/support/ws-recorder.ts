import { once } from "node:events";
import { connect, createServer, type Socket } from "node:net";

/**
 * A loopback TCP proxy in front of the edge that records the WebSocket traffic through it and
 * decodes it into messages (RFC 6455: the client's frames unmasked; control frames left out), so
 * a test can search every frame the relay sent and every one it got. The link runs without
 * permessage-deflate (relay/link/socket.ts), so each payload is the JSON text as sent.
 */
export async function startWsRecorder(targetPort: number) {
  const toEdge: string[] = [];
  const toRelay: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, "127.0.0.1");
    sockets.add(client).add(upstream);
    const up = decoder(toEdge);
    const down = decoder(toRelay);
    client.on("data", (b: Buffer) => {
      up(b);
      upstream.write(b);
    });
    upstream.on("data", (b: Buffer) => {
      down(b);
      client.write(b);
    });
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    /** The messages the relay sent to the edge, as text. */
    toEdge: (): readonly string[] => toEdge,
    /** The messages the edge sent to the relay, as text. */
    toRelay: (): readonly string[] => toRelay,
    close(): void {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

/** A byte stream of one direction: the HTTP head (skipped), then frames, each data message pushed to `out`. */
function decoder(out: string[]): (chunk: Buffer) => void {
  let buf = Buffer.alloc(0);
  let inHead = true;
  let message: Buffer[] = [];
  return (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    if (inHead) {
      const end = buf.indexOf("\r\n\r\n");
      if (end < 0) return;
      buf = buf.subarray(end + 4);
      inHead = false;
    }
    for (;;) {
      if (buf.length < 2) return;
      const fin = (buf[0]! & 0x80) !== 0;
      const opcode = buf[0]! & 0x0f;
      const masked = (buf[1]! & 0x80) !== 0;
      let len = buf[1]! & 0x7f;
      let at = 2;
      if (len === 126) {
        if (buf.length < 4) return;
        len = buf.readUInt16BE(2);
        at = 4;
      } else if (len === 127) {
        if (buf.length < 10) return;
        len = Number(buf.readBigUInt64BE(2));
        at = 10;
      }
      const mask = masked ? buf.subarray(at, at + 4) : null;
      if (masked) at += 4;
      if (buf.length < at + len) return;
      const payload = Buffer.from(buf.subarray(at, at + len));
      if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
      buf = buf.subarray(at + len);
      if (opcode >= 0x8) continue; // close, ping, pong
      message.push(payload);
      if (fin) {
        out.push(Buffer.concat(message).toString("utf8"));
        message = [];
      }
    }
  };
}
