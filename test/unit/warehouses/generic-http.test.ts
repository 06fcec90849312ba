import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { WmsSimulator } from "../../sim/wms/server";
import { setLogSink } from "~/observability/logger.server";
import { WarehouseApiError } from "~/warehouses/connector";
import { createGenericConnector } from "~/warehouses/generic/connector.server";
import { API_KEY, acmeSeed, closedPort, connectorFor, memoryRecorder, recordedSleep, startSimulator } from "./support";

let sim: WmsSimulator;

beforeEach(async () => {
  sim = await startSimulator();
  sim.createAccount(acmeSeed());
});
afterEach(() => sim.stop());

describe("generic warehouse: rate limits", () => {
  it("a 429 is waited out for Retry-After seconds, then the call succeeds", async () => {
    sim.faults.set({ tooManyRequests: { times: 1, retryAfterSeconds: 1 } });
    const recorder = memoryRecorder();
    const started = Date.now();

    const warehouses = await connectorFor(sim, { recorder }).listWarehouses();

    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(warehouses).toHaveLength(2);
    expect(sim.faults.stats.tooManyRequests).toBe(1);
    expect(recorder.calls).toEqual([{ operation: "GET /v1/warehouses", outcome: "ok", latencyMs: expect.any(Number), throttleWaitMs: 1_000 }]);
  });

  it("waits exactly what Retry-After says, not the backoff", async () => {
    sim.faults.set({ tooManyRequests: { times: 2, retryAfterSeconds: 3 } });
    const { sleep, waits } = recordedSleep();
    await connectorFor(sim, { sleep }).listWarehouses();
    expect(waits).toEqual([3_000, 3_000]);
  });

  it("a burst beyond the warehouse's real rate limit is slowed down, not failed", async () => {
    sim.rateLimit.configure({ requestsPerSecond: 20, burst: 2 });
    const recorder = memoryRecorder();
    const connector = connectorFor(sim, { recorder });

    const results = await Promise.all(Array.from({ length: 5 }, () => connector.listWarehouses()));

    expect(results.every((warehouses) => warehouses.length === 2)).toBe(true);
    expect(recorder.calls.some((call) => (call.throttleWaitMs ?? 0) > 0)).toBe(true);
    expect(recorder.calls.every((call) => call.outcome === "ok")).toBe(true);
  });

  it("still rate-limited after every attempt: a rate-limit error the merchant can read, recorded as throttled", async () => {
    sim.faults.set({ tooManyRequests: { retryAfterSeconds: 1 } });
    const recorder = memoryRecorder();
    const { sleep, waits } = recordedSleep();
    const connector = connectorFor(sim, { recorder, sleep, retry: { maxAttempts: 3 } });

    const error = await connector.listWarehouses().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(WarehouseApiError);
    expect(error).toMatchObject({ status: 429, code: "rate_limited", retryable: true });
    expect((error as Error).message).toMatch(/is limiting how fast TallySync may call it \(too many requests\)/);
    expect(waits).toEqual([1_000, 1_000]);
    expect(recorder.calls).toEqual([{ operation: "GET /v1/warehouses", outcome: "throttled", latencyMs: expect.any(Number), throttleWaitMs: 2_000 }]);
  });

  it("a Retry-After longer than the bound is not waited out", async () => {
    sim.faults.set({ tooManyRequests: { retryAfterSeconds: 120 } });
    const { sleep, waits } = recordedSleep();
    await expect(connectorFor(sim, { sleep, retry: { maxRetryAfterMs: 60_000 } }).listWarehouses()).rejects.toMatchObject({ status: 429 });
    expect(waits).toEqual([]);
    expect(sim.faults.stats.tooManyRequests).toBe(1);
  });
});

describe("generic warehouse: server errors and timeouts", () => {
  it("a 503 is retried with growing, jittered backoff and then succeeds", async () => {
    sim.faults.set({ serverError: { times: 2, status: 503 } });
    const { sleep, waits } = recordedSleep();
    const recorder = memoryRecorder();

    const warehouses = await connectorFor(sim, { sleep, recorder, random: () => 1, retry: { baseDelayMs: 100, maxDelayMs: 1_000 } }).listWarehouses();

    expect(warehouses).toHaveLength(2);
    expect(sim.faults.stats.serverError).toBe(2);
    expect(waits).toEqual([100, 200]);
    expect(recorder.calls).toEqual([{ operation: "GET /v1/warehouses", outcome: "ok", latencyMs: expect.any(Number), throttleWaitMs: 0 }]);
  });

  it("a warehouse that keeps failing is tried a bounded number of times, then reported with its words", async () => {
    sim.faults.set({ serverError: { status: 500 } });
    const connector = connectorFor(sim, { sleep: recordedSleep().sleep, retry: { maxAttempts: 3 } });

    const error = await connector.listWarehouses().catch((caught: unknown) => caught);

    expect(sim.faults.stats.serverError).toBe(3);
    expect(error).toMatchObject({ status: 500, code: "internal_error", retryable: true });
    expect((error as Error).message).toBe(
      `The warehouse at ${new URL(sim.url).host} had a server error (HTTP 500): Injected server error; retry with backoff (internal_error). It may be down or overloaded.`,
    );
  });

  it("a hung request is abandoned at the timeout and retried", async () => {
    sim.faults.set({ hang: { times: 1 } });
    const started = Date.now();

    const warehouses = await connectorFor(sim, { timeoutMs: 150 }).listWarehouses();

    expect(warehouses).toHaveLength(2);
    expect(sim.faults.stats.hang).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it("a warehouse that never answers fails with a timeout the merchant can read", async () => {
    sim.faults.set({ hang: {} });
    const error = await connectorFor(sim, { timeoutMs: 100, retry: { maxAttempts: 2 } })
      .listWarehouses()
      .catch((caught: unknown) => caught);
    expect(sim.faults.stats.hang).toBe(2);
    expect(error).toMatchObject({ code: "timeout", retryable: true, status: null });
    expect((error as Error).message).toBe(`The warehouse at ${new URL(sim.url).host} did not answer within 100 ms.`);
  });

  it("a 4xx is not retried and carries the warehouse's message, code and field", async () => {
    const recorder = memoryRecorder();
    const connector = connectorFor(sim, { recorder });
    const error = await connector
      .createOutboundOrder({ externalReference: "fo-1", warehouseCode: "NOPE", lines: [{ sku: "MUG-BLUE", quantity: 1 }], shipTo: { name: "A", address1: "1 Road", city: "X", countryCode: "US" } })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 422, code: "unknown_warehouse", retryable: false });
    expect((error as Error).message).toBe(
      `The warehouse at ${new URL(sim.url).host} refused the request: Warehouse NOPE does not exist in this account (unknown_warehouse, field warehouse).`,
    );
    expect(recorder.calls).toHaveLength(1);
  });
});

