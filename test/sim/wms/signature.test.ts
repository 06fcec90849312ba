import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signWmsPayload, verifyWmsSignature } from "./signature";

const secret = "whsec_0123456789abcdef";
const body = '{"id":"evt_000001","topic":"inventory.changed","occurred_at":"2026-11-02T09:16:00.000Z","data":{}}';
const t = 1_793_610_960;
const at = (seconds: number) => new Date(seconds * 1000);

describe("X-TallySync-Signature", () => {
  it("is t=<unix seconds>,v1=<hex HMAC-SHA256 of '<t>.<raw body>'> as the protocol document says", () => {
    const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
    expect(signWmsPayload(secret, body, t)).toBe(`t=${t},v1=${expected}`);
  });

  it("verifies a fresh signature over the raw bytes, as string or bytes", () => {
    const header = signWmsPayload(secret, body, t);
    expect(verifyWmsSignature(secret, header, body, at(t))).toEqual({ ok: true, timestamp: t });
    expect(verifyWmsSignature(secret, header, new TextEncoder().encode(body), at(t + 10))).toEqual({ ok: true, timestamp: t });
  });

  it("rejects a body that differs by one byte, even if it parses to the same JSON", () => {
    const header = signWmsPayload(secret, body, t);
    const reformatted = JSON.stringify(JSON.parse(body), null, 1);
    expect(verifyWmsSignature(secret, header, reformatted, at(t))).toEqual({ ok: false, reason: "signature_mismatch" });
  });

  it("accepts timestamps up to 300 seconds away in either direction, and no further", () => {
    const header = signWmsPayload(secret, body, t);
    expect(verifyWmsSignature(secret, header, body, at(t + 300)).ok).toBe(true);
    expect(verifyWmsSignature(secret, header, body, at(t - 300)).ok).toBe(true);
    expect(verifyWmsSignature(secret, header, body, at(t + 301))).toEqual({ ok: false, reason: "timestamp_out_of_tolerance" });
    expect(verifyWmsSignature(secret, header, body, at(t - 301))).toEqual({ ok: false, reason: "timestamp_out_of_tolerance" });
  });

  it("accepts any one valid v1 entry, so secrets can be rotated", () => {
    const oldSig = signWmsPayload("whsec_old_secret_00000", body, t).split(",")[1];
    const header = `${signWmsPayload(secret, body, t)},${oldSig}`;
    expect(verifyWmsSignature(secret, header, body, at(t)).ok).toBe(true);
    expect(verifyWmsSignature("whsec_old_secret_00000", header, body, at(t)).ok).toBe(true);
  });

  it("rejects malformed headers", () => {
    for (const header of [undefined, "", "v1=abc", `t=${t}`, `t=abc,v1=${"0".repeat(64)}`, "garbage", `t=${t},v1=zz`]) {
      expect(verifyWmsSignature(secret, header, body, at(t)), String(header)).toEqual({ ok: false, reason: "malformed_header" });
    }
  });
});
