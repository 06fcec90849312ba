// One reading of DATABASE_URL for the app, the CLI and the tests.
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The embedded default: a SQLite file inside prisma/. */
export const DEFAULT_DATABASE_URL = "file:prisma/dev.sqlite";

/** @param {string} url @returns {"sqlite" | "postgresql"} */
export function databaseKind(url) {
  if (/^postgres(ql)?:\/\//i.test(url)) return "postgresql";
  if (/^file:/i.test(url)) return "sqlite";
  throw new Error(`DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL), got "${url.split(":")[0]}:..."`);
}

/** Relative SQLite paths are relative to the project root, whatever the working directory. */
export function sqliteFilePath(url) {
  const file = url.replace(/^file:/i, "").replace(/\?.*$/, "");
  if (file === ":memory:") return file;
  return path.isAbsolute(file) ? file : path.join(root, file);
}
