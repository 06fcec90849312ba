// Every GraphQL operation TallySync sends to the Shopify Admin API (2026-07), with the shapes of
// their results. test/unit/shopify/operations.test.ts validates each one against the Admin schema.

/** Inventory quantity names (shopify.dev/docs/apps/build/orders-fulfillment/inventory-management-apps/quantities-states). */
export const QUANTITY_NAMES = ["available", "committed", "on_hand", "reserved", "damaged", "safety_stock", "incoming", "quality_control"] as const;
export type QuantityName = (typeof QUANTITY_NAMES)[number];
export type InventoryQuantities = Record<QuantityName, number>;

/** Every Admin API input list takes at most 250 items. */
export const MAX_INPUT_ITEMS = 250;

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface UserError {
  field: string[] | null;
  message: string;
}

export interface CodedUserError<Code extends string = string> extends UserError {
  code: Code | null;
}

export const SHOP_INFO = `#graphql
  query ShopInfo {
    shop {
      id
      name
      myshopifyDomain
      currencyCode
      ianaTimezone
      plan { publicDisplayName partnerDevelopment shopifyPlus }
    }
  }
`;

export interface ShopInfoData {
  shop: {
    id: string;
    name: string;
    myshopifyDomain: string;
    currencyCode: string;
    ianaTimezone: string;
    plan: { publicDisplayName: string; partnerDevelopment: boolean; shopifyPlus: boolean };
  };
}

