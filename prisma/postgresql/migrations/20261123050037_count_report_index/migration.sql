-- CreateIndex
CREATE INDEX "CountLine_report_idx" ON "CountLine"("shop", "varianceUnits", "recountedAt", "taskId", "reason", "abcClass", "countedAt", "bookQuantity", "movementSinceSnapshot");

