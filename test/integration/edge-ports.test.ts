import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { newEdgeSecrets, toDotenv } from "../../scripts/credentials.js";
import { freePort, startEdge } from "../../scripts/stack.js";
import { TEST_PASSWORD } from "../support/worker-secrets.js";

const dir = mkdtempSync(join(tmpdir(), "docklight-edge-ports-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a local edge's port (scripts/stack.ts startEdge)", () => {
  // CI once failed so: a port found free was taken before wrangler dev bound it ("Address already in use").
  it("starts wrangler dev again on a fresh port when the one it found free was taken meanwhile", async () => {
    const squatter: Server = createServer();
    squatter.listen(0, "127.0.0.1");
    await once(squatter, "listening");
    const taken = (squatter.address() as { port: number }).port;
    const { DOCKLIGHT_PASSWORD: _pw, ...vars } = await newEdgeSecrets(TEST_PASSWORD);
    const envFile = join(dir, "edge.env");
    writeFileSync(envFile, toDotenv(vars, "", true));
    const picked: number[] = [];
    // The first port handed out is the taken one, as if another process took it after the check.
    const pick = async () => {
      const port = picked.length === 0 ? taken : await freePort();
      picked.push(port);
      return port;
    };
    const edge = await startEdge({ envFile, persistTo: join(dir, "state") }, pick);
    try {
      expect(picked[0]).toBe(taken);
      expect(edge.port).not.toBe(taken);
      expect(picked.length).toBeGreaterThan(2); // the edge's and the inspector's ports, then fresh ones
      expect((await fetch(`${edge.url}/api/health`)).ok).toBe(true);
    } finally {
      await edge.stop();
      squatter.close();
    }
  });
});
