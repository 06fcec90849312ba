import { getDirectiveValues, GraphQLError, type GraphQLResolveInfo } from "graphql";
import { runBulkQuery } from "./bulk";
import { gid, idOf } from "./gid";
import { adjustQuantities, moveQuantities, setOnHandQuantities, setQuantities, type InventoryResult } from "./inventory";
import * as orders from "./orders";
import { matchesSearch } from "./search-query";
import { slugify, type FulfillmentOrderRec, type FulfillmentServiceRec, type MetafieldRec } from "./state";
import { loadAdminSchema } from "./schema";
import {
  adjustmentGroupView,
  bulkOperationView,
  conn,
  foSearch,
  fulfillmentEventView,
  fulfillmentOrderView,
  fulfillmentServiceView,
  fulfillmentView,
  inventoryItemView,
  levelView,
  locationView,
  metafieldView,
  nodeById,
  orderSearch,
  orderView,
  productSearch,
  productView,
  shopView,
  variantSearch,
  variantView,
  webhookSubscriptionView,
  type Args,
  type Ctx,
  type Obj,
} from "./views";

/** Namespace `$app` resolves to the app-reserved namespace, as on Shopify. */
export const APP_ID = 1000;
export function resolveNamespace(ns: string | null | undefined): string {
  if (!ns || ns === "$app") return `app--${APP_ID}`;
  return ns.replace(/^\$app:/, `app--${APP_ID}--`);
}

const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;

function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

function idempotencyKey(info: GraphQLResolveInfo): string | undefined {
  const directive = info.schema.getDirective("idempotent");
  const node = info.fieldNodes[0];
  if (!directive || !node) return undefined;
  const values = getDirectiveValues(directive, node, info.variableValues);
  return values?.key as string | undefined;
}

function inventoryPayload(ctx: Ctx, r: InventoryResult): Obj {
  return { inventoryAdjustmentGroup: r.group ? adjustmentGroupView(ctx, r.group) : null, userErrors: r.userErrors };
}

/**
 * @idempotent(key:) handling (shopify.dev/docs/api/usage/implementing-idempotency): a replay with the same
 * key and parameters returns the first result and changes nothing; other parameters give
 * IDEMPOTENCY_KEY_PARAMETER_MISMATCH; a replay of a failed attempt gives IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED.
 * From 2026-04 the directive is mandatory on these mutations (a runtime BAD_REQUEST error without it).
 */
function idempotentInventory(name: string, run: (ctx: Ctx, input: Record<string, unknown>) => InventoryResult) {
  return (args: Args, ctx: Ctx, info: GraphQLResolveInfo): Obj => {
    const key = idempotencyKey(info);
    if (!key) {
      if (ctx.inventory2026) {
        throw new GraphQLError("The @idempotent directive is required for this mutation but was not provided.", { extensions: { code: "BAD_REQUEST" } });
      }
      return inventoryPayload(ctx, run(ctx, args.input));
    }
    const fingerprint = stable({ name, args });
    const existing = ctx.shop.idempotency.get(key);
    if (existing && ctx.core.clock.now() - existing.createdAt < IDEMPOTENCY_RETENTION_MS) {
      if (existing.mutation !== name || existing.fingerprint !== fingerprint) {
        return { inventoryAdjustmentGroup: null, userErrors: [{ field: null, message: "The same idempotency key cannot be used with different operation parameters.", code: "IDEMPOTENCY_KEY_PARAMETER_MISMATCH" }] };
      }
      if (existing.failed) {
        return { inventoryAdjustmentGroup: null, userErrors: [{ field: null, message: "A previous request with this idempotency key failed. Retry with a new idempotency key.", code: "IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED" }] };
      }
      return inventoryPayload(ctx, existing.payload as InventoryResult);
    }
    const result = run(ctx, args.input);
    ctx.shop.idempotency.set(key, { key, mutation: name, fingerprint, payload: result, failed: result.userErrors.length > 0, createdAt: ctx.core.clock.now() });
    return inventoryPayload(ctx, result);
  };
}

