import type { PlanName } from "./bucket";
import type { SimClock } from "./clock";
import type { Faults } from "./faults";
import { fulfillmentOrderRoutingPayload, inventoryLevelPayload } from "./payloads";
import {
  createShopState,
  emptyQuantities,
  IdSequence,
  levelKey,
  onHand,
  slugify,
  type Address,
  type FulfillmentOrderRec,
  type FulfillmentServiceRec,
  type LevelRec,
  type LocationRec,
  type ShopState,
  type StoredQuantityName,
} from "./state";
import { topicFromEnum, type WebhookSender } from "./webhooks";

export interface AppConfig {
  apiKey: string;
  apiSecret: string;
  /** Where the app is served; relative webhook URIs resolve against it. */
  appUrl: string;
  /** App handle used in admin URLs (defaults to the api key). */
  handle?: string;
  scopes?: string;
  /** Like [[webhooks.subscriptions]] in shopify.app.toml: delivered for every shop. */
  webhooks?: { topics: string[]; uri: string }[];
}

export interface SeedLocation {
  name: string;
  address?: Address;
  fulfillsOnlineOrders?: boolean;
  isActive?: boolean;
  priority?: number;
}

export interface SeedVariant {
  sku: string | null;
  barcode?: string | null;
  title?: string;
  price?: string;
  inventoryPolicy?: "DENY" | "CONTINUE";
  tracked?: boolean;
  unitCost?: string | null;
  grams?: number;
  /** Quantities per location id (numeric id or gid) */
  levels?: Record<string, Partial<Record<StoredQuantityName, number>>>;
}

export interface SeedProduct {
  title: string;
  vendor?: string;
  productType?: string;
  status?: "ACTIVE" | "DRAFT" | "ARCHIVED";
  tags?: string[];
  variants: SeedVariant[];
}

export class ShopifyCore {
  readonly ids = new IdSequence();
  readonly shops = new Map<string, ShopState>();
  /** Base URL of the simulator, known once it listens. */
  baseUrl = "";
  /** How long a bulk query stays RUNNING (simulated ms). */
  bulkDurationMs = 20;

  constructor(
    readonly clock: SimClock,
    readonly faults: Faults,
    readonly webhooks: WebhookSender,
    readonly app: AppConfig,
    readonly apiVersion: string,
    readonly defaultPlan: PlanName,
  ) {}

  getShop(domain: string): ShopState | undefined {
    return this.shops.get(domain.toLowerCase());
  }

  requireShop(domain: string): ShopState {
    const shop = this.getShop(domain);
    if (!shop) throw new Error(`Unknown shop ${domain}`);
    return shop;
  }

  addShop(domain: string, opts: { name?: string; plan?: PlanName; email?: string; currencyCode?: string; autoRequestFulfillment?: boolean; locations?: SeedLocation[] } = {}): ShopState {
    const key = domain.toLowerCase();
    const existing = this.shops.get(key);
    if (existing) return existing;
    const shop = createShopState(this.ids, this.clock, key, { plan: this.defaultPlan, ...opts });
    this.shops.set(key, shop);
    for (const loc of opts.locations ?? [{ name: "Shop location" }]) this.addLocation(shop, loc);
    return shop;
  }

  setPlan(shop: ShopState, plan: PlanName): void {
    shop.plan = plan;
    shop.bucket.setPlan(plan);
  }

  addLocation(shop: ShopState, seed: SeedLocation, fulfillmentServiceId: number | null = null): LocationRec {
    const now = this.clock.iso();
    const loc: LocationRec = {
      id: this.ids.take(),
      name: seed.name,
      address: seed.address ?? { address1: "1 Main St", city: "Ottawa", province: "Ontario", provinceCode: "ON", country: "Canada", countryCode: "CA", zip: "K1A 0B1" },
      isActive: seed.isActive ?? true,
      fulfillsOnlineOrders: seed.fulfillsOnlineOrders ?? true,
      priority: seed.priority ?? shop.locations.size,
      fulfillmentServiceId,
      createdAt: now,
      updatedAt: now,
    };
    shop.locations.set(loc.id, loc);
    return loc;
  }

  resolveLocationId(shop: ShopState, ref: string | number): number {
    const n = typeof ref === "number" ? ref : Number(/(\d+)$/.exec(ref)?.[1]);
    if (!shop.locations.has(n)) throw new Error(`Unknown location ${ref}`);
    return n;
  }

