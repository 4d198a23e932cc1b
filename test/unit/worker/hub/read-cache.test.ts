import { describe, expect, it } from "vitest";
import { freshMsOf, opNames } from "../../../../protocol/ops.js";
import { ReadCache } from "../../../../worker/hub/read-cache.js";

describe("the edge's per-host read cache", () => {
  it("serves a read again while it is fresh and forgets it after", () => {
    let now = 1_000;
    const cache = new ReadCache(() => now);
    cache.set("apps.detail", { app: "api" }, { x: 1 });
    now += freshMsOf("apps.detail") - 1;
    expect(cache.get("apps.detail", { app: "api" })).toEqual({ x: 1 });
    now += 1;
    expect(cache.get("apps.detail", { app: "api" })).toBeUndefined();
  });

  it("keys by arguments, whatever their order", () => {
    const cache = new ReadCache();
    cache.set("databases.info", { plugin: "postgres", name: "db" }, 1);
    expect(cache.get("databases.info", { name: "db", plugin: "postgres" })).toBe(1);
    expect(cache.get("databases.info", { name: "other", plugin: "postgres" })).toBeUndefined();
  });

  it("never caches live or history ops", () => {
    const cache = new ReadCache();
    for (const op of ["server.health", "history.list", "logs.tail", "relay.ping"] as const) cache.set(op, {}, 1);
    expect(cache.size).toBe(0);
  });

  it("caches exactly the ops that declare a freshness, and never a change", () => {
    for (const op of opNames) {
      const cache = new ReadCache();
      cache.set(op, { app: "api" }, 1);
      expect(cache.size, op).toBe(freshMsOf(op) > 0 ? 1 : 0);
    }
    expect(ReadCache.cacheable("apps.restart")).toBe(false);
    expect(ReadCache.cacheable("apps.list")).toBe(true);
  });

  it("drops one app's entries and the host-wide ones when that app changes, keeping other apps'", () => {
    const cache = new ReadCache();
    cache.set("apps.list", {}, "list");
    cache.set("apps.detail", { app: "api" }, "api");
    cache.set("apps.detail", { app: "blog" }, "blog");
    cache.invalidate({ app: "api" }, "apps.restart");
    expect(cache.get("apps.list", {})).toBeUndefined();
    expect(cache.get("apps.detail", { app: "api" })).toBeUndefined();
    expect(cache.get("apps.detail", { app: "blog" })).toBe("blog");
  });

  it("learns from how each op ended: a read's result is kept, a change (done or maybe done) makes its scope stale, a failed one changes nothing", () => {
    const cache = new ReadCache();
    cache.learn("apps.detail", { app: "api" }, { kind: "ok", result: "api" });
    cache.learn("apps.detail", { app: "blog" }, { kind: "error" });
    expect(cache.get("apps.detail", { app: "api" })).toBe("api");
    expect(cache.get("apps.detail", { app: "blog" })).toBeUndefined();
    cache.learn("apps.restart", { app: "api" }, { kind: "error" });
    expect(cache.get("apps.detail", { app: "api" })).toBe("api");
    cache.learn("apps.restart", { app: "api" }, { kind: "unknown" });
    expect(cache.get("apps.detail", { app: "api" })).toBeUndefined();
  });

  it("drops everything after a change that names no app, with or without its op", () => {
    const cache = new ReadCache();
    cache.set("apps.detail", { app: "blog" }, "blog");
    cache.set("databases.overview", {}, "dbs");
    cache.invalidate({ plugin: "postgres", name: "db" });
    expect(cache.size).toBe(0);

    cache.set("apps.detail", { app: "blog" }, "blog");
    cache.invalidate({ plugin: "postgres", service: "db" }, "databases.create");
    expect(cache.size).toBe(0);
  });
});
