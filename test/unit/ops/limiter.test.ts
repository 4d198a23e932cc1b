import { describe, expect, it } from "vitest";
import { ProcessLimiter } from "../../../relay/ops/limiter.js";

const tick = () => new Promise((r) => setImmediate(r));

describe("ProcessLimiter", () => {
  it("never runs more than max processes, however many ask", async () => {
    const limiter = new ProcessLimiter(4, 1);
    let peak = 0;
    let now = 0;
    await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const release = await limiter.acquire(i % 2 === 0 ? "read" : "change");
        now++;
        peak = Math.max(peak, now);
        await tick();
        now--;
        release();
      }),
    );
    expect(peak).toBe(4);
    expect(limiter.inUse).toEqual({ read: 0, change: 0, live: 0 });
  });

  it("keeps slots for reads while changes pile up", async () => {
    const limiter = new ProcessLimiter(4, 2);
    const changes = await Promise.all([limiter.acquire("change"), limiter.acquire("change")]);
    let third = false;
    void limiter.acquire("change").then(() => (third = true));
    const read = await limiter.acquire("read");
    await tick();
    expect(third).toBe(false);
    expect(limiter.inUse).toEqual({ read: 1, change: 2, live: 0 });
    changes[0]!();
    await tick();
    expect(third).toBe(true);
    read();
  });

  it("drops a waiter whose signal aborts", async () => {
    const limiter = new ProcessLimiter(2, 1);
    const hold = await limiter.acquire("change");
    const abort = new AbortController();
    const waiting = limiter.acquire("change", abort.signal);
    expect(limiter.waiting).toBe(1);
    abort.abort(new Error("cancelled"));
    await expect(waiting).rejects.toThrow("cancelled");
    expect(limiter.waiting).toBe(0);
    hold();
    expect(limiter.inUse.change).toBe(0);
  });

  it("counts live reads (log tails) apart: open logs pages never take the slots pages and changes need", async () => {
    const limiter = new ProcessLimiter(2, 1, 3);
    const tails = await Promise.all([limiter.acquire("live"), limiter.acquire("live"), limiter.acquire("live")]);
    const read = await limiter.acquire("read");
    const change = await limiter.acquire("change");
    expect(limiter.inUse).toEqual({ read: 1, change: 1, live: 3 });
    expect(limiter.waiting).toBe(0);
    read();
    change();
    tails.forEach((release) => release());
    expect(limiter.inUse).toEqual({ read: 0, change: 0, live: 0 });
  });

  it("holds a live read past its bound until a tail ends, and drops it if its viewer leaves first", async () => {
    const limiter = new ProcessLimiter(4, 1, 2);
    const first = await limiter.acquire("live");
    await limiter.acquire("live");
    let third = false;
    void limiter.acquire("live").then(() => (third = true));
    const leaving = new AbortController();
    const fourth = limiter.acquire("live", leaving.signal);
    await tick();
    expect([third, limiter.waiting]).toEqual([false, 2]);
    expect(limiter.inUse.live).toBe(2);
    leaving.abort(new Error("viewer left"));
    await expect(fourth).rejects.toThrow("viewer left");
    first();
    first(); // a second release of the same slot changes nothing
    await tick();
    expect([third, limiter.waiting]).toEqual([true, 0]);
    expect(limiter.inUse.live).toBe(2);
  });

  it("refuses a shape that would starve reads", () => {
    expect(() => new ProcessLimiter(2, 2)).toThrow(RangeError);
  });
});
