-- AlterTable
ALTER TABLE "Shipment" ADD COLUMN     "connectionId" TEXT,
ADD COLUMN     "deliveredAt" TIMESTAMP(3),
ADD COLUMN     "deliveredBy" TEXT,
ADD COLUMN     "deliveryWritten" TEXT,
ADD COLUMN     "shopifyFulfillmentName" TEXT;

-- CreateIndex
CREATE INDEX "Shipment_shop_shopifyFulfillmentId_idx" ON "Shipment"("shop", "shopifyFulfillmentId");


-- Backfill: the shipment key is "<connection id>:<warehouse shipment id>" (app/orders/shipments.server.ts)
UPDATE "Shipment" SET "connectionId" = split_part("warehouseShipmentId", ':', 1) WHERE "connectionId" IS NULL AND position(':' in "warehouseShipmentId") > 1;
