import { describe, expect, it } from "vitest";
import { maskUrlCredentials } from "../../protocol/redact.js";
import { LineStream } from "../../relay/line-stream.js";

describe("LineStream", () => {
  it("masks a database URL even when a pipe read splits it", () => {
    const sent: string[] = [];
    const s = new LineStream((t) => sent.push(t), maskUrlCredentials);
    s.push("       DATABASE_URL:  postgres://postgres:8d3f6c");
    s.push("1e2b7a4f90@dokku-postgres-db:5432/db\n-----> Restarting app api\n");
    s.flush();
    const all = sent.join("");
    expect(all).toContain("postgres://postgres:***@dokku-postgres-db:5432/db");
    expect(all).not.toContain("8d3f6c");
    expect(all).toContain("-----> Restarting app api\n");
  });

  it("sends whole lines as they complete and the rest at the end", () => {
    const sent: string[] = [];
    const s = new LineStream((t) => sent.push(t));
    s.push("one\ntw");
    expect(sent).toEqual(["one\n"]);
    s.push("o\nthree");
    expect(sent).toEqual(["one\n", "two\n"]);
    s.flush();
    expect(sent).toEqual(["one\n", "two\n", "three"]);
  });

  it("does not hold an endless line without bound", () => {
    const sent: string[] = [];
    const s = new LineStream((t) => sent.push(t), (t) => t, 10);
    s.push("x".repeat(25));
    expect(sent.join("")).toBe("x".repeat(25));
  });
});
