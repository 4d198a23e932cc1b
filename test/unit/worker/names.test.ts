import { describe, expect, it } from "vitest";
import { hostName, nameKey } from "../../../worker/registry/names.js";

describe("host names", () => {
  it("counts names that differ only by compatibility forms, case or invisible characters as the same name", () => {
    for (const alike of ["ｐｒｏｄ", "ℙrod", "PROD", "pro\u200Bd", "p\u00ADrod", "prod\uFE0F", "  Prod  "]) expect(nameKey(alike)).toBe(nameKey("prod"));
    expect(nameKey("STRASSE")).toBe(nameKey("straße"));
    expect(nameKey("web  1")).toBe(nameKey("web 1"));
    expect(nameKey("prod-2")).not.toBe(nameKey("prod"));
  });

  it("counts names whose letters only look alike (letters of other scripts, accents) as the same name", () => {
    // Cyrillic о and р, Greek Ο and Ρ, and a mix of them: each reads as "prod"
    for (const alike of ["pr\u043Ed", "\u0440rod", "\u03A1R\u039FD", "\u0440r\u03BFd"]) expect(nameKey(alike), JSON.stringify(alike)).toBe(nameKey("prod"));
    expect(nameKey("Prod \u0415U")).toBe(nameKey("prod eu"));
    // names that look different stay different
    expect(nameKey("staging")).not.toBe(nameKey("prod"));
    expect(nameKey("web-2")).not.toBe(nameKey("web-1"));
  });

  it("refuses an invisible character outright, saying so", () => {
    for (const hidden of ["pro\u200Bd", "prod\u202E", "\u2060prod", "pr\u00ADod", "prod\u3164", "a\u2028b"]) {
      const r = hostName.safeParse(hidden);
      expect(r.success, JSON.stringify(hidden)).toBe(false);
      expect(r.error!.issues[0]!.message).toContain("invisible");
    }
    expect(hostName.parse(" Production (eu) ")).toBe("Production (eu)");
    expect(hostName.parse("ｐｒｏｄ")).toBe("ｐｒｏｄ");
  });
});