  addProduct(shop: ShopState, seed: SeedProduct) {
    const now = this.clock.iso();
    const product = {
      id: this.ids.take(),
      title: seed.title,
      handle: slugify(seed.title),
      vendor: seed.vendor ?? shop.name,
      productType: seed.productType ?? "",
      status: seed.status ?? "ACTIVE",
      tags: seed.tags ?? [],
      variantIds: [] as number[],
      createdAt: now,
      updatedAt: now,
    };
    shop.products.set(product.id, product);
    const variants = seed.variants.map((sv, i) => {
      const itemId = this.ids.take();
      const variantId = this.ids.take();
      shop.inventoryItems.set(itemId, {
        id: itemId,
        variantId,
        sku: sv.sku,
        tracked: sv.tracked ?? true,
        requiresShipping: true,
        unitCost: sv.unitCost === null || sv.unitCost === undefined ? null : { amount: sv.unitCost, currencyCode: shop.currencyCode },
        createdAt: now,
        updatedAt: now,
      });
      const variant = {
        id: variantId,
        productId: product.id,
        title: sv.title ?? (seed.variants.length === 1 ? "Default Title" : sv.sku ?? `Variant ${i + 1}`),
        sku: sv.sku,
        barcode: sv.barcode ?? null,
        price: sv.price ?? "10.00",
        inventoryItemId: itemId,
        inventoryPolicy: sv.inventoryPolicy ?? "DENY",
        position: i + 1,
        grams: sv.grams ?? 500,
        createdAt: now,
        updatedAt: now,
      };
      shop.variants.set(variantId, variant);
      product.variantIds.push(variantId);
      for (const [locRef, quantities] of Object.entries(sv.levels ?? {})) {
        this.setLevel(shop, itemId, this.resolveLocationId(shop, locRef), quantities);
      }
      return variant;
    });
    return { product, variants };
  }

  /** Activates an item at a location (creating the level) and overwrites the given quantities. */
  setLevel(shop: ShopState, inventoryItemId: number, locationId: number, quantities: Partial<Record<StoredQuantityName, number>> = {}): LevelRec {
    const key = levelKey(inventoryItemId, locationId);
    const now = this.clock.iso();
    let level = shop.levels.get(key);
    if (!level) {
      level = { id: this.ids.take(), inventoryItemId, locationId, q: emptyQuantities(), updatedAtByName: {}, createdAt: now, updatedAt: now };
      shop.levels.set(key, level);
    }
    for (const [name, value] of Object.entries(quantities) as [StoredQuantityName, number][]) {
      level.q[name] = value;
      level.updatedAtByName[name] = now;
    }
    level.updatedAt = now;
    return level;
  }

  getLevel(shop: ShopState, inventoryItemId: number, locationId: number): LevelRec | undefined {
    return shop.levels.get(levelKey(inventoryItemId, locationId));
  }

  /** Applies a delta to one stored quantity and records oversells (available < 0 or committed > on_hand). */
  changeQuantity(shop: ShopState, level: LevelRec, name: StoredQuantityName, delta: number, cause: string): void {
    if (delta === 0) return;
    const now = this.clock.iso();
    level.q[name] += delta;
    level.updatedAtByName[name] = now;
    if (name !== "incoming") level.updatedAtByName.on_hand = now;
    level.updatedAt = now;
    this.checkOversell(shop, level, cause);
  }

  checkOversell(shop: ShopState, level: LevelRec, cause: string): void {
    const hand = onHand(level);
    if (level.q.available < 0 || level.q.committed > hand) {
      const item = shop.inventoryItems.get(level.inventoryItemId);
      shop.counters.oversells.push({
        at: this.clock.iso(),
        inventoryItemId: level.inventoryItemId,
        locationId: level.locationId,
        sku: item?.sku ?? null,
        available: level.q.available,
        committed: level.q.committed,
        onHand: hand,
        cause,
      });
    }
  }

  // ---- webhooks -------------------------------------------------------------------------------

  /** Resolved URIs by app URL and URI: resolving is a pure function of the two, asked for on every emit. */
  private readonly resolvedUrls = new Map<string, string>();

