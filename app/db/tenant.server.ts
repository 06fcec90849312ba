// Every table carries `shop`, and app code reaches the database through `forShop(shop)`, a view of
// the client that scopes every query to that shop: reads and deletes only see the shop's rows,
// writes stamp the shop on new rows, and any attempt to name another shop throws.
//
// Raw SQL is not covered: each raw statement names the shop itself (app/db/raw.server.ts; clientOf
// gives the client a view was made from, for them).
import { db } from "../db.server";
import type { Database } from "./client.server";

export class TenantViolationError extends Error {
  constructor(expectedShop: string, model: string, found: unknown) {
    super(`A ${model} query for ${expectedShop} tried to reach shop ${JSON.stringify(found)}; refused.`);
    this.name = "TenantViolationError";
  }
}

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.(myshopify\.com|localhost|shop\.dev)$/i;

export function assertShopDomain(shop: string): void {
  if (!SHOP_DOMAIN.test(shop)) throw new Error(`"${shop}" is not a shop domain like example.myshopify.com`);
}

type Args = Record<string, unknown>;

function isRecord(value: unknown): value is Args {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Any `shop` found in a where or data tree (including compound keys and nested writes) must be ours. */
function checkShopValues(shop: string, model: string, value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) checkShopValues(shop, model, item);
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, inner] of Object.entries(value)) {
    if (key === "shop") {
      if (isRecord(inner) ? !(Object.keys(inner).length === 1 && inner.equals === shop) : inner !== shop) {
        throw new TenantViolationError(shop, model, inner);
      }
    } else {
      checkShopValues(shop, model, inner);
    }
  }
}

function scopeWhere(shop: string, model: string, where: unknown): Args {
  checkShopValues(shop, model, where);
  return { ...(isRecord(where) ? where : {}), shop };
}

function stamp(shop: string, model: string, data: unknown): Args {
  checkShopValues(shop, model, data);
  return { ...(isRecord(data) ? data : {}), shop };
}

export function scopeArgs(shop: string, model: string, operation: string, input: unknown): Args {
  const args: Args = isRecord(input) ? { ...input } : {};
  switch (operation) {
    case "create":
      return { ...args, data: stamp(shop, model, args.data) };
    case "createMany":
    case "createManyAndReturn": {
      const rows = Array.isArray(args.data) ? args.data : [args.data];
      return { ...args, data: rows.map((row) => stamp(shop, model, row)) };
    }
    case "upsert":
      checkShopValues(shop, model, args.update);
      return { ...args, where: scopeWhere(shop, model, args.where), create: stamp(shop, model, args.create) };
    case "update":
    case "updateMany":
    case "updateManyAndReturn":
      checkShopValues(shop, model, args.data);
      return { ...args, where: scopeWhere(shop, model, args.where) };
    case "findUnique":
    case "findUniqueOrThrow":
    case "findFirst":
    case "findFirstOrThrow":
    case "findMany":
    case "count":
    case "aggregate":
    case "groupBy":
    case "delete":
    case "deleteMany":
      return { ...args, where: scopeWhere(shop, model, args.where) };
    default:
      throw new Error(`Operation ${model}.${operation} is not allowed through a shop-scoped client.`);
  }
}

function scopedClient(shop: string, client: Database) {
  return client.$extends({
    name: `shop:${shop}`,
    query: {
      $allModels: {
        $allOperations({ model, operation, args, query }) {
          return query(scopeArgs(shop, model, operation, args) as typeof args);
        },
      },
    },
  });
}

export type ShopDatabase = ReturnType<typeof scopedClient>;

// A job asks for the same shop's view many times; the view holds no state, so each client keeps
// its views (the most recent shops) instead of extending itself again on every call.
const VIEWS_PER_CLIENT = 1_000;
const views = new WeakMap<Database, Map<string, ShopDatabase>>();
const clientOfView = new WeakMap<object, Database>();

export function forShop(shop: string, client: Database = db): ShopDatabase {
  let byShop = views.get(client);
  if (!byShop) views.set(client, (byShop = new Map()));
  const known = byShop.get(shop);
  if (known) return known;
  assertShopDomain(shop);
  const view = scopedClient(shop, client);
  if (byShop.size >= VIEWS_PER_CLIENT) byShop.delete(byShop.keys().next().value!);
  byShop.set(shop, view);
  clientOfView.set(view, client);
  return view;
}

/** The client a shop's view was made from, for raw statements (which name the shop themselves). */
export function clientOf(view: ShopDatabase): Database {
  const client = clientOfView.get(view);
  if (!client) throw new Error("Raw statements need a shop's view made by forShop (not a transaction's client).");
  return client;
}
