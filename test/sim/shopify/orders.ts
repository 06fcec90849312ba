import type { ShopifyCore } from "./core";
import { fulfillmentEventPayload, fulfillmentPayload, inventoryLevelPayload, orderPayload } from "./payloads";
import {
  FULFILLMENT_EVENT_STATUSES,
  shipmentStatus,
  type Address,
  type FulfillmentEventRec,
  type FulfillmentEventStatus,
  type FulfillmentOrderRec,
  type FulfillmentRec,
  type LineItemRec,
  type OrderRec,
  type ShopState,
  type TrackingInfo,
} from "./state";

export interface CheckoutLine {
  /** Variant gid or numeric id; or give `sku`. */
  variantId?: string | number;
  sku?: string;
  quantity: number;
}

export interface CheckoutInput {
  lines: CheckoutLine[];
  email?: string;
  shippingAddress?: Address;
  customer?: { firstName?: string; lastName?: string; email?: string };
  note?: string;
  tags?: string[];
  test?: boolean;
}

export type CheckoutResult =
  | { ok: true; order: OrderRec; fulfillmentOrders: FulfillmentOrderRec[]; locationId: number }
  | { ok: false; reason: "OUT_OF_STOCK" | "INVALID_LINE" | "NO_LOCATION"; message: string; lines?: { sku: string | null; requested: number; available: number }[] };

export interface SimpleUserError {
  field: string[] | null;
  message: string;
  code?: string;
}

function findVariant(shop: ShopState, line: CheckoutLine) {
  if (line.variantId !== undefined) {
    const id = typeof line.variantId === "number" ? line.variantId : Number(/(\d+)$/.exec(line.variantId)?.[1]);
    return shop.variants.get(id);
  }
  if (line.sku) return [...shop.variants.values()].find((v) => v.sku === line.sku);
  return undefined;
}

/**
 * A buyer's checkout. With inventory policy DENY a tracked item must be available; the order goes to the
 * first location in priority order that can ship every line (Shopify would split across locations; the
 * simulator refuses instead, which is the stricter case for an app). Units move available -> committed.
 */
