-- CreateIndex
CREATE INDEX "Allocation_shop_orderId_idx" ON "Allocation"("shop", "orderId");

