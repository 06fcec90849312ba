// Count sheets in and out: a filled CSV imported into a count (every bad row reported by its line
// in the file; nothing imported while any row is bad, unless the merchant chose to skip bad rows),
// a blank sheet to print or fill in, and a count read from the warehouse where its API offers one.
import { countLabel } from "../../counts/count-kind";
import { blankCountSheetCsv, importCountSheet, type CountSheetError, type CountSheetRow } from "../../counts/count-sheet-csv";
import { db as defaultDb } from "../../db.server";
import type { Database } from "../../db/client.server";
import { forShop } from "../../db/tenant.server";
import { connectorFor as defaultConnectorFor } from "../../warehouses/connections.server";
import type { WarehouseConnector } from "../../warehouses/connector";
import { catalogFacts, loadTask, type TaskRow } from "./count-store.server";
import { COUNTING_STATUSES, loadCountSheet, parseCountedQuantity } from "./counting.server";
import { CountNotCountableError } from "./errors";
import { recordCountEvent, type ActorOptions } from "./tasks.server";

export interface CountSheetImportResult {
  /** Lines whose quantity was saved. */
  imported: number;
  /** Good rows of the file (several rows can add up to one line). */
  rows: CountSheetRow[];
  /** Every bad row, by its line in the file, in the merchant's words. */
  errors: CountSheetError[];
  /** True when errors stopped the import: nothing was saved. */
  blocked: boolean;
}

async function sheetLinesOf(shop: string, db: Database, task: TaskRow) {
  const scoped = forShop(shop, db);
  const rows = await scoped.countLine.findMany({ where: { taskId: task.id }, select: { id: true, inventoryItemId: true, warehouseSku: true, bin: true, recountRequestedAt: true } });
  const facts = await catalogFacts(scoped, task.warehouseId, rows.map((row) => row.inventoryItemId));
  return rows.map((row) => ({ ...row, barcode: facts.get(row.inventoryItemId)?.barcode ?? null }));
}

/**
 * Import a filled count sheet into a count being counted: its text, or the file's bytes in any
 * encoding Excel saves (UTF-8, UTF-16, GBK/GB18030; see decodeCsvBytes). Quantities replace what
 * was recorded; lines sent back for a recount record the recount. With `skipInvalid` the good rows
 * are imported and the bad ones still reported. The history names the file, or the warehouse
 * whose own count it is.
 */
export async function importCountSheetCsv(
  shop: string,
  taskId: string,
  csv: string | Uint8Array,
  options: ActorOptions & { skipInvalid?: boolean; fileName?: string; warehouseName?: string },
): Promise<CountSheetImportResult> {
  const db = options.db ?? defaultDb;
  const scoped = forShop(shop, db);
  const now = options.now ?? new Date();
  const task = await loadTask(scoped, taskId);
  if (!(COUNTING_STATUSES as readonly string[]).includes(task.status)) throw new CountNotCountableError(task.number, task.status);
  const lines = await sheetLinesOf(shop, db, task);
  const result = importCountSheet(csv, lines, { skipInvalid: options.skipInvalid === true });
  if (result.blocked || result.counts.length === 0) return { imported: 0, rows: result.rows, errors: result.errors, blocked: result.blocked };
  const byId = new Map(lines.map((line) => [line.id, line]));
  const binOf = new Map(result.rows.filter((row) => row.bin != null).map((row) => [row.lineId, row.bin!]));
  await scoped.$transaction(async (tx) => {
    for (const count of result.counts) {
      const line = byId.get(count.lineId)!;
      const quantity = parseCountedQuantity(count.quantity, task.number, line.warehouseSku);
      const recount = line.recountRequestedAt != null;
      const bin = binOf.get(line.id);
      const written = await tx.countLine.updateMany({
        where: { id: line.id, task: { status: { in: [...COUNTING_STATUSES] } } },
        data: {
          ...(recount ? { recountQuantity: quantity, recountedAt: now } : { countedQuantity: quantity, countedAt: now }),
          countedBy: options.actor,
          ...(bin && line.bin == null ? { bin } : {}),
        },
      });
      if (written.count !== 1) throw new CountNotCountableError(task.number, "no longer being counted");
    }
    await recordCountEvent(
      tx,
      shop,
      task,
      options.actor,
      { key: "imported", counts: result.counts.length, skipped: result.errors.length, file: options.warehouseName ? null : (options.fileName ?? null), warehouse: options.warehouseName ?? null },
      now,
    );
  });
  return { imported: result.counts.length, rows: result.rows, errors: result.errors, blocked: false };
}