export function placeOrder(core: ShopifyCore, shop: ShopState, input: CheckoutInput): CheckoutResult {
  const resolved = input.lines.map((line) => ({ line, variant: findVariant(shop, line) }));
  const bad = resolved.find((r) => !r.variant || !(r.line.quantity > 0));
  if (bad || resolved.length === 0) {
    shop.counters.checkoutsRejected += 1;
    return { ok: false, reason: "INVALID_LINE", message: `Unknown variant or bad quantity: ${JSON.stringify(bad?.line ?? null)}` };
  }
  const needs = new Map<number, number>();
  for (const { line, variant } of resolved) needs.set(variant!.inventoryItemId, (needs.get(variant!.inventoryItemId) ?? 0) + line.quantity);

  const candidates = [...shop.locations.values()].filter((l) => l.isActive && l.fulfillsOnlineOrders).sort((a, b) => a.priority - b.priority || a.id - b.id);
  const canShip = (locationId: number) =>
    [...needs.entries()].every(([itemId, qty]) => {
      const item = shop.inventoryItems.get(itemId)!;
      const variant = shop.variants.get(item.variantId)!;
      const level = core.getLevel(shop, itemId, locationId);
      if (!level) return false;
      if (!item.tracked || variant.inventoryPolicy === "CONTINUE") return true;
      return level.q.available >= qty;
    });
  const location = candidates.find((l) => canShip(l.id));
  if (!location) {
    shop.counters.checkoutsRejected += 1;
    const lines = [...needs.entries()].map(([itemId, qty]) => ({
      sku: shop.inventoryItems.get(itemId)?.sku ?? null,
      requested: qty,
      available: candidates.reduce((best, l) => Math.max(best, core.getLevel(shop, itemId, l.id)?.q.available ?? 0), 0),
    }));
    return { ok: false, reason: "OUT_OF_STOCK", message: "Not enough inventory at any single location to fulfil the order.", lines };
  }

  const now = core.clock.iso();
  const customerEmail = input.customer?.email ?? input.email ?? "buyer@example.com";
  const lineItems: LineItemRec[] = resolved.map(({ line, variant }) => {
    const product = shop.products.get(variant!.productId)!;
    return {
      id: core.ids.take(),
      variantId: variant!.id,
      productId: product.id,
      inventoryItemId: variant!.inventoryItemId,
      sku: variant!.sku,
      title: product.title,
      variantTitle: variant!.title,
      vendor: product.vendor,
      quantity: line.quantity,
      price: variant!.price,
      grams: variant!.grams,
      requiresShipping: true,
      fulfillableQuantity: line.quantity,
    };
  });
  const number = shop.nextOrderNumber++;
  const order: OrderRec = {
    id: core.ids.take(),
    number,
    name: `#${number}`,
    email: customerEmail,
    currency: shop.currencyCode,
    lineItems,
    shippingAddress: input.shippingAddress ?? { firstName: "Bob", lastName: "Buyer", address1: "123 Amoebobacterieae St", city: "Ottawa", province: "Ontario", provinceCode: "ON", country: "Canada", countryCode: "CA", zip: "K2P0V6" },
    customer: { id: core.ids.take(), email: customerEmail, firstName: input.customer?.firstName ?? "Bob", lastName: input.customer?.lastName ?? "Buyer" },
    financialStatus: "paid",
    fulfillmentStatus: null,
    tags: input.tags ?? [],
    note: input.note ?? null,
    test: input.test ?? false,
    fulfillmentOrderIds: [],
    fulfillmentIds: [],
    cancelledAt: null,
    cancelReason: null,
    closedAt: null,
    createdAt: now,
    updatedAt: now,
    processedAt: now,
  };
  shop.orders.set(order.id, order);

  const touched = new Set<string>();
  for (const li of lineItems) {
    const level = core.getLevel(shop, li.inventoryItemId, location.id)!;
    if (core.isTracked(shop, li.inventoryItemId)) {
      core.changeQuantity(shop, level, "available", -li.quantity, `order ${order.name}`);
      core.changeQuantity(shop, level, "committed", li.quantity, `order ${order.name}`);
      touched.add(`${li.inventoryItemId}:${location.id}`);
    }
  }
  const fo: FulfillmentOrderRec = {
    id: core.ids.take(),
    orderId: order.id,
    assignedLocationId: location.id,
    status: "OPEN",
    requestStatus: "UNSUBMITTED",
    lineItems: lineItems.map((li) => ({
      id: core.ids.take(),
      lineItemId: li.id,
      inventoryItemId: li.inventoryItemId,
      variantId: li.variantId,
      sku: li.sku,
      productTitle: li.title,
      variantTitle: li.variantTitle,
      totalQuantity: li.quantity,
      remainingQuantity: li.quantity,
    })),
    merchantRequests: [],
    fulfillmentIds: [],
    rejectionReason: null,
    createdAt: now,
    updatedAt: now,
  };
  shop.fulfillmentOrders.set(fo.id, fo);
  order.fulfillmentOrderIds.push(fo.id);
  shop.counters.ordersPlaced += 1;

  core.emit(shop, "orders/create", () => orderPayload(shop, order));
  for (const key of touched) core.emit(shop, "inventory_levels/update", inventoryLevelPayload(shop.levels.get(key)!));
  core.afterRouting(shop, [fo]);
  return { ok: true, order, fulfillmentOrders: [fo], locationId: location.id };
}

/**
 * orderCancel: unfulfilled units go back to available. A fulfillment order already accepted by a
 * fulfillment service gets a cancellation request instead and is released when the service accepts it.
 */
