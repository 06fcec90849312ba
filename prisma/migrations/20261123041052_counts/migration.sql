-- AlterTable
ALTER TABLE "CountTask" ADD COLUMN "scheduleKey" TEXT;

-- AlterTable
ALTER TABLE "CountLine" ADD COLUMN "abcClass" TEXT;
ALTER TABLE "CountLine" ADD COLUMN "countedBy" TEXT;
ALTER TABLE "CountLine" ADD COLUMN "recountRequestedAt" DATETIME;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_CountAdjustment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "lineId" TEXT NOT NULL,
    "warehouseId" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "delta" INTEGER NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "shopifyStatus" TEXT NOT NULL DEFAULT 'pending',
    "shopifyPostedAt" DATETIME,
    "shopifyDelta" INTEGER,
    "shopifyChangeFrom" INTEGER,
    "shopifyQuantityAfter" INTEGER,
    "shopifyBatchKey" TEXT,
    "shopifyBatchAt" DATETIME,
    "shopifyAttempts" INTEGER NOT NULL DEFAULT 0,
    "warehouseStatus" TEXT NOT NULL DEFAULT 'pending',
    "warehousePostedAt" DATETIME,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_CountAdjustment" ("createdAt", "delta", "error", "id", "idempotencyKey", "inventoryItemId", "lineId", "shop", "shopifyPostedAt", "shopifyStatus", "taskId", "updatedAt", "warehouseId", "warehousePostedAt", "warehouseStatus") SELECT "createdAt", "delta", "error", "id", "idempotencyKey", "inventoryItemId", "lineId", "shop", "shopifyPostedAt", "shopifyStatus", "taskId", "updatedAt", "warehouseId", "warehousePostedAt", "warehouseStatus" FROM "CountAdjustment";
DROP TABLE "CountAdjustment";
ALTER TABLE "new_CountAdjustment" RENAME TO "CountAdjustment";
CREATE INDEX "CountAdjustment_shop_taskId_idx" ON "CountAdjustment"("shop", "taskId");
CREATE UNIQUE INDEX "CountAdjustment_shop_lineId_key" ON "CountAdjustment"("shop", "lineId");
CREATE UNIQUE INDEX "CountAdjustment_shop_idempotencyKey_key" ON "CountAdjustment"("shop", "idempotencyKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "CountTask_shop_scheduleKey_key" ON "CountTask"("shop", "scheduleKey");

-- CreateIndex
CREATE INDEX "CountLine_shop_countedAt_idx" ON "CountLine"("shop", "countedAt");

