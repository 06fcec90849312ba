-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "routingAllowSplit" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "routingMaxShipments" INTEGER,
ADD COLUMN     "routingRules" TEXT NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "WarehouseConnection" ADD COLUMN     "returnsCursor" TEXT,
ADD COLUMN     "shipmentsCursor" TEXT;

-- AlterTable
ALTER TABLE "Warehouse" ADD COLUMN     "fulfillmentServiceLocationId" TEXT,
ADD COLUMN     "regions" TEXT NOT NULL DEFAULT '["*"]';

-- AlterTable
ALTER TABLE "Allocation" ADD COLUMN     "assignedLocationId" TEXT,
ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "cancelRequestedAt" TIMESTAMP(3),
ADD COLUMN     "lockedUntil" TIMESTAMP(3),
ADD COLUMN     "movedFromLocationId" TEXT,
ADD COLUMN     "nextAttemptAt" TIMESTAMP(3),
ADD COLUMN     "warehouseOrderStatus" TEXT;

-- AlterTable
ALTER TABLE "Shipment" ADD COLUMN     "lastError" TEXT,
ADD COLUMN     "lines" TEXT NOT NULL DEFAULT '[]',
ADD COLUMN     "lockedUntil" TIMESTAMP(3),
ADD COLUMN     "trackingWritten" TEXT,
ADD COLUMN     "warehouseSequence" BIGINT NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "AllocationEvent" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "allocationId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "note" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AllocationEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReturnReceipt" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "warehouseReturnId" TEXT NOT NULL,
    "warehouseId" TEXT,
    "allocationId" TEXT,
    "rma" TEXT,
    "lines" TEXT NOT NULL,
    "sellableUnits" INTEGER NOT NULL DEFAULT 0,
    "damagedUnits" INTEGER NOT NULL DEFAULT 0,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReturnReceipt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AllocationEvent_shop_allocationId_at_idx" ON "AllocationEvent"("shop", "allocationId", "at");

-- CreateIndex
CREATE INDEX "ReturnReceipt_shop_allocationId_idx" ON "ReturnReceipt"("shop", "allocationId");

-- CreateIndex
CREATE UNIQUE INDEX "ReturnReceipt_shop_connectionId_warehouseReturnId_key" ON "ReturnReceipt"("shop", "connectionId", "warehouseReturnId");

-- CreateIndex
CREATE INDEX "Allocation_shop_status_nextAttemptAt_idx" ON "Allocation"("shop", "status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "Allocation_shop_warehouseId_status_idx" ON "Allocation"("shop", "warehouseId", "status");

-- AddForeignKey
ALTER TABLE "AllocationEvent" ADD CONSTRAINT "AllocationEvent_allocationId_fkey" FOREIGN KEY ("allocationId") REFERENCES "Allocation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

