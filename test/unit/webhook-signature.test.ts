// The web-api adapter reads headers from a Fetch Request, which is what Remix hands our routes.
import "@shopify/shopify-api/adapters/web-api";
import { shopifyApi, ApiVersion } from "@shopify/shopify-api";
import { getHmac } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import { shopifyWebhookHmac, verifyShopifyWebhookHmac } from "~/webhooks/signature.server";

const SECRET = "hush";
const body = JSON.stringify({ id: 1, note: "ünïcödé 盘点" });

describe("Shopify webhook HMAC", () => {
  it("matches shopify-api's own signature", () => {
    expect(shopifyWebhookHmac(body, SECRET)).toBe(getHmac(body, SECRET));
  });

  it("a signature we accept is accepted by shopify-api's webhook validation", async () => {
    const api = shopifyApi({ apiKey: "k", apiSecretKey: SECRET, apiVersion: ApiVersion.July26, hostName: "localhost:3000", isEmbeddedApp: true });
    const request = new Request("http://localhost:3000/webhooks/orders/create", {
      method: "POST",
      headers: {
        "X-Shopify-Hmac-Sha256": shopifyWebhookHmac(body, SECRET),
        "X-Shopify-Topic": "orders/create",
        "X-Shopify-API-Version": "2026-07",
        "X-Shopify-Shop-Domain": "alpha.myshopify.com",
        "X-Shopify-Webhook-Id": "w1",
        "X-Shopify-Event-Id": "e1",
        "X-Shopify-Triggered-At": new Date().toISOString(),
      },
      body,
    });
    const result = await api.webhooks.validate({ rawBody: body, rawRequest: request });
    expect(result).toMatchObject({ valid: true, domain: "alpha.myshopify.com", topic: "ORDERS_CREATE" });
    expect(verifyShopifyWebhookHmac(body, shopifyWebhookHmac(body, SECRET), [SECRET])).toBe(true);
  });

  it("refuses another secret, a changed body, garbage and a missing header", () => {
    const hmac = getHmac(body, SECRET);
    expect(verifyShopifyWebhookHmac(body, hmac, ["other"])).toBe(false);
    expect(verifyShopifyWebhookHmac(body + " ", hmac, [SECRET])).toBe(false);
    expect(verifyShopifyWebhookHmac(body, "not-base64!!", [SECRET])).toBe(false);
    expect(verifyShopifyWebhookHmac(body, null, [SECRET])).toBe(false);
  });

  it("accepts the previous secret while it rotates", () => {
    expect(verifyShopifyWebhookHmac(body, getHmac(body, "old"), [SECRET, "old"])).toBe(true);
  });
});