export function cancelOrder(core: ShopifyCore, shop: ShopState, orderId: number, reason = "CUSTOMER"): { order: OrderRec | null; userErrors: SimpleUserError[] } {
  const order = shop.orders.get(orderId);
  if (!order) return { order: null, userErrors: [{ field: ["orderId"], message: "Order does not exist", code: "NOT_FOUND" }] };
  if (order.cancelledAt) return { order, userErrors: [{ field: ["orderId"], message: "Order has already been cancelled", code: "INVALID" }] };
  if (order.fulfillmentStatus === "fulfilled") return { order, userErrors: [{ field: ["orderId"], message: "Cannot cancel a fulfilled order", code: "INVALID" }] };
  const now = core.clock.iso();
  order.cancelledAt = now;
  order.cancelReason = reason.toLowerCase();
  order.updatedAt = now;
  order.closedAt = now;
  for (const foId of order.fulfillmentOrderIds) {
    const fo = shop.fulfillmentOrders.get(foId);
    if (!fo || fo.status === "CLOSED" || fo.status === "CANCELLED") continue;
    if (fo.requestStatus === "ACCEPTED" && core.serviceForLocation(shop, fo.assignedLocationId)) {
      core.submitCancellationRequest(shop, fo, "Order cancelled");
      continue;
    }
    core.releaseCommitted(shop, fo, `order ${order.name} cancelled`);
    fo.status = "CANCELLED";
    fo.requestStatus = fo.requestStatus === "SUBMITTED" ? "CLOSED" : fo.requestStatus;
    fo.updatedAt = now;
  }
  for (const li of order.lineItems) li.fulfillableQuantity = 0;
  shop.counters.ordersCancelled += 1;
  core.emit(shop, "orders/cancelled", () => orderPayload(shop, order));
  return { order, userErrors: [] };
}

function foError(message: string, field: string[] = ["id"]): SimpleUserError {
  return { field, message };
}

export function acceptFulfillmentRequest(core: ShopifyCore, shop: ShopState, fo: FulfillmentOrderRec): SimpleUserError[] {
  if (fo.requestStatus !== "SUBMITTED") return [foError("Cannot accept fulfillment request for this fulfillment order.")];
  fo.requestStatus = "ACCEPTED";
  fo.status = "IN_PROGRESS";
  fo.updatedAt = core.clock.iso();
  return [];
}

export function rejectFulfillmentRequest(core: ShopifyCore, shop: ShopState, fo: FulfillmentOrderRec, reason: string | null): SimpleUserError[] {
  if (fo.requestStatus !== "SUBMITTED") return [foError("Cannot reject fulfillment request for this fulfillment order.")];
  fo.requestStatus = "REJECTED";
  fo.status = "OPEN";
  fo.rejectionReason = reason;
  fo.updatedAt = core.clock.iso();
  return [];
}

export function acceptCancellationRequest(core: ShopifyCore, shop: ShopState, fo: FulfillmentOrderRec): SimpleUserError[] {
  if (fo.requestStatus !== "CANCELLATION_REQUESTED") return [foError("Cannot accept cancellation request for this fulfillment order.")];
  const order = shop.orders.get(fo.orderId);
  core.releaseCommitted(shop, fo, `cancellation accepted ${order?.name ?? ""}`.trim());
  fo.requestStatus = "CANCELLATION_ACCEPTED";
  fo.status = order?.cancelledAt ? "CANCELLED" : "CLOSED";
  fo.updatedAt = core.clock.iso();
  return [];
}

export function rejectCancellationRequest(core: ShopifyCore, shop: ShopState, fo: FulfillmentOrderRec): SimpleUserError[] {
  if (fo.requestStatus !== "CANCELLATION_REQUESTED") return [foError("Cannot reject cancellation request for this fulfillment order.")];
  fo.requestStatus = "CANCELLATION_REJECTED";
  fo.status = "IN_PROGRESS";
  fo.updatedAt = core.clock.iso();
  return [];
}

export function submitFulfillmentRequest(core: ShopifyCore, shop: ShopState, fo: FulfillmentOrderRec, message: string | null): SimpleUserError[] {
  if (fo.status !== "OPEN" || !["UNSUBMITTED", "REJECTED", "CANCELLATION_ACCEPTED"].includes(fo.requestStatus)) {
    return [foError("Fulfillment order is not in a state that allows submitting a fulfillment request.")];
  }
  if (!core.serviceForLocation(shop, fo.assignedLocationId)) return [foError("Fulfillment order is not assigned to a fulfillment service location.")];
  core.submitFulfillmentRequest(shop, fo, message);
  return [];
}

