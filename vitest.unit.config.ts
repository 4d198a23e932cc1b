import { defineConfig } from "vitest/config";

/** Unit tests in Node: parsers, catalog, history, verification, simulator. */
export default defineConfig({
  test: {
    include: ["test/unit/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
  },
});
