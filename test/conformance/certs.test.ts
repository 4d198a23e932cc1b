import { describe, expect, it } from "vitest";
import { Done } from "../../worker/pages/app/shell.js";
import { wildcardRefusal } from "../../worker/pages/app/certs.js";
import { TlsBody } from "../../worker/pages/app/tls.js";
import { TEST_CERT, TEST_KEY } from "../support/tls-fixture.js";
import { host, page, replay, replayError } from "./harness.js";

/**
 * Certificates beyond Let's Encrypt, replayed from recordings (fixtures/certs-changes.json, each
 * naming its source): certs:add and certs:remove, letsencrypt:disable and :cleanup, and a wildcard
 * domain read with the app's DNS provider.
 */

describe("certificates beyond Let's Encrypt", () => {
  it("certs:add gets the pair as two files and answers with the proxy's rebuild", async () => {
    const r = await replay("certs.add", { app: "api", certificate: TEST_CERT, key: TEST_KEY }, "0.35.20", ["certs-add/api"]);
    expect(r.output).toBe("-----> Configuring api.dokku.me...(using built-in template)\n-----> Creating https nginx.conf\n       Reloading nginx\n");
    const text = page(Done({ title: "Certificate installed on api", result: r }));
    expect(text).toContain("Creating https nginx.conf");
    expect(text).not.toContain("PRIVATE KEY");
  });

  it("an unreadable key file, and removing a certificate that is not there, are Dokku's own words", async () => {
    expect(await replayError("certs.add", { app: "api", certificate: TEST_CERT, key: TEST_KEY }, "0.35.20", ["certs-add/unreadable-key"])).toMatchObject({
      code: "dokku_error",
      message: "KEY file specified not found, please check file paths",
    });
    expect(await replayError("certs.remove", { app: "worker" }, "0.35.20", ["certs-remove/none"])).toMatchObject({
      code: "dokku_error",
      message: "An app-specific SSL endpoint is not defined",
    });
    expect((await replay("certs.remove", { app: "api" }, "0.35.20", ["certs-remove/api"])).output).toMatch(
      /^-----> Removing SSL endpoint from api\n[\s\S]*Creating http nginx\.conf/,
    );
  });

  it("letsencrypt:disable and :cleanup, and cleanup without a current certificate", async () => {
    expect((await replay("tls.disable", { app: "api" }, "0.35.20", ["letsencrypt-disable/api"])).output).toMatch(
      /Removing SSL endpoint from api\n[\s\S]*-----> Done\n$/,
    );
    expect((await replay("tls.cleanup", { app: "api" }, "0.35.20", ["letsencrypt-cleanup/api"])).output).toContain("stale directory 0b2d4e6f8a");
    expect(await replayError("tls.cleanup", { app: "worker" }, "0.35.20", ["letsencrypt-cleanup/none"])).toMatchObject({
      code: "dokku_error",
      message: "Cannot resolve the 'current' certificate directory!",
    });
  });

  const wild = (report: string) =>
    replay("tls.status", { app: "wild" }, "0.38.27", [
      "certs-report/none/wild/0.38.27",
      "plugin-list/enabled/0.38.27",
      "letsencrypt-list/active",
      report,
      "domains-report/wild/0.38.27",
    ]);

  it("a wildcard domain over HTTP-01 is said before enabling, and an enable is refused", async () => {
    const r = await wild("letsencrypt-report/wildcard-http");
    expect(r).toMatchObject({ domains: ["*.example.com", "example.com"], dnsProvider: null, email: "ops@example.com" });
    const text = page(TlsBody({ may: () => true, host, app: "wild", status: r }));
    expect(text).toContain("*.example.com is a wildcard domain: Let's Encrypt needs DNS-01 for it.");
    expect(text).toContain("dokku letsencrypt:set wild dns-provider NAME");
    expect(wildcardRefusal(r)).toMatch(/^Let's Encrypt cannot issue \*\.example\.com over HTTP-01/);
  });

  it("with a DNS provider the wildcard is fine: no notice", async () => {
    const r = await wild("letsencrypt-report/wildcard-dns");
    expect(r.dnsProvider).toBe("cloudflare");
    expect(page(TlsBody({ may: () => true, host, app: "wild", status: r }))).not.toContain("needs DNS-01");
    expect(wildcardRefusal(r)).toBeNull();
  });
});
