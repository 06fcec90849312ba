-- AlterTable
ALTER TABLE "Reservation" ADD COLUMN "acknowledgedAt" DATETIME;

-- CreateTable
CREATE TABLE "ShopifyInventoryWrite" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "quantities" TEXT NOT NULL,
    "itemCount" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" DATETIME
);

-- CreateTable
CREATE TABLE "ReconcileRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "itemsTotal" INTEGER NOT NULL DEFAULT 0,
    "itemsChecked" INTEGER NOT NULL DEFAULT 0,
    "driftFound" INTEGER NOT NULL DEFAULT 0,
    "unitsDrifted" INTEGER NOT NULL DEFAULT 0,
    "healed" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_InventoryPosition" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "warehouseId" TEXT NOT NULL,
    "inventoryItemId" TEXT,
    "warehouseSku" TEXT NOT NULL,
    "warehouseBarcode" TEXT,
    "warehouseSellable" INTEGER NOT NULL DEFAULT 0,
    "warehouseReserved" INTEGER NOT NULL DEFAULT 0,
    "warehouseDamaged" INTEGER NOT NULL DEFAULT 0,
    "warehouseSequence" BIGINT NOT NULL DEFAULT 0,
    "reservedUnacknowledged" INTEGER NOT NULL DEFAULT 0,
    "acknowledgedUnfulfilled" INTEGER NOT NULL DEFAULT 0,
    "safetyStock" INTEGER,
    "shopifyAvailable" INTEGER,
    "shopifyCommitted" INTEGER,
    "shopifyOnHand" INTEGER,
    "shopifyReadAt" DATETIME,
    "lastWrittenAvailable" INTEGER,
    "lastWrittenAt" DATETIME,
    "lastConfirmedAt" DATETIME,
    "warehouseUpdatedAt" DATETIME,
    "syncState" TEXT NOT NULL DEFAULT 'clean',
    "dirtySince" DATETIME,
    "needsShopifyRead" BOOLEAN NOT NULL DEFAULT true,
    "lastDrift" INTEGER,
    "lastDriftAt" DATETIME,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_InventoryPosition" ("createdAt", "id", "inventoryItemId", "lastConfirmedAt", "lastWrittenAt", "lastWrittenAvailable", "reservedUnacknowledged", "safetyStock", "shop", "updatedAt", "version", "warehouseDamaged", "warehouseId", "warehouseSellable", "warehouseSku", "warehouseUpdatedAt") SELECT "createdAt", "id", "inventoryItemId", "lastConfirmedAt", "lastWrittenAt", "lastWrittenAvailable", "reservedUnacknowledged", "safetyStock", "shop", "updatedAt", "version", "warehouseDamaged", "warehouseId", "warehouseSellable", "warehouseSku", "warehouseUpdatedAt" FROM "InventoryPosition";
DROP TABLE "InventoryPosition";
ALTER TABLE "new_InventoryPosition" RENAME TO "InventoryPosition";
CREATE INDEX "InventoryPosition_shop_warehouseId_inventoryItemId_idx" ON "InventoryPosition"("shop", "warehouseId", "inventoryItemId");
CREATE INDEX "InventoryPosition_shop_syncState_dirtySince_idx" ON "InventoryPosition"("shop", "syncState", "dirtySince");
CREATE INDEX "InventoryPosition_shop_inventoryItemId_idx" ON "InventoryPosition"("shop", "inventoryItemId");
CREATE UNIQUE INDEX "InventoryPosition_shop_warehouseId_warehouseSku_key" ON "InventoryPosition"("shop", "warehouseId", "warehouseSku");
CREATE TABLE "new_WebhookInbox" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'shopify',
    "webhookId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "apiVersion" TEXT,
    "eventId" TEXT,
    "triggeredAt" DATETIME,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'received',
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" DATETIME,
    "error" TEXT
);
INSERT INTO "new_WebhookInbox" ("apiVersion", "error", "eventId", "id", "payload", "processedAt", "receivedAt", "shop", "status", "topic", "triggeredAt", "webhookId") SELECT "apiVersion", "error", "eventId", "id", "payload", "processedAt", "receivedAt", "shop", "status", "topic", "triggeredAt", "webhookId" FROM "WebhookInbox";
DROP TABLE "WebhookInbox";
ALTER TABLE "new_WebhookInbox" RENAME TO "WebhookInbox";
CREATE INDEX "WebhookInbox_shop_status_receivedAt_idx" ON "WebhookInbox"("shop", "status", "receivedAt");
CREATE UNIQUE INDEX "WebhookInbox_shop_webhookId_key" ON "WebhookInbox"("shop", "webhookId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "ShopifyInventoryWrite_shop_status_createdAt_idx" ON "ShopifyInventoryWrite"("shop", "status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ShopifyInventoryWrite_shop_idempotencyKey_key" ON "ShopifyInventoryWrite"("shop", "idempotencyKey");

-- CreateIndex
CREATE INDEX "ReconcileRun_shop_startedAt_idx" ON "ReconcileRun"("shop", "startedAt");

