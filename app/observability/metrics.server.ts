// Every call to Shopify or a warehouse is recorded for the health dashboard (success rate, latency
// p50/p95, rate-limit waits). Recording never fails the call it describes.
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

/** Records calls of one integration ("shopify" or a warehouse connection id) for one shop. */
export function databaseRecorder(shop: string, integration: string, db: Database = defaultDb): CallRecorder {
  return {
    record(call) {
      void db.apiCallMetric
        .create({
          data: {
            shop,
            integration,
            operation: call.operation.slice(0, 200),
            outcome: call.outcome,
            latencyMs: Math.max(0, Math.round(call.latencyMs)),
            throttleWaitMs: Math.max(0, Math.round(call.throttleWaitMs ?? 0)),
            cost: call.cost ?? null,
          },
        })
        .catch((error: unknown) => log.warn("Could not record an API call metric", { shop, integration, error }));
    },
  };
}
