import { describe, expect, it } from "vitest";
import { ALERT_LIMITS } from "../../../../worker/alerts/conditions.js";
import { alertLimitsConfig } from "../../../../worker/alerts/limits.js";

const parse = (input: Record<string, string | undefined>) => alertLimitsConfig.safeParse(input);

describe("the alert limits from the edge's vars", () => {
  it("keeps each default unless set, and takes small values (a test's, minutes as decimals)", () => {
    expect(parse({})).toEqual({ success: true, data: ALERT_LIMITS });
    expect(parse({ offlineMinutes: "", certDays: " " })).toEqual({ success: true, data: ALERT_LIMITS });
    expect(parse({ offlineMinutes: "0", sustainMinutes: "0.5", memoryPercent: "100", certDays: "30" })).toEqual({
      success: true,
      data: { ...ALERT_LIMITS, offlineMinutes: 0, sustainMinutes: 0.5, memoryPercent: 100, certDays: 30 },
    });
  });

  it("refuses a value that is not a number in its range, naming the var", () => {
    const problems = (input: Record<string, string>) => {
      const r = parse(input);
      return r.success ? [] : r.error.issues.map((i) => i.message);
    };
    expect(problems({ offlineMinutes: "five" })).toEqual(["ALERT_OFFLINE_MINUTES must be a number from 0 to 1440 (default 5)"]);
    expect(problems({ diskPercent: "0", memoryPercent: "101" })).toEqual([
      "ALERT_DISK_PERCENT must be a number from 1 to 100 (default 90)",
      "ALERT_MEMORY_PERCENT must be a number from 1 to 100 (default 90)",
    ]);
    expect(problems({ sustainMinutes: "-1", certDays: "Infinity" })).toEqual([
      "ALERT_CERT_DAYS must be a number from 0 to 365 (default 14)",
      "ALERT_SUSTAIN_MINUTES must be a number from 0 to 1440 (default 10)",
    ]);
  });
});
