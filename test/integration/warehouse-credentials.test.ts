import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { forShop } from "~/db/tenant.server";
import { createWarehouseConnection, warehouseCredentials } from "~/models/warehouse-connection.server";
import { log, setLogSink } from "~/observability/logger.server";

const ALPHA = "alpha.myshopify.com";
const BETA = "beta.myshopify.com";
const SECRET = "sk_live_9f8e7d6c5b4a-warehouse-api-key";

describe("warehouse credentials at rest", () => {
  let lines: string[] = [];
  let restore: ReturnType<typeof setLogSink>;
  const level = process.env.LOG_LEVEL;

  beforeEach(async () => {
    await db.warehouseConnection.deleteMany({});
    lines = [];
    process.env.LOG_LEVEL = "debug";
    restore = setLogSink((line) => lines.push(line));
  });
  afterEach(() => {
    setLogSink(restore);
    process.env.LOG_LEVEL = level;
  });

  it("are stored encrypted: the database row does not contain the secret", async () => {
    const connection = await createWarehouseConnection(ALPHA, { name: "LA 3PL", provider: "generic", credentials: { apiKey: SECRET, baseUrl: "https://wms.example" } });
    const row = await db.warehouseConnection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(row.encryptedCredentials).toMatch(/^v1\./);
    expect(row.encryptedCredentials).not.toContain(SECRET);
    expect(JSON.stringify(row)).not.toContain(SECRET);
    expect(JSON.stringify(connection)).not.toContain(SECRET);
    expect(await warehouseCredentials(ALPHA, connection.id)).toEqual({ apiKey: SECRET, baseUrl: "https://wms.example" });
  });

  it("copied to another shop's row, the ciphertext does not decrypt", async () => {
    const connection = await createWarehouseConnection(ALPHA, { name: "LA 3PL", provider: "generic", credentials: { apiKey: SECRET } });
    const row = await db.warehouseConnection.findUniqueOrThrow({ where: { id: connection.id } });
    const stolen = await forShop(BETA).warehouseConnection.create({
      data: { shop: BETA, name: "LA 3PL", provider: "generic", encryptedCredentials: row.encryptedCredentials },
    });
    await expect(warehouseCredentials(BETA, stolen.id)).rejects.toThrow(/could not be decrypted/);
    await expect(warehouseCredentials(BETA, connection.id)).rejects.toThrow(/does not exist/);
  });

  it("are never logged, even when code logs them by mistake", async () => {
    await createWarehouseConnection(ALPHA, { name: "LA 3PL", provider: "generic", credentials: { apiKey: SECRET } });
    log.error(`warehouse answered 401 for key ${SECRET}`, { request: { headers: { authorization: `Bearer ${SECRET}` } }, note: `retrying with ${SECRET}` });
    log.warn("failure", { error: new Error(`bad key ${SECRET}`) });
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.join("\n")).not.toContain(SECRET);
    expect(lines.join("\n")).toContain("[redacted]");
  });
});
