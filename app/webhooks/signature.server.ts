// Shopify signs each webhook with HMAC-SHA256 over the raw request body, keyed with the app's
// client secret, base64-encoded in X-Shopify-Hmac-Sha256.
import { createHmac, timingSafeEqual } from "node:crypto";

export function shopifyWebhookHmac(rawBody: string | Buffer, secret: string): string {
  return createHmac("sha256", secret).update(rawBody).digest("base64");
}

export function verifyShopifyWebhookHmac(rawBody: string | Buffer, header: string | null, secrets: string[]): boolean {
  if (!header) return false;
  const received = Buffer.from(header, "base64");
  for (const secret of secrets) {
    const expected = Buffer.from(shopifyWebhookHmac(rawBody, secret), "base64");
    if (received.length === expected.length && timingSafeEqual(received, expected)) return true;
  }
  return false;
}
