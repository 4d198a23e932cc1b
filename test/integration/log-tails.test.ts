import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { commandsIn, until } from "../support/history.js";
import { useStack } from "../support/use-stack.js";
import { startProxy } from "../support/tcp-proxy.js";

/**
 * A live log tail ends once its last viewer is gone — whether the page was closed or left (the
 * request ends) or its connection silently died (no renewal comes) — and nothing of it stays on
 * the host: counted as `dokku logs` processes of this test's simulated host, read from /proc.
 */
const stack = useStack();
const TAIL = "/hosts/demo/apps/api/logs/stream?lines=100&process=";
const ARGV = "dokku logs api -n 100 -t";
const ROUNDS = 50;

/** `dokku logs` processes of this stack's simulated host (its DOKKU_SIM_DIR), alive now. */
function logProcesses(): number[] {
  const dir = `DOKKU_SIM_DIR=${stack.relays.demo!.sim.dir}`;
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (!argv.some((a) => a.endsWith("/simulator/dokku")) || !argv.includes("logs")) continue;
      if (readFileSync(`/proc/${entry}/environ`, "utf8").split("\0").includes(dir)) found.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/**
 * Follow a tail at `base` as the page does, renewing each segment with the tail's id (from
 * `resume` on, when given), until `stop` says so; returns the tail's id and everything that came.
 */
async function followTail(
  base: string,
  signal: AbortSignal,
  stop: (text: string) => boolean,
  resume: string | null = null,
): Promise<{ id: string; text: string }> {
  let id = resume;
  let text = "";
  for (;;) {
    const res = await fetch(`${base}${TAIL}`, {
      headers: { cookie: stack.cookie, accept: "text/event-stream", ...(id ? { "last-event-id": id } : {}) },
      signal,
    });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      id = /^id: ([0-9a-f-]{36})$/m.exec(text)?.[1] ?? id;
      if (stop(text)) return { id: id!, text };
    }
    if (text.includes("event: done")) throw new Error(`the tail ended:\n${text.slice(-2000)}`);
  }
}

/** Open a tail at `base` and follow it until log lines arrived (its command runs on the host). */
const openTail = (base: string, signal: AbortSignal) => followTail(base, signal, (text) => /request \d+ handled/.test(text));

/** History rows of one tail (its op id is the tail's id), once it ended. */
const rowsOf = (id: string) => commandsIn(stack.relays.demo!.db, ARGV).filter((e) => e.opId === id);

describe("live log tails", () => {
  it(`opening and closing the logs stream ${ROUNDS} times leaves no dokku logs process behind`, async () => {
    const before = commandsIn(stack.relays.demo!.db, ARGV).length;
    for (let i = 0; i < ROUNDS; i += 10) {
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          const page = new AbortController();
          await openTail(stack.url, page.signal);
          page.abort(); // the page is closed or left
        }),
      );
    }
    await until("every tail's process to be gone", () => logProcesses().length === 0);
    const tails = await until("every tail to be recorded as stopped", () => {
      const t = commandsIn(stack.relays.demo!.db, ARGV).slice(before);
      return t.length === ROUNDS && t.every((e) => e.outcome !== "running") ? t : null;
    });
    expect(new Set(tails.map((e) => e.outcome))).toEqual(new Set(["cancelled"]));
  });

  it(`${ROUNDS} connections that silently die leave no dokku logs process behind`, async () => {
    const before = commandsIn(stack.relays.demo!.db, ARGV).length;
    const proxies: Array<Awaited<ReturnType<typeof startProxy>>> = [];
    const errors: unknown[] = [];
    try {
      // Five pages at a time (the relay runs at most 8 dokku processes) follow their tails through
      // a proxy, renewing each segment; then the network drops them all without a word.
      for (let round = 0; round < ROUNDS / 5; round++) {
        const proxy = await startProxy(Number(new URL(stack.url).port));
        proxies.push(proxy);
        const pages = Array.from({ length: 5 }, () => ({ abort: new AbortController(), live: false }));
        const following = pages.map((p) =>
          followTail(proxy.url, p.abort.signal, (text) => {
            p.live ||= /request \d+ handled/.test(text);
            return false;
          }).catch((e: unknown) => {
            if (!p.abort.signal.aborted) errors.push(e);
          }),
        );
        await until("the pages to show live lines", () => pages.every((p) => p.live) || errors.length > 0);
        expect(errors).toEqual([]);
        proxy.freeze(); // the edge still sees these connections open
        for (const p of pages) p.abort.abort();
        await Promise.all(following);
        await until("this round's tails to be gone", () => logProcesses().length === 0);
      }
      const tails = await until("every tail to be recorded as stopped", () => {
        const t = commandsIn(stack.relays.demo!.db, ARGV).slice(before);
        return t.length === ROUNDS && t.every((e) => e.outcome !== "running") ? t : null;
      });
      expect(new Set(tails.map((e) => e.outcome))).toEqual(new Set(["cancelled"]));
      expect(errors).toEqual([]);
    } finally {
      for (const proxy of proxies) await proxy.close();
    }
  });

  it("a renewed stream goes on with the same tail: one dokku logs process, and no line repeated", async () => {
    const page = new AbortController();
    const { id, text } = await followTail(stack.url, page.signal, (t) => (t.match(/request \d+ handled/g) ?? []).length >= 110);
    page.abort();
    expect(text).toContain("— last 100 lines, then live —");
    expect(text.match(/— last 100 lines/g)).toHaveLength(1);
    // more than one segment came, all of the same tail
    expect(new Set([...text.matchAll(/^data: ([0-9a-f-]{36})$/gm)].map((m) => m[1]))).toEqual(new Set([id]));
    expect(text.match(/^event: tail$/gm)!.length).toBeGreaterThan(1);
    const numbers = [...text.matchAll(/request (\d+) handled/g)].map((m) => Number(m[1]));
    expect(new Set(numbers).size).toBe(numbers.length);
    const rows = await until("the tail to stop", () => (rowsOf(id).length === 1 && rowsOf(id)[0]!.outcome !== "running" ? rowsOf(id) : null));
    expect(rows[0]!.outcome).toBe("cancelled");
  });

  it("a page that comes back after its tail stopped gets a new one, and says so", async () => {
    const page = new AbortController();
    const { id } = await openTail(stack.url, page.signal);
    page.abort();
    await until("the tail to stop", () => rowsOf(id).length === 1);
    const again = new AbortController();
    const resumed = await followTail(
      stack.url,
      again.signal,
      (t) => t.includes("started again") && /request \d+ handled/.test(t.slice(t.indexOf("started again"))),
      id,
    );
    again.abort();
    expect(resumed.id).not.toBe(id);
    expect(resumed.text).toContain("the tail had stopped while this page was away; started again");
  });
});
