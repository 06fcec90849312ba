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

// Fragments, not operations: each is appended to the documents that spread it. A fulfillment
// order line as the commitment reads it (CommittedLineNode); a page of an order's fulfillment
// orders, each with its assigned location and first 60 lines (CommitmentFulfillmentOrder).
const COMMITTED_LINE_FRAGMENT = `
  fragment CommittedLine on FulfillmentOrderLineItem { id inventoryItemId remainingQuantity lineItem { id } }
`;

const COMMITMENT_FULFILLMENT_ORDERS_FRAGMENT = `
  fragment CommitmentFulfillmentOrders on FulfillmentOrderConnection {
    nodes {
      id
      status
      assignedLocation { location { id } }
      lineItems(first: 60) {
        nodes { ...CommittedLine }
        pageInfo { hasNextPage endCursor }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
${COMMITTED_LINE_FRAGMENT}`;

// Where Shopify committed an order's units: each fulfillment order's assigned location and lines.
// Sized to stay well under the 1,000-point single-query limit (about 630 points).
export const ORDER_FULFILLMENT_ORDERS = `#graphql
  query OrderFulfillmentOrders($id: ID!) {
    order(id: $id) {
      id
      name
      cancelledAt
      fulfillmentOrders(first: 5) { ...CommitmentFulfillmentOrders }
    }
  }
${COMMITMENT_FULFILLMENT_ORDERS_FRAGMENT}`;

/** The rest of a large order: its fulfillment orders after the first five, lines after the first 60. */
export const ORDER_MORE_FULFILLMENT_ORDERS = `#graphql
  query OrderMoreFulfillmentOrders($id: ID!, $after: String) {
    order(id: $id) {
      fulfillmentOrders(first: 5, after: $after) { ...CommitmentFulfillmentOrders }
    }
  }
${COMMITMENT_FULFILLMENT_ORDERS_FRAGMENT}`;

export const FULFILLMENT_ORDER_MORE_LINES = `#graphql
  query FulfillmentOrderMoreLines($id: ID!, $after: String) {
    fulfillmentOrder(id: $id) {
      lineItems(first: 250, after: $after) {
        nodes { ...CommittedLine }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
${COMMITTED_LINE_FRAGMENT}`;

export type CommittedLineNode = { id: string; inventoryItemId: string | null; remainingQuantity: number; lineItem: { id: string } };
export type CommitmentFulfillmentOrder = {
  id: string;
  status: string;
  assignedLocation: { location: { id: string } | null };
  lineItems: { nodes: CommittedLineNode[]; pageInfo?: PageInfo };
};

export interface OrderMoreFulfillmentOrdersData {
  order: { fulfillmentOrders: { nodes: CommitmentFulfillmentOrder[]; pageInfo: PageInfo } } | null;
}

export interface FulfillmentOrderMoreLinesData {
  fulfillmentOrder: { lineItems: { nodes: CommittedLineNode[]; pageInfo: PageInfo } } | null;
}

export interface OrderFulfillmentOrdersData {
  order: {
    id: string;
    name: string;
    cancelledAt: string | null;
    fulfillmentOrders: { nodes: CommitmentFulfillmentOrder[]; pageInfo?: PageInfo };
  } | null;
}

// ---------------------------------------------------------------------------------------------
// Orders: fulfillment requests to our fulfillment-service locations (app/orders/)
// ---------------------------------------------------------------------------------------------

/** The fulfillment services this app registered (to find one again after a crash during creation). */
export const FULFILLMENT_SERVICES = `#graphql
  query FulfillmentServices {
    shop {
      fulfillmentServices { id serviceName callbackUrl location { id } }
    }
  }
`;

export interface FulfillmentServicesData {
  shop: { fulfillmentServices: Array<{ id: string; serviceName: string; callbackUrl: string | null; location: { id: string } | null }> };
}

export type FulfillmentOrderAssignmentStatus = "FULFILLMENT_REQUESTED" | "CANCELLATION_REQUESTED" | "FULFILLMENT_ACCEPTED" | "FULFILLMENT_UNSUBMITTED";

