import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { rotateHostToken } from "../../scripts/host.js";
import { until } from "../support/history.js";
import { useStack } from "../support/use-stack.js";

/**
 * Rotating the edge's op-signing key with real relays: the connected one is sent the new key signed
 * by the old, pins it (in its SQLite, so a restart keeps it) and goes on serving ops; one that was
 * offline still trusts the old key and refuses ops until it re-joins with a new command.
 */
const stack = useStack();

/** `apps.restart` (never cached): the relay must verify a freshly signed op. */
const restart = () => fetch(`${stack.url}/hosts/demo/apps/api/restart`, { method: "POST", headers: { cookie: stack.cookie, origin: stack.url } });

describe("rotating the op-signing key", () => {
  it("reaches the connected relay, which pins the new key, keeps it across a restart, and serves ops", async () => {
    expect((await restart()).status).toBe(200);
    const res = await fetch(`${stack.url}/signing-key`, { method: "POST", headers: { cookie: stack.cookie, origin: stack.url, accept: "application/json" } });
    const { publicKey, told } = (await res.json()) as { publicKey: string; told: number };
    expect(told).toBe(1);
    expect(publicKey).not.toBe(stack.credentials.demo!.publicKey);
    const relay = stack.relays.demo!;
    await until("the relay to pin the new key", () => relay.proc.output().includes("pinned the new key"));
    expect(relay.proc.output()).toContain(publicKey);
    expect((await restart()).status).toBe(200);

    // Restarted with the same settings (the old DOCKLIGHT_OP_PUBLIC_KEY): the pin in its database wins.
    await relay.restart();
    expect((await restart()).status).toBe(200);
  });

  it("a relay that missed it refuses every op, until it re-joins with the new command", async () => {
    await stack.relays.demo!.proc.stop();
    // Another database: this relay knows only the key it was given when it joined.
    const since = Date.now();
    const stale = stack.startRelay("demo", { db: join(stack.dir, "stale.db") });
    await stack.waitConnected("demo", since);
    const refused = await restart();
    expect(await refused.text()).toContain("bad signature");
    await stale.stop();

    const fresh = await rotateHostToken(stack.url, stack.cookie, "demo");
    const again = Date.now();
    stack.startRelay("demo", { db: join(stack.dir, "rejoined.db"), token: fresh.token, publicKey: fresh.publicKey });
    await stack.waitConnected("demo", again);
    expect((await restart()).status).toBe(200);
  });
});