export function submitCancellationRequest(core: ShopifyCore, shop: ShopState, fo: FulfillmentOrderRec, message: string | null): SimpleUserError[] {
  if (fo.requestStatus !== "ACCEPTED") return [foError("Cannot submit a cancellation request for this fulfillment order.")];
  core.submitCancellationRequest(shop, fo, message);
  return [];
}

export interface MoveLineInput {
  /** The fulfillment order line item (numeric id; null when the gid could not be read). */
  id: number | null;
  quantity: number;
}

export interface MoveResult {
  /** The fulfillment order now at the new location: the original itself, or a new one for a partial move. */
  moved: FulfillmentOrderRec | null;
  /** The original, still at its location with the lines not moved (partial move only). */
  remaining: FulfillmentOrderRec | null;
  userErrors: SimpleUserError[];
}

/**
 * fulfillmentOrderMove. Without `lines` (or with every unfulfilled unit of it) the whole fulfillment
 * order moves and keeps its id. With a subset, those units move to a new fulfillment order at the
 * new location and the rest stays in the original. Committed units follow the moved lines.
 */
export function moveFulfillmentOrder(core: ShopifyCore, shop: ShopState, fo: FulfillmentOrderRec, newLocationId: number | null, lines?: MoveLineInput[] | null): MoveResult {
  const refused = (message: string, field: string[] = ["id"]): MoveResult => ({ moved: null, remaining: null, userErrors: [foError(message, field)] });
  if (newLocationId === null || !shop.locations.has(newLocationId)) return refused("Location could not be found.", ["newLocationId"]);
  if (fo.status !== "OPEN" || !["UNSUBMITTED", "REJECTED", "CANCELLATION_ACCEPTED"].includes(fo.requestStatus)) {
    return refused("Cannot move a fulfillment order that has been submitted or accepted by a fulfillment service.");
  }
  if (newLocationId === fo.assignedLocationId) return refused("Cannot move fulfillment order to the location it is already assigned to.", ["newLocationId"]);

  // The units to move, per line (repeated ids add up).
  const wanted = new Map<number, number>();
  if (lines?.length) {
    for (const [i, line] of lines.entries()) {
      const li = line.id === null ? undefined : fo.lineItems.find((x) => x.id === line.id);
      if (!li) return refused("Fulfillment order line item does not belong to this fulfillment order.", ["fulfillmentOrderLineItems", String(i), "id"]);
      if (!Number.isInteger(line.quantity) || line.quantity <= 0) return refused("Quantity must be greater than 0.", ["fulfillmentOrderLineItems", String(i), "quantity"]);
      const total = (wanted.get(li.id) ?? 0) + line.quantity;
      if (total > li.remainingQuantity) {
        return refused(`Quantity ${total} is more than the ${li.remainingQuantity} unfulfilled units of the line item.`, ["fulfillmentOrderLineItems", String(i), "quantity"]);
      }
      wanted.set(li.id, total);
    }
  } else {
    for (const li of fo.lineItems) if (li.remainingQuantity > 0) wanted.set(li.id, li.remainingQuantity);
  }
  const movedLines = fo.lineItems.filter((li) => wanted.has(li.id));
  const notStocked = movedLines.find((li) => !core.getLevel(shop, li.inventoryItemId, newLocationId));
  if (notStocked) return refused(`Item ${notStocked.sku ?? notStocked.inventoryItemId} is not stocked at the destination location.`, ["newLocationId"]);

  const order = shop.orders.get(fo.orderId);
  const cause = `fulfillment order moved ${order?.name ?? ""}`;
  for (const li of movedLines) {
    const units = wanted.get(li.id)!;
    if (!core.isTracked(shop, li.inventoryItemId)) continue;
    const from = core.getLevel(shop, li.inventoryItemId, fo.assignedLocationId);
    const to = core.getLevel(shop, li.inventoryItemId, newLocationId)!;
    if (from) {
      core.changeQuantity(shop, from, "committed", -units, cause);
      core.changeQuantity(shop, from, "available", units, cause);
      core.emit(shop, "inventory_levels/update", inventoryLevelPayload(from));
    }
    core.changeQuantity(shop, to, "available", -units, cause);
    core.changeQuantity(shop, to, "committed", units, cause);
    core.emit(shop, "inventory_levels/update", inventoryLevelPayload(to));
  }

  const now = core.clock.iso();
  // Nothing fulfilled and every unfulfilled unit moving: the original itself moves.
  const whole = fo.lineItems.every((li) => li.remainingQuantity === li.totalQuantity && (wanted.get(li.id) ?? 0) === li.remainingQuantity);
  if (whole) {
    fo.assignedLocationId = newLocationId;
    fo.requestStatus = "UNSUBMITTED";
    fo.updatedAt = now;
    core.afterRouting(shop, [fo]);
    return { moved: fo, remaining: null, userErrors: [] };
  }
  const moved: FulfillmentOrderRec = {
    id: core.ids.take(),
    orderId: fo.orderId,
    assignedLocationId: newLocationId,
    status: "OPEN",
    requestStatus: "UNSUBMITTED",
    lineItems: movedLines.map((li) => ({ ...li, id: core.ids.take(), totalQuantity: wanted.get(li.id)!, remainingQuantity: wanted.get(li.id)! })),
    merchantRequests: [],
    fulfillmentIds: [],
    rejectionReason: null,
    createdAt: now,
    updatedAt: now,
  };
  for (const li of movedLines) {
    const units = wanted.get(li.id)!;
    li.totalQuantity -= units;
    li.remainingQuantity -= units;
  }
  // A line that moved whole is no longer part of the original.
  fo.lineItems = fo.lineItems.filter((li) => li.totalQuantity > 0);
  fo.updatedAt = now;
  shop.fulfillmentOrders.set(moved.id, moved);
  order?.fulfillmentOrderIds.push(moved.id);
  core.afterRouting(shop, [moved]);
  return { moved, remaining: fo, userErrors: [] };
}