// About 2 + 100 x 3 points a page: enough to know which fulfillment orders need work.
export const ASSIGNED_FULFILLMENT_ORDERS = `#graphql
  query AssignedFulfillmentOrders($first: Int!, $after: String, $assignmentStatus: FulfillmentOrderAssignmentStatus, $locationIds: [ID!]) {
    assignedFulfillmentOrders(first: $first, after: $after, assignmentStatus: $assignmentStatus, locationIds: $locationIds) {
      nodes {
        id
        orderName
        status
        requestStatus
        assignedLocation { location { id } }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

export interface AssignedFulfillmentOrderNode {
  id: string;
  orderName: string;
  status: string;
  requestStatus: string;
  assignedLocation: { location: { id: string } | null };
}

export interface AssignedFulfillmentOrdersData {
  assignedFulfillmentOrders: { nodes: AssignedFulfillmentOrderNode[]; pageInfo: PageInfo };
}

// One fulfillment order with what routing, the warehouse order and fulfillments need (about 140
// points requested, far less actually charged for a few lines). The destination's province comes
// from the order's shipping address, which has the code. lineItems(first: 50) is
// MAX_FULFILLMENT_ORDER_LINES in app/orders/gateway.ts: a longer order is refused there, by name.
// Everything TallySync reads of a fulfillment order: the detail query, and the fulfillment orders
// fulfillmentOrderMove returns (a mutation costs 10 points whatever it returns, a read 14 more).
const FULFILLMENT_ORDER_DETAIL_FIELDS = `#graphql
  fragment FulfillmentOrderDetailFields on FulfillmentOrder {
    id
    status
    requestStatus
    orderId
    orderName
    assignedLocation { location { id } }
    destination { firstName lastName company address1 address2 city province zip countryCode phone email }
    order {
      id
      shippingAddress { provinceCode countryCodeV2 latitude longitude }
    }
    lineItems(first: 50) {
      nodes { id sku totalQuantity remainingQuantity inventoryItemId lineItem { id } }
      pageInfo { hasNextPage }
    }
    fulfillments(first: 10) {
      nodes { id name trackingInfo(first: 3) { number company url } }
    }
    merchantRequests(first: 1, kind: CANCELLATION_REQUEST, reverse: true) {
      nodes { message sentAt }
    }
  }
`;

export const FULFILLMENT_ORDER_DETAIL = `#graphql
  query FulfillmentOrderDetail($id: ID!) {
    fulfillmentOrder(id: $id) {
      ...FulfillmentOrderDetailFields
    }
  }
  ${FULFILLMENT_ORDER_DETAIL_FIELDS}
`;

export interface FulfillmentOrderDetailNode {
  id: string;
  status: string;
  requestStatus: string;
  orderId: string;
  orderName: string;
  assignedLocation: { location: { id: string } | null };
  destination: {
    firstName: string | null;
    lastName: string | null;
    company: string | null;
    address1: string | null;
    address2: string | null;
    city: string | null;
    province: string | null;
    zip: string | null;
    countryCode: string | null;
    phone: string | null;
    email: string | null;
  } | null;
  order: { id: string; shippingAddress: { provinceCode: string | null; countryCodeV2: string | null; latitude: number | null; longitude: number | null } | null };
  lineItems: {
    nodes: Array<{ id: string; sku: string | null; totalQuantity: number; remainingQuantity: number; inventoryItemId: string | null; lineItem: { id: string } }>;
    pageInfo: { hasNextPage: boolean };
  };
  fulfillments: { nodes: Array<{ id: string; name: string; trackingInfo: Array<{ number: string | null; company: string | null; url: string | null }> }> };
  merchantRequests: { nodes: Array<{ message: string | null; sentAt: string }> };
}

export interface FulfillmentOrderDetailData {
  fulfillmentOrder: FulfillmentOrderDetailNode | null;
}

/** What the fulfillment-order mutations answer about the fulfillment order. */
export interface FulfillmentOrderState {
  id: string;
  status: string;
  requestStatus: string;
  assignedLocation: { location: { id: string } | null };
}

export interface FulfillmentOrderMutationPayload {
  fulfillmentOrder: FulfillmentOrderState | null;
  userErrors: UserError[];
}

// What a fulfillment-order mutation answers with: where the fulfillment order stands now.
const FULFILLMENT_ORDER_STATE_FIELDS = `#graphql
  fragment FulfillmentOrderStateFields on FulfillmentOrder {
    id
    status
    requestStatus
    assignedLocation { location { id } }
  }
