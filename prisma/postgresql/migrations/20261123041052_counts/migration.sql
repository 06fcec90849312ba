-- AlterTable
ALTER TABLE "CountTask" ADD COLUMN     "scheduleKey" TEXT;

-- AlterTable
ALTER TABLE "CountLine" ADD COLUMN     "abcClass" TEXT,
ADD COLUMN     "countedBy" TEXT,
ADD COLUMN     "recountRequestedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "CountAdjustment" ADD COLUMN     "shopifyAttempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "shopifyBatchAt" TIMESTAMP(3),
ADD COLUMN     "shopifyBatchKey" TEXT,
ADD COLUMN     "shopifyChangeFrom" INTEGER,
ADD COLUMN     "shopifyDelta" INTEGER,
ADD COLUMN     "shopifyQuantityAfter" INTEGER;

-- CreateIndex
CREATE UNIQUE INDEX "CountTask_shop_scheduleKey_key" ON "CountTask"("shop", "scheduleKey");

-- CreateIndex
CREATE INDEX "CountLine_shop_countedAt_idx" ON "CountLine"("shop", "countedAt");

