import { type IncomingHttpHeaders, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { AccountSeed } from "./account";
import { checkResponse, checkWebhookBody } from "./openapi-check";
import { type WmsSimulator, type WmsSimulatorOptions, startWmsSimulator } from "./server";

/** A simulator for tests: fixed seed, no rate limit and fast webhook retries unless a test says otherwise. */
export function startTestSimulator(options: WmsSimulatorOptions = {}): Promise<WmsSimulator> {
  return startWmsSimulator({
    seed: 7,
    rateLimit: false,
    ...options,
    webhooks: { retryScheduleMs: [20, 40, 80], timeoutMs: 2_000, ...options.webhooks },
  });
}

export const ACME_KEY = "key_acme_test_0001";

export function acmeSeed(overrides: Partial<AccountSeed> = {}): AccountSeed {
  return {
    id: "acme",
    name: "Acme Home Goods",
    apiKey: ACME_KEY,
    warehouses: [
      { code: "LAX1", name: "Los Angeles 1", country_code: "US", address: { city: "Ontario", province_code: "CA", postal_code: "91761" }, latitude: 34.06, longitude: -117.65, timezone: "America/Los_Angeles" },
      { code: "RTM1", name: "Rotterdam 1", country_code: "NL", address: { city: "Rotterdam", postal_code: "3089" }, latitude: 51.89, longitude: 4.42, timezone: "Europe/Amsterdam" },
    ],
    skus: ["MUG-BLUE", "MUG-RED", "LAMP-OAK"],
    stock: [
      { warehouse: "LAX1", sku: "MUG-BLUE", sellable: 10 },
      { warehouse: "LAX1", sku: "MUG-RED", sellable: 5, damaged: 1 },
      { warehouse: "RTM1", sku: "LAMP-OAK", sellable: 7 },
    ],
    ...overrides,
  };
}

export const SHIP_TO = {
  name: "Ada Lovelace",
  address1: "12 Analytical Row",
  city: "Portland",
  province_code: "OR",
  postal_code: "97201",
  country_code: "US",
  email: "ada@example.com",
};

export function orderBody(reference: string, lines: { sku: string; quantity: number }[], warehouse = "LAX1"): Record<string, unknown> {
  return { external_reference: reference, order_number: `#${reference.slice(-4)}`, warehouse, shipping_method: "standard", ship_to: SHIP_TO, lines };
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * A minimal protocol client. Every /v1 answer is checked against the OpenAPI document, so each
 * contract test also proves the document describes what the simulator does.
 */
export class WmsTestClient {
  constructor(
    readonly baseUrl: string,
    readonly apiKey: string | null = ACME_KEY,
  ) {}

  withKey(apiKey: string | null): WmsTestClient {
    return new WmsTestClient(this.baseUrl, apiKey);
  }

  get<T = any>(path: string, init: { signal?: AbortSignal } = {}): Promise<ApiResponse<T>> {
    return this.request<T>("GET", path, { signal: init.signal });
  }

  post<T = any>(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    return this.request<T>("POST", path, { body: body === undefined ? undefined : JSON.stringify(body), headers });
  }

  createOrder<T = any>(body: Record<string, unknown>, idempotencyKey = `idem-${String(body.external_reference)}`): Promise<ApiResponse<T>> {
    return this.post<T>("/v1/outbound-orders", body, { "idempotency-key": idempotencyKey });
  }

  async request<T = any>(
    method: string,
    path: string,
    init: { body?: string; headers?: Record<string, string>; signal?: AbortSignal } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...(init.body !== undefined ? { "content-type": "application/json" } : {}), ...init.headers };
    if (this.apiKey !== null) headers.authorization = `Bearer ${this.apiKey}`;
    const response = await fetch(new URL(path, this.baseUrl), { method, headers, body: init.body, signal: init.signal });
    const text = await response.text();
    const body = text === "" ? undefined : (JSON.parse(text) as T);
    const pathname = new URL(path, this.baseUrl).pathname;
    if (pathname.startsWith("/v1/")) {
      const problems = checkResponse(method, pathname, response.status, body);
      if (problems.length > 0) {
        throw new Error(`${method} ${path} -> ${response.status} does not match the OpenAPI document:\n${problems.join("\n")}\n${text}`);
      }
    }
    return { status: response.status, headers: response.headers, body: body as T };
  }
}

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: { id: string; topic: string; occurred_at: string; data: any };
  receivedAt: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Deliveries whose body does not match the OpenAPI document; tests expect it empty. */
  schemaProblems: string[];
  /** Resolves once `count` deliveries have arrived (any status), or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

/** A subscriber endpoint; `respond` picks the status for the nth delivery (0-based), default 200. */
export async function startWebhookReceiver(respond: (n: number, hook: ReceivedWebhook) => number = () => 200): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const schemaProblems: string[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const hook: ReceivedWebhook = { headers: req.headers, rawBody, body: JSON.parse(rawBody), receivedAt: Date.now() };
      schemaProblems.push(...checkWebhookBody(hook.body.topic, hook.body).map((p) => `${hook.body.topic} ${p}`));
      const status = respond(received.length, hook);
      received.push(hook);
      res.writeHead(status).end();
      for (const waiter of waiters.filter((w) => received.length >= w.count)) waiter.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    schemaProblems,
    waitFor(count, timeoutMs = 3_000) {
      if (received.length >= count) return Promise.resolve(received);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${count} webhooks, got ${received.length}`)), timeoutMs);
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(received);
          },
        });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns true; timer-driven behaviour is asserted this way, not with fixed sleeps. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(5);
  }
}
