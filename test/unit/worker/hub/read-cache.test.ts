import { describe, expect, it } from "vitest";
import { freshMsOf, opNames } from "../../../../protocol/ops.js";
import { ReadCache } from "../../../../worker/hub/read-cache.js";
import { MemoryCacheStore } from "../../../../worker/hub/read-cache-store.js";

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

  it("drops what a change declares stale: the app's own reads of those ops and the lists, keeping other apps' and other ops'", () => {
    const cache = new ReadCache();
    cache.set("apps.list", {}, "list");
    cache.set("apps.detail", { app: "api" }, "api");
    cache.set("apps.detail", { app: "blog" }, "blog");
    cache.set("config.get", { app: "api" }, "vars");
    cache.set("plugins.list", {}, "plugins");
    cache.invalidate({ app: "api" }, "apps.restart");
    expect(cache.get("apps.list", {})).toBeUndefined();
    expect(cache.get("apps.detail", { app: "api" })).toBeUndefined();
    expect(cache.get("apps.detail", { app: "blog" })).toBe("blog");
    expect(cache.get("config.get", { app: "api" })).toBe("vars");
    expect(cache.get("plugins.list", {})).toBe("plugins");
  });

  it("learns from how each change ended: done or maybe done makes its declared reads stale, a failed one changes nothing", () => {
    const cache = new ReadCache();
    cache.set("apps.detail", { app: "api" }, "api");
    cache.learn("apps.detail", { app: "blog" }, { kind: "ok" });
    expect(cache.get("apps.detail", { app: "api" })).toBe("api");
    cache.learn("apps.restart", { app: "api" }, { kind: "error" });
    expect(cache.get("apps.detail", { app: "api" })).toBe("api");
    cache.learn("apps.restart", { app: "api" }, { kind: "unknown" });
    expect(cache.get("apps.detail", { app: "api" })).toBeUndefined();
  });

  it("a releases.list that noticed a deploy made outside Docklight makes that app's drift and the recent releases stale; one that noticed none, nothing", () => {
    const cache = new ReadCache();
    const list = (noticed: number) => ({ releases: [], seesOutside: true, running: [], outsideError: null, noticed });
    const fill = () => {
      cache.set("releases.drift", { app: "api" }, "api drift");
      cache.set("releases.drift", { app: "blog" }, "blog drift");
      cache.set("releases.recent", {}, "recent");
    };
    fill();
    cache.learn("releases.list", { app: "api" }, { kind: "ok", result: list(0) });
    expect(cache.get("releases.drift", { app: "api" })).toBe("api drift");
    expect(cache.get("releases.recent", {})).toBe("recent");
    cache.learn("releases.list", { app: "api" }, { kind: "error" });
    expect(cache.get("releases.drift", { app: "api" })).toBe("api drift");
    cache.learn("releases.list", { app: "api" }, { kind: "ok", result: list(1) });
    expect(cache.get("releases.drift", { app: "api" })).toBeUndefined();
    expect(cache.get("releases.recent", {})).toBeUndefined();
    expect(cache.get("releases.drift", { app: "blog" })).toBe("blog drift");
    // a drift read already under way when the list noticed it is not stored either
    fill();
    let done: (v: { kind: string; result?: unknown }) => void = () => {};
    const trip = cache.fetch("releases.drift", { app: "api" }, () => new Promise<{ kind: string; result?: unknown }>((r) => (done = r)));
    cache.learn("releases.list", { app: "api" }, { kind: "ok", result: list(2) });
    done({ kind: "ok", result: "read before the deploy was noticed" });
    return trip.then(() => expect(cache.get("releases.drift", { app: "api" })).toBeUndefined());
  });

  it("drops everything after a change declared host-wide, after one without an op, and when cleared", () => {
    const cache = new ReadCache();
    cache.set("apps.detail", { app: "blog" }, "blog");
    cache.set("databases.overview", {}, "dbs");
    cache.invalidate({ plugin: "postgres", name: "db" });
    expect(cache.size).toBe(0);

    cache.set("apps.detail", { app: "blog" }, "blog");
    cache.set("plugins.list", {}, "plugins");
    cache.invalidate({ app: "api", confirm: "api" }, "apps.destroy");
    expect(cache.size).toBe(0);

    cache.set("plugins.list", {}, "plugins");
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it("a change naming no app makes its declared reads stale for every app", () => {
    const cache = new ReadCache();
    cache.set("databases.overview", {}, "dbs");
    cache.set("apps.detail", { app: "blog" }, "blog");
    cache.invalidate({ plugin: "postgres", service: "db" }, "databases.create");
    expect(cache.get("databases.overview", {})).toBeUndefined();
    expect(cache.get("apps.detail", { app: "blog" })).toBe("blog");
  });

  it("offers a result past its freshness, with its age, for a while longer, then forgets it", () => {
    let now = 0;
    const cache = new ReadCache(() => now, 60_000);
    cache.set("apps.list", {}, "list");
    now = 5;
    expect(cache.read("apps.list", {})).toEqual({ value: "list", ageMs: 5, fresh: true });
    now = freshMsOf("apps.list") + 1_000;
    expect(cache.read("apps.list", {})).toEqual({ value: "list", ageMs: now, fresh: false });
    expect(cache.get("apps.list", {})).toBeUndefined();
    now = freshMsOf("apps.list") + 60_000;
    expect(cache.read("apps.list", {})).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("shares one trip to the host between overlapping reads of the same op and arguments, and stores what it brought", async () => {
    const cache = new ReadCache();
    let trips = 0;
    let answer!: (v: { kind: "ok"; result: string }) => void;
    const load = () => {
      trips++;
      return new Promise<{ kind: "ok"; result: string }>((r) => (answer = r));
    };
    const a = cache.fetch("apps.detail", { app: "api" }, load);
    const b = cache.fetch("apps.detail", { app: "api" }, load);
    const other = cache.fetch("apps.detail", { app: "blog" }, () => Promise.resolve({ kind: "ok" as const, result: "blog" }));
    expect(trips).toBe(1);
    answer({ kind: "ok", result: "api" });
    expect(await a).toEqual({ kind: "ok", result: "api" });
    expect(await b).toEqual({ kind: "ok", result: "api" });
    expect(await other).toEqual({ kind: "ok", result: "blog" });
    expect(cache.get("apps.detail", { app: "api" })).toBe("api");
    // once it ended, the next read makes its own trip
    await cache.fetch("apps.detail", { app: "api" }, () => Promise.resolve({ kind: "ok" as const, result: "again" }));
    expect(cache.get("apps.detail", { app: "api" })).toBe("again");
  });

  it("serves stale-while-revalidate: fresh at once with no trip, stale at once with its age while one trip refreshes it, and an offline host gets the trip (its outcome), not memory", async () => {
    let now = 5_000;
    const cache = new ReadCache(() => now);
    let trips = 0;
    const load = async () => ({ kind: "ok" as const, result: { n: ++trips } });
    const refreshed: Array<Promise<unknown>> = [];
    const refresh = (trip: Promise<unknown>) => void refreshed.push(trip);

    expect(await cache.serve("apps.list", {}, load, () => true, refresh)).toEqual({ kind: "ok", result: { n: 1 } });
    expect(await cache.serve("apps.list", {}, load, () => true, refresh)).toEqual({ kind: "ok", result: { n: 1 } });
    expect(trips).toBe(1);

    now += freshMsOf("apps.list") + 42;
    expect(await cache.serve("apps.list", {}, load, () => true, refresh)).toEqual({ kind: "ok", result: { n: 1 }, ageMs: freshMsOf("apps.list") + 42 });
    expect(refreshed).toHaveLength(1);
    await refreshed[0];
    expect(await cache.serve("apps.list", {}, load, () => true, refresh)).toEqual({ kind: "ok", result: { n: 2 } });

    now += freshMsOf("apps.list") + 1;
    const offline = async () => ({ kind: "offline" as const, message: "the host's relay is not connected" });
    expect(await cache.serve("apps.list", {}, offline, () => false, refresh)).toEqual({ kind: "offline", message: "the host's relay is not connected" });
    expect(refreshed).toHaveLength(1);
  });

  it("never stores a failure, nor a result a change made stale while it was being read", async () => {
    const cache = new ReadCache();
    await cache.fetch("apps.detail", { app: "api" }, () => Promise.resolve({ kind: "timeout" }));
    expect(cache.size).toBe(0);

    let answer!: (v: { kind: "ok"; result: string }) => void;
    const before = cache.fetch("apps.detail", { app: "api" }, () => new Promise<{ kind: "ok"; result: string }>((r) => (answer = r)));
    cache.invalidate({ app: "api" }, "apps.restart");
    // a read that starts after the change does not join the one that started before it
    const after = cache.fetch("apps.detail", { app: "api" }, () => Promise.resolve({ kind: "ok" as const, result: "new" }));
    expect(await after).toEqual({ kind: "ok", result: "new" });
    answer({ kind: "ok", result: "old" });
    expect(await before).toEqual({ kind: "ok", result: "old" });
    expect(cache.get("apps.detail", { app: "api" })).toBe("new");
  });

  it("keeps results in its store, so a hub woken from hibernation still has them; secrets (config values) stay in memory only", () => {
    let now = 0;
    const store = new MemoryCacheStore();
    const before = new ReadCache(() => now, 60_000, store);
    before.set("apps.list", {}, "list");
    before.set("config.get", { app: "api" }, { vars: { TOKEN: "s3cret" } });
    expect(JSON.stringify([...store.rows])).not.toContain("s3cret");
    expect(before.get("config.get", { app: "api" })).toEqual({ vars: { TOKEN: "s3cret" } });

    now = 20_000;
    const after = new ReadCache(() => now, 60_000, store);
    expect(after.read("apps.list", {})).toEqual({ value: "list", ageMs: 20_000, fresh: false });
    expect(after.read("config.get", { app: "api" })).toBeUndefined();
    after.invalidate({ app: "api" }, "apps.restart");
    expect(store.rows.size).toBe(0);
  });

  it("prunes what is too old to show whenever it stores something", () => {
    let now = 0;
    const store = new MemoryCacheStore();
    const cache = new ReadCache(() => now, 60_000, store);
    cache.set("apps.list", {}, "old");
    now = freshMsOf("apps.list") + 60_000;
    cache.set("plugins.list", {}, "new");
    expect([...store.rows.keys()]).toEqual(["plugins.list {}"]);
  });
});
