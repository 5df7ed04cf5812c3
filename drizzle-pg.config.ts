import { defineConfig } from "drizzle-kit";

/** PostgreSQL migrations; SQLite's are in drizzle.config.ts. `npm run db:generate` makes both. */
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema-pg.ts",
  out: "./drizzle/pg",
});
