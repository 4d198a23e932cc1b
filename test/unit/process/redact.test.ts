import { describe, expect, it } from "vitest";
import {
  configRedaction,
  letsencryptReportRedaction,
  maskPair,
  redactArgv,
  redactConfig,
  redactForHistory,
  redactOutput,
  WITHHELD,
} from "../../../relay/process/redact.js";

describe("config redaction", () => {
  it("masks K=V argv elements and leaves flags alone", () => {
    expect(maskPair("TOKEN=c2VjcmV0")).toBe("TOKEN=***");
    expect(maskPair("--no-restart")).toBeNull();
  });

  it("removes values from config:set output, multi-line values included", () => {
    const out = "-----> Setting config vars\n       PEM:    -----BEGIN KEY-----\nline-two-secret\n       SHORT:  ab\n";
    const red = redactConfig(out, { PEM: "-----BEGIN KEY-----\nline-two-secret", SHORT: "ab" });
    expect(red).not.toContain("BEGIN KEY");
    expect(red).not.toContain("line-two-secret");
    expect(red).toContain("PEM:  ***");
    expect(red).toContain("SHORT:  ***");
  });

  it("masks the short lines of a multi-line value where they stand as whole lines, the block whole or line by line (live)", () => {
    const vars = { NL: "a\nb", PEM: "-----BEGIN KEY-----\nxy\n-----END KEY-----" };
    const out = "-----> Setting config vars\n       NL:   a\nb\n       PEM:  -----BEGIN KEY-----\nxy\n-----END KEY-----\n-----> Restarting app api\n";
    const whole = redactConfig(out, vars);
    expect(whole.split("\n")).toEqual([
      "-----> Setting config vars",
      "       NL:  ***",
      "***",
      "       PEM:  ***",
      "***",
      "***",
      "-----> Restarting app api",
      "",
    ]);
    // live, each line alone: the same lines are masked
    expect(out.split("\n").map((l) => redactConfig(l, vars))).toEqual(whole.split("\n"));
    // a short piece is masked only as a whole line, not inside others ("b" in "bash")
    expect(redactConfig("run bash now", vars)).toBe("run bash now");
  });

  it("masks only the pairs after the command's own arguments, and the values wherever they are echoed", () => {
    const r = configRedaction({ TOKEN: "hunter22" }, 3);
    expect(redactArgv(["config:set", "--encoded", "api", "TOKEN=aHVudGVyMjI="], r)).toEqual(["config:set", "--encoded", "api", "TOKEN=***"]);
    expect(redactArgv(["config:set", "--encoded", "A=B"], r)).toEqual(["config:set", "--encoded", "A=B"]);
    expect(redactOutput("echo hunter22 and aHVudGVyMjI=", r)).toBe("echo *** and ***");
  });
});

describe("what history keeps", () => {
  it("keeps a placeholder for output that is itself the secret, and redacts the rest as it leaves", () => {
    expect(redactForHistory('{"K":"v"}', { withholdOutput: true })).toBe(WITHHELD);
    expect(redactForHistory("", { withholdOutput: true })).toBe("");
    expect(redactForHistory("DSN postgres://u:pw@h/db", { output: (t) => t.replace("pw", "***") })).toBe("DSN postgres://u:***@h/db");
    expect(redactForHistory("plain")).toBe("plain");
  });
});

describe("the baseline under every command's redaction", () => {
  it("masks URL credentials in output and argv even when the command asked for nothing", () => {
    expect(redactOutput("Dsn: postgres://postgres:pw0rd99@dokku-postgres-db:5432/db")).toBe("Dsn: postgres://postgres:***@dokku-postgres-db:5432/db");
    expect(redactOutput("remote https://tok3n@github.com/a/b.git", { output: (t) => t.toUpperCase() })).toBe("REMOTE HTTPS://***@GITHUB.COM/A/B.GIT");
    expect(redactArgv(["git:sync", "api", "https://u:pw@h/r.git"])).toEqual(["git:sync", "api", "https://u:***@h/r.git"]);
  });
});

describe("letsencrypt:report", () => {
  // cmd-letsencrypt-report-single (dokku-letsencrypt 0.25): printf "%-30s %-25s" of "Label:" and value
  const report = [
    "=====> api letsencrypt information",
    "       Letsencrypt active:            true                     ",
    "       Letsencrypt computed email:    ops@example.com          ",
    "       Letsencrypt dns provider:      route53                  ",
    "       Letsencrypt computed lego args: --eab --kid k1 --hmac HMACSECRET1",
    "       Letsencrypt computed dns provider AWS_SECRET_ACCESS_KEY: AWSSECRET2",
    "       Letsencrypt global dns provider AWS_SECRET_ACCESS_KEY: AWSSECRET2",
    "       Letsencrypt lego docker options: -e TOKEN=DOCKERSECRET3",
    "       Letsencrypt server:                                     ",
  ].join("\n");

  it("keeps the rows the relay reads and masks every other value (credentials, lego arguments)", () => {
    const out = redactOutput(report, letsencryptReportRedaction);
    for (const secret of ["HMACSECRET1", "AWSSECRET2", "DOCKERSECRET3"]) expect(out).not.toContain(secret);
    expect(out).toContain("Letsencrypt computed email:    ops@example.com");
    expect(out).toContain("Letsencrypt dns provider:      route53");
    expect(out).toContain("Letsencrypt computed dns provider AWS_SECRET_ACCESS_KEY: ***");
    expect(out).toContain("Letsencrypt server:");
    expect(out.split("\n")).toHaveLength(report.split("\n").length);
  });
});
