import { createHmac, timingSafeEqual } from "node:crypto";

/** Deliveries signed more than this far from the receiver's clock are refused (replay window). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type SignatureCheck =
  | { ok: true; timestamp: number }
  | { ok: false; reason: "malformed_header" | "timestamp_out_of_tolerance" | "signature_mismatch" };

/** `X-TallySync-Signature` value: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
export function signWmsPayload(secret: string, rawBody: string | Uint8Array, timestamp: number): string {
  return `t=${timestamp},v1=${hmacHex(secret, timestamp, rawBody)}`;
}

/**
 * Verifies a webhook delivery the way a receiver must: over the exact raw bytes received (never a
 * re-serialised JSON), within the replay window, and in constant time. Several `v1=` entries are
 * allowed so a sender can sign with an old and a new secret while rotating.
 */
export function verifyWmsSignature(
  secret: string,
  header: string | null | undefined,
  rawBody: string | Uint8Array,
  now: Date = new Date(),
  toleranceSeconds: number = SIGNATURE_TOLERANCE_SECONDS,
): SignatureCheck {
  if (!header) return { ok: false, reason: "malformed_header" };
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) return { ok: false, reason: "malformed_header" };
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === "t") timestamp = /^\d+$/.test(value) ? Number(value) : null;
    else if (key === "v1" && /^[0-9a-f]{64}$/i.test(value)) signatures.push(value.toLowerCase());
  }
  if (timestamp === null || signatures.length === 0) return { ok: false, reason: "malformed_header" };
  if (Math.abs(Math.floor(now.getTime() / 1000) - timestamp) > toleranceSeconds) {
    return { ok: false, reason: "timestamp_out_of_tolerance" };
  }
  const expected = Buffer.from(hmacHex(secret, timestamp, rawBody), "hex");
  const match = signatures.some((candidate) => timingSafeEqual(Buffer.from(candidate, "hex"), expected));
  return match ? { ok: true, timestamp } : { ok: false, reason: "signature_mismatch" };
}

function hmacHex(secret: string, timestamp: number, rawBody: string | Uint8Array): string {
  return createHmac("sha256", secret).update(`${timestamp}.`).update(rawBody).digest("hex");
}