export interface FulfillmentCreateInput {
  lineItemsByFulfillmentOrder: { fulfillmentOrderId: number | null; fulfillmentOrderLineItems?: { id: number | null; quantity: number }[] | null }[];
  trackingInfo?: { company?: string | null; number?: string | null; numbers?: string[] | null; url?: string | null; urls?: string[] | null } | null;
  notifyCustomer?: boolean | null;
}

export function trackingFromInput(input: FulfillmentCreateInput["trackingInfo"]): TrackingInfo[] {
  if (!input) return [];
  const numbers = input.numbers?.length ? input.numbers : input.number ? [input.number] : [];
  const urls = input.urls?.length ? input.urls : input.url ? [input.url] : [];
  if (!numbers.length && !urls.length && input.company) return [{ company: input.company, number: null, url: null }];
  return numbers.map((n, i) => ({ company: input.company ?? null, number: n, url: urls[i] ?? null }));
}

/** fulfillmentCreate: ships units (committed and on_hand go down), closes fulfillment orders when done. */
export function createFulfillment(core: ShopifyCore, shop: ShopState, input: FulfillmentCreateInput): { fulfillment: FulfillmentRec | null; userErrors: SimpleUserError[] } {
  const groups = input.lineItemsByFulfillmentOrder ?? [];
  if (!groups.length) return { fulfillment: null, userErrors: [{ field: ["fulfillment"], message: "Line items by fulfillment order must not be empty." }] };
  const fos: FulfillmentOrderRec[] = [];
  for (const [i, g] of groups.entries()) {
    const fo = g.fulfillmentOrderId === null ? undefined : shop.fulfillmentOrders.get(g.fulfillmentOrderId);
    if (!fo) return { fulfillment: null, userErrors: [{ field: ["fulfillment", "lineItemsByFulfillmentOrder", String(i), "fulfillmentOrderId"], message: "Fulfillment order does not exist." }] };
    if (!["OPEN", "IN_PROGRESS"].includes(fo.status)) return { fulfillment: null, userErrors: [{ field: ["fulfillment"], message: `Fulfillment order ${fo.id} has an unfulfillable status= ${fo.status.toLowerCase()}.` }] };
    if (core.serviceForLocation(shop, fo.assignedLocationId) && fo.requestStatus !== "ACCEPTED" && fo.requestStatus !== "CANCELLATION_REJECTED") {
      return { fulfillment: null, userErrors: [{ field: ["fulfillment"], message: "The fulfillment request must be accepted before creating a fulfillment." }] };
    }
    if (fos.length && fos[0]!.orderId !== fo.orderId) return { fulfillment: null, userErrors: [{ field: ["fulfillment"], message: "All fulfillment orders must belong to the same order." }] };
    fos.push(fo);
  }
  const order = shop.orders.get(fos[0]!.orderId)!;
  const plan: { fo: FulfillmentOrderRec; foLineItemId: number; quantity: number }[] = [];
  for (const [i, g] of groups.entries()) {
    const fo = fos[i]!;
    const lines = g.fulfillmentOrderLineItems?.length ? g.fulfillmentOrderLineItems : fo.lineItems.filter((li) => li.remainingQuantity > 0).map((li) => ({ id: li.id, quantity: li.remainingQuantity }));
    for (const l of lines) {
      const li = fo.lineItems.find((x) => x.id === l.id);
      if (!li) return { fulfillment: null, userErrors: [{ field: ["fulfillment"], message: "Invalid fulfillment order line item." }] };
      if (l.quantity <= 0 || l.quantity > li.remainingQuantity) return { fulfillment: null, userErrors: [{ field: ["fulfillment"], message: `Invalid fulfillment order line item quantity requested.` }] };
      plan.push({ fo, foLineItemId: li.id, quantity: l.quantity });
    }
  }
  const now = core.clock.iso();
  const fulfillment: FulfillmentRec = {
    id: core.ids.take(),
    orderId: order.id,
    name: `${order.name}.${order.fulfillmentIds.length + 1}`,
    locationId: fos[0]!.assignedLocationId,
    status: "SUCCESS",
    trackingInfo: trackingFromInput(input.trackingInfo),
    notifyCustomer: Boolean(input.notifyCustomer),
    lineItems: [],
    fulfillmentOrderIds: [...new Set(fos.map((f) => f.id))],
    events: [],
    createdAt: now,
    updatedAt: now,
  };
  for (const step of plan) {
    const li = step.fo.lineItems.find((x) => x.id === step.foLineItemId)!;
    li.remainingQuantity -= step.quantity;
    const orderLine = order.lineItems.find((x) => x.id === li.lineItemId)!;
    orderLine.fulfillableQuantity -= step.quantity;
    fulfillment.lineItems.push({ id: core.ids.take(), lineItemId: li.lineItemId, fulfillmentOrderLineItemId: li.id, quantity: step.quantity });
    const level = core.getLevel(shop, li.inventoryItemId, step.fo.assignedLocationId);
    if (level && core.isTracked(shop, li.inventoryItemId)) {
      // Shipping removes committed units from the building: on_hand drops with committed.
      core.changeQuantity(shop, level, "committed", -step.quantity, `fulfillment ${fulfillment.name}`);
      core.emit(shop, "inventory_levels/update", inventoryLevelPayload(level));
    }
  }
  for (const fo of fos) {
    fo.fulfillmentIds.push(fulfillment.id);
    if (fo.lineItems.every((li) => li.remainingQuantity === 0)) {
      fo.status = "CLOSED";
      if (fo.requestStatus === "ACCEPTED") fo.requestStatus = "CLOSED";
    } else fo.status = "IN_PROGRESS";
    fo.updatedAt = now;
  }
  shop.fulfillments.set(fulfillment.id, fulfillment);
  order.fulfillmentIds.push(fulfillment.id);
  order.fulfillmentStatus = order.lineItems.every((li) => li.fulfillableQuantity === 0) ? "fulfilled" : "partial";
  order.updatedAt = now;
  core.emit(shop, "fulfillments/create", () => fulfillmentPayload(shop, fulfillment));
  core.emit(shop, order.fulfillmentStatus === "fulfilled" ? "orders/fulfilled" : "orders/partially_fulfilled", () => orderPayload(shop, order));
  core.emit(shop, "orders/updated", () => orderPayload(shop, order));
  return { fulfillment, userErrors: [] };
}

