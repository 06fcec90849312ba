// From a stored connection (provider + decrypted credentials) to a live connector.
import type { WarehouseConnector, WarehouseProvider } from "./connector";
import { type GenericConnectorOptions, createGenericConnector } from "./generic/connector.server";

/** Everything a connector takes besides its credentials (recorder, timeouts, retries). */
export type ConnectorOptions = Omit<GenericConnectorOptions, "baseUrl" | "apiKey" | "webhookSecret">;

/** The connection cannot be built: an unavailable provider or missing credentials. */
export class WarehouseConnectionError extends Error {
  constructor(
    message: string,
    readonly provider: WarehouseProvider,
  ) {
    super(message);
    this.name = "WarehouseConnectionError";
  }
}

export const PROVIDER_NAMES: Record<WarehouseProvider, string> = {
  generic: "TallySync protocol",
  shipbob: "ShipBob",
  shiphero: "ShipHero",
  extensiv: "Extensiv",
  goodcang: "Goodcang",
  fourpx: "4PX",
};

export function createConnector(
  provider: WarehouseProvider,
  credentials: Record<string, string>,
  options: ConnectorOptions = {},
): WarehouseConnector {
  if (provider !== "generic") {
    throw new WarehouseConnectionError(`${PROVIDER_NAMES[provider]} connections are not available yet.`, provider);
  }
  const baseUrl = required(credentials, "baseUrl", "base URL", provider);
  const apiKey = required(credentials, "apiKey", "API key", provider);
  if (!isHttpUrl(baseUrl)) {
    throw new WarehouseConnectionError(`The warehouse base URL "${baseUrl}" is not an http(s) address, such as https://wms.example.com.`, provider);
  }
  return createGenericConnector({ ...options, baseUrl, apiKey, webhookSecret: credentials.webhookSecret || null });
}

function required(credentials: Record<string, string>, field: string, label: string, provider: WarehouseProvider): string {
  const value = credentials[field]?.trim();
  if (!value) {
    throw new WarehouseConnectionError(`The ${PROVIDER_NAMES[provider]} connection has no ${label}. Add it in Settings > Warehouses.`, provider);
  }
  return value;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}
