// vitest setup for the sqlite and postgresql projects: every test file gets its own migrated
// database, and DATABASE_URL points at it before any app module is imported.
import { afterAll } from "vitest";
import { createTestDatabase, type TestDatabaseKind } from "../helpers/database";

const kind = process.env.TEST_DATABASE as TestDatabaseKind | undefined;
if (kind !== "sqlite" && kind !== "postgresql") {
  throw new Error("TEST_DATABASE must be sqlite or postgresql for integration tests");
}
const database = await createTestDatabase(kind);
process.env.DATABASE_URL = database.url;

afterAll(async () => {
  const { db } = await import("../../app/db.server");
  const { closeDefaultInboxStore } = await import("../../app/webhooks/inbox-store.server");
  await closeDefaultInboxStore();
  await db.$disconnect();
  await database.drop();
});
