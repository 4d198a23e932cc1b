import { describe, expect, it } from "vitest";
import { HostSettingsState } from "../../worker/pages/host-settings.js";
import { page, replay, replayError } from "./harness.js";

/** Host-wide settings replayed from recordings (fixtures/host-settings.json, each naming its source in dokku/dokku). */
describe("host-wide settings", () => {
  it("0.35: global domains and config keys; the deploy branch is reported per app there", async () => {
    const r = await replay("host.settings", {}, "0.35.20", ["domains-report/global-0.35", "config-keys/global"]);
    expect(r).toEqual({
      domainsEnabled: true,
      domains: ["dokku.me", "apps.example.com"],
      configKeys: ["CURL_CONNECT_TIMEOUT", "CURL_TIMEOUT", "SENTRY_DSN"],
      deployBranch: null,
    });
    const text = page(HostSettingsState({ host: "demo", settings: { kind: "ok", result: r }, historyHref: "/h", may: () => true }));
    expect(text).toContain("apps.example.com Remove");
    expect(text).toContain("SENTRY_DSN Unset");
    expect(text).toContain("This Dokku reports it per app");
  });

  it("0.38.27: no global domain or key, and the global branch from git:report --global", async () => {
    const r = await replay("host.settings", {}, "0.38.27", ["domains-report/global-0.38", "config-keys/global-none", "git-report/global"]);
    expect(r).toEqual({ domainsEnabled: false, domains: [], configKeys: [], deployBranch: "main" });
    expect(page(HostSettingsState({ host: "demo", settings: { kind: "ok", result: r }, historyHref: "/h", may: () => true }))).toContain(
      "Apps without their own branch deploy main.",
    );
  });

  it("adding a domain already there is Dokku's skip line; a core plugin's update is its refusal", async () => {
    expect((await replay("host.domains.add", { domains: ["dokku.me", "apps2.example.com"] }, "0.35.20", ["domains-add-global/skip"])).output).toBe(
      "-----> Skipping dokku.me: already added\n-----> Added apps2.example.com\n",
    );
    expect(await replayError("plugins.update", { name: "git", confirm: "git" }, "0.35.20", ["plugin-update/core"])).toMatchObject({
      code: "dokku_error",
      message: "Cannot trigger plugin:update against core plugin, please update Dokku instead",
    });
  });
});