`;

export const FULFILLMENT_ORDER_ACCEPT_FULFILLMENT_REQUEST = `#graphql
  mutation FulfillmentOrderAcceptFulfillmentRequest($id: ID!, $message: String) {
    fulfillmentOrderAcceptFulfillmentRequest(id: $id, message: $message) {
      fulfillmentOrder { ...FulfillmentOrderStateFields }
      userErrors { field message }
    }
  }
  ${FULFILLMENT_ORDER_STATE_FIELDS}
`;

export interface FulfillmentOrderAcceptFulfillmentRequestData {
  fulfillmentOrderAcceptFulfillmentRequest: FulfillmentOrderMutationPayload | null;
}

export type FulfillmentOrderRejectionReason = "INCORRECT_ADDRESS" | "INELIGIBLE_PRODUCT" | "INVENTORY_OUT_OF_STOCK" | "UNDELIVERABLE_DESTINATION" | "OTHER";

export const FULFILLMENT_ORDER_REJECT_FULFILLMENT_REQUEST = `#graphql
  mutation FulfillmentOrderRejectFulfillmentRequest($id: ID!, $reason: FulfillmentOrderRejectionReason, $message: String) {
    fulfillmentOrderRejectFulfillmentRequest(id: $id, reason: $reason, message: $message) {
      fulfillmentOrder { ...FulfillmentOrderStateFields }
      userErrors { field message }
    }
  }
  ${FULFILLMENT_ORDER_STATE_FIELDS}
`;

export interface FulfillmentOrderRejectFulfillmentRequestData {
  fulfillmentOrderRejectFulfillmentRequest: FulfillmentOrderMutationPayload | null;
}

// Without $fulfillmentOrderLineItems the whole fulfillment order moves (same id). With some of its
// lines, those move to a new fulfillment order (movedFulfillmentOrder) and the rest stays in the
// original (originalFulfillmentOrder; remainingFulfillmentOrder is deprecated).
export const FULFILLMENT_ORDER_MOVE = `#graphql
  mutation FulfillmentOrderMove($id: ID!, $newLocationId: ID!, $fulfillmentOrderLineItems: [FulfillmentOrderLineItemInput!]) {
    fulfillmentOrderMove(id: $id, newLocationId: $newLocationId, fulfillmentOrderLineItems: $fulfillmentOrderLineItems) {
      movedFulfillmentOrder { ...FulfillmentOrderDetailFields }
      originalFulfillmentOrder { ...FulfillmentOrderDetailFields }
      userErrors { field message }
    }
  }
  ${FULFILLMENT_ORDER_DETAIL_FIELDS}
`;

export interface FulfillmentOrderMoveData {
  fulfillmentOrderMove: {
    movedFulfillmentOrder: FulfillmentOrderDetailNode | null;
    originalFulfillmentOrder: FulfillmentOrderDetailNode | null;
    userErrors: UserError[];
  } | null;
}

export const FULFILLMENT_ORDER_SUBMIT_FULFILLMENT_REQUEST = `#graphql
  mutation FulfillmentOrderSubmitFulfillmentRequest($id: ID!, $message: String, $notifyCustomer: Boolean) {
    fulfillmentOrderSubmitFulfillmentRequest(id: $id, message: $message, notifyCustomer: $notifyCustomer) {
      submittedFulfillmentOrder { ...FulfillmentOrderStateFields }
      userErrors { field message }
    }
  }
  ${FULFILLMENT_ORDER_STATE_FIELDS}
`;

export interface FulfillmentOrderSubmitFulfillmentRequestData {
  fulfillmentOrderSubmitFulfillmentRequest: { submittedFulfillmentOrder: FulfillmentOrderState | null; userErrors: UserError[] } | null;
}

export const FULFILLMENT_ORDER_ACCEPT_CANCELLATION_REQUEST = `#graphql
  mutation FulfillmentOrderAcceptCancellationRequest($id: ID!, $message: String) {
    fulfillmentOrderAcceptCancellationRequest(id: $id, message: $message) {
      fulfillmentOrder { ...FulfillmentOrderStateFields }
      userErrors { field message }
    }
  }
  ${FULFILLMENT_ORDER_STATE_FIELDS}
`;

export interface FulfillmentOrderAcceptCancellationRequestData {
  fulfillmentOrderAcceptCancellationRequest: FulfillmentOrderMutationPayload | null;
}

export const FULFILLMENT_ORDER_REJECT_CANCELLATION_REQUEST = `#graphql
  mutation FulfillmentOrderRejectCancellationRequest($id: ID!, $message: String) {
    fulfillmentOrderRejectCancellationRequest(id: $id, message: $message) {
      fulfillmentOrder { ...FulfillmentOrderStateFields }
      userErrors { field message }
    }
  }
  ${FULFILLMENT_ORDER_STATE_FIELDS}
