import { describe, expect, it } from "vitest";
import { configRedaction, maskPair, redactArgv, redactConfig, redactForHistory, redactOutput, WITHHELD } from "../../relay/redact.js";

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
