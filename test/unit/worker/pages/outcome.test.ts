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

describe("a deploy lock, pointed to its Unlock", () => {
  const locked: Outcome<"apps.restart"> = {
    kind: "error",
    code: "dokku_error",
    message: "queue-worker currently has a deploy lock in place. Exiting...\nRun 'apps:unlock' to release the existing deploy lock",
  };

  it("links Dokku's deploy-lock refusal to the locked app's Deploy tab", async () => {
    const html = await render(locked, "demo");
    expect(html).toContain(`<a href="/hosts/demo/apps/queue-worker/deploy">unlock it on its Deploy tab</a>`);
    expect(html).toContain("queue-worker currently has a deploy lock in place");
  });

  it("says nothing of a lock for any other failure, or a name Docklight cannot act on", async () => {
    expect(await render({ ...locked, message: "Not linked to app api" }, "demo")).not.toContain("Deploy tab");
    expect(await render({ ...locked, message: "Old_App currently has a deploy lock in place. Exiting..." }, "demo")).not.toContain("Deploy tab");
  });
});
