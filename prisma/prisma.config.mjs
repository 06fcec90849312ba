// Prisma CLI configuration: the JavaScript schema engine with driver adapters, so that no Rust
// engine is downloaded (see prisma/cli.mjs). Only SQLite schema work goes through here.
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { DEFAULT_DATABASE_URL, databaseKind, sqliteFilePath } from "./database-url.mjs";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "./schema.prisma",
  async adapter() {
    const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
    if (databaseKind(url) !== "sqlite") {
      throw new Error("The Prisma CLI only handles the SQLite database here; PostgreSQL migrations run through prisma/cli.mjs migrate.");
    }
    return new PrismaBetterSQLite3({ url: `file:${sqliteFilePath(url)}` });
  },
});
