-- AlterTable
ALTER TABLE "WarehouseConnection" ADD COLUMN "returnsCursor" TEXT;
ALTER TABLE "WarehouseConnection" ADD COLUMN "shipmentsCursor" TEXT;

-- CreateTable
CREATE TABLE "AllocationEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "allocationId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "note" TEXT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AllocationEvent_allocationId_fkey" FOREIGN KEY ("allocationId") REFERENCES "Allocation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReturnReceipt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "warehouseReturnId" TEXT NOT NULL,
    "warehouseId" TEXT,
    "allocationId" TEXT,
    "rma" TEXT,
    "lines" TEXT NOT NULL,
    "sellableUnits" INTEGER NOT NULL DEFAULT 0,
    "damagedUnits" INTEGER NOT NULL DEFAULT 0,
    "receivedAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ShopSettings" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "defaultSafetyStock" INTEGER NOT NULL DEFAULT 0,
    "accuracyTargetPercent" DECIMAL NOT NULL DEFAULT 99.5,
    "countCadenceDaysA" INTEGER NOT NULL DEFAULT 7,
    "countCadenceDaysB" INTEGER NOT NULL DEFAULT 30,
    "countCadenceDaysC" INTEGER NOT NULL DEFAULT 90,
    "abcThresholdAPercent" INTEGER NOT NULL DEFAULT 80,
    "abcThresholdBPercent" INTEGER NOT NULL DEFAULT 95,
    "varianceThresholdUnits" INTEGER NOT NULL DEFAULT 5,
    "varianceThresholdValue" DECIMAL NOT NULL DEFAULT 50,
    "timeZone" TEXT NOT NULL DEFAULT 'UTC',
    "routingRules" TEXT NOT NULL DEFAULT '[]',
    "routingAllowSplit" BOOLEAN NOT NULL DEFAULT false,
    "routingMaxShipments" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_ShopSettings" ("abcThresholdAPercent", "abcThresholdBPercent", "accuracyTargetPercent", "countCadenceDaysA", "countCadenceDaysB", "countCadenceDaysC", "createdAt", "defaultSafetyStock", "id", "shop", "timeZone", "updatedAt", "varianceThresholdUnits", "varianceThresholdValue") SELECT "abcThresholdAPercent", "abcThresholdBPercent", "accuracyTargetPercent", "countCadenceDaysA", "countCadenceDaysB", "countCadenceDaysC", "createdAt", "defaultSafetyStock", "id", "shop", "timeZone", "updatedAt", "varianceThresholdUnits", "varianceThresholdValue" FROM "ShopSettings";
DROP TABLE "ShopSettings";
ALTER TABLE "new_ShopSettings" RENAME TO "ShopSettings";
CREATE UNIQUE INDEX "ShopSettings_shop_key" ON "ShopSettings"("shop");
CREATE TABLE "new_Warehouse" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "externalCode" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "shopifyLocationId" TEXT,
    "fulfillmentServiceId" TEXT,
    "fulfillmentServiceLocationId" TEXT,
    "regions" TEXT NOT NULL DEFAULT '["*"]',
    "countryCode" TEXT,
    "latitude" DECIMAL,
    "longitude" DECIMAL,
    "priority" INTEGER NOT NULL DEFAULT 100,
    "syncFrozen" BOOLEAN NOT NULL DEFAULT false,
    "syncFrozenReason" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Warehouse_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "WarehouseConnection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Warehouse" ("connectionId", "countryCode", "createdAt", "externalCode", "fulfillmentServiceId", "id", "latitude", "longitude", "name", "priority", "shop", "shopifyLocationId", "syncFrozen", "syncFrozenReason", "updatedAt") SELECT "connectionId", "countryCode", "createdAt", "externalCode", "fulfillmentServiceId", "id", "latitude", "longitude", "name", "priority", "shop", "shopifyLocationId", "syncFrozen", "syncFrozenReason", "updatedAt" FROM "Warehouse";
