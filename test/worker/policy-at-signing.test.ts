import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { ALL_GRANTS, NO_GRANTS, type Principal } from "../../protocol/policy.js";
import { standInRelay } from "./stand-in-relay.js";

/** The HostHub decides every op where it signs it: a refused op never reaches the relay. */
const hub = () => env.HOST_HUB.get(env.HOST_HUB.idFromName("demo"));
const owner: Principal = { user: "admin", role: "owner", grants: ALL_GRANTS };
const deployerOfWeb: Principal = { user: "dee@example.com", role: "deployer", grants: { ...NO_GRANTS, apps: ["web"] } };
const stranger: Principal = { user: "sam@example.com", role: "viewer", grants: NO_GRANTS };
const apps = { apps: [{ name: "web", state: "running", processes: 1, unknownReason: null }] };

let relay: Awaited<ReturnType<typeof standInRelay>> | null = null;
afterEach(() => relay?.close());

describe("the policy at signing", () => {
  it("signs an allowed op with the user, role and grants, and sends nothing for a refused one", async () => {
    relay = await standInRelay((op) => (op.op === "apps.list" ? apps : undefined));
    const refused = await hub().run("apps.restart", { app: "api" }, deployerOfWeb);
    expect(refused).toEqual({ kind: "error", code: "denied", message: "Not allowed: you have no grant on app api on this host." });
    const started = await hub().start("apps.restart", { app: "api" }, deployerOfWeb);
    expect(started).toMatchObject({ kind: "error", code: "denied" });
    expect(relay.seen).toEqual([]);

    await hub().run("apps.restart", { app: "web" }, deployerOfWeb);
    expect(relay.seen).toHaveLength(1);
    expect(relay.seen[0]).toMatchObject({
      op: "apps.restart",
      args: { app: "web" },
      sub: "dee@example.com",
      role: "deployer",
      grants: { host: false, hostRoot: false, reveal: false, apps: ["web"] },
    });
  });

  it("refuses before the read cache: a read another user was allowed is not served from it", async () => {
    relay = await standInRelay((op) => (op.op === "apps.list" ? apps : undefined));
    const first = await hub().run("apps.list", {}, owner);
    expect(first.kind).toBe("ok");
    expect(relay.seen.map((s) => s.role)).toEqual(["owner"]);
    const second = await hub().run("apps.list", {}, stranger);
    expect(second).toMatchObject({ kind: "error", code: "denied" });
    const tail = await hub().tailOpen("logs.tail", { app: "api" }, deployerOfWeb);
    expect(await hub().tailPull(tail, deployerOfWeb.user, 1000)).toMatchObject({ kind: "batch", batch: { end: { kind: "error", code: "denied" } } });
    expect(relay.seen).toHaveLength(1);
  });
});