// includeLegacy: fulfillment-service (3PL) locations are "legacy" locations and hidden without it.
export const LOCATIONS = `#graphql
  query Locations($first: Int!, $after: String, $includeInactive: Boolean = true) {
    locations(first: $first, after: $after, includeInactive: $includeInactive, includeLegacy: true) {
      nodes {
        id
        name
        isActive
        fulfillsOnlineOrders
        fulfillmentService { id handle }
        address { countryCode }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

export interface LocationNode {
  id: string;
  name: string;
  isActive: boolean;
  fulfillsOnlineOrders: boolean;
  fulfillmentService: { id: string; handle: string } | null;
  address: { countryCode: string | null };
}

export interface LocationsData {
  locations: { nodes: LocationNode[]; pageInfo: PageInfo };
}

/** `query` takes Shopify search syntax, e.g. `sku:ABC-1 OR sku:ABC-2`. At 4 points a variant, 200 a page stays under the 1000-point query limit. */
export const PRODUCT_VARIANTS = `#graphql
  query ProductVariants($first: Int!, $after: String, $query: String) {
    productVariants(first: $first, after: $after, query: $query) {
      nodes {
        id
        title
        sku
        barcode
        product { id title }
        inventoryItem {
          id
          tracked
          unitCost { amount currencyCode }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

export interface VariantNode {
  id: string;
  title: string;
  sku: string | null;
  barcode: string | null;
  product: { id: string; title: string };
  inventoryItem: { id: string; tracked: boolean; unitCost: { amount: string; currencyCode: string } | null };
}

export interface ProductVariantsData {
  productVariants: { nodes: VariantNode[]; pageInfo: PageInfo };
}

export const INVENTORY_LEVELS = `#graphql
  query InventoryLevels($inventoryItemIds: [ID!]!, $locationId: ID!) {
    nodes(ids: $inventoryItemIds) {
      ... on InventoryItem {
        id
        inventoryLevel(locationId: $locationId) {
          quantities(names: ["available", "committed", "on_hand", "reserved", "damaged", "safety_stock", "incoming", "quality_control"]) {
            name
            quantity
          }
        }
      }
    }
  }
`;

export interface InventoryLevelsData {
  nodes: ({ id?: string; inventoryLevel?: { quantities: { name: string; quantity: number }[] } | null } | null)[];
}

// From 2026-04 every quantity must carry changeFromQuantity (null opts out) and @idempotent is mandatory.
export const INVENTORY_SET_QUANTITIES = `#graphql
  mutation InventorySetQuantities($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) {
    inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) {
      inventoryAdjustmentGroup {
        id
        changes { name delta quantityAfterChange item { id } location { id } }
      }
      userErrors { code field message }
    }
  }
`;

export const INVENTORY_ADJUST_QUANTITIES = `#graphql
  mutation InventoryAdjustQuantities($input: InventoryAdjustQuantitiesInput!, $idempotencyKey: String!) {
    inventoryAdjustQuantities(input: $input) @idempotent(key: $idempotencyKey) {
      inventoryAdjustmentGroup {
        id
        changes { name delta quantityAfterChange item { id } location { id } }
      }
      userErrors { code field message }
    }
  }
`;

export type InventoryUserErrorCode =
  | "CHANGE_FROM_QUANTITY_STALE"
  | "IDEMPOTENCY_CONCURRENT_REQUEST"
  | "IDEMPOTENCY_KEY_PARAMETER_MISMATCH"
  | "IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED"
  | "INVALID_INVENTORY_ITEM"
  | "INVALID_LOCATION"
  | "ITEM_NOT_STOCKED_AT_LOCATION"
  | "INVALID_REASON"
  | "INVALID_REFERENCE_DOCUMENT"
  | "INVALID_QUANTITY_NEGATIVE"
  | "INVALID_QUANTITY_TOO_HIGH"
  | "INVALID_QUANTITY_TOO_LOW"
  | "NON_MUTABLE_INVENTORY_ITEM"
  | (string & {});

export interface InventoryAdjustmentPayload {
  inventoryAdjustmentGroup: {
    id: string;
    changes: { name: string; delta: number; quantityAfterChange: number | null; item: { id: string } | null; location: { id: string } | null }[];
  } | null;
  userErrors: CodedUserError<InventoryUserErrorCode>[];
}

export interface InventorySetQuantitiesData {
  inventorySetQuantities: InventoryAdjustmentPayload | null;
}

export interface InventoryAdjustQuantitiesData {
  inventoryAdjustQuantities: InventoryAdjustmentPayload | null;
}

/**
 * The nightly full read, run as a bulk operation (no page size, no cost limit). Results are JSONL:
 * one line per variant, and one per inventory level carrying `__parentId` = the variant id.
 */
export const CATALOG_BULK_QUERY = `#graphql
  query CatalogBulk {
    productVariants {
      edges {
        node {
          id
          sku
          barcode
          product { id title }
          inventoryItem {
            id
            tracked
            unitCost { amount currencyCode }
            inventoryLevels {
              edges {
                node {
                  location { id }
                  quantities(names: ["available", "committed", "on_hand", "reserved", "damaged", "safety_stock", "incoming", "quality_control"]) {
                    name
                    quantity
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`;

export const BULK_OPERATION_RUN_QUERY = `#graphql
  mutation BulkOperationRunQuery($query: String!) {
    bulkOperationRunQuery(query: $query) {
      bulkOperation { id status }
      userErrors { code field message }
    }
  }
`;

export type BulkOperationStatus = "CANCELED" | "CANCELING" | "COMPLETED" | "CREATED" | "EXPIRED" | "FAILED" | "RUNNING";

export interface BulkOperationRunQueryData {
  bulkOperationRunQuery: {
    bulkOperation: { id: string; status: BulkOperationStatus } | null;
    userErrors: CodedUserError[];
  } | null;
}

export interface BulkOperationNode {
  id: string;
  status: BulkOperationStatus;
  errorCode: string | null;
  objectCount: string;
  rootObjectCount: string;
  url: string | null;
  partialDataUrl: string | null;
  createdAt: string;
  completedAt: string | null;
}

export const CURRENT_BULK_OPERATION = `#graphql
  query CurrentBulkOperation {
    currentBulkOperation(type: QUERY) {
      id status errorCode objectCount rootObjectCount url partialDataUrl createdAt completedAt
    }
  }
`;

export interface CurrentBulkOperationData {
  currentBulkOperation: BulkOperationNode | null;
}

/** Up to 5 bulk queries may run at once (2026-01), so poll the one we started by id. */
export const BULK_OPERATION = `#graphql
  query BulkOperation($id: ID!) {
    node(id: $id) {
      ... on BulkOperation {
        id status errorCode objectCount rootObjectCount url partialDataUrl createdAt completedAt
      }
    }
  }
`;

export interface BulkOperationData {
  node: BulkOperationNode | null;
}

export const FULFILLMENT_SERVICE_CREATE = `#graphql
  mutation FulfillmentServiceCreate($name: String!, $callbackUrl: URL!, $inventoryManagement: Boolean!, $trackingSupport: Boolean!) {
    fulfillmentServiceCreate(name: $name, callbackUrl: $callbackUrl, inventoryManagement: $inventoryManagement, trackingSupport: $trackingSupport) {
      fulfillmentService {
        id
        serviceName
        handle
        callbackUrl
        inventoryManagement
        location { id name }
      }
      userErrors { field message }
    }
  }
`;

export interface FulfillmentServiceCreateData {
  fulfillmentServiceCreate: {
    fulfillmentService: {
      id: string;
      serviceName: string;
      handle: string;
      callbackUrl: string | null;
      inventoryManagement: boolean;
      location: { id: string; name: string } | null;
    } | null;
    userErrors: UserError[];
  } | null;
}

export const FULFILLMENT_SERVICE_DELETE = `#graphql
  mutation FulfillmentServiceDelete($id: ID!, $destinationLocationId: ID, $inventoryAction: FulfillmentServiceDeleteInventoryAction) {
    fulfillmentServiceDelete(id: $id, destinationLocationId: $destinationLocationId, inventoryAction: $inventoryAction) {
      deletedId
      userErrors { field message }
    }
  }
`;

export interface FulfillmentServiceDeleteData {
  fulfillmentServiceDelete: { deletedId: string | null; userErrors: UserError[] } | null;
}

export const WEBHOOK_SUBSCRIPTION_CREATE = `#graphql
  mutation WebhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!) {
    webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
      webhookSubscription { id topic uri }
      userErrors { field message }
    }
  }
`;

export interface WebhookSubscriptionCreateData {
  webhookSubscriptionCreate: {
    webhookSubscription: { id: string; topic: string; uri: string } | null;
    userErrors: UserError[];
  } | null;
}

// Where Shopify committed an order's units: each fulfillment order's assigned location and lines.
// Sized to stay well under the 1,000-point single-query limit (about 630 points).
export const ORDER_FULFILLMENT_ORDERS = `#graphql
  query OrderFulfillmentOrders($id: ID!) {
    order(id: $id) {
      id
      name
      cancelledAt
      fulfillmentOrders(first: 5) {
        nodes {
          id
          status
          assignedLocation { location { id } }
          lineItems(first: 60) {
            nodes { id inventoryItemId remainingQuantity lineItem { id } }
          }
        }
      }
    }
  }
`;

export interface OrderFulfillmentOrdersData {
  order: {
    id: string;
    name: string;
    cancelledAt: string | null;
    fulfillmentOrders: {
      nodes: Array<{
        id: string;
        status: string;
        assignedLocation: { location: { id: string } | null };
        lineItems: { nodes: Array<{ id: string; inventoryItemId: string | null; remainingQuantity: number; lineItem: { id: string } }> };
      }>;
    };
  } | null;
}

/** Every operation the app sends, by name (the guard test validates each against the schema). */
export const OPERATIONS = {
  ShopInfo: SHOP_INFO,
  Locations: LOCATIONS,
  ProductVariants: PRODUCT_VARIANTS,
  InventoryLevels: INVENTORY_LEVELS,
  InventorySetQuantities: INVENTORY_SET_QUANTITIES,
  InventoryAdjustQuantities: INVENTORY_ADJUST_QUANTITIES,
  CatalogBulk: CATALOG_BULK_QUERY,
  BulkOperationRunQuery: BULK_OPERATION_RUN_QUERY,
  CurrentBulkOperation: CURRENT_BULK_OPERATION,
  BulkOperation: BULK_OPERATION,
  FulfillmentServiceCreate: FULFILLMENT_SERVICE_CREATE,
  FulfillmentServiceDelete: FULFILLMENT_SERVICE_DELETE,
  WebhookSubscriptionCreate: WEBHOOK_SUBSCRIPTION_CREATE,
  OrderFulfillmentOrders: ORDER_FULFILLMENT_ORDERS,
} as const;

export type OperationName = keyof typeof OPERATIONS;

/** The name of the (single) operation in a document: `query ShopInfo {` gives "ShopInfo". */
export function operationName(document: string): string {
  return /\b(?:query|mutation|subscription)\s+(\w+)/.exec(document)?.[1] ?? "anonymous";
}

/** What an operation does, in a merchant's words, for error messages. */
export const OPERATION_PURPOSE: Record<string, string> = {
  ShopInfo: "read your shop details",
  Locations: "read your locations",
  ProductVariants: "read your product catalog",
  InventoryLevels: "read stock levels",
  InventorySetQuantities: "set available stock",
  InventoryAdjustQuantities: "adjust available stock",
  BulkOperationRunQuery: "start the nightly full stock read",
  CurrentBulkOperation: "check the nightly full stock read",
  BulkOperation: "check the nightly full stock read",
  FulfillmentServiceCreate: "register a warehouse as a fulfillment service",
  FulfillmentServiceDelete: "remove a warehouse's fulfillment service",
  WebhookSubscriptionCreate: "subscribe to Shopify notifications",
  OrderFulfillmentOrders: "read where an order's items are committed",
};
