-- DropIndex
DROP INDEX "InventoryPosition_shop_warehouseSku_idx";

-- DropIndex
DROP INDEX "InventoryPosition_shop_warehouseId_inventoryItemId_key";

-- AlterTable
ALTER TABLE "InventoryPosition" ADD COLUMN     "acknowledgedUnfulfilled" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "dirtySince" TIMESTAMP(3),
ADD COLUMN     "lastDrift" INTEGER,
ADD COLUMN     "lastDriftAt" TIMESTAMP(3),
ADD COLUMN     "needsShopifyRead" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "shopifyAvailable" INTEGER,
ADD COLUMN     "shopifyCommitted" INTEGER,
ADD COLUMN     "shopifyOnHand" INTEGER,
ADD COLUMN     "shopifyReadAt" TIMESTAMP(3),
ADD COLUMN     "syncState" TEXT NOT NULL DEFAULT 'clean',
ADD COLUMN     "warehouseBarcode" TEXT,
ADD COLUMN     "warehouseReserved" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "warehouseSequence" BIGINT NOT NULL DEFAULT 0,
ALTER COLUMN "inventoryItemId" DROP NOT NULL;

-- AlterTable
ALTER TABLE "Reservation" ADD COLUMN     "acknowledgedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "WebhookInbox" ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'shopify';

-- CreateTable
CREATE TABLE "ShopifyInventoryWrite" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "quantities" TEXT NOT NULL,
    "itemCount" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "ShopifyInventoryWrite_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReconcileRun" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "itemsTotal" INTEGER NOT NULL DEFAULT 0,
    "itemsChecked" INTEGER NOT NULL DEFAULT 0,
    "driftFound" INTEGER NOT NULL DEFAULT 0,
    "unitsDrifted" INTEGER NOT NULL DEFAULT 0,
    "healed" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ReconcileRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ShopifyInventoryWrite_shop_status_createdAt_idx" ON "ShopifyInventoryWrite"("shop", "status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ShopifyInventoryWrite_shop_idempotencyKey_key" ON "ShopifyInventoryWrite"("shop", "idempotencyKey");

-- CreateIndex
CREATE INDEX "ReconcileRun_shop_startedAt_idx" ON "ReconcileRun"("shop", "startedAt");

-- CreateIndex
CREATE INDEX "InventoryPosition_shop_warehouseId_inventoryItemId_idx" ON "InventoryPosition"("shop", "warehouseId", "inventoryItemId");

-- CreateIndex
CREATE INDEX "InventoryPosition_shop_syncState_dirtySince_idx" ON "InventoryPosition"("shop", "syncState", "dirtySince");

-- CreateIndex
CREATE INDEX "InventoryPosition_shop_inventoryItemId_idx" ON "InventoryPosition"("shop", "inventoryItemId");

-- CreateIndex
CREATE UNIQUE INDEX "InventoryPosition_shop_warehouseId_warehouseSku_key" ON "InventoryPosition"("shop", "warehouseId", "warehouseSku");

