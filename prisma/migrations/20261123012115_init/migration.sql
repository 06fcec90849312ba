-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" DATETIME,
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "collaborator" BOOLEAN DEFAULT false,
    "emailVerified" BOOLEAN DEFAULT false,
    "refreshToken" TEXT,
    "refreshTokenExpires" DATETIME
);

-- CreateTable
CREATE TABLE "Shop" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "installedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" DATETIME,
    "scopes" TEXT,
    "sandbox" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ShopSettings" (
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "WarehouseConnection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "encryptedCredentials" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "lastTestedAt" DATETIME,
    "lastTestLatencyMs" INTEGER,
    "lastError" TEXT,
    "pollCursor" TEXT,
    "pollIntervalSeconds" INTEGER NOT NULL DEFAULT 60,
    "lastPolledAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Warehouse" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "externalCode" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "shopifyLocationId" TEXT,
    "fulfillmentServiceId" TEXT,
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

-- CreateTable
CREATE TABLE "CatalogItem" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "variantId" TEXT,
    "productId" TEXT,
    "productTitle" TEXT,
    "variantTitle" TEXT,
    "sku" TEXT,
    "barcode" TEXT,
    "unitCost" DECIMAL,
    "costCurrency" TEXT,
    "tracked" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SkuMapping" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "warehouseSku" TEXT NOT NULL,
    "matchedBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "InventoryPosition" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "warehouseId" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "warehouseSku" TEXT NOT NULL,
    "warehouseSellable" INTEGER NOT NULL DEFAULT 0,
    "warehouseDamaged" INTEGER NOT NULL DEFAULT 0,
    "reservedUnacknowledged" INTEGER NOT NULL DEFAULT 0,
    "safetyStock" INTEGER,
    "lastWrittenAvailable" INTEGER,
    "lastWrittenAt" DATETIME,
    "lastConfirmedAt" DATETIME,
    "warehouseUpdatedAt" DATETIME,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Reservation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "warehouseId" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "lineItemId" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "releasedReason" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "releasedAt" DATETIME
);

-- CreateTable
CREATE TABLE "InventoryLedgerEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "warehouseId" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "quantityName" TEXT NOT NULL,
    "before" INTEGER NOT NULL,
    "after" INTEGER NOT NULL,
    "delta" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "reference" TEXT,
    "occurredAt" DATETIME NOT NULL,
    "recordedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "WebhookInbox" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
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

-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "dedupeKey" TEXT,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 8,
    "runAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedAt" DATETIME,
    "lockedBy" TEXT,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "Order" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "shopifyOrderId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "customerId" TEXT,
    "customerEmail" TEXT,
    "customerName" TEXT,
    "shippingAddress" TEXT,
    "shippingCountry" TEXT,
    "shippingProvince" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "shopifyUpdatedAt" DATETIME,
    "cancelledAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "OrderLine" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "lineItemId" TEXT NOT NULL,
    "inventoryItemId" TEXT,
    "sku" TEXT,
    "quantity" INTEGER NOT NULL,
    "refundedQuantity" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "OrderLine_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Allocation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "fulfillmentOrderId" TEXT NOT NULL,
    "warehouseId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'requested',
    "routingReason" TEXT,
    "warehouseOrderRef" TEXT,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Allocation_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Shipment" (
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Shipment_allocationId_fkey" FOREIGN KEY ("allocationId") REFERENCES "Allocation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CountPlan" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "warehouseId" TEXT,
    "settings" TEXT NOT NULL DEFAULT '{}',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "nextRunAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "CountTask" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "planId" TEXT,
    "warehouseId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "kind" TEXT NOT NULL,
    "blind" BOOLEAN NOT NULL DEFAULT true,
    "assignee" TEXT,
    "dueAt" DATETIME,
    "startedAt" DATETIME,
    "submittedAt" DATETIME,
    "approvedAt" DATETIME,
    "postedAt" DATETIME,
    "createdBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CountTask_planId_fkey" FOREIGN KEY ("planId") REFERENCES "CountPlan" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CountTaskEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "fromStatus" TEXT,
    "toStatus" TEXT NOT NULL,
    "note" TEXT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CountTaskEvent_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "CountTask" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CountLine" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "warehouseSku" TEXT NOT NULL,
    "bin" TEXT,
    "bookQuantity" INTEGER,
    "snapshotAt" DATETIME,
    "countedQuantity" INTEGER,
    "countedAt" DATETIME,
    "recountQuantity" INTEGER,
    "recountedAt" DATETIME,
    "movementSinceSnapshot" INTEGER NOT NULL DEFAULT 0,
    "varianceUnits" INTEGER,
    "unitCost" DECIMAL,
    "varianceValue" DECIMAL,
    "reason" TEXT,
    "note" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CountLine_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "CountTask" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CountAdjustment" (
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
    "warehouseStatus" TEXT NOT NULL DEFAULT 'pending',
    "warehousePostedAt" DATETIME,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "reference" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledgedAt" DATETIME,
    "resolvedAt" DATETIME
);