/** A blank count sheet as CSV, in walking order; the expected quantity only on a count that is not blind. */
export async function blankCountSheet(shop: string, taskId: string, options: { db?: Database; now?: Date } = {}): Promise<{ fileName: string; csv: string }> {
  const sheet = await loadCountSheet(shop, taskId, options);
  const csv = blankCountSheetCsv(
    sheet.lines.map((line) => ({
      warehouseSku: line.warehouseSku,
      barcode: line.barcode,
      productTitle: [line.productTitle, line.variantTitle && line.variantTitle !== "Default Title" ? line.variantTitle : null].filter(Boolean).join(" - ") || null,
      bin: line.bin,
      expectedQuantity: line.expectedQuantity ?? null,
    })),
    { blind: sheet.blind },
  );
  return { fileName: `${sheet.task.label}-count-sheet.csv`, csv };
}

/**
 * What a connector offers when its warehouse can report the result of a count it ran (none of the
 * current adapters do: the generic protocol has no count endpoint). An adapter that gains one adds
 * this method and importCountFromWarehouse uses it; no change to the connector interface is needed
 * until then.
 */
export interface WarehouseCountReader {
  readCountResults(warehouseCode: string, skus: string[]): Promise<Array<{ sku: string; quantity: number; bin?: string | null }>>;
}

function countReader(connector: WarehouseConnector): WarehouseCountReader | null {
  const candidate = connector as WarehouseConnector & Partial<WarehouseCountReader>;
  return typeof candidate.readCountResults === "function" ? (candidate as unknown as WarehouseCountReader) : null;
}

export type WarehouseCountImport =
  | { supported: false; message: string }
  | ({ supported: true } & CountSheetImportResult);

/**
 * Import the count the warehouse ran, where its API gives counts. When it does not, the answer
 * says so ("not supported by this warehouse") and nothing changes: count by scanner or CSV.
 */
export async function importCountFromWarehouse(
  shop: string,
  taskId: string,
  options: ActorOptions & { connectorFor?: (shop: string, connectionId: string) => Promise<WarehouseConnector> },
): Promise<WarehouseCountImport> {
  const db = options.db ?? defaultDb;
  const scoped = forShop(shop, db);
  const task = await loadTask(scoped, taskId);
  const warehouse = await scoped.warehouse.findFirst({ where: { id: task.warehouseId }, select: { name: true, externalCode: true, connectionId: true, connection: { select: { provider: true } } } });
  if (!warehouse) return { supported: false, message: `The warehouse of count ${countLabel(task.number)} is no longer connected.` };
  const connector = await (options.connectorFor ?? defaultConnectorFor)(shop, warehouse.connectionId);
  const reader = countReader(connector);
  if (!reader) {
    return {
      supported: false,
      message: `Importing counts is not supported by this warehouse: ${warehouse.name} (${warehouse.connection.provider} connection) does not offer count results through its API. Count with a scanner or import a CSV sheet instead.`,
    };
  }
  if (!(COUNTING_STATUSES as readonly string[]).includes(task.status)) throw new CountNotCountableError(task.number, task.status);
  const lines = await sheetLinesOf(shop, db, task);
  const results = await reader.readCountResults(warehouse.externalCode, lines.map((line) => line.warehouseSku));
  // Through the CSV rules, so the warehouse's rows are checked (and reported) like a file's.
  const csv = ["SKU,Bin,Quantity", ...results.map((row) => [row.sku, row.bin ?? "", String(row.quantity)].map((field) => (/[",\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field)).join(","))].join("\n");
  const imported = await importCountSheetCsv(shop, taskId, csv, { ...options, skipInvalid: true, warehouseName: warehouse.name });
  return { supported: true, ...imported };
}
