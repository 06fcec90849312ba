import { execute, GraphQLError, Kind, parse, validate, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import { gid } from "./gid";
import { fieldResolver, typeResolver } from "./execution";
import type { BulkOperationRec } from "./state";
import { bulkOperationView, type Ctx, type Obj } from "./views";

/** Up to 5 bulk operations may run at once per app and shop (changelog 2026-01). */
export const MAX_CONCURRENT_BULK_OPERATIONS = 5;

type Json = Record<string, unknown>;

function isConnectionValue(v: unknown): v is { edges?: { node: Json }[]; nodes?: Json[] } {
  return Boolean(v && typeof v === "object" && !Array.isArray(v) && (Array.isArray((v as Json).edges) || Array.isArray((v as Json).nodes)));
}

function nodesOf(conn: { edges?: { node: Json }[]; nodes?: Json[] }): Json[] {
  return conn.edges ? conn.edges.map((e) => e.node) : conn.nodes ?? [];
}

/** Copies an object without its connections (at any depth), which become lines of their own. */
function stripConnections(value: Json, nested: { edges?: { node: Json }[]; nodes?: Json[] }[]): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    if (isConnectionValue(v)) nested.push(v);
    else if (v && typeof v === "object" && !Array.isArray(v)) out[k] = stripConnections(v as Json, nested);
    else out[k] = v;
  }
  return out;
}

/** JSONL layout of bulk results: one object per line, nested connection items carry `__parentId`. */
export function flattenToJsonl(rootConnection: unknown): { lines: Json[]; rootCount: number } {
  const lines: Json[] = [];
  let rootCount = 0;
  const walk = (conn: { edges?: { node: Json }[]; nodes?: Json[] }, parentId: string | null) => {
    for (const node of nodesOf(conn)) {
      if (parentId === null) rootCount += 1;
      const nested: { edges?: { node: Json }[]; nodes?: Json[] }[] = [];
      const obj = stripConnections(node, nested);
      if (parentId !== null) obj.__parentId = parentId;
      lines.push(obj);
      for (const n of nested) walk(n, typeof node.id === "string" ? node.id : parentId);
    }
  };
  if (isConnectionValue(rootConnection)) walk(rootConnection, null);
  return { lines, rootCount };
}

function userError(message: string, code = "INVALID"): Obj {
  return { bulkOperation: null, userErrors: [{ field: ["query"], message, code }] };
}

export function runBulkQuery(ctx: Ctx, query: string, rootValue: unknown, schema: GraphQLSchema): Obj {
  const running = [...ctx.shop.bulkOperations.values()].filter((b) => b.type === "QUERY" && (b.status === "CREATED" || b.status === "RUNNING"));
  if (running.length >= MAX_CONCURRENT_BULK_OPERATIONS) {
    return { bulkOperation: null, userErrors: [{ field: null, message: `A maximum of ${MAX_CONCURRENT_BULK_OPERATIONS} bulk operations can run at the same time.`, code: "OPERATION_IN_PROGRESS" }] };
  }
  let doc;
  try {
    doc = parse(query);
  } catch (err) {
    return userError(`Invalid bulk query: ${(err as Error).message}`);
  }
  const errors = validate(schema, doc);
  if (errors.length) return userError(`Invalid bulk query: ${errors[0]!.message}`);
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!op || op.operation !== "query") return userError("Bulk queries must be a query operation.");
  const roots = op.selectionSet.selections.filter((s) => s.kind === Kind.FIELD);
  if (roots.length !== 1) return userError("Bulk queries must contain exactly one top-level field (a connection).");

  const now = ctx.core.clock.iso();
  const rec: BulkOperationRec = {
    id: ctx.core.ids.take(),
    query,
    type: "QUERY",
    status: "CREATED",
    errorCode: null,
    objectCount: 0,
    rootObjectCount: 0,
    fileSize: null,
    url: null,
    jsonl: null,
    createdAt: now,
    completedAt: null,
  };
  ctx.shop.bulkOperations.set(rec.id, rec);
  const bulkCtx: Ctx = { ...ctx, bulk: true };
  ctx.core.clock.schedule(0, () => {
    if (rec.status === "CANCELED") return;
    rec.status = "RUNNING";
    ctx.core.clock.schedule(ctx.core.bulkDurationMs, () => {
      if (rec.status === "CANCELED") return;
      const result = execute({ schema, document: doc, rootValue, contextValue: bulkCtx, fieldResolver, typeResolver }) as { data?: Json | null; errors?: readonly GraphQLError[] };
      const finishedAt = ctx.core.clock.iso();
      if (result.errors?.length || !result.data) {
        rec.status = "FAILED";
        rec.errorCode = "INTERNAL_SERVER_ERROR";
      } else {
        const rootKey = Object.keys(result.data)[0]!;
        const { lines, rootCount } = flattenToJsonl(result.data[rootKey]);
        rec.jsonl = lines.map((l) => JSON.stringify(l)).join("\n") + (lines.length ? "\n" : "");
        rec.objectCount = lines.length;
        rec.rootObjectCount = rootCount;
        rec.fileSize = Buffer.byteLength(rec.jsonl);
        rec.url = lines.length ? `${ctx.core.baseUrl}/sim/bulk/${ctx.shop.domain}/${rec.id}.jsonl` : null;
        rec.status = "COMPLETED";
      }
      rec.completedAt = finishedAt;
      ctx.core.emit(ctx.shop, "bulk_operations/finish", {
        admin_graphql_api_id: gid("BulkOperation", rec.id),
        completed_at: rec.completedAt,
        created_at: rec.createdAt,
        error_code: rec.errorCode ? rec.errorCode.toLowerCase() : null,
        status: rec.status.toLowerCase(),
        type: "query",
      });
    });
  });
  return { bulkOperation: bulkOperationView(ctx, rec), userErrors: [] };
}
