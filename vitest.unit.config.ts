import { defineConfig } from "vitest/config";

/** Unit tests in Node: parsers, catalog, history, verification, simulator; the conformance suite of recorded Dokku outputs. */
export default defineConfig({
  test: {
    include: ["test/unit/**/*.test.ts", "test/conformance/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
  },
});
