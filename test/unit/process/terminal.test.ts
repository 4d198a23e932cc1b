import { describe, expect, it } from "vitest";
import { renderTerminal } from "../../../relay/process/terminal.js";

describe("renderTerminal", () => {
  it("leaves plain text alone", () => {
    expect(renderTerminal("-----> Building app\n       done\n")).toBe("-----> Building app\n       done\n");
  });

  it("removes colours and other escape sequences", () => {
    expect(renderTerminal("\u001b[36mapp[web.1]:\u001b[0m hello\n")).toBe("app[web.1]: hello\n");
    expect(renderTerminal("\u001b]0;title\u0007text")).toBe("text");
    expect(renderTerminal("\u001b[36m2024-01-01T00:00:00.000000000Z app[web.1]:\u001b[0m hello")).toBe("2024-01-01T00:00:00.000000000Z app[web.1]: hello");
  });

  it("reads ESC[1G as a return to column 1, as Dokku's log helpers print it", () => {
    expect(renderTerminal("\u001b[1G-----> Cleaning up...\n")).toBe("-----> Cleaning up...\n");
    expect(renderTerminal("waiting...\u001b[1G\u001b[KReady\n")).toBe("Ready\n");
    expect(renderTerminal("abc\u001b[2Gx")).toBe("axc");
  });

  it("lets a carriage return rewrite the line, as a terminal does", () => {
    expect(renderTerminal("10%\r20%\r100%\n")).toBe("100%\n");
    expect(renderTerminal("Downloading 1/3\rDone\n")).toBe("Doneloading 1/3\n");
    expect(renderTerminal("a\r\nb\r\n")).toBe("a\nb\n");
    expect(renderTerminal("abc\u001b[2K\rxy")).toBe("xy");
  });

  it("keeps what follows a lone carriage return (it was lost before)", () => {
    expect(renderTerminal("layer 1: pulling\rlayer 1: pull complete")).toBe("layer 1: pull complete");
  });

  it("applies backspaces and drops other control characters", () => {
    expect(renderTerminal("abd\bc\n")).toBe("abc\n");
    expect(renderTerminal("a\u0007b\u0000c\td")).toBe("abc\td");
  });

  it("keeps astral characters whole when a line is rewritten", () => {
    expect(renderTerminal("🚀🚀\r🎉")).toBe("🎉🚀");
  });
});
