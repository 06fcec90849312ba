-- AlterTable
ALTER TABLE "Allocation" ADD COLUMN     "sentLines" TEXT;