DROP TABLE "Warehouse";
ALTER TABLE "new_Warehouse" RENAME TO "Warehouse";
CREATE INDEX "Warehouse_shop_idx" ON "Warehouse"("shop");
CREATE UNIQUE INDEX "Warehouse_shop_connectionId_externalCode_key" ON "Warehouse"("shop", "connectionId", "externalCode");
CREATE UNIQUE INDEX "Warehouse_shop_shopifyLocationId_key" ON "Warehouse"("shop", "shopifyLocationId");
CREATE TABLE "new_Allocation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "fulfillmentOrderId" TEXT NOT NULL,
    "warehouseId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'requested',
    "routingReason" TEXT,
    "warehouseOrderRef" TEXT,
    "warehouseOrderStatus" TEXT,
    "lastError" TEXT,
    "assignedLocationId" TEXT,
    "movedFromLocationId" TEXT,
    "cancelRequestedAt" DATETIME,
    "nextAttemptAt" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Allocation_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Allocation" ("createdAt", "fulfillmentOrderId", "id", "lastError", "orderId", "routingReason", "shop", "status", "updatedAt", "warehouseId", "warehouseOrderRef") SELECT "createdAt", "fulfillmentOrderId", "id", "lastError", "orderId", "routingReason", "shop", "status", "updatedAt", "warehouseId", "warehouseOrderRef" FROM "Allocation";
DROP TABLE "Allocation";
ALTER TABLE "new_Allocation" RENAME TO "Allocation";
CREATE INDEX "Allocation_shop_status_idx" ON "Allocation"("shop", "status");
CREATE INDEX "Allocation_shop_status_nextAttemptAt_idx" ON "Allocation"("shop", "status", "nextAttemptAt");
CREATE INDEX "Allocation_shop_warehouseId_status_idx" ON "Allocation"("shop", "warehouseId", "status");
CREATE UNIQUE INDEX "Allocation_shop_fulfillmentOrderId_key" ON "Allocation"("shop", "fulfillmentOrderId");
CREATE TABLE "new_Shipment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "allocationId" TEXT NOT NULL,
    "warehouseShipmentId" TEXT NOT NULL,
    "carrier" TEXT,
    "trackingNumber" TEXT,
    "trackingUrl" TEXT,
    "shopifyFulfillmentId" TEXT,
    "shippedAt" DATETIME,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "lines" TEXT NOT NULL DEFAULT '[]',
    "warehouseSequence" BIGINT NOT NULL DEFAULT 0,
    "trackingWritten" TEXT,
    "lastError" TEXT,
    "lockedUntil" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Shipment_allocationId_fkey" FOREIGN KEY ("allocationId") REFERENCES "Allocation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Shipment" ("allocationId", "carrier", "createdAt", "id", "shippedAt", "shop", "shopifyFulfillmentId", "status", "trackingNumber", "trackingUrl", "updatedAt", "warehouseShipmentId") SELECT "allocationId", "carrier", "createdAt", "id", "shippedAt", "shop", "shopifyFulfillmentId", "status", "trackingNumber", "trackingUrl", "updatedAt", "warehouseShipmentId" FROM "Shipment";
DROP TABLE "Shipment";
ALTER TABLE "new_Shipment" RENAME TO "Shipment";
CREATE INDEX "Shipment_shop_allocationId_idx" ON "Shipment"("shop", "allocationId");
CREATE UNIQUE INDEX "Shipment_shop_warehouseShipmentId_key" ON "Shipment"("shop", "warehouseShipmentId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "AllocationEvent_shop_allocationId_at_idx" ON "AllocationEvent"("shop", "allocationId", "at");

-- CreateIndex
CREATE INDEX "ReturnReceipt_shop_allocationId_idx" ON "ReturnReceipt"("shop", "allocationId");

-- CreateIndex
CREATE UNIQUE INDEX "ReturnReceipt_shop_connectionId_warehouseReturnId_key" ON "ReturnReceipt"("shop", "connectionId", "warehouseReturnId");

