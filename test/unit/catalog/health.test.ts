import { describe, expect, it } from "vitest";
import { fakeRelay, runOp } from "../../support/ops.js";

describe("server.health and relay.ping", () => {
  it("is unavailable without a sampler", async () => {
    await expect(runOp(fakeRelay(), "server.health", {})).rejects.toMatchObject({ code: "unavailable" });
  });

  it("relay.ping answers with the relay's clock and runs nothing", async () => {
    const relay = fakeRelay();
    const before = Date.now();
    const { relayTime } = await runOp(relay, "relay.ping", {});
    expect(relayTime).toBeGreaterThanOrEqual(before);
    expect(relayTime).toBeLessThanOrEqual(Date.now());
    expect(relay.argvs).toEqual([]);
  });
});
