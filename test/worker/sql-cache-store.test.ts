import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Env } from "../../worker/env.js";
import { SqlCacheStore } from "../../worker/hub/sql-cache-store.js";

const bindings = env as unknown as Env;
const hub = (name: string) => bindings.HOST_HUB.get(bindings.HOST_HUB.idFromName(name));

/** `sql`, counting the statements run through it. */
function counted(sql: SqlStorage): { n: number; sql: SqlStorage } {
  const c = { n: 0, sql };
  c.sql = {
    exec: (query: string, ...b: unknown[]) => {
      c.n++;
      return sql.exec(query, ...b);
    },
  } as SqlStorage;
  return c;
}

const apps = { op: "apps.list", app: null, at: 1_000, value: { apps: [{ name: "api" }] } } as const;
const detail = { op: "apps.detail", app: "api", at: 2_000, value: { name: "api" } } as const;

describe("the hub's read cache in its SQLite", () => {
  it("keeps what it stored for the next object (one that woke), and drops what was deleted or pruned", async () => {
    await runInDurableObject(hub("cache-wake"), (_: unknown, state: DurableObjectState) => {
      const first = new SqlCacheStore(state.storage.sql);
      first.put("a", apps);
      first.put("d", detail);
      first.put("gone", { ...detail, at: 500 });
      first.delete(["d"]);
      first.prune(600);
      const woke = new SqlCacheStore(state.storage.sql);
      expect(woke.get("a")).toEqual(apps);
      expect(woke.get("d")).toBeUndefined();
      expect(woke.get("gone")).toBeUndefined();
      expect(woke.scopes()).toEqual([{ key: "a", op: "apps.list", app: null }]);
    });
  });

  it("answers a miss, a hit, the scopes and a prune with nothing to drop from memory: only writes run a statement", async () => {
    await runInDurableObject(hub("cache-statements"), (_: unknown, state: DurableObjectState) => {
      new SqlCacheStore(state.storage.sql).put("a", apps);
      const c = counted(state.storage.sql);
      const store = new SqlCacheStore(c.sql);
      expect(store.get("a")).toEqual(apps); // the object woke: its index, then the value, read once
      const woke = c.n;
      expect(store.get("a")).toEqual(apps);
      expect(store.get("missing")).toBeUndefined();
      expect(store.scopes()).toHaveLength(1);
      store.prune(999);
      store.delete(["missing"]);
      expect(c.n).toBe(woke);
      store.put("d", detail);
      store.delete(["a"]);
      expect(c.n).toBe(woke + 2);
    });
  });
});
