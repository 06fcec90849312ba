// Warehouse credentials are encrypted at rest with AES-256-GCM.
//
// The key comes from TALLYSYNC_ENCRYPTION_KEY (32 bytes, base64 or hex). Envelope format:
//   v1.<key id>.<iv base64url>.<auth tag base64url>.<ciphertext base64url>
// The key id (first 8 hex chars of the key's SHA-256) lets a rotated key be told apart, and the
// shop and connection are bound in as additional authenticated data, so a ciphertext copied to
// another shop's row does not decrypt.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { registerSecret } from "../observability/logger.server";

const ALGORITHM = "aes-256-gcm";
const IV_BYTES = 12;

export class CredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CredentialsError";
  }
}

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export function parseEncryptionKey(raw: string | undefined): EncryptionKey {
  if (!raw) {
    throw new CredentialsError(
      "TALLYSYNC_ENCRYPTION_KEY is not set. Generate one with `openssl rand -base64 32` and keep it secret.",
    );
  }
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, "hex") : Buffer.from(raw, "base64");
  if (key.length !== 32) {
    throw new CredentialsError("TALLYSYNC_ENCRYPTION_KEY must be 32 bytes, base64 or hex encoded.");
  }
  return { id: createHash("sha256").update(key).digest("hex").slice(0, 8), key };
}

function keysFromEnvironment(): EncryptionKey[] {
  const current = parseEncryptionKey(process.env.TALLYSYNC_ENCRYPTION_KEY);
  const previous = process.env.TALLYSYNC_ENCRYPTION_KEY_PREVIOUS
    ? [parseEncryptionKey(process.env.TALLYSYNC_ENCRYPTION_KEY_PREVIOUS)]
    : [];
  return [current, ...previous];
}

/** What the credentials belong to; bound into the ciphertext. */
export interface CredentialsOwner {
  shop: string;
  connectionName: string;
}

function aad(owner: CredentialsOwner): Buffer {
  return Buffer.from(`tallysync:warehouse-credentials:${owner.shop}:${owner.connectionName}`);
}

export type WarehouseCredentials = Record<string, string>;

export function encryptCredentials(
  credentials: WarehouseCredentials,
  owner: CredentialsOwner,
  keys: EncryptionKey[] = keysFromEnvironment(),
): string {
  const [current] = keys;
  if (!current) throw new CredentialsError("No encryption key available.");
  for (const value of Object.values(credentials)) registerSecret(value);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, current.key, iv);
  cipher.setAAD(aad(owner));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(credentials), "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return ["v1", current.id, iv.toString("base64url"), tag.toString("base64url"), ciphertext.toString("base64url")].join(".");
}

export function decryptCredentials(
  envelope: string,
  owner: CredentialsOwner,
  keys: EncryptionKey[] = keysFromEnvironment(),
): WarehouseCredentials {
  const parts = envelope.split(".");
  if (parts.length !== 5 || parts[0] !== "v1") {
    throw new CredentialsError("Stored warehouse credentials are not in a format this version can read.");
  }
  const [, keyId, iv, tag, ciphertext] = parts as [string, string, string, string, string];
  const key = keys.find((k) => k.id === keyId);
  if (!key) {
    throw new CredentialsError(
      `Stored warehouse credentials were encrypted with key ${keyId}, which is not configured. Set TALLYSYNC_ENCRYPTION_KEY_PREVIOUS to the old key.`,
    );
  }
  try {
    const decipher = createDecipheriv(ALGORITHM, key.key, Buffer.from(iv, "base64url"));
    decipher.setAAD(aad(owner));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
    const credentials = JSON.parse(plain) as WarehouseCredentials;
    for (const value of Object.values(credentials)) registerSecret(value);
    return credentials;
  } catch {
    throw new CredentialsError("Stored warehouse credentials could not be decrypted: they were changed or belong to another connection.");
  }
}
