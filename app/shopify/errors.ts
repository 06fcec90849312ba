// Typed errors of the Shopify adapter, worded for the merchant who will read them.
import { MAX_INPUT_ITEMS, OPERATION_PURPOSE } from "./operations";

export interface GraphqlError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

export type ShopifyApiErrorCode =
  | "UNAUTHORIZED"
  | "PAYMENT_REQUIRED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "LOCKED"
  | "HTTP_ERROR"
  | "SERVER_ERROR"
  | "NETWORK"
  | "TIMEOUT"
  | "THROTTLED"
  | "ACCESS_DENIED"
  | "MAX_COST_EXCEEDED"
  | "GRAPHQL"
  | "EMPTY_RESPONSE";

export interface ShopifyApiErrorDetails {
  shop: string;
  operation: string;
  code: ShopifyApiErrorCode;
  /** HTTP status, or null when no response arrived. */
  status: number | null;
  /** True when trying again later may succeed (Shopify down, network, throttling). */
  retryable: boolean;
  errors?: GraphqlError[];
  requestId?: string | null;
  attempts: number;
}

export class ShopifyApiError extends Error {
  readonly shop: string;
  readonly operation: string;
  readonly code: ShopifyApiErrorCode;
  readonly status: number | null;
  readonly retryable: boolean;
  readonly errors: GraphqlError[];
  readonly requestId: string | null;
  readonly attempts: number;

  constructor(message: string, details: ShopifyApiErrorDetails) {
    super(message);
    this.name = "ShopifyApiError";
    this.shop = details.shop;
    this.operation = details.operation;
    this.code = details.code;
    this.status = details.status;
    this.retryable = details.retryable;
    this.errors = details.errors ?? [];
    this.requestId = details.requestId ?? null;
    this.attempts = details.attempts;
  }
}

function purpose(operation: string): string {
  return OPERATION_PURPOSE[operation] ?? `run ${operation}`;
}

/** The sentence a merchant reads when a call fails for good. */
export function merchantMessage(code: ShopifyApiErrorCode, shop: string, operation: string, detail = ""): string {
  const what = purpose(operation);
  const said = detail ? ` Shopify said: ${detail}` : "";
  switch (code) {
    case "UNAUTHORIZED":
      return `TallySync's access to ${shop} is no longer valid (the app may have been uninstalled or its access revoked), so it could not ${what}. Open TallySync from your Shopify admin to reconnect.`;
    case "FORBIDDEN":
    case "ACCESS_DENIED":
      return `Shopify refused TallySync permission to ${what} on ${shop}.${said} Open TallySync from your Shopify admin and approve the permissions it asks for.`;
    case "PAYMENT_REQUIRED":
      return `${shop} is frozen by Shopify (unpaid bill), so TallySync could not ${what}. It will resume once the shop is unfrozen.`;
    case "LOCKED":
      return `${shop} is locked by Shopify, so TallySync could not ${what}. Contact Shopify support to unlock the shop.`;
    case "NOT_FOUND":
      return `Shopify could not find ${shop}, so TallySync could not ${what}. The shop may be closed or TallySync uninstalled.`;
    case "SERVER_ERROR":
    case "NETWORK":
    case "TIMEOUT":
    case "EMPTY_RESPONSE":
      return `Shopify did not answer TallySync's request to ${what} for ${shop}.${said} Shopify may be having problems; TallySync will try again (a repeated stock change is never applied twice).`;
    case "THROTTLED":
      return `Shopify kept asking TallySync to slow down while trying to ${what} for ${shop}; TallySync will try again shortly.`;
    case "MAX_COST_EXCEEDED":
      return `TallySync asked Shopify for too much at once while trying to ${what} for ${shop}.${said} This is a TallySync problem; please contact TallySync support.`;
    case "HTTP_ERROR":
    case "GRAPHQL":
      return `Shopify rejected TallySync's request to ${what} for ${shop}.${said} This is a TallySync problem; please contact TallySync support with this message.`;
  }
}

/** A write of more quantities than one Admin API call takes; split it before calling. */
export class InventoryBatchTooLargeError extends Error {
  constructor(readonly size: number) {
    super(`TallySync tried to change ${size} stock quantities in one Shopify call; Shopify takes at most ${MAX_INPUT_ITEMS}.`);
    this.name = "InventoryBatchTooLargeError";
  }
}