`;

export interface FulfillmentOrderRejectCancellationRequestData {
  fulfillmentOrderRejectCancellationRequest: FulfillmentOrderMutationPayload | null;
}

// fulfillmentCreate takes no idempotency key: app/orders/shipments.server.ts looks for the
// fulfillment by its tracking number before creating one, so a retry never ships twice.
export const FULFILLMENT_CREATE = `#graphql
  mutation FulfillmentCreate($fulfillment: FulfillmentInput!) {
    fulfillmentCreate(fulfillment: $fulfillment) {
      fulfillment { id name status trackingInfo(first: 5) { number company url } }
      userErrors { field message }
    }
  }
`;

export interface FulfillmentCreateData {
  fulfillmentCreate: {
    fulfillment: { id: string; name: string; status: string; trackingInfo: Array<{ number: string | null; company: string | null; url: string | null }> } | null;
    userErrors: UserError[];
  } | null;
}

export const FULFILLMENT_TRACKING_INFO_UPDATE = `#graphql
  mutation FulfillmentTrackingInfoUpdate($fulfillmentId: ID!, $trackingInfoInput: FulfillmentTrackingInput!, $notifyCustomer: Boolean) {
    fulfillmentTrackingInfoUpdate(fulfillmentId: $fulfillmentId, trackingInfoInput: $trackingInfoInput, notifyCustomer: $notifyCustomer) {
      fulfillment { id trackingInfo(first: 5) { number company url } }
      userErrors { field message }
    }
  }
`;

export interface FulfillmentTrackingInfoUpdateData {
  fulfillmentTrackingInfoUpdate: {
    fulfillment: { id: string; trackingInfo: Array<{ number: string | null; company: string | null; url: string | null }> } | null;
    userErrors: UserError[];
  } | null;
}

// A delivery the warehouse reported, told to Shopify so the order's status page and the admin show
// it. fulfillmentEventCreate takes no idempotency key: app/orders/deliveries.server.ts marks the
// attempt first and, on a retry, reads the fulfillment's delivery (FULFILLMENT_DELIVERY) before
// writing again.
export const FULFILLMENT_EVENT_CREATE = `#graphql
  mutation FulfillmentEventCreate($fulfillmentEvent: FulfillmentEventInput!) {
    fulfillmentEventCreate(fulfillmentEvent: $fulfillmentEvent) {
      fulfillmentEvent { id status happenedAt }
      userErrors { field message }
    }
  }
`;

export interface FulfillmentEventCreateData {
  fulfillmentEventCreate: {
    fulfillmentEvent: { id: string; status: string; happenedAt: string } | null;
    userErrors: UserError[];
  } | null;
}

export const FULFILLMENT_DELIVERY = `#graphql
  query FulfillmentDelivery($id: ID!) {
    fulfillment(id: $id) { id displayStatus deliveredAt }
  }