function requireFo(ctx: Ctx, id: unknown): FulfillmentOrderRec {
  const foId = idOf(id, "FulfillmentOrder");
  const fo = foId === null ? undefined : ctx.shop.fulfillmentOrders.get(foId);
  if (!fo) throw new GraphQLError("Fulfillment order does not exist.", { extensions: { code: "RESOURCE_NOT_FOUND" } });
  return fo;
}

function foPayload(ctx: Ctx, fo: FulfillmentOrderRec, errors: orders.SimpleUserError[]): Obj {
  return { fulfillmentOrder: fulfillmentOrderView(ctx, fo), userErrors: errors.map((e) => ({ field: e.field, message: e.message })) };
}

const ASSIGNMENT_TO_REQUEST: Record<string, string> = {
  FULFILLMENT_UNSUBMITTED: "UNSUBMITTED",
  FULFILLMENT_REQUESTED: "SUBMITTED",
  FULFILLMENT_ACCEPTED: "ACCEPTED",
  CANCELLATION_REQUESTED: "CANCELLATION_REQUESTED",
};

function validMetafieldValue(type: string, value: string): boolean {
  try {
    if (type === "number_integer") return /^-?\d+$/.test(value);
    if (type === "number_decimal") return !Number.isNaN(Number(value));
    if (type === "boolean") return value === "true" || value === "false";
    if (type === "json" || type.startsWith("list.")) {
      JSON.parse(value);
      return true;
    }
  } catch {
    return false;
  }
  return true;
}

