// Shopify's fulfillment-service GET callbacks (fetch_stock, fetch_tracking_numbers) are signed with
// X-Shopify-Hmac-Sha256: base64 HMAC-SHA256 of the query string, keyed with the app's client
// secret. Developers report the raw query string as sent works; older answers describe the decoded
// parameters sorted by name. Either form is accepted: both need the secret. (Shopify also sends a
// timestamp; no replay window is enforced: the answers are read-only figures.)
import { createHmac, timingSafeEqual } from "node:crypto";

function sign(message: string, secret: string): Buffer {
  return createHmac("sha256", secret).update(message, "utf8").digest();
}

/** The two strings Shopify's signature may cover: the raw query, and the sorted decoded pairs. */
function signedForms(url: URL): string[] {
  const raw = url.search.startsWith("?") ? url.search.slice(1) : url.search;
  const sorted = [...url.searchParams.entries()]
    .filter(([key]) => key !== "hmac" && key !== "signature")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join("&");
  return raw === sorted ? [raw] : [raw, sorted];
}

export function callbackSignature(url: URL, secret: string): string {
  return sign(signedForms(url)[0]!, secret).toString("base64");
}

export function verifyCallbackSignature(url: URL, header: string | null, secrets: string[]): boolean {
  if (!header) return false;
  const received = Buffer.from(header, "base64");
  for (const secret of secrets) {
    for (const form of signedForms(url)) {
      const expected = sign(form, secret);
      if (received.length === expected.length && timingSafeEqual(received, expected)) return true;
    }
  }
  return false;
}