describe("generic warehouse: connection test", () => {
  it("a refused API key gives the merchant's message, and the connection test reports it with a latency", async () => {
    const connector = createGenericConnector({ baseUrl: sim.url, apiKey: "sk_wrong" });

    await expect(connector.listWarehouses()).rejects.toMatchObject({
      message: "The warehouse refused the API key. Check the key in Settings > Warehouses.",
      status: 401,
      retryable: false,
    });
    const result = await connector.testConnection();
    expect(result).toEqual({
      ok: false,
      latencyMs: expect.any(Number),
      warehouses: [],
      error: "The warehouse refused the API key. Check the key in Settings > Warehouses.",
    });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("a working connection reports its warehouses and latency", async () => {
    sim.faults.set({ latencyMs: 30 });
    const result = await connectorFor(sim).testConnection();
    expect(result.ok).toBe(true);
    expect(result.warehouses.map((warehouse) => warehouse.code)).toEqual(["LAX1", "RTM1"]);
    expect(result.latencyMs).toBeGreaterThanOrEqual(25);
    expect(result.error).toBeUndefined();
  });

  it("an unreachable host is named in the error, and the test does not throw", async () => {
    const port = await closedPort();
    const connector = createGenericConnector({ baseUrl: `http://127.0.0.1:${port}`, apiKey: API_KEY });
    const result = await connector.testConnection();
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(new RegExp(`^Could not reach the warehouse at 127\\.0\\.0\\.1:${port}: the connection was refused`));
  });

  it("a base URL that is not a TallySync warehouse asks the merchant to check it", async () => {
    const connector = createGenericConnector({ baseUrl: `${sim.url}/not-here`, apiKey: API_KEY });
    const result = await connector.testConnection();
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/refused the request: No endpoint GET \/not-here\/v1\/warehouses \(not_found\)/);
  });
});

describe("generic warehouse: call recording and logs", () => {
  it("the recorder receives one entry per call, named by endpoint, with outcome and latency", async () => {
    const recorder = memoryRecorder();
    const connector = connectorFor(sim, { recorder });
    const shipTo = { name: "Ada", address1: "1 Road", city: "Portland", countryCode: "US" };

    await connector.listWarehouses();
    await connector.readStock();
    await connector.createOutboundOrder({ externalReference: "fo-9", warehouseCode: "LAX1", lines: [{ sku: "MUG-BLUE", quantity: 1 }], shipTo });
    await connector.cancelOutboundOrder("fo-9");
    await connector.readStockChanges("expired").catch(() => undefined);

    expect(recorder.calls.map(({ operation, outcome }) => `${operation} ${outcome}`)).toEqual([
      "GET /v1/warehouses ok",
      "GET /v1/inventory ok",
      "POST /v1/outbound-orders ok",
      "GET /v1/outbound-orders ok",
      "POST /v1/outbound-orders/{id}/cancel ok",
      "GET /v1/inventory/changes error",
    ]);
    for (const call of recorder.calls) expect(call.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("credentials never appear in the logs, even when calls fail", async () => {
    const lines: string[] = [];
    const previousSink = setLogSink((line) => lines.push(line));
    const previousLevel = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = "debug";
    const webhookSecret = "whsec_never_in_logs_0123456789";
    try {
      sim.faults.set({ serverError: { times: 1, status: 502 } });
      const connector = connectorFor(sim, { webhookSecret, sleep: recordedSleep().sleep });
      await connector.listWarehouses();
      await createGenericConnector({ baseUrl: sim.url, apiKey: "sk_refused_key_77777" }).listWarehouses().catch(() => undefined);
      await createGenericConnector({ baseUrl: `http://127.0.0.1:${await closedPort()}`, apiKey: API_KEY, retry: { maxAttempts: 1 } }).testConnection();
      connector.verifyWebhook(new Headers({ "x-tallysync-signature": "t=1,v1=00" }), "{}");
    } finally {
      setLogSink(previousSink);
      process.env.LOG_LEVEL = previousLevel;
    }

    expect(lines.length).toBeGreaterThanOrEqual(3);
    const logged = lines.join("\n");
    expect(logged).toContain("Warehouse call");
    for (const secret of [API_KEY, "sk_refused_key_77777", webhookSecret, "Bearer"]) expect(logged).not.toContain(secret);
  });
});
