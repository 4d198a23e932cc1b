import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./relay/history/db/schema.ts",
  out: "./migrations",
});
