import { describe, expect, it } from "vitest";
import type { Alert, Channel, ChannelKind } from "../../../../worker/alerts/model.js";
import { noticeText, requestFor, send } from "../../../../worker/alerts/send.js";

const alert: Alert = {
  id: 1,
  key: "app-down:web",
  kind: "app-down",
  subject: "web",
  message: "web was running and is now stopped.",
  openedAt: 0,
  ackedAt: null,
  ackedBy: null,
  resolvedAt: null,
};
const channel = (kind: ChannelKind, extra: Partial<Channel["secret"]> = {}): Channel => ({
  id: "c",
  kind,
  name: kind,
  secret: { url: "https://receiver.example/x", token: null, from: null, to: null, ...extra },
});
const n = noticeText("opened", "prod", "Production", alert);
const LIMITS = { timeoutMs: 200, attempts: 3, backoffMs: 1 };

/** A fetch that answers each call with the next of `answers` (a status, or "hang" until aborted), counting calls. */
function fake(answers: Array<number | "hang">) {
  const calls: Request[] = [];
  const fetcher = (async (url: string, init: RequestInit) => {
    calls.push(new Request(url, init));
    const a = answers[Math.min(calls.length - 1, answers.length - 1)];
    if (a === "hang")
      return new Promise((_, reject) => init.signal!.addEventListener("abort", () => reject(Object.assign(new Error("timed out"), { name: "TimeoutError" }))));
    return new Response("x", { status: a });
  }) as typeof fetch;
  return { calls, fetcher };
}

describe("sending a notice", () => {
  it("each kind as its receiver takes it", async () => {
    const body = async (k: ChannelKind, extra = {}) => {
      const { url, init } = requestFor(channel(k, extra), n);
      return { url, headers: new Headers(init.headers), body: String(init.body) };
    };
    expect(JSON.parse((await body("slack")).body)).toEqual({ text: expect.stringContaining("web was running") });
    expect(JSON.parse((await body("discord")).body).content).toContain("[Production]");
    const ntfy = await body("ntfy", { token: "tk" });
    expect(ntfy.headers.get("title")).toContain("web was running");
    expect(ntfy.headers.get("authorization")).toBe("Bearer tk");
    expect(ntfy.body).toContain("Host: Production (prod)");
    const mail = await body("email", { token: "key", from: "a@example.com", to: "b@example.com" });
    expect(JSON.parse(mail.body)).toMatchObject({ from: "a@example.com", to: ["b@example.com"], subject: expect.stringContaining("web") });
    expect(mail.headers.get("authorization")).toBe("Bearer key");
    expect(JSON.parse((await body("webhook")).body)).toMatchObject({
      event: "alert.opened",
      host: "prod",
      alert: { key: "app-down:web", kind: "app-down", subject: "web" },
    });
  });

  it("retries a failing or silent receiver a bounded number of times, and never a refusal", async () => {
    const flaky = fake([503, "hang", 200]);
    expect(await send(channel("slack"), n, LIMITS, flaky.fetcher)).toEqual({ ok: true, attempts: 3 });
    const down = fake([500]);
    expect(await send(channel("slack"), n, LIMITS, down.fetcher)).toEqual({ ok: false, attempts: 3, error: "the receiver answered 500" });
    expect(down.calls).toHaveLength(3);
    const refused = fake([404]);
    expect(await send(channel("slack"), n, LIMITS, refused.fetcher)).toEqual({ ok: false, attempts: 1, error: "the receiver answered 404" });
    const silent = fake(["hang"]);
    expect(await send(channel("slack"), n, LIMITS, silent.fetcher)).toMatchObject({ ok: false, attempts: 3, error: "no answer within 0.2 s" });
  });
});
