-- AlterTable
ALTER TABLE "Shipment" ADD COLUMN "connectionId" TEXT;
ALTER TABLE "Shipment" ADD COLUMN "deliveredAt" DATETIME;
ALTER TABLE "Shipment" ADD COLUMN "deliveredBy" TEXT;
ALTER TABLE "Shipment" ADD COLUMN "deliveryWritten" TEXT;
ALTER TABLE "Shipment" ADD COLUMN "shopifyFulfillmentName" TEXT;

-- CreateIndex
CREATE INDEX "Shipment_shop_shopifyFulfillmentId_idx" ON "Shipment"("shop", "shopifyFulfillmentId");


-- Backfill: the shipment key is "<connection id>:<warehouse shipment id>" (app/orders/shipments.server.ts)
UPDATE "Shipment" SET "connectionId" = substr("warehouseShipmentId", 1, instr("warehouseShipmentId", ':') - 1) WHERE "connectionId" IS NULL AND instr("warehouseShipmentId", ':') > 1;
