import { describe, expect, it } from "vitest";
import type { OpArgs } from "../../../../protocol/ops.js";
import { historyDownload, pagedDownload, type FilePage } from "../../../../worker/hub/download.js";
import type { Outcome } from "../../../../worker/hub/outcome.js";

/** A host answering pages "p0".."p{n-1}" (cursor = n - index), counting what it was asked. */
function host(n: number, failAt?: number) {
  const asked: Array<number | undefined> = [];
  const page = async (before: number | undefined): Promise<{ kind: "ok"; result: FilePage } | { kind: "timeout"; message: string }> => {
    asked.push(before);
    const i = before === undefined ? 0 : n - before;
    if (i === failAt) return { kind: "timeout", message: "no answer" };
    return { kind: "ok", result: { content: `p${i};`, rows: 1, next: i === n - 1 ? null : n - i - 1 } };
  };
  return { asked, page };
}

const text = (chunk: Uint8Array | undefined) => new TextDecoder().decode(chunk);

describe("pagedDownload", () => {
  it("asks for each page only when the reader wants it, and ends with the last", async () => {
    const h = host(4);
    const d = await pagedDownload(h.page);
    if (d.kind !== "ok") throw new Error("first page failed");
    expect(h.asked).toEqual([undefined]); // only the first page before the answer
    const reader = d.body.getReader();
    expect(text((await reader.read()).value)).toBe("p0;");
    await new Promise((r) => setTimeout(r, 20));
    expect(h.asked).toEqual([undefined]); // nothing fetched ahead of the reader
    expect(text((await reader.read()).value)).toBe("p1;");
    expect(h.asked).toEqual([undefined, 3]);
    expect(text((await reader.read()).value)).toBe("p2;");
    expect(text((await reader.read()).value)).toBe("p3;");
    expect((await reader.read()).done).toBe(true);
    expect(h.asked).toEqual([undefined, 3, 2, 1]);
  });

  it("answers a first page that failed as its outcome, before any byte is sent", async () => {
    const d = await pagedDownload(host(3, 0).page);
    expect(d).toEqual({ kind: "timeout", message: "no answer" });
  });

  it("breaks the stream when a later page fails, rather than ending it short", async () => {
    const d = await pagedDownload(host(3, 2).page);
    if (d.kind !== "ok") throw new Error("first page failed");
    const reader = d.body.getReader();
    expect(text((await reader.read()).value)).toBe("p0;");
    expect(text((await reader.read()).value)).toBe("p1;");
    await expect(reader.read()).rejects.toThrow(/stopped answering the download \(timeout\)/);
  });

  it("stops asking when the reader goes away", async () => {
    const h = host(100);
    const d = await pagedDownload(h.page);
    if (d.kind !== "ok") throw new Error("first page failed");
    const reader = d.body.getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    await new Promise((r) => setTimeout(r, 20));
    expect(h.asked).toHaveLength(2);
  });
});

describe("historyDownload", () => {
  it("passes each page the cursor of the one before and the rows its limit still allows", async () => {
    const calls: Array<OpArgs<"history.export">> = [];
    const run = async (args: OpArgs<"history.export">): Promise<Outcome<"history.export">> => {
      calls.push(args);
      const rows = Math.min(args.limit ?? 40, 40);
      const done = calls.length === 3;
      return {
        kind: "ok",
        result: { format: "csv", content: `${rows}\n`, rows, next: done ? null : { startedAt: 5000 - calls.length, id: 1000 - calls.length * 40 } },
      };
    };
    const d = await historyDownload(run, { format: "csv", filter: { app: "api" }, limit: 100 });
    if (d.kind !== "ok") throw new Error("first page failed");
    expect(await new Response(d.body).text()).toBe("40\n40\n20\n");
    expect(calls).toEqual([
      { format: "csv", filter: { app: "api" }, limit: 100 },
      { format: "csv", filter: { app: "api" }, limit: 60, before: { startedAt: 4999, id: 960 } },
      { format: "csv", filter: { app: "api" }, limit: 20, before: { startedAt: 4998, id: 920 } },
    ]);
  });
});
