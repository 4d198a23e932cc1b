import { once } from "node:events";
import { createServer, connect, type Socket } from "node:net";

/**
 * A loopback TCP proxy in front of the edge, so a test can cut the relay's connection mid-op
 * (as a network would) without killing either process.
 */
export async function startProxy(targetPort: number) {
  const pairs = new Set<[Socket, Socket]>();
  const frozen: Socket[] = [];
  let refusing = false;
  const server = createServer((client) => {
    if (refusing) return client.destroy();
    const upstream = connect(targetPort, "127.0.0.1");
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    /** Sever every open connection (each side sees a reset). */
    cut(): void {
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
      pairs.clear();
    },
    /**
     * Stop forwarding on every open connection without closing anything, as a network that
     * silently drops a connection would: neither side hears of it. The sockets stay open until
     * `close`.
     */
    freeze(): void {
      for (const [a, b] of pairs) {
        for (const s of [a, b]) {
          s.unpipe();
          s.removeAllListeners("close");
          s.removeAllListeners("data");
          s.on("error", () => {});
          s.pause();
        }
        frozen.push(a, b);
      }
      pairs.clear();
    },
    refuse(on: boolean): void {
      refusing = on;
    },
    get open() {
      return pairs.size;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const [a, b] of pairs) {
          a.destroy();
          b.destroy();
        }
        for (const s of frozen.splice(0)) s.destroy();
        server.close(() => r());
      }),
  };
}
