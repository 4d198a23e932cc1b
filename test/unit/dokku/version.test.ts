import { describe, expect, it } from "vitest";
import { versionAtLeast } from "../../../relay/dokku/version.js";

describe("versionAtLeast", () => {
  it("compares versions", () => {
    expect(versionAtLeast("0.38.21", "0.38.21")).toBe(true);
    expect(versionAtLeast("0.38.3", "0.38.21")).toBe(false);
    expect(versionAtLeast("0.100.0", "0.38.0")).toBe(true);
    expect(versionAtLeast(null, "0.23.1")).toBe(false);
  });
});
