import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { ops } from "../../../protocol/ops.js";
import { maskPrivateKeys, PRIVATE_KEY_MASK } from "../../../protocol/redact.js";
import { redactOutput } from "../../../relay/process/redact.js";
import { defineMatrix, freshSims, type Case } from "../../support/ops-matrix.js";
import { fakeRelay, runOp, simRelay } from "../../support/ops.js";
import { keyLines, markedKey, TEST_CERT, TEST_KEY } from "../../support/tls-fixture.js";

const sim = freshSims();

const cases: Case[] = [
  {
    op: "certs.add",
    args: { app: "api", certificate: TEST_CERT, key: TEST_KEY },
    command: "certs:add",
    missing: { app: "ghost", certificate: TEST_CERT, key: TEST_KEY },
    // fn-certs-set prints nothing; post-domains-update's nginx_build_config does (plugins/nginx-vhosts/functions)
    check: (r) =>
      expect(r.output).toBe("-----> Configuring api.demo.dokku.me...(using built-in template)\n-----> Creating https nginx.conf\n       Reloading nginx\n"),
  },
  {
    op: "certs.remove",
    args: { app: "api" },
    command: "certs:remove",
    missing: { app: "ghost" },
    check: (r) => expect(r.output).toMatch(/^-----> Removing SSL endpoint from api\n-----> Configuring api\.demo\.dokku\.me/),
  },
  {
    op: "tls.disable",
    args: { app: "api" },
    command: "letsencrypt:disable",
    missing: { app: "ghost" },
    check: (r) =>
      expect(r.output).toMatch(
        /^-----> Disabling letsencrypt for app\n       Removing letsencrypt files for api\n       Removing SSL endpoint from api\n[\s\S]*-----> Done\n$/,
      ),
  },
  {
    op: "tls.cleanup",
    args: { app: "api" },
    command: "letsencrypt:cleanup",
    missing: { app: "ghost" },
    check: (r) => expect(r.output).toBe("=====> Cleaning up stale certificate directories for api\n-----> \u0020 - current config hash 1f0c3e5a9b7d2468\n"),
  },
];

defineMatrix(cases);

