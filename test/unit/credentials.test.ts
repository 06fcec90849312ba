import { describe, expect, it } from "vitest";
import { decryptCredentials, encryptCredentials, parseEncryptionKey } from "~/security/credentials.server";

const key = parseEncryptionKey(Buffer.alloc(32, 7).toString("base64"));
const otherKey = parseEncryptionKey(Buffer.alloc(32, 9).toString("hex"));
const owner = { shop: "alpha.myshopify.com", connectionName: "LA 3PL" };

describe("credential encryption (AES-256-GCM)", () => {
  it("round-trips", () => {
    const envelope = encryptCredentials({ apiKey: "k-123456", secret: "s-abcdef" }, owner, [key]);
    expect(decryptCredentials(envelope, owner, [key])).toEqual({ apiKey: "k-123456", secret: "s-abcdef" });
  });

  it("uses a fresh IV each time, so equal credentials give different ciphertexts", () => {
    const a = encryptCredentials({ apiKey: "k-123456" }, owner, [key]);
    const b = encryptCredentials({ apiKey: "k-123456" }, owner, [key]);
    expect(a).not.toEqual(b);
  });

  it("detects tampering with the ciphertext", () => {
    const envelope = encryptCredentials({ apiKey: "k-123456" }, owner, [key]);
    const parts = envelope.split(".");
    const body = Buffer.from(parts[4]!, "base64url");
    body[0] = body[0]! ^ 1;
    parts[4] = body.toString("base64url");
    expect(() => decryptCredentials(parts.join("."), owner, [key])).toThrow(/could not be decrypted/);
  });

  it("binds the shop and connection: another owner cannot decrypt", () => {
    const envelope = encryptCredentials({ apiKey: "k-123456" }, owner, [key]);
    expect(() => decryptCredentials(envelope, { ...owner, shop: "beta.myshopify.com" }, [key])).toThrow(/could not be decrypted/);
  });

  it("names the missing key when the ciphertext was made with a key no longer configured", () => {
    const envelope = encryptCredentials({ apiKey: "k-123456" }, owner, [otherKey]);
    expect(() => decryptCredentials(envelope, owner, [key])).toThrow(new RegExp(`key ${otherKey.id}`));
    expect(decryptCredentials(envelope, owner, [key, otherKey])).toEqual({ apiKey: "k-123456" });
  });

  it("refuses a missing or short key with a message that says how to make one", () => {
    expect(() => parseEncryptionKey(undefined)).toThrow(/openssl rand -base64 32/);
    expect(() => parseEncryptionKey(Buffer.alloc(16).toString("base64"))).toThrow(/32 bytes/);
  });
});
