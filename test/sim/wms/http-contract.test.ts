import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type WmsSimulator, startWmsSimulator } from "./server";
import { ACME_KEY, SHIP_TO, WmsTestClient, acmeSeed, orderBody, startTestSimulator } from "./test-support";

let sim: WmsSimulator;
let api: WmsTestClient;

beforeEach(async () => {
  sim = await startTestSimulator();
  sim.createAccount(acmeSeed());
  sim.createAccount(acmeSeed({ id: "globex", apiKey: "key_globex_test_0001", stock: [] }));
  api = new WmsTestClient(sim.url);
});
afterEach(() => sim.stop());

describe("authentication", () => {
  it("answers 401 unauthorized with WWW-Authenticate when the key is missing or unknown", async () => {
    for (const key of [null, "not-a-key"]) {
      const res = await api.withKey(key).get("/v1/warehouses");
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("unauthorized");
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
  });

  it("scopes every answer to the key's account", async () => {
    const mine = await api.get("/v1/inventory?sku=MUG-BLUE&warehouse=LAX1");
    const theirs = await api.withKey("key_globex_test_0001").get("/v1/inventory?sku=MUG-BLUE&warehouse=LAX1");
    expect([mine.body.data[0].sellable, theirs.body.data[0].sellable]).toEqual([10, 0]);
    const order = await api.createOrder(orderBody("fo-1", [{ sku: "MUG-BLUE", quantity: 1 }]));
    expect((await api.withKey("key_globex_test_0001").get(`/v1/outbound-orders/${order.body.id}`)).status).toBe(404);
  });

  it("lists the account's warehouses with code, country, address and coordinates", async () => {
    const res = await api.get("/v1/warehouses");
    expect(res.body.data.map((w: any) => [w.code, w.country_code, w.latitude, w.longitude])).toEqual([
      ["LAX1", "US", 34.06, -117.65],
      ["RTM1", "NL", 51.89, 4.42],
    ]);
  });
});

describe("request validation", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["missing ship_to", { ...orderBody("fo-v1", [{ sku: "MUG-BLUE", quantity: 1 }]), ship_to: undefined }, "ship_to"],
    ["lowercase country", orderBody("fo-v2", [{ sku: "MUG-BLUE", quantity: 1 }]), "ship_to.country_code"],
    ["zero quantity", orderBody("fo-v3", [{ sku: "MUG-BLUE", quantity: 0 }]), "lines[0].quantity"],
    ["fractional quantity", orderBody("fo-v4", [{ sku: "MUG-BLUE", quantity: 1.5 }]), "lines[0].quantity"],
    ["no lines", orderBody("fo-v5", []), "lines"],
    ["missing reference", { ...orderBody("x", [{ sku: "MUG-BLUE", quantity: 1 }]), external_reference: undefined }, "external_reference"],
    ["line without sku", orderBody("fo-v6", [{ quantity: 1 } as never]), "lines[0].sku"],
  ];
  cases[1]![1].ship_to = { ...SHIP_TO, country_code: "us" };

  it.each(cases)("answers 400 validation_error naming the field (%s)", async (_name, body, field) => {
    const res = await api.createOrder(body, "k");
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "validation_error", field });
    expect(res.body.error.message).toContain(field);
  });

  it("requires the Idempotency-Key header on order creation", async () => {
    const res = await api.post("/v1/outbound-orders", orderBody("fo-v7", [{ sku: "MUG-BLUE", quantity: 1 }]));
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe("Idempotency-Key");
  });

  it("answers 400 invalid_json to a body that is not JSON", async () => {
    const res = await api.request("POST", "/v1/outbound-orders", { body: "{not json", headers: { "idempotency-key": "k", "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_json");
  });

  it("answers 400 to out-of-range paging parameters", async () => {
    const res = await api.get("/v1/inventory?limit=0");
    expect(res.body.error).toMatchObject({ code: "validation_error", field: "limit" });
  });

  it("answers 404 not_found to unknown endpoints and 405 with Allow to a wrong method", async () => {
    const unknown = await fetch(`${sim.url}/v1/nothing-here`, { headers: { authorization: `Bearer ${ACME_KEY}` } });
    expect(unknown.status).toBe(404);
    const wrong = await fetch(`${sim.url}/v1/warehouses`, { method: "DELETE", headers: { authorization: `Bearer ${ACME_KEY}` } });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET");
    expect(((await wrong.json()) as any).error.code).toBe("method_not_allowed");
  });
});