  resolveAppUrl(uri: string): string {
    if (/^https?:\/\//i.test(uri)) return uri;
    const key = `${this.app.appUrl}\n${uri}`;
    let url = this.resolvedUrls.get(key);
    if (url === undefined) {
      url = new URL(uri, this.app.appUrl.endsWith("/") ? this.app.appUrl : `${this.app.appUrl}/`).toString();
      if (this.resolvedUrls.size >= 1000) this.resolvedUrls.clear();
      this.resolvedUrls.set(key, url);
    }
    return url;
  }

  /**
   * Delivers `topic` (e.g. orders/create) to every app-config and API subscription of the shop.
   * `payload` may be given as a function: it is then built (once, now) only when someone subscribes
   * to the topic, as most of the topics a flash sale raises have no subscriber.
   */
  emit(shop: ShopState, topic: string, payload: unknown): void {
    const urls = new Set<string>();
    for (const sub of this.app.webhooks ?? []) {
      if (sub.topics.includes(topic)) urls.add(this.resolveAppUrl(sub.uri));
    }
    for (const sub of shop.webhookSubscriptions.values()) {
      if (topicFromEnum(sub.topic) === topic) urls.add(this.resolveAppUrl(sub.uri));
    }
    if (urls.size === 0) return;
    const body = typeof payload === "function" ? (payload as () => unknown)() : payload;
    for (const url of urls) this.webhooks.enqueue({ kind: "webhook", shop: shop.domain, topic, url, payload: body });
  }

  /** Fulfillment-service callback: POST <callbackUrl>/fulfillment_order_notification, signed like webhooks. */
  notifyFulfillmentService(shop: ShopState, service: FulfillmentServiceRec, kind: "FULFILLMENT_REQUEST" | "CANCELLATION_REQUEST"): void {
    if (!service.callbackUrl) return;
    const base = this.resolveAppUrl(service.callbackUrl).replace(/\/+$/, "");
    this.webhooks.enqueue({ kind: "fulfillment_service", shop: shop.domain, topic: kind, url: `${base}/fulfillment_order_notification`, payload: { kind } });
  }

  serviceForLocation(shop: ShopState, locationId: number): FulfillmentServiceRec | undefined {
    const loc = shop.locations.get(locationId);
    return loc?.fulfillmentServiceId ? shop.fulfillmentServices.get(loc.fulfillmentServiceId) : undefined;
  }

  /** Routing finished for new fulfillment orders: request fulfillment from 3PL locations, tell the app. */
  afterRouting(shop: ShopState, fos: FulfillmentOrderRec[]): void {
    for (const fo of fos) {
      const service = this.serviceForLocation(shop, fo.assignedLocationId);
      if (service && shop.autoRequestFulfillment && fo.requestStatus === "UNSUBMITTED") {
        this.submitFulfillmentRequest(shop, fo, null);
      }
      this.emit(shop, "fulfillment_orders/order_routing_complete", () => fulfillmentOrderRoutingPayload(fo));
    }
  }

  submitFulfillmentRequest(shop: ShopState, fo: FulfillmentOrderRec, message: string | null): void {
    const now = this.clock.iso();
    fo.requestStatus = "SUBMITTED";
    fo.updatedAt = now;
    fo.merchantRequests.push({ id: this.ids.take(), kind: "FULFILLMENT_REQUEST", message, requestOptions: { notify_customer: true }, responseData: null, sentAt: now });
    const service = this.serviceForLocation(shop, fo.assignedLocationId);
    if (service) this.notifyFulfillmentService(shop, service, "FULFILLMENT_REQUEST");
  }

  submitCancellationRequest(shop: ShopState, fo: FulfillmentOrderRec, message: string | null): void {
    const now = this.clock.iso();
    fo.requestStatus = "CANCELLATION_REQUESTED";
    fo.updatedAt = now;
    fo.merchantRequests.push({ id: this.ids.take(), kind: "CANCELLATION_REQUEST", message, requestOptions: {}, responseData: null, sentAt: now });
    const service = this.serviceForLocation(shop, fo.assignedLocationId);
    if (service) this.notifyFulfillmentService(shop, service, "CANCELLATION_REQUEST");
  }

  /** Gives back committed units of the unfulfilled part of a fulfillment order to available. */
  releaseCommitted(shop: ShopState, fo: FulfillmentOrderRec, cause: string): void {
    for (const li of fo.lineItems) {
      if (li.remainingQuantity <= 0) continue;
      const level = this.getLevel(shop, li.inventoryItemId, fo.assignedLocationId);
      if (level && this.isTracked(shop, li.inventoryItemId)) {
        this.changeQuantity(shop, level, "committed", -li.remainingQuantity, cause);
        this.changeQuantity(shop, level, "available", li.remainingQuantity, cause);
        this.emit(shop, "inventory_levels/update", inventoryLevelPayload(level));
      }
      li.remainingQuantity = 0;
    }
  }

  isTracked(shop: ShopState, inventoryItemId: number): boolean {
    return shop.inventoryItems.get(inventoryItemId)?.tracked ?? false;
  }
}

