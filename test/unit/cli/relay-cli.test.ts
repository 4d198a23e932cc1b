import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { protocolMismatch, PROTOCOL_VERSION } from "../../../protocol/frames.js";
import { parseCommand } from "../../../relay/cli/help.js";
import { deniedUnknown, loadCheckedConfig, loadConfig } from "../../../relay/cli/config.js";
import { clockCheck } from "../../../relay/cli/doctor.js";
import { withJournalPriority } from "../../../relay/cli/log.js";

const dir = mkdtempSync(join(tmpdir(), "docklight-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the relay's command line", () => {
  it("takes run by default and doctor as the one word, wherever the options are", () => {
    expect(parseCommand([])).toEqual({ name: "run", argv: [] });
    expect(parseCommand(["--simulator", "doctor", "--host", "doctor"])).toEqual({ name: "doctor", argv: ["--simulator", "--host", "doctor"] });
    expect(parseCommand(["run", "--read-only"])).toEqual({ name: "run", argv: ["--read-only"] });
    expect(parseCommand(["doctor", "-h"])).toEqual({ name: "help" });
    expect(parseCommand(["-V"])).toEqual({ name: "version" });
  });

  it("refuses an unknown option or word, pointing to --help", () => {
    expect(() => parseCommand(["--tokn", "x"])).toThrow(/--tokn.*see docklight-relay --help/);
    expect(() => parseCommand(["start"])).toThrow('unexpected "start": the commands are run and doctor');
  });
});

describe("settings from an env file", () => {
  const file = join(dir, "relay.env");
  writeFileSync(
    file,
    [
      "DOCKLIGHT_URL=https://edge.example",
      "DOCKLIGHT_HOST_ID=prod",
      `DOCKLIGHT_RELAY_TOKEN=${"t".repeat(43)}`,
      `DOCKLIGHT_OP_PUBLIC_KEY=${"k".repeat(43)}`,
      "DOKKU_SIM_DIR=/from/file",
    ].join("\n"),
  );

  it("fills in what the environment lacks, lets the environment win, and keeps the token from children", () => {
    const env: NodeJS.ProcessEnv = { DOCKLIGHT_HOST_ID: "staging", DOCKLIGHT_DB: join(dir, "h.db"), PATH: "" };
    const config = loadConfig(["--env-file", file], env);
    expect(config).toMatchObject({
      host: "staging",
      token: "t".repeat(43),
      baseUrl: "https://edge.example",
      edgeUrl: "wss://edge.example/relay/connect?host=staging",
    });
    expect(config.statusFile).toBe(join(dir, "h.status.json"));
    expect(env.DOKKU_SIM_DIR).toBe("/from/file"); // dokku, run by the relay, sees the file's settings
    expect(env.DOCKLIGHT_RELAY_TOKEN).toBeUndefined();
  });

  it("says dokku is missing unless asked for the simulator", () => {
    const base = { DOCKLIGHT_ENV_FILE: file, PATH: "" };
    expect(loadConfig([], { ...base }).dokku).toMatchObject({ error: expect.stringContaining("dokku was not found on the PATH") });
    expect(loadConfig(["--simulator"], { ...base }).dokku).toMatchObject({ simulated: true });
  });

  it("takes a deny list of op names, and names each that is not an op of the catalog", async () => {
    const base = { DOCKLIGHT_ENV_FILE: file, PATH: "" };
    expect(loadConfig(["--deny", "apps.restart, config.set"], { ...base }).deny).toEqual(["apps.restart", "config.set"]);
    expect(() => loadConfig(["--deny", "apps.restart,--help"], { ...base })).toThrow("DOCKLIGHT_DENY lists op names such as apps.restart");
    await expect(loadCheckedConfig(["--deny", "apps.restart,nope"], { ...base })).rejects.toThrow("DOCKLIGHT_DENY names nope: not an op of the catalog");
    expect((await loadCheckedConfig(["--deny", "apps.restart"], { ...base })).deny).toEqual(["apps.restart"]);
    expect(await deniedUnknown([])).toBeNull();
    expect(await deniedUnknown(["apps.restart", "config.set"])).toBeNull();
    expect(await deniedUnknown(["apps.restart", "apps.restrat", "nope"])).toBe(
      "relay configuration is invalid:\n✖ DOCKLIGHT_DENY names apps.restrat, nope: not an op of the catalog (docklight-relay refuses only ops it has)",
    );
  });

  it("names an unreadable file", () => {
    expect(() => loadConfig(["--env-file", join(dir, "missing.env")], {})).toThrow(`cannot read the settings file ${join(dir, "missing.env")}: ENOENT`);
  });
});

describe("journald priorities", () => {
  it("prefixes each pino line with its syslog priority", () => {
    expect(withJournalPriority('{"level":60,"msg":"x"}')).toBe('<2>{"level":60,"msg":"x"}');
    expect(withJournalPriority('{"level":50,"msg":"x"}')).toMatch(/^<3>/);
    expect(withJournalPriority('{"level":40,"msg":"x"}')).toMatch(/^<4>/);
    expect(withJournalPriority('{"level":30,"msg":"x"}')).toMatch(/^<6>/);
    expect(withJournalPriority('{"level":20,"msg":"x"}')).toMatch(/^<7>/);
  });
});

describe("the clock check", () => {
  const edge = Date.parse("Sun, 29 Nov 2026 12:00:00 GMT");
  it("takes the middle of the edge's whole second and allows the relay's 5 s tolerance", () => {
    expect(clockCheck("Sun, 29 Nov 2026 12:00:00 GMT", edge + 500)).toMatchObject({ verdict: "ok", detail: "this host's clock is in step with the edge's" });
    expect(clockCheck("Sun, 29 Nov 2026 12:00:00 GMT", edge + 5_400)).toMatchObject({ verdict: "ok" });
    expect(clockCheck("Sun, 29 Nov 2026 12:00:00 GMT", edge + 6_600).detail).toMatch(/^this host's clock is 6 s ahead of the edge's\. Signed ops live 60 s/);
    expect(clockCheck("Sun, 29 Nov 2026 12:00:00 GMT", edge - 40_600)).toMatchObject({ verdict: "FAIL", detail: expect.stringContaining("41 s behind") });
    expect(clockCheck(null, edge).verdict).toBe("warn");
  });
});

describe("protocol versions", () => {
  it("serves only the same version and says which side to upgrade, within a close reason's 123 bytes", () => {
    expect(protocolMismatch(PROTOCOL_VERSION)).toBeNull();
    const older = protocolMismatch(0, 1)!;
    const newer = protocolMismatch(2, 1)!;
    expect(older).toContain("upgrade the relay");
    expect(newer).toContain("upgrade the edge");
    for (const reason of [older, newer, protocolMismatch(999, 1000)!]) expect(Buffer.byteLength(reason)).toBeLessThanOrEqual(123);
  });
});
