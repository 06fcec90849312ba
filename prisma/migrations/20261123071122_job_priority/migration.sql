-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Job" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "dedupeKey" TEXT,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 8,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "runAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedAt" DATETIME,
    "lockedBy" TEXT,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME
);
INSERT INTO "new_Job" ("attempts", "createdAt", "dedupeKey", "finishedAt", "id", "lastError", "lockedAt", "lockedBy", "maxAttempts", "payload", "runAt", "shop", "status", "type") SELECT "attempts", "createdAt", "dedupeKey", "finishedAt", "id", "lastError", "lockedAt", "lockedBy", "maxAttempts", "payload", "runAt", "shop", "status", "type" FROM "Job";
DROP TABLE "Job";
ALTER TABLE "new_Job" RENAME TO "Job";
CREATE INDEX "Job_status_runAt_idx" ON "Job"("status", "runAt");
CREATE INDEX "Job_due_by_priority_idx" ON "Job"("status", "priority" DESC, "runAt");
CREATE INDEX "Job_shop_status_idx" ON "Job"("shop", "status");
CREATE UNIQUE INDEX "Job_shop_type_dedupeKey_key" ON "Job"("shop", "type", "dedupeKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

