import { Hono } from "hono";
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { describe, expect, it } from "vitest";
import { fromReads, streamPage } from "../../../../worker/routes/stream-page.js";

const html = async (child: unknown) => String(await (child as { toString(): string | Promise<string> }).toString());

describe("a section made from reads", () => {
  it("renders the reads' values, with no note when all were fresh", async () => {
    const section = await fromReads([Promise.resolve({ kind: "ok", result: 3 }), Promise.resolve("x")], (a, b) => `${a.kind}:${b}`);
    expect(section).toBe("ok:x");
  });

  it("says how old the oldest read was when any came from the cache past its freshness", async () => {
    const section = await fromReads(
      [Promise.resolve({ kind: "ok", result: 1, ageMs: 42_000 }), Promise.resolve({ kind: "ok", result: 2, ageMs: 5_000 })],
      (_a, _b) => "body",
    );
    const text = await html(section);
    expect(text).toContain("As read 42 s ago");
    expect(text).toContain('class="stale muted"');
    expect(text.endsWith("body")).toBe(true);
  });
});

describe("a streamed page", () => {
  // markup given as raw HTML; plain strings would be escaped as text
  it("sends its frame at once and each section when it is ready, uncompressed, and the page whole in order", async () => {
    let ready!: (v: Child) => void;
    const slow = new Promise<Child>((r) => (ready = r));
    const app = new Hono().get("/", (c) => streamPage(c, (slot) => [raw("<main>"), slot, raw("</main>")], [raw("<h1>known</h1>"), slow]));
    const res = await app.request("/");
    expect(res.headers.get("content-encoding")).toBe("identity");
    expect(res.headers.get("cache-control")).toBe("no-transform");
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const first = decoder.decode((await reader.read()).value);
    expect(first).toBe("<main>");
    let rest = "";
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        rest += decoder.decode(value);
      }
    })();
    ready(raw("<p>late</p>"));
    await reading;
    expect(first + rest).toBe("<main><h1>known</h1><p>late</p></main>");
  });

  it("goes out whole (and so compressible) when every section is ready at once", async () => {
    const app = new Hono().get("/", (c) =>
      streamPage(c, (slot) => [raw("<main>"), slot, raw("</main>")], [raw("<h1>a</h1>"), Promise.resolve(raw("<p>b</p>"))]),
    );
    const res = await app.request("/");
    expect(res.headers.get("content-encoding")).toBeNull();
    expect(await res.text()).toBe("<main><h1>a</h1><p>b</p></main>");
  });

  it("says so in place of a section that failed, and goes on", async () => {
    const app = new Hono().get("/", (c) =>
      streamPage(c, (slot) => [raw("<main>"), slot, raw("</main>")], [Promise.reject(new Error("bug")), raw("<p>after</p>")]),
    );
    const text = await (await app.request("/")).text();
    expect(text).toContain("This part of the page could not be shown.");
    expect(text.endsWith("<p>after</p></main>")).toBe(true);
  });

  it("sent whole, says in its status how its main read ended; streamed, it is 200", async () => {
    const offline = Promise.resolve({ kind: "offline" as const, message: "the host's relay is not connected" });
    const whole = new Hono().get("/", (c) => streamPage(c, (slot) => [raw("<main>"), slot, raw("</main>")], [raw("<p>offline</p>")], offline));
    expect((await whole.request("/")).status).toBe(503);
    const slow = new Promise<never>(() => {});
    const streamed = new Hono().get("/", (c) =>
      streamPage(c, (slot) => [raw("<main>"), slot, raw("</main>")], [new Promise((r) => setTimeout(() => r(raw("<p>late</p>")), 50))], slow),
    );
    const res = await streamed.request("/");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("<main><p>late</p></main>");
  });
});
