// Every call to Shopify or a warehouse is recorded for the health dashboard (success rate, latency
// p50/p95, rate-limit waits). Recording never fails the call it describes.
//
// Rows are buffered and written together (one insert per quarter second, or per 200 calls): a
// flash sale makes several calls per order, and a statement per call was a tenth of the worker's
// database work. A process that stops loses at most the last quarter second of figures.
import type { Prisma } from "@prisma/client";
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { log } from "./logger.server";

export interface RecordedCall {
  operation: string;
  outcome: "ok" | "error" | "throttled";
  latencyMs: number;
  throttleWaitMs?: number;
  cost?: number | null;
}

export interface CallRecorder {
  record(call: RecordedCall): void;
}

const FLUSH_AFTER_MS = 250;
const FLUSH_AT_ROWS = 200;

interface Buffer {
  rows: Prisma.ApiCallMetricCreateManyInput[];
  timer: NodeJS.Timeout | undefined;
}

const buffers = new Map<Database, Buffer>();

function flush(db: Database, buffer: Buffer): Promise<void> {
  if (buffer.timer) clearTimeout(buffer.timer);
  buffer.timer = undefined;
  const rows = buffer.rows.splice(0);
  if (!rows.length) return Promise.resolve();
  return db.apiCallMetric
    .createMany({ data: rows })
    .then(() => undefined)
    .catch((error: unknown) => log.warn("Could not record API call metrics", { calls: rows.length, error: error instanceof Error ? error.message : String(error) }));
}

/** Writes the buffered figures now (tests, and a process about to stop). */
export async function flushCallMetrics(): Promise<void> {
  await Promise.all([...buffers.entries()].map(([db, buffer]) => flush(db, buffer)));
}

/** Records calls of one integration ("shopify" or a warehouse connection id) for one shop. */
export function databaseRecorder(shop: string, integration: string, db: Database = defaultDb): CallRecorder {
  return {
    record(call) {
      let buffer = buffers.get(db);
      if (!buffer) buffers.set(db, (buffer = { rows: [], timer: undefined }));
      buffer.rows.push({
        shop,
        integration,
        operation: call.operation.slice(0, 200),
        outcome: call.outcome,
        latencyMs: Math.max(0, Math.round(call.latencyMs)),
        throttleWaitMs: Math.max(0, Math.round(call.throttleWaitMs ?? 0)),
        cost: call.cost ?? null,
        occurredAt: new Date(),
      });
      if (buffer.rows.length >= FLUSH_AT_ROWS) void flush(db, buffer);
      else if (!buffer.timer) {
        const pending = buffer;
        pending.timer = setTimeout(() => void flush(db, pending), FLUSH_AFTER_MS);
        pending.timer.unref();
      }
    },
  };
}
