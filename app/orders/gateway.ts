// What the order side needs from Shopify, as a small interface: the Shopify adapter
// (./shopify-gateway.server.ts) implements it on the Admin client, and tests point the same
// adapter at the simulator. Ids are Shopify GIDs throughout.

export type FulfillmentOrderRequestStatus =
  | "UNSUBMITTED"
  | "SUBMITTED"
  | "ACCEPTED"
  | "REJECTED"
  | "CANCELLATION_REQUESTED"
  | "CANCELLATION_ACCEPTED"
  | "CANCELLATION_REJECTED"
  | "CLOSED";

export interface FulfillmentOrderLine {
  /** The fulfillment order line item. */
  id: string;
  /** The order's line item (reservations are kept per order line item). */
  lineItemId: string;
  inventoryItemId: string | null;
  sku: string | null;
  totalQuantity: number;
  remainingQuantity: number;
}

/** Where the order ships to. Personal data: used to send the order to the warehouse, never stored. */
export interface ShippingDestination {
  name: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  provinceCode: string | null;
  zip: string | null;
  countryCode: string | null;
  phone: string | null;
  email: string | null;
  latitude: number | null;
  longitude: number | null;
}

/** A fulfillment order as read from Shopify, with what routing, the warehouse and fulfillments need. */
export interface FulfillmentOrderView {
  id: string;
  orderId: string;
  orderName: string;
  /** OPEN | IN_PROGRESS | CLOSED | CANCELLED | INCOMPLETE | ON_HOLD | SCHEDULED */
  status: string;
  requestStatus: string;
  assignedLocationId: string | null;
  destination: ShippingDestination | null;
  lines: FulfillmentOrderLine[];
  /** False when it has more lines than one read returns (MAX_FULFILLMENT_ORDER_LINES). */
  linesComplete: boolean;
  /** Fulfillments already made for it, with their tracking numbers. */
  fulfillments: Array<{ id: string; name: string; trackingNumbers: string[] }>;
  /** The merchant's message with the latest cancellation request, if any. */
  cancellationMessage: string | null;
}

/** The most lines of one fulfillment order TallySync reads (and so sends to a warehouse). */
export const MAX_FULFILLMENT_ORDER_LINES = 50;

/** A fulfillment order as the assigned-orders list shows it. */
export interface FulfillmentOrderSummary {
  id: string;
  orderName: string;
  status: string;
  requestStatus: string;
  assignedLocationId: string | null;
}

/** What a fulfillment-order mutation left the fulfillment order as. */
export interface FulfillmentOrderChange {
  id: string;
  status: string;
  requestStatus: string;
  assignedLocationId: string | null;
}

/** Units of one fulfillment order line to move to another location. */
export interface FulfillmentOrderLineQuantity {
  fulfillmentOrderLineItemId: string;
  quantity: number;
}

/** What a move left: the fulfillment order at the new location, and the original if some lines stayed. */
export interface FulfillmentOrderMove {
  /** At the new location: the original itself when it moved whole, else a new fulfillment order. */
  moved: FulfillmentOrderChange;
  /** The original, still at its location with the lines that did not move; null when it moved whole. */
  remaining: FulfillmentOrderChange | null;
  /**
   * Both as Shopify now has them, read from the move's own answer (no second read): null when the
   * answer did not carry them whole (more lines than one read returns).
   */
  movedView: FulfillmentOrderView | null;
  originalView: FulfillmentOrderView | null;
}

export type AssignmentStatus = "FULFILLMENT_REQUESTED" | "CANCELLATION_REQUESTED" | "FULFILLMENT_ACCEPTED" | "FULFILLMENT_UNSUBMITTED";

export type RejectionReason = "INCORRECT_ADDRESS" | "INELIGIBLE_PRODUCT" | "INVENTORY_OUT_OF_STOCK" | "UNDELIVERABLE_DESTINATION" | "OTHER";

export interface TrackingInfo {
  company: string | null;
  number: string | null;
  url: string | null;
}

export interface FulfillmentInput {
  fulfillmentOrderId: string;
  lines: Array<{ fulfillmentOrderLineItemId: string; quantity: number }>;
  tracking: TrackingInfo;
  notifyCustomer: boolean;
}

export interface RegisteredFulfillmentService {
  id: string;
  name: string;
  callbackUrl: string | null;
  locationId: string | null;
}

export interface FulfillmentServiceGateway {
  fulfillmentServices(): Promise<RegisteredFulfillmentService[]>;
  /** Throws FulfillmentServiceNameTakenError when Shopify already has a service of that name. */
  createFulfillmentService(input: { name: string; callbackUrl: string; inventoryManagement: boolean; trackingSupport: boolean }): Promise<RegisteredFulfillmentService>;
  /** False when Shopify no longer has it (deleted in the admin), which is not an error. */
  deleteFulfillmentService(id: string, options: { destinationLocationId?: string | null }): Promise<boolean>;
}

export interface OrderFulfillmentGateway extends FulfillmentServiceGateway {
  /** Every fulfillment order assigned to our locations with that status (all pages). */
  assignedFulfillmentOrders(options: { status?: AssignmentStatus; locationIds?: string[] }): Promise<FulfillmentOrderSummary[]>;
  /** Null when Shopify has no such fulfillment order (or no longer shows it to us). */
  fulfillmentOrder(id: string): Promise<FulfillmentOrderView | null>;
  acceptFulfillmentRequest(id: string, message: string): Promise<FulfillmentOrderChange>;
  rejectFulfillmentRequest(id: string, reason: RejectionReason, message: string): Promise<FulfillmentOrderChange>;
  /**
   * The fulfillment order to another location: whole without `lines`, else only those units (they
   * become a new fulfillment order there; the rest stays in the original).
   */
  moveFulfillmentOrder(id: string, newLocationId: string, lines?: readonly FulfillmentOrderLineQuantity[]): Promise<FulfillmentOrderMove>;
  submitFulfillmentRequest(id: string, message: string): Promise<FulfillmentOrderChange>;
  acceptCancellationRequest(id: string, message: string): Promise<FulfillmentOrderChange>;
  rejectCancellationRequest(id: string, message: string): Promise<FulfillmentOrderChange>;
  /** The fulfillment's id and Shopify's name for it ("#1042.1"). */
  createFulfillment(input: FulfillmentInput): Promise<{ id: string; name: string }>;
  updateTracking(fulfillmentId: string, tracking: TrackingInfo, notifyCustomer: boolean): Promise<void>;
  /** Tells Shopify the carrier delivered the fulfillment (a DELIVERED fulfillment event). */
  reportDelivered(fulfillmentId: string, deliveredAt: Date): Promise<void>;
  /** When Shopify shows the fulfillment delivered; null when it does not (or has no such fulfillment). */
  fulfillmentDeliveredAt(fulfillmentId: string): Promise<Date | null>;
}