-- CreateTable
CREATE TABLE "ApiCallMetric" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "integration" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "latencyMs" INTEGER NOT NULL,
    "cost" INTEGER,
    "throttleWaitMs" INTEGER NOT NULL DEFAULT 0,
    "occurredAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ComplianceRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "customerId" TEXT,
    "customerEmail" TEXT,
    "report" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "Shop_shop_key" ON "Shop"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "ShopSettings_shop_key" ON "ShopSettings"("shop");

-- CreateIndex
CREATE INDEX "WarehouseConnection_shop_status_idx" ON "WarehouseConnection"("shop", "status");

-- CreateIndex
CREATE UNIQUE INDEX "WarehouseConnection_shop_name_key" ON "WarehouseConnection"("shop", "name");

-- CreateIndex
CREATE INDEX "Warehouse_shop_idx" ON "Warehouse"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "Warehouse_shop_connectionId_externalCode_key" ON "Warehouse"("shop", "connectionId", "externalCode");

-- CreateIndex
CREATE UNIQUE INDEX "Warehouse_shop_shopifyLocationId_key" ON "Warehouse"("shop", "shopifyLocationId");

-- CreateIndex
CREATE INDEX "CatalogItem_shop_sku_idx" ON "CatalogItem"("shop", "sku");

-- CreateIndex
CREATE INDEX "CatalogItem_shop_barcode_idx" ON "CatalogItem"("shop", "barcode");

-- CreateIndex
CREATE UNIQUE INDEX "CatalogItem_shop_inventoryItemId_key" ON "CatalogItem"("shop", "inventoryItemId");

-- CreateIndex
CREATE UNIQUE INDEX "SkuMapping_shop_connectionId_inventoryItemId_key" ON "SkuMapping"("shop", "connectionId", "inventoryItemId");

-- CreateIndex
CREATE UNIQUE INDEX "SkuMapping_shop_connectionId_warehouseSku_key" ON "SkuMapping"("shop", "connectionId", "warehouseSku");

-- CreateIndex
CREATE INDEX "InventoryPosition_shop_warehouseSku_idx" ON "InventoryPosition"("shop", "warehouseSku");

-- CreateIndex
CREATE UNIQUE INDEX "InventoryPosition_shop_warehouseId_inventoryItemId_key" ON "InventoryPosition"("shop", "warehouseId", "inventoryItemId");

-- CreateIndex
CREATE INDEX "Reservation_shop_warehouseId_inventoryItemId_status_idx" ON "Reservation"("shop", "warehouseId", "inventoryItemId", "status");

-- CreateIndex
CREATE INDEX "Reservation_shop_orderId_idx" ON "Reservation"("shop", "orderId");

-- CreateIndex
CREATE UNIQUE INDEX "Reservation_shop_lineItemId_warehouseId_key" ON "Reservation"("shop", "lineItemId", "warehouseId");

-- CreateIndex
CREATE INDEX "InventoryLedgerEntry_shop_warehouseId_inventoryItemId_occurredAt_idx" ON "InventoryLedgerEntry"("shop", "warehouseId", "inventoryItemId", "occurredAt");

