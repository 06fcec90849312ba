import http from "node:http";
import type { AddressInfo } from "node:net";
import { startShopifySimulator, type ShopifySimulator, type ShopifySimulatorOptions } from "./server";

export const API_KEY = "test-api-key";
export const API_SECRET = "test-api-secret";
export const SHOP = "tally-test.myshopify.com";

export interface ReceivedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  at: number;
  req: http.IncomingMessage;
}

/** A stand-in app endpoint that records deliveries; `respond` decides status (or hangs with "hang"). */
export interface Receiver {
  url: string;
  received: ReceivedRequest[];
  respond: (r: ReceivedRequest) => number | "hang";
  waitFor(count: number, timeoutMs?: number, pred?: (r: ReceivedRequest) => boolean): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: ReceivedRequest[] = [];
  const hung: http.ServerResponse[] = [];
  const receiver: Receiver = {
    url: "",
    received,
    respond: () => 200,
    async waitFor(count, timeoutMs = 5000, pred = () => true) {
      const deadline = Date.now() + timeoutMs;
      while (received.filter(pred).length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} requests, got ${received.filter(pred).length}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      return received.filter(pred);
    },
    async close() {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const entry: ReceivedRequest = { path: req.url ?? "/", headers: req.headers, rawBody: Buffer.concat(chunks).toString("utf8"), at: Date.now(), req };
      received.push(entry);
      const status = receiver.respond(entry);
      if (status === "hang") {
        hung.push(res);
        return;
      }
      res.writeHead(status, { "Content-Type": "text/plain" });
      res.end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}

export interface Fixture {
  sim: ShopifySimulator;
  receiver: Receiver;
  token: string;
  locationId: string;
  items: { sku: string | null; variantId: string; inventoryItemId: string }[];
  close(): Promise<void>;
}

/** One shop with one location and two products (SKU-A: 10 available, SKU-B: 3 available). */
export async function startFixture(overrides: Partial<ShopifySimulatorOptions> = {}): Promise<Fixture> {
  const receiver = await startReceiver();
  const sim = await startShopifySimulator({
    app: { apiKey: API_KEY, apiSecret: API_SECRET, appUrl: receiver.url, handle: "tallysync", webhooks: [{ topics: ["orders/create", "orders/cancelled", "inventory_levels/update", "fulfillment_orders/order_routing_complete"], uri: "/webhooks" }] },
    timeScale: 1 / 10000,
    deliveryTimeoutMs: 1000,
    seed: 42,
    ...overrides,
  });
  const shop = sim.addShop({ domain: SHOP, locations: [{ name: "Main warehouse" }] });
  const locationId = `gid://shopify/Location/${[...shop.locations.keys()][0]}`;
  const a = sim.addProduct(SHOP, { title: "Widget", variants: [{ sku: "SKU-A", barcode: "111", unitCost: "4.50", levels: { [locationId]: { available: 10 } } }] });
  const b = sim.addProduct(SHOP, { title: "Gadget", variants: [{ sku: "SKU-B", barcode: "222", levels: { [locationId]: { available: 3 } } }] });
  const token = sim.issueAccessToken(SHOP);
  return {
    sim,
    receiver,
    token,
    locationId,
    items: [...a.variants, ...b.variants],
    async close() {
      await sim.stop();
      await receiver.close();
    },
  };
}
