import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./relay/db/schema.ts",
  out: "./migrations",
});
