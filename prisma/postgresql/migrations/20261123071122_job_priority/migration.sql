-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "priority" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "Job_due_by_priority_idx" ON "Job"("status", "priority" DESC, "runAt");