export function updateTracking(core: ShopifyCore, shop: ShopState, fulfillmentId: number | null, tracking: FulfillmentCreateInput["trackingInfo"], notifyCustomer: boolean): { fulfillment: FulfillmentRec | null; userErrors: SimpleUserError[] } {
  const f = fulfillmentId === null ? undefined : shop.fulfillments.get(fulfillmentId);
  if (!f) return { fulfillment: null, userErrors: [{ field: ["fulfillmentId"], message: "Fulfillment does not exist." }] };
  f.trackingInfo = trackingFromInput(tracking);
  f.notifyCustomer = notifyCustomer;
  f.updatedAt = core.clock.iso();
  core.emit(shop, "fulfillments/update", () => fulfillmentPayload(shop, f));
  return { fulfillment: f, userErrors: [] };
}

/** FulfillmentEventInput without fulfillmentId (the carrier stand-in takes the same fields). */
export interface FulfillmentEventInput {
  /** FulfillmentEventStatus enum value, e.g. IN_TRANSIT. */
  status: string;
  /** Defaults to now (simulated clock). */
  happenedAt?: string | null;
  estimatedDeliveryAt?: string | null;
  message?: string | null;
  address1?: string | null;
  city?: string | null;
  province?: string | null;
  country?: string | null;
  zip?: string | null;
  latitude?: number | null;
  longitude?: number | null;
}

