// X-TallySync-Signature: `t=<unix seconds>,v1=<hex>[,v1=<hex>...]`, where each hex is the
// HMAC-SHA256 of "<t>.<raw body>" keyed with the subscription's secret. Several v1 entries appear
// while the warehouse rotates its secret; one match is enough.
import { createHmac, timingSafeEqual } from "node:crypto";

/** Deliveries signed further than this from our clock are refused, so a captured one cannot be replayed. */
export const REPLAY_WINDOW_SECONDS = 300;

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: string };

export function warehouseWebhookHmac(secret: string, timestamp: number, rawBody: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.`).update(rawBody, "utf8").digest("hex");
}

/** Checks the header against the raw body (before any JSON parsing), in constant time. */
export function verifyWarehouseSignature(secret: string, header: string | null, rawBody: string, now: Date): SignatureCheck {
  if (!header) return { ok: false, reason: "The X-TallySync-Signature header is missing." };
  let timestamp: number | null = null;
  const candidates: Buffer[] = [];
  for (const part of header.split(",")) {
    const [key = "", value = ""] = part.trim().split("=", 2);
    if (key === "t" && /^\d+$/.test(value)) timestamp = Number(value);
    else if (key === "v1" && /^[0-9a-f]{64}$/i.test(value)) candidates.push(Buffer.from(value, "hex"));
  }
  if (timestamp === null || candidates.length === 0) {
    return { ok: false, reason: "The X-TallySync-Signature header is malformed (expected t=<unix seconds>,v1=<hex>)." };
  }
  const skewSeconds = Math.abs(Math.floor(now.getTime() / 1000) - timestamp);
  if (skewSeconds > REPLAY_WINDOW_SECONDS) {
    return { ok: false, reason: `The signature timestamp is ${skewSeconds} s away from our clock (more than ${REPLAY_WINDOW_SECONDS} s): refused as a possible replay.` };
  }
  const expected = Buffer.from(warehouseWebhookHmac(secret, timestamp, rawBody), "hex");
  const matched = candidates.some((candidate) => timingSafeEqual(candidate, expected));
  return matched ? { ok: true, timestamp } : { ok: false, reason: "The signature does not match the body and the stored webhook secret." };
}
