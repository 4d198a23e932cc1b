import { describe, expect, it } from "vitest";
import { utcTime } from "../../../../worker/pages/time.js";

describe("utcTime", () => {
  it("writes a moment in UTC to the second, whatever the milliseconds", () => {
    expect(utcTime(Date.UTC(2026, 10, 29, 21, 54, 20, 999))).toBe("2026-11-29 21:54:20 UTC");
    expect(utcTime(0)).toBe("1970-01-01 00:00:00 UTC");
  });
});