describe("rate limits", () => {
  it("limits each account separately, answering 429 rate_limited with Retry-After once the burst is spent", async () => {
    sim.rateLimit.configure({ requestsPerSecond: 0.5, burst: 5 });
    const burst = await Promise.all(Array.from({ length: 7 }, () => api.get("/v1/warehouses")));
    expect(burst.filter((r) => r.status === 200)).toHaveLength(5);
    const limited = burst.filter((r) => r.status === 429);
    expect(limited).toHaveLength(2);
    for (const res of limited) {
      expect(res.body.error.code).toBe("rate_limited");
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(res.headers.get("x-ratelimit-remaining")).toBe("0");
    }
    expect((await api.withKey("key_globex_test_0001").get("/v1/warehouses")).status).toBe(200);
  });

  it("refills the bucket over time", async () => {
    sim.rateLimit.configure({ requestsPerSecond: 4, burst: 1 });
    expect((await api.get("/v1/warehouses")).status).toBe(200);
    expect((await api.get("/v1/warehouses")).status).toBe(429);
    await new Promise((r) => setTimeout(r, 300));
    expect((await api.get("/v1/warehouses")).status).toBe(200);
  });

  it("allows 10 requests/s with a burst of 20 by default", async () => {
    const defaults = await startWmsSimulator({ accounts: [acmeSeed()] });
    try {
      const client = new WmsTestClient(defaults.url);
      const statuses = (await Promise.all(Array.from({ length: 30 }, () => client.get("/v1/warehouses")))).map((r) => r.status);
      // 20 from the burst, plus at most a token or two refilled (10/s) while the requests arrive.
      const ok = statuses.filter((s) => s === 200).length;
      expect(ok).toBeGreaterThanOrEqual(20);
      expect(ok).toBeLessThanOrEqual(22);
      expect(statuses.filter((s) => s === 429)).toHaveLength(30 - ok);
    } finally {
      await defaults.stop();
    }
  });
});

describe("fault injection", () => {
  it("injects 429 with Retry-After on every Nth request", async () => {
    sim.faults.set({ tooManyRequests: { everyNth: 3, retryAfterSeconds: 2 } });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await api.get("/v1/warehouses");
      statuses.push(res.status);
      if (res.status === 429) expect(res.headers.get("retry-after")).toBe("2");
    }
    expect(statuses).toEqual([200, 200, 429, 200, 200, 429]);
  });

  it("injects 5xx only on matching paths, and never applies a failed request", async () => {
    sim.faults.set({ serverError: { pathPrefix: "/v1/outbound-orders", status: 503, times: 1 } });
    const failed = await api.createOrder(orderBody("fo-f1", [{ sku: "MUG-BLUE", quantity: 1 }]));
    expect(failed.status).toBe(503);
    expect(failed.body.error.code).toBe("service_unavailable");
    expect(sim.account("acme").orders.list()).toHaveLength(0);
    expect((await api.get("/v1/warehouses")).status).toBe(200);
    expect((await api.createOrder(orderBody("fo-f1", [{ sku: "MUG-BLUE", quantity: 1 }]))).status).toBe(201);
  });

  it("replays the same probabilistic faults for the same seed", async () => {
    async function run(seed: number): Promise<number[]> {
      const s = await startTestSimulator({ seed, accounts: [acmeSeed()], faults: { serverError: { probability: 0.4 } } });
      try {
        const client = new WmsTestClient(s.url);
        const out: number[] = [];
        for (let i = 0; i < 15; i++) out.push((await client.get("/v1/warehouses")).status);
        return out;
      } finally {
        await s.stop();
      }
    }
    const [a, b] = [await run(99), await run(99)];
    expect(a).toEqual(b);
    expect(a).toContain(503);
    expect(a).toContain(200);
  });

  it("hangs a request until the client gives up, then serves the next one", async () => {
    sim.faults.set({ hang: { times: 1 } });
    const started = Date.now();
    await expect(api.get("/v1/warehouses", { signal: AbortSignal.timeout(150) })).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect((await api.get("/v1/warehouses")).status).toBe(200);
  });

  it("adds latency", async () => {
    sim.faults.set({ latencyMs: 80 });
    const started = Date.now();
    await api.get("/v1/warehouses");
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
  });
});
