import { describe, expect, it } from "vitest";
import { channelForm } from "../../../../worker/alerts/channel-form.js";

const form = (url: string, kind = "webhook") => ({ kind, name: "ops", url, token: "", from: "", to: "" });
const urlError = (production: boolean, url: string) => {
  const r = channelForm(production).safeParse(form(url));
  return r.success ? null : r.error.issues.map((i) => i.message).join("; ");
};

/** Where a channel may point: https always; http:// only to this machine, and only in development. */
describe("a channel's URL", () => {
  it("is https:// in production, where plain http:// is refused, to localhost too", () => {
    expect(urlError(true, "https://hooks.slack.com/services/T/B/x")).toBeNull();
    for (const url of ["http://receiver.example/hook", "http://localhost:8080/hook", "http://127.0.0.1:9/x", "http://[::1]:9/x"])
      expect(urlError(true, url), url).toBe("Give an https:// URL");
  });

  it("in development may also be http:// to localhost, for a receiver beside the edge, never to another host", () => {
    for (const url of ["http://localhost:8080/hook", "http://127.0.0.1:9/x", "http://[::1]:9/x", "https://ntfy.sh/topic"])
      expect(urlError(false, url), url).toBeNull();
    expect(urlError(false, "http://receiver.example/hook")).toMatch(/https:\/\/ URL \(or, in development, http:\/\/ to localhost\)/);
    expect(urlError(false, "http://127.0.0.2/x")).not.toBeNull();
  });

  it("is a URL of http or https at all", () => {
    for (const url of ["ftp://receiver.example/x", "javascript:alert(1)", "not a url", ""]) expect(urlError(false, url), url).not.toBeNull();
  });
});
