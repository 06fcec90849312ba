-- CreateIndex
CREATE INDEX "OrderLine_orderId_idx" ON "OrderLine"("orderId");

-- CreateIndex
CREATE INDEX "Allocation_orderId_idx" ON "Allocation"("orderId");

-- CreateIndex
CREATE INDEX "AllocationEvent_allocationId_at_idx" ON "AllocationEvent"("allocationId", "at");

-- CreateIndex
CREATE INDEX "Shipment_allocationId_idx" ON "Shipment"("allocationId");

