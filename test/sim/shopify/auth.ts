import crypto from "node:crypto";
import { timingSafeEqualStrings } from "./hmac";

/** HS256 JWTs, as Shopify signs session tokens with the app's client secret. */
function b64url(input: Buffer | string): string {
  return Buffer.from(input).toString("base64url");
}

export function signJwt(payload: Record<string, unknown>, secret: string): string {
  const header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = b64url(JSON.stringify(payload));
  const sig = crypto.createHmac("sha256", secret).update(`${header}.${body}`).digest("base64url");
  return `${header}.${body}.${sig}`;
}

export class JwtError extends Error {}

export function verifyJwt(token: string, secret: string, nowSec: number, toleranceSec = 10): Record<string, unknown> {
  const parts = token.split(".");
  if (parts.length !== 3) throw new JwtError("malformed token");
  const [header, body, sig] = parts as [string, string, string];
  const expected = crypto.createHmac("sha256", secret).update(`${header}.${body}`).digest("base64url");
  if (!timingSafeEqualStrings(expected, sig)) throw new JwtError("signature verification failed");
  const alg = (JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as { alg?: string }).alg;
  if (alg !== "HS256") throw new JwtError(`unexpected alg ${alg}`);
  const payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Record<string, unknown>;
  if (typeof payload.exp === "number" && nowSec > payload.exp + toleranceSec) throw new JwtError("token expired");
  if (typeof payload.nbf === "number" && nowSec + toleranceSec < payload.nbf) throw new JwtError("token not yet valid");
  return payload;
}

export interface SessionTokenClaims {
  iss: string;
  dest: string;
  aud: string;
  sub: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid: string;
  sig?: string;
}

/** Session (id) token claims documented at shopify.dev/docs/apps/build/authentication-authorization/session-tokens. */
export function sessionTokenClaims(shop: string, apiKey: string, userId: string, nowSec: number, ttlSec = 60): SessionTokenClaims {
  return {
    iss: `https://${shop}/admin`,
    dest: `https://${shop}`,
    aud: apiKey,
    sub: userId,
    exp: nowSec + ttlSec,
    nbf: nowSec,
    iat: nowSec,
    jti: crypto.randomUUID(),
    sid: crypto.createHash("sha256").update(`${shop}:${userId}`).digest("hex").slice(0, 32),
  };
}

export interface AccessTokenRecord {
  token: string;
  shop: string;
  kind: "offline" | "online";
  scope: string;
  /** Simulated epoch ms; null never expires. */
  expiresAt: number | null;
  userId: string | null;
}

export interface RefreshTokenRecord {
  token: string;
  shop: string;
  scope: string;
  expiresAt: number;
}

/** Offline expiring tokens live 1 h with a 90-day refresh token; online tokens about a day. */
export const OFFLINE_EXPIRING_TTL_SEC = 3600;
export const REFRESH_TOKEN_TTL_SEC = 90 * 24 * 3600;
export const ONLINE_TTL_SEC = 86399;

export class TokenStore {
  readonly access = new Map<string, AccessTokenRecord>();
  readonly refresh = new Map<string, RefreshTokenRecord>();

  issue(rec: Omit<AccessTokenRecord, "token"> & { token?: string }): AccessTokenRecord {
    const prefix = rec.kind === "online" ? "shpua_" : "shpat_";
    const full: AccessTokenRecord = { ...rec, token: rec.token ?? `${prefix}${crypto.randomBytes(16).toString("hex")}` };
    this.access.set(full.token, full);
    return full;
  }

  issueRefresh(shop: string, scope: string, nowMs: number): RefreshTokenRecord {
    const rec = { token: `shprt_${crypto.randomBytes(16).toString("hex")}`, shop, scope, expiresAt: nowMs + REFRESH_TOKEN_TTL_SEC * 1000 };
    this.refresh.set(rec.token, rec);
    return rec;
  }

  /** The token's record when it exists, belongs to `shop` and has not expired. */
  check(token: string | undefined, shop: string | null, nowMs: number): AccessTokenRecord | null {
    if (!token) return null;
    const rec = this.access.get(token);
    if (!rec) return null;
    if (shop && rec.shop !== shop) return null;
    if (rec.expiresAt !== null && nowMs >= rec.expiresAt) return null;
    return rec;
  }
}
