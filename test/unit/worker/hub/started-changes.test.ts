import { describe, expect, it } from "vitest";
import type { JobInfo } from "../../../../protocol/frames.js";
import {
  rememberEnded,
  rememberStarted,
  startedChange,
  startedChanges,
  STARTED_KEEP,
  STARTED_PRUNE_BATCH,
  type KvStorage,
} from "../../../../worker/hub/started-changes.js";

/** A Durable Object's key-value storage over `data`, counting its lists (each reads every kept change). */
function fakeStorage(data = new Map<string, unknown>()) {
  const storage = {
    lists: 0,
    data,
    async put(key: string, value: unknown) {
      data.set(key, structuredClone(value));
    },
    async get<T>(key: string) {
      return structuredClone(data.get(key)) as T | undefined;
    },
    async list<T>({ prefix }: { prefix: string }) {
      storage.lists++;
      return new Map([...data].filter(([k]) => k.startsWith(prefix)).sort(([a], [b]) => a.localeCompare(b))) as Map<string, T>;
    },
    async delete(keys: string[]) {
      if (keys.length > 128) throw new Error("storage.delete takes at most 128 keys");
      for (const k of keys) data.delete(k);
      return keys.length;
    },
  };
  return storage;
}
const asStorage = (s: ReturnType<typeof fakeStorage>): KvStorage => s;
// Op ids whose order is not their start's (keys sort by id, age goes by startedAt).
const job = (i: number): JobInfo => ({
  opId: `${(i * 7919) % 100_000}-${i}`,
  op: "apps.restart",
  app: "api",
  requestedBy: "admin",
  startedAt: 1_000 + i,
  title: "Restart api",
});

describe("the changes a hub remembers having started", () => {
  it("lists its storage once per object, not on every start", async () => {
    const s = fakeStorage();
    for (let i = 0; i < 100; i++) await rememberStarted(asStorage(s), job(i));
    expect(s.lists).toBe(1);
    expect(await startedChange(asStorage(s), job(42).opId)).toMatchObject({ opId: job(42).opId, startedAt: 1_042 });
  });

  it("keeps a start once: a second word of it (its result names its job too) never writes over the end kept beside it", async () => {
    const s = fakeStorage();
    await rememberStarted(asStorage(s), job(1));
    await rememberEnded(asStorage(s), job(1).opId, { kind: "error", code: "dokku_error", message: "refused" }, 2_000);
    await rememberStarted(asStorage(s), { ...job(1), startedAt: 9_999 });
    expect(await startedChange(asStorage(s), job(1).opId)).toMatchObject({ startedAt: 1_001, ended: { ok: false, code: "dokku_error", at: 2_000 } });
    expect(s.data.size).toBe(1);
  });

  it("keeps the newest STARTED_KEEP, dropping the oldest once STARTED_PRUNE_BATCH more came", async () => {
    const s = fakeStorage();
    const n = STARTED_KEEP + STARTED_PRUNE_BATCH;
    for (let i = 0; i < n; i++) await rememberStarted(asStorage(s), job(i));
    expect(s.data.size).toBe(n);
    await rememberStarted(asStorage(s), job(n));
    const kept = (await startedChanges(asStorage(s))).map((j) => j.startedAt).sort((a, b) => a - b);
    expect(kept).toHaveLength(STARTED_KEEP);
    expect(kept[0]).toBe(1_000 + n + 1 - STARTED_KEEP);
    expect(await startedChange(asStorage(s), job(0).opId)).toBeNull();
    expect(await startedChange(asStorage(s), job(n).opId)).not.toBeNull();
  });

  it("counts afresh in a new object: one that woke over more than it keeps prunes at its first start", async () => {
    const before = fakeStorage();
    for (let i = 0; i < STARTED_KEEP + STARTED_PRUNE_BATCH; i++) await rememberStarted(asStorage(before), job(i));
    const woke = fakeStorage(before.data);
    await rememberStarted(asStorage(woke), job(10_000));
    expect(woke.data.size).toBe(STARTED_KEEP);
    expect(woke.lists).toBe(2);
  });

  it("keeps a change's end beside its start", async () => {
    const s = fakeStorage();
    await rememberStarted(asStorage(s), job(1));
    await rememberEnded(asStorage(s), job(1).opId, { kind: "error", code: "dokku_error", message: "exit 1" }, 5_000);
    expect((await startedChange(asStorage(s), job(1).opId))?.ended).toEqual({ ok: false, kind: "error", code: "dokku_error", message: "exit 1", at: 5_000 });
  });
});
