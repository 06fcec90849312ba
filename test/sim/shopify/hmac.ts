import crypto from "node:crypto";

/** X-Shopify-Hmac-Sha256: base64 HMAC-SHA256 of the raw body keyed with the app's client secret. */
export function webhookHmac(secret: string, rawBody: string | Buffer): string {
  return crypto.createHmac("sha256", secret).update(rawBody).digest("base64");
}

export function timingSafeEqualStrings(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}