-- CreateIndex
CREATE INDEX "InventoryLedgerEntry_shop_occurredAt_idx" ON "InventoryLedgerEntry"("shop", "occurredAt");

-- CreateIndex
CREATE INDEX "WebhookInbox_shop_status_receivedAt_idx" ON "WebhookInbox"("shop", "status", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookInbox_shop_webhookId_key" ON "WebhookInbox"("shop", "webhookId");

-- CreateIndex
CREATE INDEX "Job_status_runAt_idx" ON "Job"("status", "runAt");

-- CreateIndex
CREATE INDEX "Job_shop_status_idx" ON "Job"("shop", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Job_shop_type_dedupeKey_key" ON "Job"("shop", "type", "dedupeKey");

-- CreateIndex
CREATE INDEX "Order_shop_customerId_idx" ON "Order"("shop", "customerId");

-- CreateIndex
CREATE INDEX "Order_shop_status_idx" ON "Order"("shop", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Order_shop_shopifyOrderId_key" ON "Order"("shop", "shopifyOrderId");

-- CreateIndex
CREATE INDEX "OrderLine_shop_orderId_idx" ON "OrderLine"("shop", "orderId");

-- CreateIndex
CREATE UNIQUE INDEX "OrderLine_shop_lineItemId_key" ON "OrderLine"("shop", "lineItemId");

-- CreateIndex
CREATE INDEX "Allocation_shop_status_idx" ON "Allocation"("shop", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Allocation_shop_fulfillmentOrderId_key" ON "Allocation"("shop", "fulfillmentOrderId");

-- CreateIndex
CREATE INDEX "Shipment_shop_allocationId_idx" ON "Shipment"("shop", "allocationId");

-- CreateIndex
CREATE UNIQUE INDEX "Shipment_shop_warehouseShipmentId_key" ON "Shipment"("shop", "warehouseShipmentId");

-- CreateIndex
CREATE INDEX "CountPlan_shop_active_idx" ON "CountPlan"("shop", "active");

-- CreateIndex
CREATE INDEX "CountTask_shop_status_dueAt_idx" ON "CountTask"("shop", "status", "dueAt");

-- CreateIndex
CREATE INDEX "CountTask_shop_warehouseId_idx" ON "CountTask"("shop", "warehouseId");

-- CreateIndex
CREATE UNIQUE INDEX "CountTask_shop_number_key" ON "CountTask"("shop", "number");

-- CreateIndex
CREATE INDEX "CountTaskEvent_shop_taskId_idx" ON "CountTaskEvent"("shop", "taskId");

-- CreateIndex
CREATE INDEX "CountLine_shop_taskId_idx" ON "CountLine"("shop", "taskId");

-- CreateIndex
CREATE UNIQUE INDEX "CountLine_shop_taskId_inventoryItemId_bin_key" ON "CountLine"("shop", "taskId", "inventoryItemId", "bin");

-- CreateIndex
CREATE INDEX "CountAdjustment_shop_taskId_idx" ON "CountAdjustment"("shop", "taskId");

-- CreateIndex
CREATE UNIQUE INDEX "CountAdjustment_shop_lineId_key" ON "CountAdjustment"("shop", "lineId");

-- CreateIndex
CREATE UNIQUE INDEX "CountAdjustment_shop_idempotencyKey_key" ON "CountAdjustment"("shop", "idempotencyKey");

-- CreateIndex
CREATE INDEX "Alert_shop_resolvedAt_createdAt_idx" ON "Alert"("shop", "resolvedAt", "createdAt");

-- CreateIndex
CREATE INDEX "ApiCallMetric_shop_integration_occurredAt_idx" ON "ApiCallMetric"("shop", "integration", "occurredAt");

-- CreateIndex
CREATE INDEX "ComplianceRequest_shop_createdAt_idx" ON "ComplianceRequest"("shop", "createdAt");


-- The inventory ledger is append-only: history is never rewritten.
CREATE TRIGGER "InventoryLedgerEntry_no_update" BEFORE UPDATE ON "InventoryLedgerEntry"
BEGIN
  SELECT RAISE(ABORT, 'InventoryLedgerEntry is append-only');
END;