export const rootValue: Record<string, (args: Args, ctx: Ctx, info: GraphQLResolveInfo) => unknown> = {
  // ---- queries --------------------------------------------------------------------------------
  shop: (_a, ctx) => shopView(ctx),
  node: (a, ctx) => nodeById(ctx, a.id),
  nodes: (a, ctx) => (a.ids as string[]).map((id) => nodeById(ctx, id)),
  location: (a, ctx) => {
    if (!a.id) {
      const first = [...ctx.shop.locations.values()].filter((l) => l.isActive).sort((x, y) => x.priority - y.priority)[0];
      return first ? locationView(ctx, first) : null;
    }
    const l = ctx.shop.locations.get(idOf(a.id, "Location") ?? -1);
    return l ? locationView(ctx, l) : null;
  },
  locations: (a, ctx) =>
    conn(
      ctx,
      [...ctx.shop.locations.values()].filter((l) => (a.includeInactive || l.isActive) && matchesSearch(a.query, { name: l.name, id: l.id, active: l.isActive, fulfillment_service: l.fulfillmentServiceId !== null }, l.name)),
      a,
      (l) => locationView(ctx, l),
    ),
  locationsCount: (a, ctx) => ({ count: [...ctx.shop.locations.values()].filter((l) => l.isActive && matchesSearch(a.query, { name: l.name, id: l.id }, l.name)).length, precision: "EXACT" }),
  product: (a, ctx) => {
    const p = ctx.shop.products.get(idOf(a.id, "Product") ?? -1);
    return p ? productView(ctx, p) : null;
  },
  products: (a, ctx) => conn(ctx, [...ctx.shop.products.values()].filter((p) => matchesSearch(a.query, productSearch(ctx, p), p.title)), a, (p) => productView(ctx, p)),
  productsCount: (a, ctx) => ({ count: [...ctx.shop.products.values()].filter((p) => matchesSearch(a.query, productSearch(ctx, p), p.title)).length, precision: "EXACT" }),
  productVariant: (a, ctx) => {
    const v = ctx.shop.variants.get(idOf(a.id, "ProductVariant") ?? -1);
    return v ? variantView(ctx, v) : null;
  },
  productVariants: (a, ctx) => conn(ctx, [...ctx.shop.variants.values()].filter((v) => matchesSearch(a.query, variantSearch(ctx, v), `${v.sku ?? ""} ${v.title}`)), a, (v) => variantView(ctx, v)),
  productVariantsCount: (a, ctx) => ({ count: [...ctx.shop.variants.values()].filter((v) => matchesSearch(a.query, variantSearch(ctx, v))).length, precision: "EXACT" }),
  inventoryItem: (a, ctx) => {
    const i = ctx.shop.inventoryItems.get(idOf(a.id, "InventoryItem") ?? -1);
    return i ? inventoryItemView(ctx, i) : null;
  },
  inventoryItems: (a, ctx) =>
    conn(
      ctx,
      [...ctx.shop.inventoryItems.values()].filter((i) => matchesSearch(a.query, { sku: i.sku, id: i.id, created_at: i.createdAt, updated_at: i.updatedAt, tracked: i.tracked }, i.sku ?? "")),
      a,
      (i) => inventoryItemView(ctx, i),
    ),
  inventoryLevel: (a, ctx) => nodeById(ctx, a.id),
  inventoryProperties: () => ({
    quantityNames: [
      { name: "available", displayName: "Available", isInUse: true, belongsTo: ["on_hand"], comprises: [] },
      { name: "committed", displayName: "Committed", isInUse: true, belongsTo: ["on_hand"], comprises: [] },
      { name: "damaged", displayName: "Damaged", isInUse: true, belongsTo: ["on_hand"], comprises: [] },
      { name: "incoming", displayName: "Incoming", isInUse: true, belongsTo: [], comprises: [] },
      { name: "on_hand", displayName: "On hand", isInUse: true, belongsTo: [], comprises: ["available", "committed", "damaged", "quality_control", "reserved", "safety_stock"] },
      { name: "quality_control", displayName: "Quality control", isInUse: true, belongsTo: ["on_hand"], comprises: [] },
      { name: "reserved", displayName: "Reserved", isInUse: true, belongsTo: ["on_hand"], comprises: [] },
      { name: "safety_stock", displayName: "Safety stock", isInUse: true, belongsTo: ["on_hand"], comprises: [] },
    ],
  }),
  order: (a, ctx) => {
    const o = ctx.shop.orders.get(idOf(a.id, "Order") ?? -1);
    return o ? orderView(ctx, o) : null;
  },
  orders: (a, ctx) => conn(ctx, [...ctx.shop.orders.values()].filter((o) => matchesSearch(a.query, orderSearch(o), o.name)), a, (o) => orderView(ctx, o)),
  ordersCount: (a, ctx) => ({ count: [...ctx.shop.orders.values()].filter((o) => matchesSearch(a.query, orderSearch(o), o.name)).length, precision: "EXACT" }),
  fulfillmentOrder: (a, ctx) => {
    const fo = ctx.shop.fulfillmentOrders.get(idOf(a.id, "FulfillmentOrder") ?? -1);
    return fo ? fulfillmentOrderView(ctx, fo) : null;
  },
  fulfillmentOrders: (a, ctx) =>
    conn(
      ctx,
      [...ctx.shop.fulfillmentOrders.values()].filter((fo) => (a.includeClosed || !["CLOSED", "CANCELLED"].includes(fo.status)) && matchesSearch(a.query, foSearch(fo))),
      a,
      (fo) => fulfillmentOrderView(ctx, fo),
    ),
  /** Fulfillment orders assigned to this app's fulfillment-service locations. */
  assignedFulfillmentOrders: (a, ctx) => {
    const locationFilter = (a.locationIds as string[] | undefined)?.map((id) => idOf(id, "Location"));
    const wanted = a.assignmentStatus ? ASSIGNMENT_TO_REQUEST[a.assignmentStatus as string] : undefined;
    const list = [...ctx.shop.fulfillmentOrders.values()].filter((fo) => {
      if (!ctx.core.serviceForLocation(ctx.shop, fo.assignedLocationId)) return false;
      if (["CLOSED", "CANCELLED"].includes(fo.status)) return false;
      if (locationFilter && !locationFilter.includes(fo.assignedLocationId)) return false;
      return wanted ? fo.requestStatus === wanted : true;
    });
    return conn(ctx, list, a, (fo) => fulfillmentOrderView(ctx, fo));
  },
  fulfillment: (a, ctx) => {
    const f = ctx.shop.fulfillments.get(idOf(a.id, "Fulfillment") ?? -1);
    return f ? fulfillmentView(ctx, f) : null;
  },
  fulfillmentService: (a, ctx) => {
    const fs = ctx.shop.fulfillmentServices.get(idOf(a.id, "FulfillmentService") ?? -1);
    return fs ? fulfillmentServiceView(ctx, fs) : null;
  },
  webhookSubscription: (a, ctx) => nodeById(ctx, a.id),
  webhookSubscriptions: (a, ctx) =>
    conn(
      ctx,
      [...ctx.shop.webhookSubscriptions.values()].filter((w) => (!a.topics || (a.topics as string[]).includes(w.topic)) && (!a.uri || w.uri === a.uri) && (!a.callbackUrl || w.uri === a.callbackUrl)),
      a,
      (w) => webhookSubscriptionView(ctx, w),
    ),
  webhookSubscriptionsCount: (_a, ctx) => ({ count: ctx.shop.webhookSubscriptions.size, precision: "EXACT" }),
  currentBulkOperation: (a, ctx) => {
    const type = (a.type as string | undefined) ?? "QUERY";
    const latest = [...ctx.shop.bulkOperations.values()].filter((b) => b.type === type).sort((x, y) => y.id - x.id)[0];
    return latest ? bulkOperationView(ctx, latest) : null;
  },
  currentAppInstallation: (_a, ctx) => ({
    id: gid("AppInstallation", ctx.shop.id),
    accessScopes: (ctx.core.app.scopes ?? "").split(",").filter(Boolean).map((handle) => ({ handle: handle.trim(), description: handle.trim() })),
    activeSubscriptions: [],
    launchUrl: `${ctx.core.baseUrl}/admin/shops/${ctx.shop.domain}/apps/${ctx.core.app.handle ?? ctx.core.app.apiKey}`,
    uninstallUrl: null,
    publication: null,
    app: { id: gid("App", APP_ID), title: "TallySync", handle: ctx.core.app.handle ?? ctx.core.app.apiKey, apiKey: ctx.core.app.apiKey },
  }),

  // ---- inventory mutations ----------------------------------------------------------------------
  // Stocks an item at a location. An item already stocked there keeps its quantities (Shopify
  // answers with the existing level); a new level starts at the given available / on hand, or 0.
  inventoryActivate: (a, ctx) => {
    const itemId = idOf(a.inventoryItemId as string, "InventoryItem");
    const locationId = idOf(a.locationId as string, "Location");
    if (itemId === null || !ctx.shop.inventoryItems.has(itemId)) {
      return { inventoryLevel: null, userErrors: [{ field: ["inventoryItemId"], message: "Inventory item does not exist" }] };
    }
    if (locationId === null || !ctx.shop.locations.has(locationId)) {
      return { inventoryLevel: null, userErrors: [{ field: ["locationId"], message: "Location does not exist" }] };
    }
    const existing = ctx.core.getLevel(ctx.shop, itemId, locationId);
    if (existing) return { inventoryLevel: levelView(ctx, existing), userErrors: [] };
    // on_hand is derived from the stored quantities here; a new level holds only available units.
    const available = typeof a.available === "number" ? a.available : typeof a.onHand === "number" ? a.onHand : 0;
    const level = ctx.core.setLevel(ctx.shop, itemId, locationId, { available });
    return { inventoryLevel: levelView(ctx, level), userErrors: [] };
  },
  inventorySetQuantities: idempotentInventory("inventorySetQuantities", (ctx, input) => setQuantities(ctx.core, ctx.shop, input, ctx.inventory2026)),
  inventoryAdjustQuantities: idempotentInventory("inventoryAdjustQuantities", (ctx, input) => adjustQuantities(ctx.core, ctx.shop, input)),
  inventoryMoveQuantities: idempotentInventory("inventoryMoveQuantities", (ctx, input) => moveQuantities(ctx.core, ctx.shop, input)),
  inventorySetOnHandQuantities: idempotentInventory("inventorySetOnHandQuantities", (ctx, input) => setOnHandQuantities(ctx.core, ctx.shop, input, ctx.inventory2026)),

  // ---- fulfillment services and fulfillment orders -------------------------------------------
  fulfillmentServiceCreate: (a, ctx) => {
    const name = String(a.name).trim();
    if (!name) return { fulfillmentService: null, userErrors: [{ field: ["name"], message: "Name can't be blank" }] };
    if ([...ctx.shop.fulfillmentServices.values()].some((fs) => fs.name === name)) {
      return { fulfillmentService: null, userErrors: [{ field: ["name"], message: "Name has already been taken" }] };
    }
    try {
      new URL(String(a.callbackUrl));
    } catch {
      return { fulfillmentService: null, userErrors: [{ field: ["callbackUrl"], message: "Callback url is invalid" }] };
    }
    const id = ctx.core.ids.take();
    const loc = ctx.core.addLocation(ctx.shop, { name, fulfillsOnlineOrders: true }, id);
    const fs: FulfillmentServiceRec = {
      id,
      name,
      handle: slugify(name),
      callbackUrl: String(a.callbackUrl),
      inventoryManagement: Boolean(a.inventoryManagement),
      trackingSupport: Boolean(a.trackingSupport),
      permitsSkuSharing: Boolean(a.permitsSkuSharing),
      requiresShippingMethod: a.requiresShippingMethod ?? true,
      fulfillmentOrdersOptIn: a.fulfillmentOrdersOptIn ?? true,
      locationId: loc.id,
    };
    ctx.shop.fulfillmentServices.set(id, fs);
    return { fulfillmentService: fulfillmentServiceView(ctx, fs), userErrors: [] };
  },
  fulfillmentServiceUpdate: (a, ctx) => {
    const fs = ctx.shop.fulfillmentServices.get(idOf(a.id, "FulfillmentService") ?? -1);
    if (!fs) return { fulfillmentService: null, userErrors: [{ field: ["id"], message: "Fulfillment service could not be found." }] };
    if (a.name != null) {
      fs.name = a.name;
      const loc = ctx.shop.locations.get(fs.locationId);
      if (loc) loc.name = a.name;
    }
    if (a.callbackUrl != null) fs.callbackUrl = a.callbackUrl;
    if (a.inventoryManagement != null) fs.inventoryManagement = a.inventoryManagement;
    if (a.trackingSupport != null) fs.trackingSupport = a.trackingSupport;
    if (a.permitsSkuSharing != null) fs.permitsSkuSharing = a.permitsSkuSharing;
    if (a.requiresShippingMethod != null) fs.requiresShippingMethod = a.requiresShippingMethod;
    return { fulfillmentService: fulfillmentServiceView(ctx, fs), userErrors: [] };
  },
  fulfillmentServiceDelete: (a, ctx) => {
    const fs = ctx.shop.fulfillmentServices.get(idOf(a.id, "FulfillmentService") ?? -1);
    if (!fs) return { deletedId: null, userErrors: [{ field: ["id"], message: "Fulfillment service could not be found." }] };
    const destination = a.destinationLocationId ? idOf(a.destinationLocationId, "Location") : null;
    for (const [key, level] of [...ctx.shop.levels.entries()]) {
      if (level.locationId !== fs.locationId) continue;
      if (destination !== null && a.inventoryAction !== "DELETE" && ctx.shop.locations.has(destination)) {
        const target = ctx.core.getLevel(ctx.shop, level.inventoryItemId, destination) ?? ctx.core.setLevel(ctx.shop, level.inventoryItemId, destination, {});
        ctx.core.changeQuantity(ctx.shop, target, "available", level.q.available, "fulfillment service deleted");
      }
      if (a.inventoryAction !== "KEEP") ctx.shop.levels.delete(key);
    }
    const loc = ctx.shop.locations.get(fs.locationId);
    if (loc) {
      loc.isActive = false;
      loc.fulfillmentServiceId = null;
      loc.updatedAt = ctx.core.clock.iso();
    }
    ctx.shop.fulfillmentServices.delete(fs.id);
    return { deletedId: gid("FulfillmentService", fs.id), userErrors: [] };
  },
  fulfillmentOrderSubmitFulfillmentRequest: (a, ctx) => {
    const fo = requireFo(ctx, a.id);
    const original = fulfillmentOrderView(ctx, { ...fo, lineItems: fo.lineItems.map((l) => ({ ...l })) });
    const errors = orders.submitFulfillmentRequest(ctx.core, ctx.shop, fo, a.message ?? null);
    return {
      originalFulfillmentOrder: original,
      submittedFulfillmentOrder: errors.length ? null : fulfillmentOrderView(ctx, fo),
      unsubmittedFulfillmentOrder: null,
      userErrors: errors.map((e) => ({ field: e.field, message: e.message })),
    };
  },
  fulfillmentOrderAcceptFulfillmentRequest: (a, ctx) => {
    const fo = requireFo(ctx, a.id);
    return foPayload(ctx, fo, orders.acceptFulfillmentRequest(ctx.core, ctx.shop, fo));
  },
  fulfillmentOrderRejectFulfillmentRequest: (a, ctx) => {
    const fo = requireFo(ctx, a.id);
    return foPayload(ctx, fo, orders.rejectFulfillmentRequest(ctx.core, ctx.shop, fo, a.reason ?? null));
  },
  fulfillmentOrderSubmitCancellationRequest: (a, ctx) => {
    const fo = requireFo(ctx, a.id);
    return foPayload(ctx, fo, orders.submitCancellationRequest(ctx.core, ctx.shop, fo, a.message ?? null));
  },
  fulfillmentOrderAcceptCancellationRequest: (a, ctx) => {
    const fo = requireFo(ctx, a.id);
    return foPayload(ctx, fo, orders.acceptCancellationRequest(ctx.core, ctx.shop, fo));
  },
  fulfillmentOrderRejectCancellationRequest: (a, ctx) => {
    const fo = requireFo(ctx, a.id);
    return foPayload(ctx, fo, orders.rejectCancellationRequest(ctx.core, ctx.shop, fo));
  },
  // A partial move (fulfillmentOrderLineItems) leaves the rest in the original, which is then both
  // originalFulfillmentOrder (its final state) and the deprecated remainingFulfillmentOrder.
  fulfillmentOrderMove: (a, ctx) => {
    const fo = requireFo(ctx, a.id);
    const lines = (a.fulfillmentOrderLineItems as Args[] | null | undefined)?.map((l) => ({ id: idOf(l.id, "FulfillmentOrderLineItem"), quantity: Number(l.quantity) }));
    const result = orders.moveFulfillmentOrder(ctx.core, ctx.shop, fo, idOf(a.newLocationId, "Location"), lines);
    return {
      originalFulfillmentOrder: fulfillmentOrderView(ctx, fo),
      movedFulfillmentOrder: result.moved ? fulfillmentOrderView(ctx, result.moved) : null,
      remainingFulfillmentOrder: result.remaining ? fulfillmentOrderView(ctx, result.remaining) : null,
      userErrors: result.userErrors.map((e) => ({ field: e.field, message: e.message })),
    };
  },
  fulfillmentCreate: (a, ctx) => {
    const input = a.fulfillment as Args;
    const result = orders.createFulfillment(ctx.core, ctx.shop, {
      notifyCustomer: input.notifyCustomer,
      trackingInfo: input.trackingInfo,
      lineItemsByFulfillmentOrder: (input.lineItemsByFulfillmentOrder as Args[]).map((g) => ({
        fulfillmentOrderId: idOf(g.fulfillmentOrderId, "FulfillmentOrder"),
        fulfillmentOrderLineItems: (g.fulfillmentOrderLineItems as Args[] | undefined)?.map((l) => ({ id: idOf(l.id, "FulfillmentOrderLineItem"), quantity: l.quantity })),
      })),
    });
    return { fulfillment: result.fulfillment ? fulfillmentView(ctx, result.fulfillment) : null, userErrors: result.userErrors.map((e) => ({ field: e.field, message: e.message })) };
  },
  fulfillmentTrackingInfoUpdate: (a, ctx) => {
    const result = orders.updateTracking(ctx.core, ctx.shop, idOf(a.fulfillmentId, "Fulfillment"), a.trackingInfoInput, Boolean(a.notifyCustomer));
    return { fulfillment: result.fulfillment ? fulfillmentView(ctx, result.fulfillment) : null, userErrors: result.userErrors.map((e) => ({ field: e.field, message: e.message })) };
  },
  fulfillmentEventCreate: (a, ctx) => {
    const input = a.fulfillmentEvent as Args;
    const result = orders.createFulfillmentEvent(ctx.core, ctx.shop, idOf(input.fulfillmentId, "Fulfillment"), input as orders.FulfillmentEventInput);
    return { fulfillmentEvent: result.event ? fulfillmentEventView(ctx, result.event) : null, userErrors: result.userErrors.map((e) => ({ field: e.field, message: e.message })) };
  },
  orderCancel: (a, ctx) => {
    const result = orders.cancelOrder(ctx.core, ctx.shop, idOf(a.orderId, "Order") ?? -1, String(a.reason));
    const errors = result.userErrors.map((e) => ({ field: e.field, message: e.message, code: e.code === "NOT_FOUND" ? "NOT_FOUND" : "INVALID" }));
    return { job: errors.length ? null : { id: gid("Job", ctx.core.ids.take()), done: true, query: null }, orderCancelUserErrors: errors, userErrors: errors.map(({ field, message }) => ({ field, message })) };
  },

  // ---- metafields, webhooks, bulk -------------------------------------------------------------
  metafieldsSet: (a, ctx) => {
    const inputs = a.metafields as Args[];
    if (inputs.length > 25) {
      return { metafields: [], userErrors: [{ field: ["metafields"], message: "Exceeded the maximum metafields input limit of 25.", code: "LESS_THAN_OR_EQUAL_TO", elementIndex: null }] };
    }
    const errors: Obj[] = [];
    inputs.forEach((m, i) => {
      if (!nodeById(ctx, m.ownerId)) errors.push({ field: ["metafields", String(i), "ownerId"], message: "Owner does not exist.", code: "INVALID", elementIndex: i });
      const existing = [...ctx.shop.metafields.values()].find((x) => x.ownerGid === m.ownerId && x.namespace === resolveNamespace(m.namespace) && x.key === m.key);
      const type = m.type ?? existing?.type;
      if (!type) errors.push({ field: ["metafields", String(i), "type"], message: "Type can't be blank.", code: "BLANK", elementIndex: i });
      else if (!validMetafieldValue(type, String(m.value))) errors.push({ field: ["metafields", String(i), "value"], message: `Value is invalid for type ${type}.`, code: "INVALID_VALUE", elementIndex: i });
      if (m.compareDigest != null && existing && metafieldView(ctx, existing).compareDigest !== m.compareDigest) {
        errors.push({ field: ["metafields", String(i)], message: "The resource has been updated since it was loaded. Try again with an updated `compareDigest` value.", code: "STALE_OBJECT", elementIndex: i });
      }
    });
    if (errors.length) return { metafields: [], userErrors: errors };
    const now = ctx.core.clock.iso();
    const saved = inputs.map((m) => {
      const namespace = resolveNamespace(m.namespace);
      let rec = [...ctx.shop.metafields.values()].find((x) => x.ownerGid === m.ownerId && x.namespace === namespace && x.key === m.key);
      if (rec) {
        rec.value = String(m.value);
        rec.type = m.type ?? rec.type;
        rec.updatedAt = now;
      } else {
        rec = { id: ctx.core.ids.take(), ownerGid: m.ownerId, namespace, key: m.key, type: m.type, value: String(m.value), createdAt: now, updatedAt: now } satisfies MetafieldRec;
        ctx.shop.metafields.set(rec.id, rec);
      }
      return metafieldView(ctx, rec);
    });
    return { metafields: saved, userErrors: [] };
  },
  webhookSubscriptionCreate: (a, ctx) => {
    const input = a.webhookSubscription as Args;
    const uri = (input.uri ?? input.callbackUrl) as string | undefined;
    if (!uri) return { webhookSubscription: null, userErrors: [{ field: ["webhookSubscription", "uri"], message: "Address can't be blank" }] };
    if ([...ctx.shop.webhookSubscriptions.values()].some((w) => w.topic === a.topic && w.uri === uri)) {
      return { webhookSubscription: null, userErrors: [{ field: ["webhookSubscription", "callbackUrl"], message: "Address for this topic has already been taken" }] };
    }
    const now = ctx.core.clock.iso();
    const rec = { id: ctx.core.ids.take(), topic: a.topic as string, uri, format: (input.format ?? "JSON") as "JSON" | "XML", includeFields: input.includeFields ?? [], filter: input.filter ?? null, apiVersion: ctx.apiVersion, createdAt: now, updatedAt: now };
    ctx.shop.webhookSubscriptions.set(rec.id, rec);
    return { webhookSubscription: webhookSubscriptionView(ctx, rec), userErrors: [] };
  },
  webhookSubscriptionUpdate: (a, ctx) => {
    const rec = ctx.shop.webhookSubscriptions.get(idOf(a.id, "WebhookSubscription") ?? -1);
    if (!rec) return { webhookSubscription: null, userErrors: [{ field: ["id"], message: "Webhook subscription does not exist" }] };
    const input = a.webhookSubscription as Args;
    if (input.uri ?? input.callbackUrl) rec.uri = input.uri ?? input.callbackUrl;
    if (input.includeFields) rec.includeFields = input.includeFields;
    if (input.filter !== undefined) rec.filter = input.filter;
    rec.updatedAt = ctx.core.clock.iso();
    return { webhookSubscription: webhookSubscriptionView(ctx, rec), userErrors: [] };
  },
  webhookSubscriptionDelete: (a, ctx) => {
    const id = idOf(a.id, "WebhookSubscription") ?? -1;
    if (!ctx.shop.webhookSubscriptions.delete(id)) return { deletedWebhookSubscriptionId: null, userErrors: [{ field: ["id"], message: "Webhook subscription does not exist" }] };
    return { deletedWebhookSubscriptionId: gid("WebhookSubscription", id), userErrors: [] };
  },
  bulkOperationRunQuery: (a, ctx) => runBulkQuery(ctx, String(a.query), rootValue, loadAdminSchema()),
  bulkOperationCancel: (a, ctx) => {
    const op = ctx.shop.bulkOperations.get(idOf(a.id, "BulkOperation") ?? -1);
    if (!op) return { bulkOperation: null, userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }] };
    if (op.status === "CREATED" || op.status === "RUNNING") op.status = "CANCELED";
    return { bulkOperation: bulkOperationView(ctx, op), userErrors: [] };
  },
};
