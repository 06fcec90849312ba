import crypto from "node:crypto";
import { GraphQLError, type GraphQLResolveInfo } from "graphql";
import { paginate, type ConnectionArgs } from "./connection";
import type { ShopifyCore } from "./core";
import { gid, idOf, parseGid } from "./gid";
import { orderTotals } from "./payloads";
import { matchesSearch } from "./search-query";
import {
  QUANTITY_NAMES,
  byHappenedAt,
  onHand,
  quantityOf,
  trackingSummary,
  type AdjustmentGroupRec,
  type BulkOperationRec,
  type FulfillmentEventRec,
  type FulfillmentOrderRec,
  type FulfillmentRec,
  type FulfillmentServiceRec,
  type InventoryItemRec,
  type LevelRec,
  type LineItemRec,
  type LocationRec,
  type MetafieldRec,
  type OrderRec,
  type ProductRec,
  type QuantityName,
  type ShopState,
  type VariantRec,
  type WebhookSubscriptionRec,
} from "./state";

/** Per-request execution context. */
export interface Ctx {
  core: ShopifyCore;
  shop: ShopState;
  apiVersion: string;
  /** 2026-04+: changeFromQuantity and @idempotent are mandatory on inventory mutations. */
  inventory2026: boolean;
  /** Bulk operations read whole connections without first/last. */
  bulk: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Args = Record<string, any>;
export type Obj = Record<string, unknown>;

export function conn<T extends { id: number }>(ctx: Ctx, records: T[], args: Args, toNode: (r: T) => unknown, compare?: (a: T, b: T) => number) {
  return paginate(records, args as ConnectionArgs, toNode, ctx.bulk, compare);
}

/**
 * A field built only if the query selects it: fieldResolver calls a function-valued property.
 * Execution is synchronous and a mutation's payload is resolved before the next root field runs,
 * so a lazy field reads the same state an eager one would have; only for values that cannot
 * throw and are not read off a view outside GraphQL execution.
 */
function lazy<T>(build: () => T): () => T {
  return build;
}

export function money(amount: string | number, currencyCode: string): Obj {
  return { amount: Number(amount).toFixed(2), currencyCode };
}

export function moneyBag(amount: string | number, currencyCode: string): Obj {
  return { shopMoney: money(amount, currencyCode), presentmentMoney: money(amount, currencyCode) };
}

function legacy(id: number): string {
  return String(id);
}

// Helpers below are module functions rather than `const f = () => ...` inside the views: tsx
// (esbuild keepNames) wraps every such local arrow in a defineProperty call, once per view built.
function ownedMetafields(ctx: Ctx, ownerGid: string): MetafieldRec[] {
  return [...ctx.shop.metafields.values()].filter((m) => m.ownerGid === ownerGid);
}

function metafieldFields(ctx: Ctx, ownerGid: string): Obj {
  return {
    metafield: (args: Args) => {
      const found = ownedMetafields(ctx, ownerGid).find((m) => m.key === args.key && m.namespace === (args.namespace ?? "$app"));
      return found ? metafieldView(ctx, found) : null;
    },
    metafields: (args: Args) =>
      conn(
        ctx,
        ownedMetafields(ctx, ownerGid).filter((m) => (!args.namespace || m.namespace === args.namespace) && (!args.keys || (args.keys as string[]).includes(`${m.namespace}.${m.key}`))),
        args,
        (m) => metafieldView(ctx, m),
      ),
  };
}

export function metafieldView(ctx: Ctx, m: MetafieldRec): Obj {
  const owner = parseGid(m.ownerGid);
  let jsonValue: unknown = m.value;
  try {
    if (/json|number|boolean|list\./.test(m.type)) jsonValue = JSON.parse(m.value);
  } catch {
    jsonValue = m.value;
  }
  return {
    __typename: "Metafield",
    id: gid("Metafield", m.id),
    legacyResourceId: legacy(m.id),
    namespace: m.namespace,
    key: m.key,
    type: m.type,
    value: m.value,
    jsonValue,
    compareDigest: crypto.createHash("sha256").update(`${m.namespace}.${m.key}:${m.value}`).digest("hex"),
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
    ownerType: owner ? ({ Product: "PRODUCT", ProductVariant: "PRODUCTVARIANT", Shop: "SHOP", Location: "LOCATION", Order: "ORDER" } as Record<string, string>)[owner.type] ?? "SHOP" : "SHOP",
    owner: () => nodeById(ctx, m.ownerGid),
    definition: null,
  };
}

export function shopView(ctx: Ctx): Obj {
  const { shop } = ctx;
  const shopGid = gid("Shop", shop.id);
  return {
    __typename: "Shop",
    id: shopGid,
    name: shop.name,
    email: shop.email,
    contactEmail: shop.email,
    shopOwnerName: "Shop Owner",
    myshopifyDomain: shop.domain,
    url: `https://${shop.domain}`,
    primaryDomain: { id: gid("Domain", shop.id), host: shop.domain, url: `https://${shop.domain}`, sslEnabled: true },
    currencyCode: shop.currencyCode,
    enabledPresentmentCurrencies: [shop.currencyCode],
    ianaTimezone: "America/New_York",
    timezoneAbbreviation: "EST",
    timezoneOffset: "-0500",
    timezoneOffsetMinutes: -300,
    weightUnit: "KILOGRAMS",
    unitSystem: "METRIC_SYSTEM",
    taxesIncluded: false,
    taxShipping: false,
    setupRequired: false,
    checkoutApiSupported: true,
    transactionalSmsDisabled: false,
    marketingSmsConsentEnabledAtCheckout: false,
    orderNumberFormatPrefix: "#",
    orderNumberFormatSuffix: "",
    description: null,
    plan: {
      partnerDevelopment: false,
      shopifyPlus: shop.plan === "plus" || shop.plan === "enterprise",
      publicDisplayName: ({ standard: "Basic", advanced: "Advanced", plus: "Shopify Plus", enterprise: "Commerce Components" } as const)[shop.plan],
    },
    createdAt: shop.createdAt,
    updatedAt: shop.createdAt,
    fulfillmentServices: () => [...shop.fulfillmentServices.values()].map((fs) => fulfillmentServiceView(ctx, fs)),
    ...metafieldFields(ctx, shopGid),
  };
}

function locationAddress(loc: LocationRec): Obj {
  const a = loc.address;
  return {
    address1: a.address1 ?? null,
    address2: a.address2 ?? null,
    city: a.city ?? null,
    province: a.province ?? null,
    provinceCode: a.provinceCode ?? null,
    country: a.country ?? null,
    countryCode: a.countryCode ?? null,
    zip: a.zip ?? null,
    phone: a.phone ?? null,
    latitude: null,
    longitude: null,
    formatted: [a.address1, [a.city, a.provinceCode, a.zip].filter(Boolean).join(" "), a.country].filter((x): x is string => Boolean(x)),
  };
}

function levelsWhere(ctx: Ctx, pred: (l: LevelRec) => boolean): LevelRec[] {
  return [...ctx.shop.levels.values()].filter(pred);
}

function levelSearch(l: LevelRec) {
  return { updated_at: l.updatedAt, created_at: l.createdAt, inventory_item_id: l.inventoryItemId, location_id: l.locationId };
}

export function locationView(ctx: Ctx, loc: LocationRec): Obj {
  const locGid = gid("Location", loc.id);
  const service = loc.fulfillmentServiceId ? ctx.shop.fulfillmentServices.get(loc.fulfillmentServiceId) : undefined;
  return {
    __typename: "Location",
    id: locGid,
    legacyResourceId: legacy(loc.id),
    name: loc.name,
    address: lazy(() => locationAddress(loc)),
    addressVerified: true,
    isActive: loc.isActive,
    activatable: !loc.isActive,
    deactivatable: loc.isActive,
    deletable: !loc.isActive,
    deactivatedAt: loc.isActive ? null : loc.updatedAt,
    fulfillsOnlineOrders: loc.fulfillsOnlineOrders,
    shipsInventory: loc.fulfillsOnlineOrders,
    // Computed only when asked for: they scan the whole shop.
    hasActiveInventory: () => [...ctx.shop.levels.values()].some((l) => l.locationId === loc.id),
    hasUnfulfilledOrders: () => [...ctx.shop.fulfillmentOrders.values()].some((fo) => fo.assignedLocationId === loc.id && (fo.status === "OPEN" || fo.status === "IN_PROGRESS")),
    isFulfillmentService: Boolean(service),
    fulfillmentService: service ? () => fulfillmentServiceView(ctx, service) : null,
    localPickupSettingsV2: null,
    suggestedAddresses: [],
    createdAt: loc.createdAt,
    updatedAt: loc.updatedAt,
    inventoryLevel: (args: Args) => {
      const itemId = idOf(args.inventoryItemId, "InventoryItem");
      const level = itemId === null ? undefined : ctx.core.getLevel(ctx.shop, itemId, loc.id);
      return level ? levelView(ctx, level) : null;
    },
    inventoryLevels: (args: Args) =>
      conn(ctx, levelsWhere(ctx, (l) => l.locationId === loc.id && matchesSearch(args.query, levelSearch(l))), args, (l) => levelView(ctx, l)),
    ...metafieldFields(ctx, locGid),
  };
}

export function levelGid(level: LevelRec): string {
  return gid("InventoryLevel", level.locationId, { inventory_item_id: level.inventoryItemId });
}

export function levelView(ctx: Ctx, level: LevelRec): Obj {
  return {
    __typename: "InventoryLevel",
    id: levelGid(level),
    canDeactivate: level.q.committed === 0,
    deactivationAlert: null,
    createdAt: level.createdAt,
    updatedAt: level.updatedAt,
    item: () => inventoryItemView(ctx, ctx.shop.inventoryItems.get(level.inventoryItemId)!),
    location: () => locationView(ctx, ctx.shop.locations.get(level.locationId)!),
    quantities: (args: Args) =>
      (args.names as string[]).map((name) => {
        if (!(QUANTITY_NAMES as readonly string[]).includes(name)) throw new GraphQLError(`The quantity name '${name}' is not valid.`);
        return {
          __typename: "InventoryQuantity",
          id: gid("InventoryQuantity", level.locationId, { inventory_item_id: level.inventoryItemId, name }),
          name,
          quantity: quantityOf(level, name as QuantityName),
          updatedAt: level.updatedAtByName[name as QuantityName] ?? level.createdAt,
        };
      }),
    scheduledChanges: (args: Args) => conn(ctx, [], args, (x) => x),
  };
}

export function inventoryItemView(ctx: Ctx, item: InventoryItemRec): Obj {
  const variant = ctx.shop.variants.get(item.variantId);
  return {
    __typename: "InventoryItem",
    id: gid("InventoryItem", item.id),
    legacyResourceId: legacy(item.id),
    sku: item.sku,
    tracked: item.tracked,
    trackedEditable: { locked: false, reason: null },
    requiresShipping: item.requiresShipping,
    unitCost: item.unitCost ? money(item.unitCost.amount, item.unitCost.currencyCode) : null,
    countryCodeOfOrigin: null,
    provinceCodeOfOrigin: null,
    harmonizedSystemCode: null,
    inventoryHistoryUrl: `https://${ctx.shop.domain}/admin/products/inventory/${item.id}/inventory_history`,
    // Computed only when asked for: it scans every item of the shop.
    duplicateSkuCount: () => Math.max(0, [...ctx.shop.inventoryItems.values()].filter((i) => i.sku && i.sku === item.sku).length - 1),
    measurement: { id: gid("InventoryItemMeasurement", item.id), weight: { unit: "GRAMS", value: variant?.grams ?? 0 } },
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    variant: () => variantView(ctx, ctx.shop.variants.get(item.variantId)!),
    inventoryLevel: (args: Args) => {
      const locationId = idOf(args.locationId, "Location");
      const level = locationId === null ? undefined : ctx.core.getLevel(ctx.shop, item.id, locationId);
      return level ? levelView(ctx, level) : null;
    },
    inventoryLevels: (args: Args) =>
      conn(ctx, levelsWhere(ctx, (l) => l.inventoryItemId === item.id && matchesSearch(args.query, levelSearch(l))), args, (l) => levelView(ctx, l)),
  };
}

function availableTotal(ctx: Ctx, inventoryItemId: number): number {
  return [...ctx.shop.levels.values()].filter((l) => l.inventoryItemId === inventoryItemId).reduce((s, l) => s + l.q.available, 0);
}

export function variantSearch(ctx: Ctx, v: VariantRec) {
  return { sku: v.sku, barcode: v.barcode, id: v.id, product_id: v.productId, title: v.title, updated_at: v.updatedAt, created_at: v.createdAt, inventory_item_id: v.inventoryItemId };
}

export function variantView(ctx: Ctx, v: VariantRec): Obj {
  const product = ctx.shop.products.get(v.productId)!;
  const vGid = gid("ProductVariant", v.id);
  const available = availableTotal(ctx, v.inventoryItemId);
  return {
    __typename: "ProductVariant",
    id: vGid,
    legacyResourceId: legacy(v.id),
    title: v.title,
    displayName: `${product.title} - ${v.title}`,
    sku: v.sku,
    barcode: v.barcode,
    price: Number(v.price).toFixed(2),
    compareAtPrice: null,
    position: v.position,
    inventoryPolicy: v.inventoryPolicy,
    inventoryQuantity: available,
    sellableOnlineQuantity: Math.max(0, available),
    availableForSale: v.inventoryPolicy === "CONTINUE" || available > 0,
    taxable: true,
    requiresComponents: false,
    showUnitPrice: false,
    selectedOptions: [{ name: "Title", value: v.title }],
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
    defaultCursor: Buffer.from(JSON.stringify({ last_id: v.id })).toString("base64"),
    inventoryItem: () => inventoryItemView(ctx, ctx.shop.inventoryItems.get(v.inventoryItemId)!),
    product: () => productView(ctx, product),
    ...metafieldFields(ctx, vGid),
  };
}

export function productSearch(ctx: Ctx, p: ProductRec) {
  const variants = p.variantIds.map((id) => ctx.shop.variants.get(id)!);
  return {
    id: p.id,
    title: p.title,
    handle: p.handle,
    vendor: p.vendor,
    product_type: p.productType,
    status: p.status.toLowerCase(),
    tag: p.tags,
    sku: variants.map((v) => v.sku).filter((s): s is string => Boolean(s)),
    barcode: variants.map((v) => v.barcode).filter((s): s is string => Boolean(s)),
    updated_at: p.updatedAt,
    created_at: p.createdAt,
  };
}

function productVariantRecs(ctx: Ctx, p: ProductRec): () => VariantRec[] {
  return () => p.variantIds.map((id) => ctx.shop.variants.get(id)!).filter(Boolean);
}

function orderFulfillmentOrderRecs(ctx: Ctx, o: OrderRec): FulfillmentOrderRec[] {
  return o.fulfillmentOrderIds.map((id) => ctx.shop.fulfillmentOrders.get(id)!).filter(Boolean);
}

export function productView(ctx: Ctx, p: ProductRec): Obj {
  const pGid = gid("Product", p.id);
  const variants = productVariantRecs(ctx, p);
  return {
    __typename: "Product",
    id: pGid,
    legacyResourceId: legacy(p.id),
    title: p.title,
    handle: p.handle,
    vendor: p.vendor,
    productType: p.productType,
    status: p.status,
    tags: p.tags,
    description: "",
    descriptionHtml: "",
    onlineStoreUrl: null,
    publishedAt: p.createdAt,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    isGiftCard: false,
    requiresSellingPlan: false,
    hasOnlyDefaultVariant: p.variantIds.length === 1,
    hasOutOfStockVariants: variants().some((v) => availableTotal(ctx, v.inventoryItemId) <= 0),
    tracksInventory: variants().some((v) => ctx.shop.inventoryItems.get(v.inventoryItemId)?.tracked),
    totalInventory: variants().reduce((s, v) => s + availableTotal(ctx, v.inventoryItemId), 0),
    variantsCount: { count: p.variantIds.length, precision: "EXACT" },
    variants: (args: Args) => conn(ctx, variants(), args, (v) => variantView(ctx, v)),
    ...metafieldFields(ctx, pGid),
  };
}

function mailingAddress(id: number, a: OrderRec["shippingAddress"]): Obj {
  return {
    id: gid("MailingAddress", id),
    firstName: a.firstName ?? null,
    lastName: a.lastName ?? null,
    name: [a.firstName, a.lastName].filter(Boolean).join(" ") || null,
    company: a.company ?? null,
    address1: a.address1 ?? null,
    address2: a.address2 ?? null,
    city: a.city ?? null,
    province: a.province ?? null,
    provinceCode: a.provinceCode ?? null,
    country: a.country ?? null,
    countryCodeV2: a.countryCode ?? null,
    zip: a.zip ?? null,
    phone: a.phone ?? null,
    latitude: null,
    longitude: null,
    coordinatesValidated: false,
    formatted: [a.address1, a.city, a.country].filter((x): x is string => Boolean(x)),
    formattedArea: [a.city, a.province, a.country].filter(Boolean).join(", "),
  };
}

export function lineItemView(ctx: Ctx, order: OrderRec, li: LineItemRec): Obj {
  const cur = order.currency;
  const fulfilled = li.quantity - li.fulfillableQuantity;
  const currentQuantity = order.cancelledAt ? fulfilled : li.quantity;
  return {
    __typename: "LineItem",
    id: gid("LineItem", li.id),
    name: li.variantTitle && li.variantTitle !== "Default Title" ? `${li.title} - ${li.variantTitle}` : li.title,
    title: li.title,
    variantTitle: li.variantTitle,
    sku: li.sku,
    vendor: li.vendor,
    quantity: li.quantity,
    currentQuantity,
    unfulfilledQuantity: Math.max(0, li.fulfillableQuantity),
    nonFulfillableQuantity: order.cancelledAt ? li.fulfillableQuantity : 0,
    refundableQuantity: li.quantity,
    requiresShipping: li.requiresShipping,
    restockable: true,
    isGiftCard: false,
    taxable: true,
    merchantEditable: !order.cancelledAt,
    customAttributes: [],
    discountAllocations: [],
    duties: [],
    taxLines: [],
    originalUnitPriceSet: lazy(() => moneyBag(li.price, cur)),
    discountedUnitPriceSet: lazy(() => moneyBag(li.price, cur)),
    discountedUnitPriceAfterAllDiscountsSet: lazy(() => moneyBag(li.price, cur)),
    originalTotalSet: lazy(() => moneyBag(Number(li.price) * li.quantity, cur)),
    discountedTotalSet: lazy(() => moneyBag(Number(li.price) * li.quantity, cur)),
    totalDiscountSet: lazy(() => moneyBag(0, cur)),
    unfulfilledOriginalTotalSet: lazy(() => moneyBag(Number(li.price) * li.fulfillableQuantity, cur)),
    unfulfilledDiscountedTotalSet: lazy(() => moneyBag(Number(li.price) * li.fulfillableQuantity, cur)),
    variant: () => {
      const v = ctx.shop.variants.get(li.variantId);
      return v ? variantView(ctx, v) : null;
    },
    product: () => {
      const p = ctx.shop.products.get(li.productId);
      return p ? productView(ctx, p) : null;
    },
  };
}

export function orderSearch(o: OrderRec) {
  const status = o.cancelledAt ? "cancelled" : o.closedAt ? "closed" : "open";
  return {
    id: o.id,
    name: o.name,
    email: o.email,
    status,
    financial_status: o.financialStatus,
    fulfillment_status: o.fulfillmentStatus === "fulfilled" ? "shipped" : o.fulfillmentStatus === "partial" ? "partial" : "unshipped",
    sku: o.lineItems.map((l) => l.sku).filter((s): s is string => Boolean(s)),
    tag: o.tags,
    test: o.test,
    created_at: o.createdAt,
    updated_at: o.updatedAt,
    processed_at: o.processedAt,
  };
}

function displayFulfillmentStatus(ctx: Ctx, o: OrderRec): string {
  if (o.fulfillmentStatus === "fulfilled") return "FULFILLED";
  if (o.fulfillmentStatus === "partial") return "PARTIALLY_FULFILLED";
  const fos = o.fulfillmentOrderIds.map((id) => ctx.shop.fulfillmentOrders.get(id)).filter((f): f is FulfillmentOrderRec => Boolean(f));
  if (fos.some((f) => f.status === "IN_PROGRESS")) return "IN_PROGRESS";
  if (fos.some((f) => f.requestStatus === "REJECTED")) return "REQUEST_DECLINED";
  return "UNFULFILLED";
}

export function orderView(ctx: Ctx, o: OrderRec): Obj {
  const oGid = gid("Order", o.id);
  const cur = o.currency;
  // Fields built only when selected (see `lazy`): an order is mostly asked for its id and address.
  return {
    __typename: "Order",
    id: oGid,
    legacyResourceId: legacy(o.id),
    name: o.name,
    number: o.number - 1000,
    email: o.email,
    phone: null,
    note: o.note,
    tags: o.tags,
    test: o.test,
    confirmed: true,
    closed: Boolean(o.closedAt),
    closedAt: o.closedAt,
    cancelledAt: o.cancelledAt,
    cancelReason: o.cancelReason ? o.cancelReason.toUpperCase() : null,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    processedAt: o.processedAt,
    currencyCode: cur,
    presentmentCurrencyCode: cur,
    displayFinancialStatus: o.financialStatus.toUpperCase(),
    displayFulfillmentStatus: lazy(() => displayFulfillmentStatus(ctx, o)),
    fullyPaid: o.financialStatus === "paid",
    unpaid: o.financialStatus !== "paid",
    fulfillable: lazy(() => !o.cancelledAt && o.lineItems.some((l) => l.fulfillableQuantity > 0)),
    requiresShipping: true,
    sourceName: "web",
    subtotalLineItemsQuantity: lazy(() => orderTotals(o).quantity),
    currentSubtotalLineItemsQuantity: lazy(() => (o.cancelledAt ? 0 : orderTotals(o).quantity)),
    subtotalPriceSet: lazy(() => moneyBag(orderTotals(o).subtotal, cur)),
    totalPriceSet: lazy(() => moneyBag(orderTotals(o).subtotal, cur)),
    currentTotalPriceSet: lazy(() => moneyBag(o.cancelledAt ? 0 : orderTotals(o).subtotal, cur)),
    currentSubtotalPriceSet: lazy(() => moneyBag(o.cancelledAt ? 0 : orderTotals(o).subtotal, cur)),
    totalTaxSet: lazy(() => moneyBag(0, cur)),
    totalDiscountsSet: lazy(() => moneyBag(0, cur)),
    totalShippingPriceSet: lazy(() => moneyBag(0, cur)),
    originalTotalPriceSet: lazy(() => moneyBag(orderTotals(o).subtotal, cur)),
    totalWeight: lazy(() => String(o.lineItems.reduce((s, l) => s + l.grams * l.quantity, 0))),
    shippingAddress: lazy(() => mailingAddress(o.id + 1, o.shippingAddress)),
    billingAddress: lazy(() => mailingAddress(o.id + 2, o.shippingAddress)),
    displayAddress: lazy(() => mailingAddress(o.id + 1, o.shippingAddress)),
    customer: lazy(() => ({
      __typename: "Customer",
      id: gid("Customer", o.customer.id),
      legacyResourceId: legacy(o.customer.id),
      email: o.customer.email,
      firstName: o.customer.firstName,
      lastName: o.customer.lastName,
      displayName: `${o.customer.firstName} ${o.customer.lastName}`,
      tags: [],
    })),
    statusPageUrl: lazy(() => `https://${ctx.shop.domain}/${ctx.shop.id}/orders/${o.id}/authenticate`),
    lineItems: (args: Args) => conn(ctx, o.lineItems, args, (li) => lineItemView(ctx, o, li)),
    fulfillmentOrders: (args: Args) =>
      conn(ctx, orderFulfillmentOrderRecs(ctx, o).filter((fo) => matchesSearch(args.query, foSearch(fo))), args, (fo) => fulfillmentOrderView(ctx, fo)),
    fulfillments: (args: Args) =>
      o.fulfillmentIds
        .map((id) => ctx.shop.fulfillments.get(id)!)
        .slice(0, args.first ?? undefined)
        .map((f) => fulfillmentView(ctx, f)),
    fulfillmentsCount: { count: o.fulfillmentIds.length, precision: "EXACT" },
    ...metafieldFields(ctx, oGid),
  };
}

export function foSearch(fo: FulfillmentOrderRec) {
  return {
    id: fo.id,
    status: fo.status.toLowerCase(),
    request_status: fo.requestStatus.toLowerCase(),
    assigned_location_id: fo.assignedLocationId,
    order_id: fo.orderId,
    updated_at: fo.updatedAt,
    created_at: fo.createdAt,
  };
}

function supportedActions(ctx: Ctx, fo: FulfillmentOrderRec): Obj[] {
  const isService = Boolean(ctx.core.serviceForLocation(ctx.shop, fo.assignedLocationId));
  const actions: string[] = [];
  if (fo.status === "OPEN" && ["UNSUBMITTED", "REJECTED", "CANCELLATION_ACCEPTED"].includes(fo.requestStatus)) {
    actions.push(isService ? "REQUEST_FULFILLMENT" : "CREATE_FULFILLMENT", "MOVE", "HOLD");
  }
  if (fo.requestStatus === "ACCEPTED") actions.push("REQUEST_CANCELLATION");
  if (fo.requestStatus === "SUBMITTED") actions.push("CANCEL_FULFILLMENT_ORDER");
  return actions.map((action) => ({ action, externalUrl: null }));
}

export function fulfillmentOrderView(ctx: Ctx, fo: FulfillmentOrderRec): Obj {
  const order = ctx.shop.orders.get(fo.orderId)!;
  const loc = ctx.shop.locations.get(fo.assignedLocationId)!;
  return {
    __typename: "FulfillmentOrder",
    id: gid("FulfillmentOrder", fo.id),
    orderId: gid("Order", order.id),
    orderName: order.name,
    orderProcessedAt: order.processedAt,
    order: () => orderView(ctx, order),
    status: fo.status,
    requestStatus: fo.requestStatus,
    createdAt: fo.createdAt,
    updatedAt: fo.updatedAt,
    fulfillAt: fo.createdAt,
    fulfillBy: null,
    channelId: null,
    fulfillmentHolds: [],
    internationalDuties: null,
    deliveryMethod: { id: gid("DeliveryMethod", fo.id), methodType: "SHIPPING" },
    supportedActions: lazy(() => supportedActions(ctx, fo)),
    assignedLocation: {
      name: loc.name,
      address1: loc.address.address1 ?? null,
      address2: loc.address.address2 ?? null,
      city: loc.address.city ?? null,
      province: loc.address.province ?? null,
      zip: loc.address.zip ?? null,
      phone: loc.address.phone ?? null,
      countryCode: loc.address.countryCode ?? "CA",
      location: () => locationView(ctx, loc),
    },
    destination: {
      id: gid("FulfillmentOrderDestination", fo.id),
      firstName: order.shippingAddress.firstName ?? null,
      lastName: order.shippingAddress.lastName ?? null,
      company: order.shippingAddress.company ?? null,
      address1: order.shippingAddress.address1 ?? null,
      address2: order.shippingAddress.address2 ?? null,
      city: order.shippingAddress.city ?? null,
      province: order.shippingAddress.province ?? null,
      zip: order.shippingAddress.zip ?? null,
      countryCode: order.shippingAddress.countryCode ?? null,
      phone: order.shippingAddress.phone ?? null,
      email: order.email,
      location: null,
    },
    lineItems: (args: Args) =>
      conn(ctx, fo.lineItems, args, (li) => ({
        __typename: "FulfillmentOrderLineItem",
        id: gid("FulfillmentOrderLineItem", li.id),
        totalQuantity: li.totalQuantity,
        remainingQuantity: li.remainingQuantity,
        sku: li.sku,
        productTitle: li.productTitle,
        variantTitle: li.variantTitle,
        vendor: order.lineItems.find((x) => x.id === li.lineItemId)?.vendor ?? null,
        inventoryItemId: gid("InventoryItem", li.inventoryItemId),
        requiresShipping: true,
        warnings: [],
        financialSummaries: [],
        image: null,
        weight: null,
        variant: () => {
          const v = ctx.shop.variants.get(li.variantId);
          return v ? variantView(ctx, v) : null;
        },
        lineItem: () => lineItemView(ctx, order, order.lineItems.find((x) => x.id === li.lineItemId)!),
      })),
    merchantRequests: (args: Args) =>
      conn(ctx, fo.merchantRequests.filter((r) => !args.kind || r.kind === args.kind), args, (r) => ({
        __typename: "FulfillmentOrderMerchantRequest",
        id: gid("FulfillmentOrderMerchantRequest", r.id),
        kind: r.kind,
        message: r.message,
        requestOptions: r.requestOptions,
        responseData: r.responseData,
        sentAt: r.sentAt,
        fulfillmentOrder: () => fulfillmentOrderView(ctx, fo),
      })),
    fulfillments: (args: Args) => conn(ctx, fo.fulfillmentIds.map((id) => ctx.shop.fulfillments.get(id)!), args, (f) => fulfillmentView(ctx, f)),
    locationsForMove: (args: Args) =>
      conn(
        ctx,
        [...ctx.shop.locations.values()].filter((l) => l.id !== fo.assignedLocationId && l.isActive),
        args,
        (l) => {
          const unstocked = fo.lineItems.filter((li) => !ctx.core.getLevel(ctx.shop, li.inventoryItemId, l.id));
          return {
            location: locationView(ctx, l),
            movable: unstocked.length === 0,
            message: unstocked.length ? "Current location doesn't stock all items." : null,
            availableLineItemsCount: { count: fo.lineItems.length - unstocked.length, precision: "EXACT" },
            unavailableLineItemsCount: { count: unstocked.length, precision: "EXACT" },
          };
        },
      ),
  };
}

export function fulfillmentEventView(ctx: Ctx, e: FulfillmentEventRec): Obj {
  return {
    __typename: "FulfillmentEvent",
    id: gid("FulfillmentEvent", e.id),
    status: e.status,
    happenedAt: e.happenedAt,
    createdAt: e.createdAt,
    estimatedDeliveryAt: e.estimatedDeliveryAt,
    message: e.message,
    address1: e.address1,
    city: e.city,
    province: e.province,
    country: e.country,
    zip: e.zip,
    latitude: e.latitude,
    longitude: e.longitude,
  };
}

export function fulfillmentView(ctx: Ctx, f: FulfillmentRec): Obj {
  const order = ctx.shop.orders.get(f.orderId)!;
  const loc = ctx.shop.locations.get(f.locationId);
  // Derived from the tracking events when asked for. Every FulfillmentEventStatus has a
  // FulfillmentDisplayStatus of the same name; without events a fulfillment shows as FULFILLED.
  return {
    __typename: "Fulfillment",
    id: gid("Fulfillment", f.id),
    legacyResourceId: legacy(f.id),
    name: f.name,
    status: f.status,
    displayStatus: () => (f.status === "CANCELLED" ? "CANCELED" : trackingSummary(f).latest?.status ?? "FULFILLED"),
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
    deliveredAt: () => trackingSummary(f).deliveredAt,
    inTransitAt: () => trackingSummary(f).inTransitAt,
    estimatedDeliveryAt: () => trackingSummary(f).estimatedDeliveryAt,
    requiresShipping: true,
    totalQuantity: f.lineItems.reduce((s, l) => s + l.quantity, 0),
    trackingInfo: (args: Args) => f.trackingInfo.slice(0, args.first ?? undefined),
    location: loc ? () => locationView(ctx, loc) : null,
    service: null,
    originAddress: null,
    order: () => orderView(ctx, order),
    fulfillmentLineItems: (args: Args) =>
      conn(ctx, f.lineItems, args, (fl) => {
        const li = order.lineItems.find((x) => x.id === fl.lineItemId)!;
        return {
          id: gid("FulfillmentLineItem", fl.id),
          quantity: fl.quantity,
          lineItem: () => lineItemView(ctx, order, li),
          originalTotalSet: moneyBag(Number(li.price) * fl.quantity, order.currency),
          discountedTotalSet: moneyBag(Number(li.price) * fl.quantity, order.currency),
        };
      }),
    fulfillmentOrders: (args: Args) => conn(ctx, f.fulfillmentOrderIds.map((id) => ctx.shop.fulfillmentOrders.get(id)!), args, (fo) => fulfillmentOrderView(ctx, fo)),
    events: (args: Args) => conn(ctx, f.events, args, (e) => fulfillmentEventView(ctx, e), args.sortKey === "ID" ? undefined : byHappenedAt),
  };
}

export function fulfillmentServiceView(ctx: Ctx, fs: FulfillmentServiceRec): Obj {
  const loc = ctx.shop.locations.get(fs.locationId);
  return {
    __typename: "FulfillmentService",
    id: gid("FulfillmentService", fs.id),
    serviceName: fs.name,
    handle: fs.handle,
    callbackUrl: fs.callbackUrl,
    inventoryManagement: fs.inventoryManagement,
    trackingSupport: fs.trackingSupport,
    permitsSkuSharing: fs.permitsSkuSharing,
    requiresShippingMethod: fs.requiresShippingMethod,
    fulfillmentOrdersOptIn: fs.fulfillmentOrdersOptIn,
    type: "THIRD_PARTY",
    location: loc ? () => locationView(ctx, loc) : null,
  };
}

export function webhookSubscriptionView(ctx: Ctx, w: WebhookSubscriptionRec): Obj {
  return {
    __typename: "WebhookSubscription",
    id: gid("WebhookSubscription", w.id),
    legacyResourceId: legacy(w.id),
    topic: w.topic,
    uri: w.uri,
    callbackUrl: w.uri,
    endpoint: { __typename: "WebhookHttpEndpoint", callbackUrl: w.uri },
    format: w.format,
    includeFields: w.includeFields,
    metafieldNamespaces: [],
    metafields: [],
    filter: w.filter,
    apiVersion: { handle: w.apiVersion, displayName: w.apiVersion, supported: true },
    createdAt: w.createdAt,
    updatedAt: w.updatedAt,
  };
}

export function bulkOperationView(ctx: Ctx, b: BulkOperationRec): Obj {
  return {
    __typename: "BulkOperation",
    id: gid("BulkOperation", b.id),
    status: b.status,
    type: b.type,
    query: b.query,
    errorCode: b.errorCode,
    createdAt: b.createdAt,
    completedAt: b.completedAt,
    objectCount: String(b.objectCount),
    rootObjectCount: String(b.rootObjectCount),
    fileSize: b.fileSize === null ? null : String(b.fileSize),
    url: b.url,
    partialDataUrl: null,
  };
}

export function adjustmentGroupView(ctx: Ctx, g: AdjustmentGroupRec): Obj {
  return {
    __typename: "InventoryAdjustmentGroup",
    id: gid("InventoryAdjustmentGroup", g.id),
    createdAt: g.createdAt,
    reason: g.reason,
    referenceDocumentUri: g.referenceDocumentUri,
    app: null,
    staffMember: null,
    changes: (args: Args) =>
      g.changes
        .filter((c) => !args.inventoryItemIds || (args.inventoryItemIds as string[]).includes(gid("InventoryItem", c.inventoryItemId)))
        .filter((c) => !args.locationIds || (args.locationIds as string[]).includes(gid("Location", c.locationId)))
        .filter((c) => !args.quantityNames || (args.quantityNames as string[]).includes(c.name))
        .map((c) => ({
          name: c.name,
          delta: c.delta,
          quantityAfterChange: c.quantityAfterChange,
          ledgerDocumentUri: c.ledgerDocumentUri,
          item: () => {
            const item = ctx.shop.inventoryItems.get(c.inventoryItemId);
            return item ? inventoryItemView(ctx, item) : null;
          },
          location: () => {
            const loc = ctx.shop.locations.get(c.locationId);
            return loc ? locationView(ctx, loc) : null;
          },
        })),
  };
}

/** node(id:) / nodes(ids:) for the resource types the simulator stores. */
export function nodeById(ctx: Ctx, id: unknown): Obj | null {
  const parsed = parseGid(id);
  if (!parsed) return null;
  const { shop } = ctx;
  const n = parsed.id;
  switch (parsed.type) {
    case "Shop":
      return n === shop.id ? shopView(ctx) : null;
    case "Location": {
      const r = shop.locations.get(n);
      return r ? locationView(ctx, r) : null;
    }
    case "Product": {
      const r = shop.products.get(n);
      return r ? productView(ctx, r) : null;
    }
    case "ProductVariant": {
      const r = shop.variants.get(n);
      return r ? variantView(ctx, r) : null;
    }
    case "InventoryItem": {
      const r = shop.inventoryItems.get(n);
      return r ? inventoryItemView(ctx, r) : null;
    }
    case "InventoryLevel": {
      const itemId = Number(parsed.params.get("inventory_item_id"));
      const level = ctx.core.getLevel(shop, itemId, n);
      return level ? levelView(ctx, level) : null;
    }
    case "Order": {
      const r = shop.orders.get(n);
      return r ? orderView(ctx, r) : null;
    }
    case "FulfillmentOrder": {
      const r = shop.fulfillmentOrders.get(n);
      return r ? fulfillmentOrderView(ctx, r) : null;
    }
    case "Fulfillment": {
      const r = shop.fulfillments.get(n);
      return r ? fulfillmentView(ctx, r) : null;
    }
    case "FulfillmentEvent": {
      const r = shop.fulfillmentEvents.get(n);
      return r ? fulfillmentEventView(ctx, r) : null;
    }
    case "WebhookSubscription": {
      const r = shop.webhookSubscriptions.get(n);
      return r ? webhookSubscriptionView(ctx, r) : null;
    }
    case "BulkOperation": {
      const r = shop.bulkOperations.get(n);
      return r ? bulkOperationView(ctx, r) : null;
    }
    case "Metafield": {
      const r = shop.metafields.get(n);
      return r ? metafieldView(ctx, r) : null;
    }
    case "InventoryAdjustmentGroup": {
      const r = shop.adjustmentGroups.get(n);
      return r ? adjustmentGroupView(ctx, r) : null;
    }
    default:
      return null;
  }
}

export { onHand };
