import { describe, expect, it } from "vitest";
import { level, Sparkline } from "../../../../worker/pages/health.js";

const end = 1_700_000_000_000;
const render = (points: Array<{ at: number; value: number | null }>) => String(Sparkline({ id: "s", label: "CPU", points, end }));

describe("server-side sparkline", () => {
  it("draws the last hour as one path, scaled 0-100 %, with a title and no style attribute", () => {
    const svg = render([
      { at: end - 3_600_000, value: 0 },
      { at: end - 1_800_000, value: 50 },
      { at: end, value: 100 },
    ]);
    expect(svg).toContain('<title id="s">CPU, last hour: 3 readings, min 0.0 %, max 100.0 %</title>');
    expect(svg).toContain('d="M0.0 31.0L60.0 16.0L120.0 1.0"');
    expect(svg).toContain('role="img"');
    expect(svg).not.toContain("style=");
  });

  it("breaks the line at a missing reading, draws a lone reading as a dot, drops readings older than an hour", () => {
    const svg = render([
      { at: end - 7_200_000, value: 10 },
      { at: end - 3_000_000, value: null },
      { at: end - 1_200_000, value: 20 },
      { at: end - 600_000, value: null },
      { at: end, value: 40 },
    ]);
    expect(/ d="([^"]+)"/.exec(svg)?.[1]).toBe("M80.0 25.0h0.01M120.0 19.0h0.01");
    expect(svg).toContain("2 readings");
  });

  it("says so when there is nothing to draw", () => {
    const svg = render([{ at: end, value: null }]);
    expect(svg).toContain("no readings yet");
    expect(svg).not.toContain("<path");
  });

  it("grades like the original: warning from 70 %, critical from 90 %", () => {
    expect([level(null), level(69.9), level(70), level(89.9), level(90)]).toEqual(["idle", "ok", "warn", "warn", "bad"]);
  });
});
