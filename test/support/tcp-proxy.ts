import { once } from "node:events";
import { createServer, connect, type Socket } from "node:net";

/**
 * A loopback TCP proxy in front of the edge, so a test can cut the relay's connection mid-op
 * (as a network would) without killing either process.
 */
export async function startProxy(targetPort: number) {
  const pairs = new Set<[Socket, Socket]>();
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
    refuse(on: boolean): void {
      refusing = on;
    },
    get open() {
      return pairs.size;
    },
    close: () => new Promise<void>((r) => {
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
      server.close(() => r());
    }),
  };
}
