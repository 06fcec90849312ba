// The "add a warehouse connection" form and its rules. Pure (no I/O) so the rules can be tested
// on their own; error messages are translation keys.
import type { MessageKey } from "../i18n";
import type { WarehouseProvider } from "../warehouses/connector";

export const NEW_CONNECTION_FIELDS = ["provider", "name", "baseUrl", "apiKey"] as const;
export type NewConnectionField = (typeof NEW_CONNECTION_FIELDS)[number];
export type NewConnectionForm = Record<NewConnectionField, string>;
export type NewConnectionErrors = Partial<Record<NewConnectionField, MessageKey>>;

/** Providers in the order the form lists them; only those with an adapter can be chosen. */
export const PROVIDER_CHOICES: { provider: WarehouseProvider; available: boolean }[] = [
  { provider: "generic", available: true },
  { provider: "shipbob", available: false },
  { provider: "shiphero", available: false },
  { provider: "extensiv", available: false },
  { provider: "goodcang", available: false },
  { provider: "fourpx", available: false },
];

export const EMPTY_CONNECTION_FORM: NewConnectionForm = { provider: "generic", name: "", baseUrl: "", apiKey: "" };

export interface NewConnectionValues {
  provider: WarehouseProvider;
  name: string;
  baseUrl: string;
  apiKey: string;
}

export type NewConnectionValidation = { values: NewConnectionValues; errors?: undefined } | { errors: NewConnectionErrors; values?: undefined };

export const MAX_NAME_LENGTH = 80;
const MAX_KEY_LENGTH = 500;

function text(input: Record<string, unknown>, field: NewConnectionField): string {
  const value = input[field];
  return typeof value === "string" ? value.trim() : "";
}

function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "" && !url.username && !url.password;
  } catch {
    return false;
  }
}

/** `namesInUse`: names of the shop's connections that are still connected (compared case-insensitively). */
export function validateNewConnection(input: Record<string, unknown>, namesInUse: readonly string[] = []): NewConnectionValidation {
  const errors: NewConnectionErrors = {};

  const provider = text(input, "provider");
  const choice = PROVIDER_CHOICES.find((c) => c.provider === provider);
  if (!choice) errors.provider = "warehouses.errors.providerRequired";
  else if (!choice.available) errors.provider = "warehouses.errors.providerUnavailable";

  const name = text(input, "name");
  if (name === "") errors.name = "warehouses.errors.nameRequired";
  else if (name.length > MAX_NAME_LENGTH) errors.name = "warehouses.errors.nameTooLong";
  else if (namesInUse.some((used) => used.toLowerCase() === name.toLowerCase())) errors.name = "warehouses.errors.nameTaken";

  const baseUrl = text(input, "baseUrl").replace(/\/+$/, "");
  if (baseUrl === "") errors.baseUrl = "warehouses.errors.baseUrlRequired";
  else if (!isWebAddress(baseUrl)) errors.baseUrl = "warehouses.errors.baseUrlInvalid";

  const apiKey = text(input, "apiKey");
  if (apiKey === "") errors.apiKey = "warehouses.errors.apiKeyRequired";
  else if (apiKey.length > MAX_KEY_LENGTH || /\s/.test(apiKey)) errors.apiKey = "warehouses.errors.apiKeyInvalid";

  if (Object.keys(errors).length > 0) return { errors };
  return { values: { provider: provider as WarehouseProvider, name, baseUrl, apiKey } };
}

/** The Settings value that stands for "the warehouse's own fulfillment-service location" (mapWarehouseToFulfillmentService). */
export const FULFILLMENT_SERVICE_LOCATION = "fulfillment-service";