`;

export interface FulfillmentDeliveryData {
  fulfillment: { id: string; displayStatus: string | null; deliveredAt: string | null } | null;
}

// ---------------------------------------------------------------------------------------------
// Counts: the products a campaign count covers, chosen by tag or by collection (app/models/counts/)
// ---------------------------------------------------------------------------------------------

/** Product ids matching a search, e.g. `tag:'live-0612'`. About 2 + 250 points a page at most. */
export const PRODUCT_IDS_BY_SEARCH = `#graphql
  query ProductIdsBySearch($first: Int!, $after: String, $query: String!) {
    products(first: $first, after: $after, query: $query) {
      nodes { id }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

export interface ProductIdsBySearchData {
  products: { nodes: Array<{ id: string }>; pageInfo: PageInfo };
}

export const COLLECTION_PRODUCT_IDS = `#graphql
  query CollectionProductIds($id: ID!, $first: Int!, $after: String) {
    collection(id: $id) {
      id
      products(first: $first, after: $after) {
        nodes { id }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;

export interface CollectionProductIdsData {
  collection: { id: string; products: { nodes: Array<{ id: string }>; pageInfo: PageInfo } } | null;
}

/** Every operation the app sends, by name (the guard test validates each against the schema). */
/** Stocks an item at a location (a warehouse's fulfillment-service location starts empty). */
export const INVENTORY_ACTIVATE = `#graphql
  mutation InventoryActivate($inventoryItemId: ID!, $locationId: ID!) {
    inventoryActivate(inventoryItemId: $inventoryItemId, locationId: $locationId) {
      inventoryLevel { id }
      userErrors { field message }
    }
  }
`;

export interface InventoryActivateData {
  inventoryActivate: { inventoryLevel: { id: string } | null; userErrors: { field: string[] | null; message: string }[] } | null;
}

export const OPERATIONS = {
  InventoryActivate: INVENTORY_ACTIVATE,
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
  OrderMoreFulfillmentOrders: ORDER_MORE_FULFILLMENT_ORDERS,
  FulfillmentOrderMoreLines: FULFILLMENT_ORDER_MORE_LINES,
  FulfillmentServices: FULFILLMENT_SERVICES,
  AssignedFulfillmentOrders: ASSIGNED_FULFILLMENT_ORDERS,
  FulfillmentOrderDetail: FULFILLMENT_ORDER_DETAIL,
  FulfillmentOrderAcceptFulfillmentRequest: FULFILLMENT_ORDER_ACCEPT_FULFILLMENT_REQUEST,
  FulfillmentOrderRejectFulfillmentRequest: FULFILLMENT_ORDER_REJECT_FULFILLMENT_REQUEST,
  FulfillmentOrderMove: FULFILLMENT_ORDER_MOVE,
  FulfillmentOrderSubmitFulfillmentRequest: FULFILLMENT_ORDER_SUBMIT_FULFILLMENT_REQUEST,
  FulfillmentOrderAcceptCancellationRequest: FULFILLMENT_ORDER_ACCEPT_CANCELLATION_REQUEST,
  FulfillmentOrderRejectCancellationRequest: FULFILLMENT_ORDER_REJECT_CANCELLATION_REQUEST,
  FulfillmentCreate: FULFILLMENT_CREATE,
  FulfillmentTrackingInfoUpdate: FULFILLMENT_TRACKING_INFO_UPDATE,
  FulfillmentEventCreate: FULFILLMENT_EVENT_CREATE,
  FulfillmentDelivery: FULFILLMENT_DELIVERY,
  ProductIdsBySearch: PRODUCT_IDS_BY_SEARCH,
  CollectionProductIds: COLLECTION_PRODUCT_IDS,
} as const;

export type OperationName = keyof typeof OPERATIONS;

/** The name of the (single) operation in a document: `query ShopInfo {` gives "ShopInfo". */
export function operationName(document: string): string {
  return /\b(?:query|mutation|subscription)\s+(\w+)/.exec(document)?.[1] ?? "anonymous";
}

/** What an operation does, in a merchant's words, for error messages. */
export const OPERATION_PURPOSE: Record<string, string> = {
  InventoryActivate: "stock your products at the warehouse's location",
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
  OrderMoreFulfillmentOrders: "read the rest of a large order's fulfillment orders",
  FulfillmentOrderMoreLines: "read the rest of a large fulfillment order's lines",
  FulfillmentServices: "read the warehouses registered as fulfillment services",
  AssignedFulfillmentOrders: "read the orders sent to your warehouses",
  FulfillmentOrderDetail: "read an order sent to a warehouse",
  FulfillmentOrderAcceptFulfillmentRequest: "accept an order for a warehouse",
  FulfillmentOrderRejectFulfillmentRequest: "reject an order no warehouse can ship",
  FulfillmentOrderMove: "move an order to the warehouse that will ship it",
  FulfillmentOrderSubmitFulfillmentRequest: "send an order to the warehouse it was moved to",
  FulfillmentOrderAcceptCancellationRequest: "confirm an order's cancellation at the warehouse",
  FulfillmentOrderRejectCancellationRequest: "refuse to cancel an order the warehouse already shipped",
  FulfillmentCreate: "mark shipped items fulfilled with their tracking",
  FulfillmentTrackingInfoUpdate: "update a shipment's tracking",
  FulfillmentEventCreate: "mark a shipment delivered",
  FulfillmentDelivery: "check whether a shipment shows delivered",
  ProductIdsBySearch: "find the products a campaign count covers",
  CollectionProductIds: "read the products of a collection for a campaign count",
};
