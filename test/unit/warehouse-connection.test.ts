import { describe, expect, it } from "vitest";
import { validateNewConnection } from "../../app/models/warehouse-connection";

const valid = { provider: "generic", name: "Acme 3PL", baseUrl: "https://wms.acme.example/", apiKey: "sk_live_123" };

describe("validateNewConnection", () => {
  it("accepts a complete generic connection, trimming the name and the base URL's trailing slash", () => {
    expect(validateNewConnection({ ...valid, name: "  Acme 3PL " })).toEqual({
      values: { provider: "generic", name: "Acme 3PL", baseUrl: "https://wms.acme.example", apiKey: "sk_live_123" },
    });
  });

  it("requires every field", () => {
    expect(validateNewConnection({})).toEqual({
      errors: {
        provider: "warehouses.errors.providerRequired",
        name: "warehouses.errors.nameRequired",
        baseUrl: "warehouses.errors.baseUrlRequired",
        apiKey: "warehouses.errors.apiKeyRequired",
      },
    });
  });

  it("refuses providers that are only coming soon, and unknown ones", () => {
    expect(validateNewConnection({ ...valid, provider: "shipbob" }).errors).toEqual({ provider: "warehouses.errors.providerUnavailable" });
    expect(validateNewConnection({ ...valid, provider: "acme" }).errors).toEqual({ provider: "warehouses.errors.providerRequired" });
  });

  it("accepts only http(s) web addresses without credentials in them", () => {
    for (const baseUrl of ["wms.acme.example", "ftp://wms.acme.example", "https://user:pw@wms.acme.example", "javascript:alert(1)", "https://"]) {
      expect(validateNewConnection({ ...valid, baseUrl }).errors, baseUrl).toEqual({ baseUrl: "warehouses.errors.baseUrlInvalid" });
    }
    expect(validateNewConnection({ ...valid, baseUrl: "http://127.0.0.1:4010" }).values?.baseUrl).toBe("http://127.0.0.1:4010");
  });

  it("refuses a name another connected warehouse uses, whatever its case", () => {
    expect(validateNewConnection(valid, ["ACME 3pl"]).errors).toEqual({ name: "warehouses.errors.nameTaken" });
    expect(validateNewConnection(valid, ["Other"]).values).toBeDefined();
  });

  it("refuses over-long names and API keys with spaces", () => {
    expect(validateNewConnection({ ...valid, name: "x".repeat(81) }).errors).toEqual({ name: "warehouses.errors.nameTooLong" });
    expect(validateNewConnection({ ...valid, apiKey: "sk live" }).errors).toEqual({ apiKey: "warehouses.errors.apiKeyInvalid" });
  });

  it("ignores values that are not text (a file upload in the form)", () => {
    expect(validateNewConnection({ ...valid, apiKey: new Blob(["x"]) }).errors).toEqual({ apiKey: "warehouses.errors.apiKeyRequired" });
  });
});
