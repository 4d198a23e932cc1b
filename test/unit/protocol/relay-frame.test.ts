import { describe, expect, it } from "vitest";
import { parseFrame, relayFrame } from "../../../protocol/frames.js";

const id = "6f1c1f3e-9a5b-4c1e-8f7a-2b3c4d5e6f70";
const frames = [
  { type: "result", id, ok: true, result: { apps: [] } },
  { type: "result", id, ok: false, error: { code: "dokku_error", message: "exit 1" } },
  { type: "started", id, job: { opId: id, op: "apps.restart", app: "api", requestedBy: "admin", startedAt: 1, title: "Restart api" } },
  { type: "chunk", id, stream: "stdout", data: "-----> Restarting" },
  { type: "notice", message: "unreadable frame" },
];

describe("a frame from the relay, read by its type (and a result by ok)", () => {
  it("reads each kind the relay sends as it was sent", () => {
    for (const f of frames) expect(parseFrame(relayFrame, JSON.stringify(f))).toEqual({ ok: true, frame: f });
  });

  it("refuses an unknown type, a result that says neither ok nor not, and a result without its error", () => {
    for (const f of [
      { type: "results", id },
      { type: "result", id, ok: "yes", result: 1 },
      { type: "result", id, ok: false },
    ]) {
      const parsed = parseFrame(relayFrame, JSON.stringify(f));
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.reason).toMatch(/^frame does not match the protocol/);
    }
  });
});
