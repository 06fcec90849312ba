import { type IncomingHttpHeaders, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { AccountSeed } from "../../sim/wms/account";
import { type WmsSimulator, type WmsSimulatorOptions, startWmsSimulator } from "../../sim/wms/server";
import type { ApiCallRecorder } from "~/warehouses/connector";
import { type GenericConnectorOptions, createGenericConnector } from "~/warehouses/generic/connector.server";

export const API_KEY = "sk_test_acme_do_not_log_4242";

export function startSimulator(options: WmsSimulatorOptions = {}): Promise<WmsSimulator> {
  return startWmsSimulator({ seed: 11, rateLimit: false, webhooks: { retryScheduleMs: [20, 40, 80], timeoutMs: 2_000 }, ...options });
}

export function acmeSeed(overrides: Partial<AccountSeed> = {}): AccountSeed {
  return {
    id: "acme",
    apiKey: API_KEY,
    warehouses: [
      { code: "LAX1", name: "Los Angeles 1", country_code: "US", latitude: 34.06, longitude: -117.65 },
      { code: "RTM1", name: "Rotterdam 1", country_code: "NL", latitude: 51.89, longitude: 4.42 },
    ],
    stock: [
      { warehouse: "LAX1", sku: "MUG-BLUE", sellable: 10 },
      { warehouse: "LAX1", sku: "MUG-RED", sellable: 5, damaged: 1 },
      { warehouse: "RTM1", sku: "LAMP-OAK", sellable: 7 },
    ],
    ...overrides,
  };
}

export type RecordedCall = Parameters<ApiCallRecorder["record"]>[0];

export function memoryRecorder(): ApiCallRecorder & { calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  return { calls, record: (call) => calls.push(call) };
}

/** Waits are recorded, not spent, so retry tests stay fast and can assert how long they would wait. */
export function recordedSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

export function connectorFor(sim: WmsSimulator, options: Partial<GenericConnectorOptions> = {}) {
  return createGenericConnector({ baseUrl: sim.url, apiKey: API_KEY, retry: { baseDelayMs: 5, maxDelayMs: 20 }, ...options });
}

export const SHIP_TO = { name: "Ada Lovelace", address1: "12 Analytical Row", city: "Portland", provinceCode: "OR", postalCode: "97201", countryCode: "US" };

export interface CapturedDelivery {
  headers: Headers;
  rawBody: string;
}

/** A local HTTP endpoint that the simulator can deliver webhooks to; it keeps every delivery. */
export async function startWebhookReceiver(): Promise<{ url: string; deliveries: CapturedDelivery[]; stop(): Promise<void> }> {
  const deliveries: CapturedDelivery[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      deliveries.push({ headers: toHeaders(req.headers), rawBody: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/wms/conn_1`,
    deliveries,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function toHeaders(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (typeof value === "string") headers.set(name, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
  }
  return headers;
}

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
