import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseYamlSubset } from "./mini-yaml";
import { SPEC_PATH, checkResponse, checkWebhookBody, loadSpec, resolveRef, validateSchema } from "./openapi-check";
import { ERROR_CODES, MOVEMENT_TYPES, ORDER_STATUSES, WEBHOOK_TOPICS } from "./protocol";
import { type WmsSimulator, startWmsSimulator } from "./server";

const spec = loadSpec();
let sim: WmsSimulator;

beforeAll(async () => {
  sim = await startWmsSimulator({ rateLimit: false });
});
afterAll(() => sim.stop());

const enumOf = (name: string) => (spec.components.schemas[name] as { enum: unknown[] }).enum;

describe("the protocol document", () => {
  it("is OpenAPI 3.1 with a webhooks section", () => {
    expect(spec.openapi).toBe("3.1.0");
    expect(Object.keys(spec.webhooks).length).toBeGreaterThan(0);
  });

  it("describes every endpoint the simulator serves, and the simulator serves every documented endpoint", () => {
    const served = sim.routes.api.map((r) => `${r.method} ${r.path}`).sort();
    const documented = Object.entries(spec.paths)
      .flatMap(([path, item]) => Object.keys(item).filter((k) => ["get", "post", "put", "patch", "delete"].includes(k)).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(served);
  });

  it("lists the same error codes, webhook topics, order statuses and movement types as the simulator", () => {
    expect(enumOf("ErrorCode")).toEqual([...ERROR_CODES]);
    expect(enumOf("WebhookTopic")).toEqual([...WEBHOOK_TOPICS]);
    expect(Object.keys(spec.webhooks)).toEqual([...WEBHOOK_TOPICS]);
    expect(enumOf("OrderStatus")).toEqual([...ORDER_STATUSES]);
    expect(enumOf("MovementType")).toEqual([...MOVEMENT_TYPES]);
    for (const code of ERROR_CODES) expect(spec.info.description, code).toContain(`\`${code}\``);
  });

  it("lists shipment.delivered wherever the shipment topics are listed, and documents delivered_at as an optional nullable date-time", () => {
    const shipmentTopics = WEBHOOK_TOPICS.filter((t) => t.startsWith("shipment."));
    expect(shipmentTopics).toEqual(["shipment.created", "shipment.updated", "shipment.delivered"]);
    const shipmentEvent = spec.components.schemas.ShipmentEvent as any;
    expect(shipmentEvent.properties.topic.enum).toEqual(shipmentTopics);
    expect((spec.webhooks["shipment.delivered"]?.post as any).requestBody.content["application/json"].schema.$ref).toBe("#/components/schemas/ShipmentEvent");
    const subscribeExample = (spec.paths["/v1/webhooks"]?.post as any).requestBody.content["application/json"].example;
    expect(subscribeExample.topics).toEqual([...WEBHOOK_TOPICS]);
    const shipment = spec.components.schemas.Shipment as any;
    expect(shipment.properties.delivered_at).toMatchObject({ type: ["string", "null"], format: "date-time" });
    expect(shipment.properties.delivered_at.description).toContain("Time the carrier reported the parcel delivered, null until then");
    // Optional: servers written against 1.0.0 do not send it, and stay valid.
    expect(shipment.required).not.toContain("delivered_at");
    expect((spec.paths["/v1/shipments"]?.get as any).description).toContain("A shipment whose tracking changes gets a new `sequence` and shows up again after the cursor.");
    expect((spec.paths["/v1/shipments"]?.get as any).description).toMatch(/reports delivered: it gets a new `sequence`/);
  });

  it("documents 401 and 429 on every operation, and 400 on every operation that takes input", () => {
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const responses = (operation as { responses: Record<string, unknown> }).responses;
        const where = `${method.toUpperCase()} ${path}`;
        expect(Object.keys(responses), where).toEqual(expect.arrayContaining(["401", "429"]));
        const takesInput = method === "post" || ((operation as { parameters?: unknown[] }).parameters ?? []).length > 0;
        if (takesInput && !path.endsWith("{id}")) expect(Object.keys(responses), where).toContain("400");
      }
    }
  });

  it("has no dangling $ref", () => {
    const refs: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (typeof node === "object" && node !== null) {
        for (const [key, value] of Object.entries(node)) {
          if (key === "$ref" && typeof value === "string") refs.push(value);
          else walk(value);
        }
      }
    };
    walk(spec);
    expect(refs.length).toBeGreaterThan(50);
    for (const ref of refs) expect(() => resolveRef(spec, ref), ref).not.toThrow();
  });

  it("has examples that satisfy their own schemas", () => {
    const examples: [string, unknown, unknown][] = [];
    const walk = (node: unknown, where: string): void => {
      if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${where}[${i}]`));
      else if (typeof node === "object" && node !== null) {
        const obj = node as Record<string, unknown>;
        if (obj.schema && obj.example !== undefined && !("in" in obj)) examples.push([where, obj.schema, obj.example]);
        for (const [key, value] of Object.entries(obj)) walk(value, `${where}/${key}`);
      }
    };
    walk(spec.paths, "paths");
    walk(spec.webhooks, "webhooks");
    walk(spec.components.responses, "responses");
    expect(examples.length).toBeGreaterThan(10);
    for (const [where, schema, example] of examples) expect(validateSchema(spec, schema, example, "$"), where).toEqual([]);
  });

  it("spells out the webhook signature scheme and the 5-minute replay window", () => {
    const text = spec.info.description;
    expect(text).toContain("X-TallySync-Signature: t=<unix seconds>,v1=<hex>");
    expect(text).toContain("`<t>.<raw body>`");
    expect(text).toContain("300 seconds (5 minutes)");
    expect(text).toContain("10 requests per second, with bursts of up to 20");
  });

  it("is read the same by the test parser as by a full YAML parser would (spot checks)", () => {
    const doc = parseYamlSubset(readFileSync(SPEC_PATH, "utf8")) as typeof spec;
    const param = (doc.components as any).parameters.WebhookSignature;
    expect(param.schema.pattern).toBe("^t=\\d+(,v1=[0-9a-f]{64})+$");
    expect((doc.paths["/v1/warehouses"] as any).get.responses["200"].content["application/json"].example.data[0].address.postal_code).toBe("91761");
  });
});

describe("the conformance checker used by every contract test", () => {
  it("accepts a documented shipment.delivered body and rejects one whose delivered_at is not a date-time or whose topic is unknown", () => {
    const body = { id: "evt_1", topic: "shipment.delivered", occurred_at: "2026-11-04T15:02:10.000Z", data: { id: "sh_1", sequence: 2, order_id: "ob_1", external_reference: "fo", warehouse: "LAX1", carrier: "UPS", service: null, tracking_number: "1Z1", tracking_url: "https://www.ups.com/track?tracknum=1Z1", lines: [], shipped_at: "2026-11-02T09:00:00.000Z", updated_at: "2026-11-04T15:02:00.000Z", delivered_at: "2026-11-04T15:02:00.000Z" } };
    expect(checkWebhookBody("shipment.delivered", body)).toEqual([]);
    expect(checkWebhookBody("shipment.delivered", { ...body, data: { ...body.data, delivered_at: "yesterday" } })).toEqual(["$.data.delivered_at: yesterday is not a date-time"]);
    expect(checkWebhookBody("shipment.delivered", { ...body, topic: "shipment.arrived" }).length).toBeGreaterThan(0);
  });

  it("rejects an undocumented status and a body that breaks the schema", () => {
    expect(checkResponse("GET", "/v1/warehouses", 418, {})).toEqual(["GET /v1/warehouses does not document status 418"]);
    expect(checkResponse("GET", "/v1/inventory", 200, { data: [{ sku: "A" }], next_cursor: null, changes_cursor: "c" }).length).toBeGreaterThan(0);
    expect(checkResponse("GET", "/v1/inventory", 200, { data: [], next_cursor: null, changes_cursor: "c" })).toEqual([]);
    expect(checkResponse("POST", "/v1/outbound-orders/ob_1/cancel", 409, { error: { code: "nope", message: "m", request_id: "r" } })).toEqual([
      '$.error.code: "nope" is not one of ' + ERROR_CODES.join(", "),
    ]);
  });
});