describe.concurrent("the app's own certificate", () => {
  it("certs:add gets two private files that are gone after, and certs:report reads the certificate", async () => {
    const s = sim();
    const ctx = simRelay(s);
    await runOp(ctx, "certs.add", { app: "staging", certificate: TEST_CERT, key: TEST_KEY });
    const argv = ctx.argvs[0]!;
    expect(argv.slice(0, 2)).toEqual(["certs:add", "staging"]);
    expect(argv[2]).toMatch(/docklight-certs-[^/]+\/server\.crt$/);
    expect(argv[3]).toMatch(/docklight-certs-[^/]+\/server\.key$/);
    expect(existsSync(dirname(argv[3]!))).toBe(false);
    // the simulator saw the key it was given (by hash: it keeps none)
    const state = JSON.parse(readFileSync(join(s.dir, "state.json"), "utf8"));
    expect(state.apps.staging.tls.keySha256).toMatch(/^[0-9a-f]{64}$/);
    const status = await runOp(simRelay(s), "tls.status", { app: "staging" });
    expect(status.certs).toMatchObject({
      enabled: true,
      hostnames: ["api.demo.dokku.me", "www.example.com"],
      subject: "CN=api.demo.dokku.me",
      verified: "self signed",
    });
    expect(status.certs.expiresAtMs).toBe(Date.UTC(2126, 10, 12, 6, 8, 52));

    // replace = add again; remove takes it away
    await runOp(simRelay(s), "certs.add", { app: "staging", certificate: TEST_CERT, key: TEST_KEY });
    await runOp(simRelay(s), "certs.remove", { app: "staging" });
    expect((await runOp(simRelay(s), "tls.status", { app: "staging" })).certs.enabled).toBe(false);
    await expect(runOp(simRelay(s), "certs.remove", { app: "staging" })).rejects.toMatchObject({
      code: "dokku_error",
      message: "An app-specific SSL endpoint is not defined",
    });
  });

  it("the files are removed when the command fails or hangs too", async () => {
    const s = sim();
    s.faults({ "certs:add": { exitCode: 1, stderr: " !     CRT file specified not found, please check file paths" } });
    const failed = simRelay(s);
    await expect(runOp(failed, "certs.add", { app: "api", certificate: TEST_CERT, key: TEST_KEY })).rejects.toMatchObject({ code: "dokku_error" });
    s.faults({ "certs:add": { hang: true } });
    const hung = simRelay(s, { timeoutMs: 500 });
    await expect(runOp(hung, "certs.add", { app: "api", certificate: TEST_CERT, key: TEST_KEY })).rejects.toMatchObject({ code: "timeout" });
    for (const ctx of [failed, hung]) expect(existsSync(dirname(ctx.argvs[0]![3]!))).toBe(false);
  });

  it("a private key never reaches history, the reply or live lines, even when a command prints it", async () => {
    const { key, mark } = markedKey();
    // a hostile or broken host echoes everything it was given, and the key file's content
    const relay = fakeRelay((argv) => {
      const keyText = argv[3] && existsSync(argv[3]) ? readFileSync(argv[3], "utf8") : "";
      return { stdout: `got ${argv.join(" ")}\n${keyText}`, stderr: keyLines(key).join("\n") };
    });
    const r = await runOp(relay, "certs.add", { app: "api", certificate: TEST_CERT, key });
    const everything = JSON.stringify([r, relay.history.list(50, 0).entries, relay.chunks]);
    expect(everything).toContain("certs:add"); // the sweep is not vacuous
    expect(everything).not.toContain(mark);
    expect(everything).not.toContain(Buffer.from(`docklight-test-${mark}`).toString("base64").slice(0, 16));
    for (const line of keyLines(key)) expect(everything).not.toContain(line);
    expect(r.output).toContain("***");
  });

  it("the relay masks any PEM private key block in output, whole or cut off", () => {
    const text = `before\n${TEST_KEY}after`;
    expect(maskPrivateKeys(text)).toBe(`before\n${PRIVATE_KEY_MASK}\nafter`);
    expect(maskPrivateKeys("x -----BEGIN RSA PRIVATE KEY-----\nMIIE…")).toBe(`x ${PRIVATE_KEY_MASK}`);
    expect(redactOutput(`-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----`)).toBe(PRIVATE_KEY_MASK);
    expect(maskPrivateKeys(TEST_CERT)).toBe(TEST_CERT);
  });

  it("refuses what is not a PEM pair before anything runs, never repeating the key", () => {
    const args = ops["certs.add"].args;
    const bad = (certificate: string, key: string) =>
      args
        .safeParse({ app: "api", certificate, key })
        .error?.issues.map((i) => i.message)
        .join("; ");
    expect(bad("hello", TEST_KEY)).toMatch(/certificate must be PEM/);
    expect(bad(TEST_CERT, "secret-thing")).toMatch(/private key must be PEM/);
    expect(bad(TEST_CERT, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nabc\n-----END ENCRYPTED PRIVATE KEY-----")).toMatch(/encrypted/);
    expect(bad(TEST_CERT, TEST_KEY.repeat(100))).toMatch(/at most 16 KiB/);
    expect(bad(TEST_CERT, `--force ${"x".repeat(20)}`)).not.toContain("--force");
  });
});

describe.concurrent("Let's Encrypt disable, cleanup and wildcard domains", () => {
  it("cleanup without a current certificate folder says so", async () => {
    const s = sim();
    await expect(runOp(simRelay(s), "tls.cleanup", { app: "staging" })).rejects.toMatchObject({
      code: "dokku_error",
      message: "Cannot resolve the 'current' certificate directory!",
    });
  });

  it("without the plugin, disable and cleanup say what to run", async () => {
    const s = sim();
    await runOp(simRelay(s), "tls.list", {});
    const file = join(s.dir, "state.json");
    const state = JSON.parse(readFileSync(file, "utf8"));
    delete state.plugins.letsencrypt;
    writeFileSync(file, JSON.stringify(state));
    for (const op of ["tls.disable", "tls.cleanup"] as const) {
      await expect(runOp(simRelay(s), op, { app: "api" })).rejects.toMatchObject({
        code: "unavailable",
        message: expect.stringMatching(/letsencrypt plugin is not installed/),
      });
    }
  });

  it("tls.status carries the app's domains and DNS provider; a wildcard fails HTTP-01 as the simulator shows", async () => {
    const s = sim();
    await s.dokku("domains:add", "staging", "*.example.com");
    const status = await runOp(simRelay(s), "tls.status", { app: "staging" });
    expect(status).toMatchObject({ domains: ["staging.demo.dokku.me", "*.example.com"], dnsProvider: null });
    await s.dokku("letsencrypt:set", "staging", "email", "ops@example.com");
    await expect(runOp(simRelay(s), "tls.enable", { app: "staging" })).rejects.toMatchObject({ code: "dokku_error" });
    await s.dokku("letsencrypt:set", "staging", "dns-provider", "cloudflare");
    expect((await runOp(simRelay(s), "tls.status", { app: "staging" })).dnsProvider).toBe("cloudflare");
  });
});
