import { describe, expect, it } from "vitest";
import type { Outcome } from "../../../../worker/hub/outcome.js";
import { OutcomeMessage } from "../../../../worker/pages/outcome.js";

const holder = "0f8fad5b-d9cb-469f-a165-70867728950e";
const busy: Outcome<"apps.restart"> = {
  kind: "error",
  code: "busy",
  message: `api is busy: apps.rebuild (started by alice at 2026-01-01T00:00:00.000Z) is still running. Wait for it to end, or follow it on its page (op ${holder}).`,
  opId: holder,
};
const render = async (outcome: Exclude<Outcome<"apps.restart">, { kind: "ok" }>, host?: string) =>
  String(
    await (OutcomeMessage({ outcome, historyHref: "/hosts/demo/history", ...(host ? { host } : {}) }) as { toString(): string | Promise<string> }).toString(),
  );

describe("a failed op, said plainly", () => {
  it("links a busy refusal to the page of the change that holds the app, keeping the relay's message", async () => {
    const html = await render(busy, "demo");
    expect(html).toContain(`<a href="/hosts/demo/ops/${holder}">`);
    expect(html).toContain("Busy: another change to this app is running");
    expect(html).toContain(`(op ${holder})`);
    expect(html).not.toContain("<script");
  });

  it("has no link when the relay did not name the change (an older relay), for other failures, or without the host", async () => {
    const { opId: _named, ...unnamed } = busy;
    expect(await render(unnamed, "demo")).not.toContain("/ops/");
    expect(await render({ ...busy, code: "dokku_error" }, "demo")).not.toContain("/ops/");
    expect(await render(busy)).not.toContain("/ops/");
  });
});
