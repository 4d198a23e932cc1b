import { describe, expect, it } from "vitest";
import { level, Sparkline } from "../../../../worker/pages/health.js";

const end = 1_700_000_000_000;
const render = (points: Array<{ at: number; value: number | null }>) => String(Sparkline({ id: "s", label: "CPU", points, end }));

describe("server-side sparkline", () => {
  it("draws the last hour as one path in whole units (one per 30 s, one per percent), relative after its start, with a title and no style attribute", () => {
    const svg = render([
      { at: end - 3_600_000, value: 0 },
      { at: end - 1_800_000, value: 50 },
      { at: end, value: 100 },
    ]);
    expect(svg).toContain('<title id="s">CPU, last hour: 3 readings, min 0.0 %, max 100.0 %</title>');
    expect(svg).toContain('viewBox="0 0 120 104"');
    expect(svg).toContain('d="M0 102l60 -50 60 -50"');
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
    expect(/ d="([^"]+)"/.exec(svg)?.[1]).toBe("M80 82h0.01M120 62h0.01");
    expect(svg).toContain("2 readings");
  });

  it("keeps an hour of readings every 30 s short, each relative point landing where the reading is", () => {
    const values = Array.from({ length: 121 }, (_, i) => 50 + 40 * Math.sin(i / 5));
    const svg = render(values.map((value, i) => ({ at: end - 3_600_000 + i * 30_000, value })));
    const d = / d="([^"]+)"/.exec(svg)![1]!;
    // 1.3 KB as absolute one-decimal points; whole relative units take a third of that
    expect(d.length).toBeLessThan(121 * 6);
    const [mx, my, ...rel] = d.replace(/^M/, "").replace("l", " ").split(" ").map(Number);
    const points = [[mx!, my!]];
    for (let i = 0; i < rel.length; i += 2) points.push([points.at(-1)![0]! + rel[i]!, points.at(-1)![1]! + rel[i + 1]!]);
    expect(points).toEqual(values.map((v, i) => [i, 102 - Math.round(v)]));
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
