import http from "node:http";
import type { AddressInfo } from "node:net";
import type { GraphQLSchema } from "graphql";
import { appBridgeScript, hostParam, renderShell, signAdminQuery } from "./admin-shell";
import { JwtError, ONLINE_TTL_SEC, OFFLINE_EXPIRING_TTL_SEC, REFRESH_TOKEN_TTL_SEC, sessionTokenClaims, signJwt, TokenStore, verifyJwt } from "./auth";
import type { PlanName } from "./bucket";
import { SimClock } from "./clock";
import { ShopifyCore, type AppConfig, type SeedLocation, type SeedProduct } from "./core";
import { Faults, mulberry32, type FaultConfig } from "./faults";
import { gid, idOf } from "./gid";
import { handleGraphQL, requestId } from "./graphql-handler";
import { cancelOrder, createFulfillmentEvent, placeOrder, type CheckoutInput, type CheckoutResult, type FulfillmentEventInput } from "./orders";
import { fulfillmentEventPayload } from "./payloads";
import { loadAdminSchema } from "./schema";
import { onHand, type ShopState, type StoredQuantityName } from "./state";
import { DEFAULT_DELIVERY_TIMEOUT_MS, DEFAULT_RETRY_DELAYS_MS, WebhookSender, type DeliveryLog } from "./webhooks";

export interface ShopSeed {
  domain: string;
  plan?: PlanName;
  name?: string;
  locations?: SeedLocation[];
  autoRequestFulfillment?: boolean;
}

export interface ShopifySimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Version the simulator reports in webhooks; requests may name any version in their URL. */
  apiVersion?: string;
  app: AppConfig;
  /** Multiplies webhook retry delays (1/10000 turns Shopify's ~4 h schedule into ~1.4 s). */
  timeScale?: number;
  /** Webhook endpoint timeout in real ms (Shopify: 5 s). */
  deliveryTimeoutMs?: number;
  retryDelaysMs?: number[];
  defaultPlan?: PlanName;
  /** Seed for probabilistic faults. */
  seed?: number;
  shops?: (string | ShopSeed)[];
  /** Staff user id put in session tokens' `sub`. */
  userId?: string;
}

/** The carrier's tracking update: `status` is a FulfillmentEventStatus value (IN_TRANSIT, DELIVERED, ...). */
export type CarrierEventInput = FulfillmentEventInput;

export type CarrierEventResult =
  /** `event` is the REST FulfillmentEvent resource, as in the fulfillment_events/create webhook. */
  | { ok: true; event: Record<string, unknown> }
  | { ok: false; reason: "NOT_FOUND" | "INVALID" | "CANCELLED"; message: string };

export interface LevelSnapshot extends Record<StoredQuantityName | "on_hand", number> {}

export interface ShopifySimulator {
  url: string;
  port: number;
  apiVersion: string;
  schema: GraphQLSchema;
  state: ShopifyCore;
  faults: Faults;
  clock: SimClock;
  tokens: TokenStore;
  webhooks: { log: DeliveryLog[]; idle(timeoutMs?: number): Promise<void>; releaseHeld(): void };
  stop(): Promise<void>;
  addShop(seed: string | ShopSeed): ShopState;
  shop(domain: string): ShopState;
  addLocation(shop: string, seed: SeedLocation): { id: string; numericId: number };
  addProduct(shop: string, seed: SeedProduct): { productId: string; variants: { variantId: string; inventoryItemId: string; sku: string | null }[] };
  setLevel(shop: string, inventoryItemId: string, locationId: string, quantities: Partial<Record<StoredQuantityName, number>>): void;
  level(shop: string, inventoryItemId: string, locationId: string): LevelSnapshot | null;
  issueAccessToken(shop: string, opts?: { kind?: "offline" | "online"; expiresInSec?: number | null; token?: string }): string;
  sessionToken(shop: string, opts?: { userId?: string; ttlSec?: number }): string;
  placeOrder(shop: string, input: CheckoutInput): CheckoutResult;
  cancelOrder(shop: string, orderId: string): { ok: boolean; errors: string[] };
  /** Shopify's own tracking update for a carrier it follows (gid or numeric fulfillment id); same path as fulfillmentEventCreate. */
  carrierEvent(shop: string, fulfillmentId: string | number, input: CarrierEventInput): CarrierEventResult;
  counters(shop: string): ShopState["counters"];
  graphqlUrl(shop: string, version?: string): string;
  adminUrl(shop: string, path?: string): string;
  /** Convenience client: POSTs to the shop's GraphQL endpoint and returns the parsed body. */
  graphql<T = any>(shop: string, token: string, query: string, variables?: Record<string, unknown>, version?: string): Promise<{ status: number; body: T }>;
  advance(ms: number): void;
}

