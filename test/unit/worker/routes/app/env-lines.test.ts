import { describe, expect, it } from "vitest";
import { parseEnvLines } from "../../../../../worker/routes/app/env-lines.js";

describe("a pasted .env, read as dotenv reads it", () => {
  it("removes quotes and `export `, expands \\n in double quotes, keeps multi-line quoted values, drops comments", () => {
    const text = 'export Q="a b"\nS=\'$HOME stays\'\n# note\nM="one\ntwo"\nE="x\\ny" # trailing\nPLAIN=v # a comment, as in dotenv\n';
    expect(parseEnvLines(text)).toEqual({
      vars: { Q: "a b", S: "$HOME stays", M: "one\ntwo", E: "x\ny", PLAIN: "v" },
      problems: [],
    });
  });

  it("lets a later line override an earlier one, as dotenv does", () => {
    expect(parseEnvLines("A=1\nA=2\n").vars).toEqual({ A: "2" });
  });

  it("reports by line what dotenv skips and keys Dokku refuses", () => {
    const { vars, problems } = parseEnvLines("GOOD=1\nno equals sign\n1BAD=x\nA-B=c\r\n");
    expect(vars).toEqual({ GOOD: "1" });
    expect(problems.map((p) => p.line)).toEqual([2, 3, 4]);
    expect(problems[0]!.problem).toBe("not a KEY=value line (dotenv skips it)");
    expect(problems[1]!.problem).toMatch(/^the text before '=' is not a valid key/);
    // a line is never quoted back: it may be a piece of a secret
    expect(problems.map((p) => p.problem).join("\n")).not.toContain("1BAD");
  });

  it("refuses a text with nothing to set", () => {
    expect(parseEnvLines("\n# only a comment\n").problems).toEqual([{ line: 0, problem: "no KEY=value lines were given" }]);
  });
});
