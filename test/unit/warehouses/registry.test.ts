import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { WmsSimulator } from "../../sim/wms/server";
import { WarehouseConnectionError, createConnector } from "~/warehouses/registry.server";
import { API_KEY, acmeSeed, startSimulator } from "./support";

describe("warehouse connector registry", () => {
  let sim: WmsSimulator;
  beforeEach(async () => {
    sim = await startSimulator();
    sim.createAccount(acmeSeed());
  });
  afterEach(() => sim.stop());

  it("a generic connection becomes a working protocol connector", async () => {
    const connector = createConnector("generic", { baseUrl: sim.url, apiKey: API_KEY });
    expect(connector.provider).toBe("generic");
    expect(connector.capabilities).toEqual({ webhooks: true, stockAdjustments: true });
    expect((await connector.testConnection()).ok).toBe(true);
  });

  it("providers not built yet are refused by name", () => {
    expect(() => createConnector("shipbob", {})).toThrow("ShipBob connections are not available yet.");
    expect(() => createConnector("fourpx", {})).toThrow("4PX connections are not available yet.");
    expect(() => createConnector("shiphero", {})).toThrow(WarehouseConnectionError);
  });

  it("a generic connection without a base URL or key says which is missing", () => {
    expect(() => createConnector("generic", { apiKey: API_KEY })).toThrow(/has no base URL/);
    expect(() => createConnector("generic", { baseUrl: sim.url, apiKey: " " })).toThrow(/has no API key/);
    expect(() => createConnector("generic", { baseUrl: "wms.example.com", apiKey: API_KEY })).toThrow(/is not an http\(s\) address/);
  });
});