function eventDate(value: unknown): string | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string" || Number.isNaN(Date.parse(value))) return undefined;
  return new Date(value).toISOString();
}

/**
 * fulfillmentEventCreate, and Shopify's own tracking updates for carriers it follows: records the event
 * on the fulfillment, sends fulfillment_events/create, and fulfillments/update when the shipment status
 * (the latest event by happenedAt) changed. Codes (not part of the GraphQL UserError): NOT_FOUND,
 * INVALID (bad status or date), CANCELLED (events are refused on a cancelled fulfillment).
 */
export function createFulfillmentEvent(core: ShopifyCore, shop: ShopState, fulfillmentId: number | null, input: FulfillmentEventInput, field: string[] = ["fulfillmentEvent"]): { event: FulfillmentEventRec | null; userErrors: SimpleUserError[] } {
  const refused = (name: string, message: string, code: string) => ({ event: null, userErrors: [{ field: [...field, name], message, code }] });
  const f = fulfillmentId === null ? undefined : shop.fulfillments.get(fulfillmentId);
  if (!f) return refused("fulfillmentId", "Fulfillment does not exist.", "NOT_FOUND");
  if (!(FULFILLMENT_EVENT_STATUSES as readonly string[]).includes(input.status)) return refused("status", `Status is not included in the list: ${FULFILLMENT_EVENT_STATUSES.join(", ")}.`, "INVALID");
  if (f.status === "CANCELLED") return refused("fulfillmentId", "Cannot create a fulfillment event for a cancelled fulfillment.", "CANCELLED");
  const happenedAt = eventDate(input.happenedAt);
  if (happenedAt === undefined) return refused("happenedAt", "Happened at is invalid.", "INVALID");
  const estimatedDeliveryAt = eventDate(input.estimatedDeliveryAt);
  if (estimatedDeliveryAt === undefined) return refused("estimatedDeliveryAt", "Estimated delivery at is invalid.", "INVALID");
  const before = shipmentStatus(f);
  const now = core.clock.iso();
  const event: FulfillmentEventRec = {
    id: core.ids.take(),
    fulfillmentId: f.id,
    orderId: f.orderId,
    status: input.status as FulfillmentEventStatus,
    happenedAt: happenedAt ?? now,
    estimatedDeliveryAt,
    message: input.message ?? null,
    address1: input.address1 ?? null,
    city: input.city ?? null,
    province: input.province ?? null,
    country: input.country ?? null,
    zip: input.zip ?? null,
    latitude: input.latitude ?? null,
    longitude: input.longitude ?? null,
    createdAt: now,
    updatedAt: now,
  };
  f.events.push(event);
  shop.fulfillmentEvents.set(event.id, event);
  core.emit(shop, "fulfillment_events/create", () => fulfillmentEventPayload(shop, event));
  if (shipmentStatus(f) !== before) {
    f.updatedAt = now;
    core.emit(shop, "fulfillments/update", () => fulfillmentPayload(shop, f));
  }
  return { event, userErrors: [] };
}