const INVALID_TOKEN_BODY = { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" };

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "Content-Type": typeof body === "string" ? "text/plain; charset=utf-8" : "application/json; charset=utf-8", ...headers });
  res.end(text);
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseFormOrJson(raw: string, contentType: string | undefined): Record<string, string> {
  if (contentType?.includes("application/json")) {
    try {
      const obj = JSON.parse(raw || "{}") as Record<string, unknown>;
      return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, v === null || v === undefined ? "" : String(v)]));
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

function shopFromHost(hostHeader: string | undefined): string | null {
  const host = (hostHeader ?? "").split(":")[0]!.toLowerCase();
  if (host.endsWith(".myshopify.com")) return host;
  const m = /^([a-z0-9][a-z0-9-]*)\.localhost$/.exec(host);
  return m ? `${m[1]}.myshopify.com` : null;
}

function numericId(ref: string | number): number {
  return typeof ref === "number" ? ref : Number(/(\d+)(?:\?.*)?$/.exec(ref)?.[1]);
}

export async function startShopifySimulator(options: ShopifySimulatorOptions): Promise<ShopifySimulator> {
  const apiVersion = options.apiVersion ?? "2026-07";
  const schema = loadAdminSchema();
  const clock = new SimClock();
  const faults = new Faults(options.seed === undefined ? Math.random : mulberry32(options.seed));
  const app: AppConfig = { ...options.app };
  const sender = new WebhookSender(clock, faults, {
    apiVersion,
    timeoutMs: options.deliveryTimeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS,
    timeScale: options.timeScale ?? 1,
    retryDelaysMs: options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
    secret: () => app.apiSecret,
  });
  const core = new ShopifyCore(clock, faults, sender, app, apiVersion, options.defaultPlan ?? "standard");
  const tokens = new TokenStore();
  const userId = options.userId ?? "902541635";
  const scope = app.scopes ?? "read_products,write_inventory,read_inventory,read_orders,write_fulfillments,read_assigned_fulfillment_orders,write_assigned_fulfillment_orders,read_locations,write_products";
  const hanging = new Set<http.ServerResponse>();

  const addShop = (seed: string | ShopSeed) => {
    const s = typeof seed === "string" ? { domain: seed } : seed;
    return core.addShop(s.domain, { plan: s.plan, name: s.name, locations: s.locations, autoRequestFulfillment: s.autoRequestFulfillment });
  };
  for (const s of options.shops ?? []) addShop(s);

  const sessionToken = (shop: string, opts: { userId?: string; ttlSec?: number } = {}) =>
    signJwt({ ...sessionTokenClaims(shop, app.apiKey, opts.userId ?? userId, Math.floor(clock.now() / 1000), opts.ttlSec) }, app.apiSecret);

  const issueAccessToken: ShopifySimulator["issueAccessToken"] = (shop, opts = {}) => {
    core.requireShop(shop);
    const kind = opts.kind ?? "offline";
    const ttl = opts.expiresInSec === undefined ? (kind === "online" ? ONLINE_TTL_SEC : null) : opts.expiresInSec;
    return tokens.issue({ token: opts.token, shop: shop.toLowerCase(), kind, scope, expiresAt: ttl === null ? null : clock.now() + ttl * 1000, userId: kind === "online" ? userId : null }).token;
  };

  function oauthError(res: http.ServerResponse, error: string, description: string, status = 400) {
    send(res, status, { error, error_description: description });
  }

  async function handleAccessToken(req: http.IncomingMessage, res: http.ServerResponse, pathShop: string | null) {
    const form = parseFormOrJson(await readBody(req), req.headers["content-type"]);
    if (faults.take("oauth5xx")) return send(res, 503, { errors: "Service Unavailable" });
    if (form.client_id !== app.apiKey || form.client_secret !== app.apiSecret) return oauthError(res, "invalid_client", "Client authentication failed.", 401);
    const now = clock.now();
    const offlineResponse = (shop: string, expiring: boolean) => {
      if (!expiring) {
        const rec = tokens.issue({ shop, kind: "offline", scope, expiresAt: null, userId: null });
        return { access_token: rec.token, scope };
      }
      const rec = tokens.issue({ shop, kind: "offline", scope, expiresAt: now + OFFLINE_EXPIRING_TTL_SEC * 1000, userId: null });
      const refresh = tokens.issueRefresh(shop, scope, now);
      return { access_token: rec.token, scope, expires_in: OFFLINE_EXPIRING_TTL_SEC, refresh_token: refresh.token, refresh_token_expires_in: REFRESH_TOKEN_TTL_SEC };
    };
    switch (form.grant_type) {
      case "urn:ietf:params:oauth:grant-type:token-exchange": {
        if (form.subject_token_type && form.subject_token_type !== "urn:ietf:params:oauth:token-type:id_token") {
          return oauthError(res, "invalid_request", "Unsupported subject_token_type.");
        }
        let claims: Record<string, unknown>;
        try {
          claims = verifyJwt(form.subject_token ?? "", app.apiSecret, Math.floor(now / 1000));
        } catch (err) {
          return oauthError(res, "invalid_subject_token", `The subject token is invalid: ${(err as JwtError).message}.`);
        }
        if (claims.aud !== app.apiKey) return oauthError(res, "invalid_subject_token", "The subject token audience does not match the client.");
        const shop = new URL(String(claims.dest)).hostname;
        if (!core.getShop(shop) || (pathShop && pathShop !== shop)) return oauthError(res, "invalid_subject_token", "The subject token does not belong to this shop.");
        if (form.requested_token_type === "urn:shopify:params:oauth:token-type:online-access-token") {
          const rec = tokens.issue({ shop, kind: "online", scope, expiresAt: now + ONLINE_TTL_SEC * 1000, userId: String(claims.sub) });
          return send(res, 200, {
            access_token: rec.token,
            scope,
            expires_in: ONLINE_TTL_SEC,
            associated_user_scope: scope,
            session: String(claims.sid ?? ""),
            account_number: 0,
            associated_user: { id: Number(claims.sub), first_name: "Sim", last_name: "Staff", email: `staff+${String(claims.sub)}@example.com`, account_owner: true, locale: "en", collaborator: false, email_verified: true },
          });
        }
        if (form.requested_token_type && form.requested_token_type !== "urn:shopify:params:oauth:token-type:offline-access-token") {
          return oauthError(res, "invalid_request", "Unsupported requested_token_type.");
        }
        return send(res, 200, offlineResponse(shop, form.expiring !== "0"));
      }
      case "refresh_token": {
        const rec = tokens.refresh.get(form.refresh_token ?? "");
        if (!rec || rec.expiresAt <= now || (pathShop && rec.shop !== pathShop)) return oauthError(res, "invalid_grant", "The refresh token is invalid or expired.");
        // Refresh tokens rotate: the old one is spent.
        tokens.refresh.delete(rec.token);
        return send(res, 200, offlineResponse(rec.shop, true));
      }
      case "client_credentials": {
        const shop = pathShop ?? shopFromHost(req.headers.host);
        if (!shop || !core.getShop(shop)) return oauthError(res, "invalid_request", "Unknown shop.");
        const r = tokens.issue({ shop, kind: "offline", scope, expiresAt: now + ONLINE_TTL_SEC * 1000, userId: null });
        return send(res, 200, { access_token: r.token, scope, expires_in: ONLINE_TTL_SEC });
      }
      default:
        return oauthError(res, "unsupported_grant_type", `Unsupported grant_type ${form.grant_type ?? ""}.`);
    }
  }

  async function handleAdminApi(req: http.IncomingMessage, res: http.ServerResponse, pathShop: string | null, version: string) {
    const raw = await readBody(req);
    const token = req.headers["x-shopify-access-token"] as string | undefined;
    const hostShop = pathShop ?? shopFromHost(req.headers.host);
    const rec = tokens.check(token, hostShop, clock.now());
    if (!rec) return send(res, 401, INVALID_TOKEN_BODY);
    const shop = core.getShop(rec.shop);
    if (!shop) return send(res, 404, { errors: "Not Found" });
    if (faults.take("apiTimeout")) {
      hanging.add(res);
      const hangMs = faults.peek("apiTimeout")?.hangMs;
      if (hangMs) {
        setTimeout(() => {
          hanging.delete(res);
          res.destroy();
        }, hangMs).unref();
      }
      return;
    }
    if (faults.take("api5xx")) {
      const status = faults.peek("api5xx")?.status ?? 503;
      return send(res, status, { errors: status === 503 ? "Service Unavailable" : "Internal Server Error" });
    }
    const result = await handleGraphQL(core, schema, shop, version, raw);
    send(res, result.status, result.body, { "X-Request-Id": requestId(), "X-Shopify-API-Version": version });
  }

  function shellFor(res: http.ServerResponse, shopDomain: string, handle: string, subpath: string, search: string) {
    const shop = core.getShop(shopDomain);
    if (!shop) return send(res, 404, `Unknown shop ${shopDomain}`);
    if (handle !== (app.handle ?? app.apiKey) && handle !== app.apiKey) return send(res, 404, `Unknown app ${handle}`);
    const params: Record<string, string> = {
      embedded: "1",
      host: hostParam(shop.domain),
      id_token: sessionToken(shop.domain),
      locale: "en",
      session: sessionTokenClaims(shop.domain, app.apiKey, userId, 0).sid,
      shop: shop.domain,
      timestamp: String(Math.floor(clock.now() / 1000)),
    };
    for (const [k, v] of new URLSearchParams(search)) params[k] = v;
    params.hmac = signAdminQuery(params, app.apiSecret);
    const appBase = app.appUrl.replace(/\/+$/, "");
    const iframeSrc = `${appBase}${subpath || "/"}?${new URLSearchParams(params).toString()}`;
    const html = renderShell({
      shop: shop.domain,
      shopName: shop.name,
      appName: app.handle ?? "App",
      iframeSrc,
      appOrigin: new URL(appBase).origin,
      tokenEndpoint: `/sim/admin/session-token?shop=${encodeURIComponent(shop.domain)}`,
    });
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(html);
  }

  async function handleControl(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> {
    const p = url.pathname;
    const method = req.method ?? "GET";
    const json = async () => {
      const raw = await readBody(req);
      return raw ? (JSON.parse(raw) as Record<string, any>) : {};
    };
    let m: RegExpExecArray | null;
    if (p === "/sim/health") return send(res, 200, { ok: true, apiVersion }), true;
    if (p === "/sim/faults") {
      if (method === "GET") return send(res, 200, { faults: faults.get(), fired: faults.stats() }), true;
      if (method === "DELETE") return faults.reset(), send(res, 200, { faults: faults.get() }), true;
      faults.set((await json()) as FaultConfig);
      return send(res, 200, { faults: faults.get() }), true;
    }
    if (p === "/sim/webhooks/log") return send(res, 200, { deliveries: sender.log }), true;
    if (p === "/sim/webhooks/release-held" && method === "POST") return sender.releaseHeld(), send(res, 200, { ok: true }), true;
    if (p === "/sim/clock/advance" && method === "POST") {
      const body = await json();
      clock.advance(Number(body.ms ?? 0));
      return send(res, 200, { now: clock.iso() }), true;
    }
    if (p === "/sim/admin/session-token") {
      const shop = url.searchParams.get("shop") ?? "";
      if (!core.getShop(shop)) return send(res, 404, { error: "unknown shop" }, { "Access-Control-Allow-Origin": "*" }), true;
      return send(res, 200, { token: sessionToken(shop) }, { "Access-Control-Allow-Origin": "*", "Cache-Control": "no-store" }), true;
    }
    if (p === "/sim/shops" && method === "POST") {
      const body = await json();
      const shop = addShop(body as ShopSeed);
      return send(res, 200, { domain: shop.domain, id: gid("Shop", shop.id), locations: [...shop.locations.values()].map((l) => ({ id: gid("Location", l.id), name: l.name })) }), true;
    }
    if (p === "/sim/shops" && method === "GET") return send(res, 200, { shops: [...core.shops.keys()] }), true;
    if ((m = /^\/sim\/bulk\/([^/]+)\/(\d+)\.jsonl$/.exec(p))) {
      const op = core.getShop(m[1]!)?.bulkOperations.get(Number(m[2]));
      if (!op?.jsonl) return send(res, 404, "Not Found"), true;
      res.writeHead(200, { "Content-Type": "application/jsonl" });
      res.end(op.jsonl);
      return true;
    }
    if (!(m = /^\/sim\/shops\/([^/]+)(\/.*)?$/.exec(p))) return false;
    const shop = core.getShop(decodeURIComponent(m[1]!));
    if (!shop) return send(res, 404, { error: `unknown shop ${m[1]}` }), true;
    const rest = m[2] ?? "";
    if (rest === "/state" && method === "GET") return send(res, 200, snapshot(shop)), true;
    if (rest === "/counters" && method === "GET") return send(res, 200, shop.counters), true;
    if (rest === "/plan" && method === "POST") return core.setPlan(shop, (await json()).plan), send(res, 200, { plan: shop.plan }), true;
    if (rest === "/locations" && method === "POST") return send(res, 200, sim.addLocation(shop.domain, (await json()) as SeedLocation)), true;
    if (rest === "/products" && method === "POST") return send(res, 200, sim.addProduct(shop.domain, (await json()) as SeedProduct)), true;
    if (rest === "/levels" && method === "POST") {
      const body = await json();
      sim.setLevel(shop.domain, body.inventoryItemId, body.locationId, body.quantities ?? {});
      return send(res, 200, sim.level(shop.domain, body.inventoryItemId, body.locationId)), true;
    }
    if (rest === "/tokens" && method === "POST") {
      const body = await json();
      return send(res, 200, { access_token: issueAccessToken(shop.domain, { kind: body.kind, expiresInSec: body.expiresInSec }) }), true;
    }
    if (rest === "/session-token" && method === "GET") return send(res, 200, { token: sessionToken(shop.domain) }), true;
    if (rest === "/checkout" && method === "POST") {
      const result = placeOrder(core, shop, (await json()) as CheckoutInput);
      if (!result.ok) return send(res, 422, { ok: false, reason: result.reason, message: result.message, lines: result.lines ?? [] }), true;
      return send(res, 201, { ok: true, order: { id: gid("Order", result.order.id), name: result.order.name }, fulfillmentOrders: result.fulfillmentOrders.map((f) => gid("FulfillmentOrder", f.id)), locationId: gid("Location", result.locationId) }), true;
    }
    if ((m = /^\/fulfillments\/([^/]+)\/events$/.exec(rest)) && method === "POST") {
      const out = sim.carrierEvent(shop.domain, decodeURIComponent(m[1]!), (await json()) as CarrierEventInput);
      if (out.ok) return send(res, 201, { fulfillment_event: out.event }), true;
      return send(res, { NOT_FOUND: 404, INVALID: 400, CANCELLED: 422 }[out.reason], { error: out.message, reason: out.reason }), true;
    }
    if ((m = /^\/orders\/([^/]+)\/cancel$/.exec(rest)) && method === "POST") {
      const out = sim.cancelOrder(shop.domain, decodeURIComponent(m[1]!));
      return send(res, out.ok ? 200 : 422, out), true;
    }
    return false;
  }

  function snapshot(shop: ShopState) {
    return {
      domain: shop.domain,
      plan: shop.plan,
      throttleStatus: shop.bucket.status(),
      locations: [...shop.locations.values()].map((l) => ({ id: gid("Location", l.id), name: l.name, isActive: l.isActive, fulfillmentService: l.fulfillmentServiceId ? gid("FulfillmentService", l.fulfillmentServiceId) : null })),
      levels: [...shop.levels.values()].map((l) => ({
        inventoryItemId: gid("InventoryItem", l.inventoryItemId),
        sku: shop.inventoryItems.get(l.inventoryItemId)?.sku ?? null,
        locationId: gid("Location", l.locationId),
        ...l.q,
        on_hand: onHand(l),
      })),
      orders: [...shop.orders.values()].map((o) => ({ id: gid("Order", o.id), name: o.name, cancelledAt: o.cancelledAt, fulfillmentStatus: o.fulfillmentStatus })),
      fulfillmentOrders: [...shop.fulfillmentOrders.values()].map((f) => ({ id: gid("FulfillmentOrder", f.id), orderId: gid("Order", f.orderId), locationId: gid("Location", f.assignedLocationId), status: f.status, requestStatus: f.requestStatus })),
      counters: shop.counters,
    };
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      const p = url.pathname;
      let m: RegExpExecArray | null;
      try {
        if (req.method === "OPTIONS") {
          res.writeHead(204, { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "*", "Access-Control-Allow-Methods": "GET,POST,DELETE,OPTIONS" });
          return res.end();
        }
        if (p === "/cdn/app-bridge.js" || p === "/shopifycloud/app-bridge.js") {
          res.writeHead(200, { "Content-Type": "application/javascript; charset=utf-8", "Access-Control-Allow-Origin": "*" });
          return res.end(appBridgeScript());
        }
        if ((m = /^(?:\/shops\/([^/]+))?\/admin\/api\/([\w-]+)\/graphql\.json$/.exec(p)) && req.method === "POST") {
          return await handleAdminApi(req, res, m[1] ? decodeURIComponent(m[1]).toLowerCase() : null, m[2]!);
        }
        if ((m = /^(?:\/shops\/([^/]+))?\/admin\/oauth\/access_token$/.exec(p)) && req.method === "POST") {
          return await handleAccessToken(req, res, m[1] ? decodeURIComponent(m[1]).toLowerCase() : null);
        }
        if ((m = /^\/admin\/shops\/([^/]+)\/apps\/([^/]+)(\/.*)?$/.exec(p)) && req.method === "GET") {
          return shellFor(res, decodeURIComponent(m[1]!).toLowerCase(), decodeURIComponent(m[2]!), m[3] ?? "", url.search);
        }
        if ((m = /^\/store\/([^/]+)\/apps\/([^/]+)(\/.*)?$/.exec(p)) && req.method === "GET") {
          return shellFor(res, `${decodeURIComponent(m[1]!).toLowerCase()}.myshopify.com`, decodeURIComponent(m[2]!), m[3] ?? "", url.search);
        }
        if (p.startsWith("/sim/") && (await handleControl(req, res, url))) return;
        send(res, 404, { errors: "Not Found" });
      } catch (err) {
        if (!res.headersSent) send(res, 500, { errors: `Simulator error: ${(err as Error).message}` });
        else res.destroy();
      }
    })();
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host ?? "127.0.0.1"}:${port}`;
  core.baseUrl = url;

  const sim: ShopifySimulator = {
    url,
    port,
    apiVersion,
    schema,
    state: core,
    faults,
    clock,
    tokens,
    webhooks: { log: sender.log, idle: (t) => sender.idle(t), releaseHeld: () => sender.releaseHeld() },
    async stop() {
      sender.stop();
      clock.stop();
      for (const res of hanging) res.destroy();
      hanging.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    addShop,
    shop: (domain) => core.requireShop(domain),
    addLocation(shopDomain, seed) {
      const loc = core.addLocation(core.requireShop(shopDomain), seed);
      return { id: gid("Location", loc.id), numericId: loc.id };
    },
    addProduct(shopDomain, seed) {
      const { product, variants } = core.addProduct(core.requireShop(shopDomain), seed);
      return { productId: gid("Product", product.id), variants: variants.map((v) => ({ variantId: gid("ProductVariant", v.id), inventoryItemId: gid("InventoryItem", v.inventoryItemId), sku: v.sku })) };
    },
    setLevel(shopDomain, inventoryItemId, locationId, quantities) {
      const shop = core.requireShop(shopDomain);
      const level = core.setLevel(shop, numericId(inventoryItemId), numericId(locationId), quantities);
      core.checkOversell(shop, level, "seed");
    },
    level(shopDomain, inventoryItemId, locationId) {
      const level = core.getLevel(core.requireShop(shopDomain), numericId(inventoryItemId), numericId(locationId));
      return level ? { ...level.q, on_hand: onHand(level) } : null;
    },
    issueAccessToken,
    sessionToken,
    placeOrder: (shopDomain, input) => placeOrder(core, core.requireShop(shopDomain), input),
    cancelOrder(shopDomain, orderId) {
      const out = cancelOrder(core, core.requireShop(shopDomain), numericId(orderId));
      return { ok: out.userErrors.length === 0, errors: out.userErrors.map((e) => e.message) };
    },
    carrierEvent(shopDomain, fulfillmentId, input) {
      const shop = core.requireShop(shopDomain);
      // A gid must name a Fulfillment; a bare number is taken as the fulfillment's id.
      const id = typeof fulfillmentId === "number" ? fulfillmentId : /^\d+$/.test(fulfillmentId) ? Number(fulfillmentId) : idOf(fulfillmentId, "Fulfillment");
      const status = typeof input?.status === "string" ? input.status : "";
      const out = createFulfillmentEvent(core, shop, id, { ...input, status });
      if (out.event) return { ok: true, event: fulfillmentEventPayload(shop, out.event) };
      const err = out.userErrors[0]!;
      return { ok: false, reason: (err.code ?? "INVALID") as "NOT_FOUND" | "INVALID" | "CANCELLED", message: err.message };
    },
    counters: (shopDomain) => core.requireShop(shopDomain).counters,
    graphqlUrl: (shopDomain, version = apiVersion) => `${url}/shops/${shopDomain}/admin/api/${version}/graphql.json`,
    adminUrl: (shopDomain, path = "") => `${url}/admin/shops/${shopDomain}/apps/${app.handle ?? app.apiKey}${path}`,
    async graphql(shopDomain, token, query, variables, version = apiVersion) {
      const res = await fetch(sim.graphqlUrl(shopDomain, version), {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: await res.json() };
    },
    advance: (ms) => clock.advance(ms),
  };
  return sim;
}
