// The order side's view of Shopify (./gateway.ts), built on the Admin client. Every mutation's
// userErrors become a ShopifyRefusedError in the merchant's words; nothing is swallowed.
import type { AdminClient } from "../shopify/admin-client.server";
import {
  ASSIGNED_FULFILLMENT_ORDERS,
  FULFILLMENT_CREATE,
  FULFILLMENT_DELIVERY,
  FULFILLMENT_EVENT_CREATE,
  FULFILLMENT_ORDER_ACCEPT_CANCELLATION_REQUEST,
  FULFILLMENT_ORDER_ACCEPT_FULFILLMENT_REQUEST,
  FULFILLMENT_ORDER_DETAIL,
  FULFILLMENT_ORDER_MOVE,
  FULFILLMENT_ORDER_REJECT_CANCELLATION_REQUEST,
  FULFILLMENT_ORDER_REJECT_FULFILLMENT_REQUEST,
  FULFILLMENT_ORDER_SUBMIT_FULFILLMENT_REQUEST,
  FULFILLMENT_SERVICE_CREATE,
  FULFILLMENT_SERVICE_DELETE,
  FULFILLMENT_SERVICES,
  FULFILLMENT_TRACKING_INFO_UPDATE,
  type AssignedFulfillmentOrdersData,
  type FulfillmentCreateData,
  type FulfillmentDeliveryData,
  type FulfillmentEventCreateData,
  type FulfillmentOrderAcceptCancellationRequestData,
  type FulfillmentOrderAcceptFulfillmentRequestData,
  type FulfillmentOrderDetailData,
  type FulfillmentOrderDetailNode,
  type FulfillmentOrderMoveData,
  type FulfillmentOrderMutationPayload,
  type FulfillmentOrderRejectCancellationRequestData,
  type FulfillmentOrderRejectFulfillmentRequestData,
  type FulfillmentOrderState,
  type FulfillmentOrderSubmitFulfillmentRequestData,
  type FulfillmentServiceCreateData,
  type FulfillmentServiceDeleteData,
  type FulfillmentServicesData,
  type FulfillmentTrackingInfoUpdateData,
  type UserError,
} from "../shopify/operations";
import { shopAdminClient } from "../shopify/shop-client.server";
import { FulfillmentServiceNameTakenError, ShopifyRefusedError } from "./errors";
import type { FulfillmentOrderChange, FulfillmentOrderView, OrderFulfillmentGateway } from "./gateway";

const PAGE_SIZE = 100;

function change(state: FulfillmentOrderState): FulfillmentOrderChange {
  return { id: state.id, status: state.status, requestStatus: state.requestStatus, assignedLocationId: state.assignedLocation.location?.id ?? null };
}

/** The payload of a mutation, or a ShopifyRefusedError with its userErrors. */
function payloadOf<T extends { userErrors: UserError[] }>(operation: string, payload: T | null, what: string): T {
  if (!payload) throw new ShopifyRefusedError(operation, [{ field: null, message: "Shopify answered without a result." }], what);
  if (payload.userErrors.length) throw new ShopifyRefusedError(operation, payload.userErrors, what);
  return payload;
}

function fulfillmentOrderOf(operation: string, payload: FulfillmentOrderMutationPayload | null, what: string): FulfillmentOrderChange {
  const result = payloadOf(operation, payload, what);
  if (!result.fulfillmentOrder) throw new ShopifyRefusedError(operation, [{ field: null, message: "Shopify returned no fulfillment order." }], what);
  return change(result.fulfillmentOrder);
}

export function toFulfillmentOrderView(node: FulfillmentOrderDetailNode): FulfillmentOrderView {
  const d = node.destination;
  const address = node.order.shippingAddress;
  const name = [d?.firstName, d?.lastName].filter(Boolean).join(" ") || null;
  return {
    id: node.id,
    orderId: node.orderId,
    orderName: node.orderName,
    status: node.status,
    requestStatus: node.requestStatus,
    assignedLocationId: node.assignedLocation.location?.id ?? null,
    destination: d
      ? {
          name,
          company: d.company,
          address1: d.address1,
          address2: d.address2,
          city: d.city,
          provinceCode: address?.provinceCode ?? null,
          zip: d.zip,
          countryCode: d.countryCode ?? address?.countryCodeV2 ?? null,
          phone: d.phone,
          email: d.email,
          latitude: address?.latitude ?? null,
          longitude: address?.longitude ?? null,
        }
      : null,
    lines: node.lineItems.nodes.map((li) => ({
      id: li.id,
      lineItemId: li.lineItem.id,
      inventoryItemId: li.inventoryItemId,
      sku: li.sku,
      totalQuantity: li.totalQuantity,
      remainingQuantity: li.remainingQuantity,
    })),
    linesComplete: !node.lineItems.pageInfo.hasNextPage,
    fulfillments: node.fulfillments.nodes.map((f) => ({ id: f.id, name: f.name, trackingNumbers: f.trackingInfo.map((t) => t.number).filter((n): n is string => Boolean(n)) })),
    // Newest first (reverse: true): the latest cancellation request.
    cancellationMessage: node.merchantRequests.nodes[0]?.message ?? null,
  };
}

export function orderFulfillmentGateway(client: AdminClient): OrderFulfillmentGateway {
  const label = (id: string) => `fulfillment order ${id.split("/").pop()}`;
  return {
    async assignedFulfillmentOrders({ status, locationIds }) {
      const found = [];
      let after: string | null = null;
      do {
        const data: AssignedFulfillmentOrdersData = await client.request<AssignedFulfillmentOrdersData>(ASSIGNED_FULFILLMENT_ORDERS, {
          first: PAGE_SIZE,
          after,
          assignmentStatus: status ?? null,
          locationIds: locationIds?.length ? locationIds : null,
        });
        for (const node of data.assignedFulfillmentOrders.nodes) {
          found.push({ id: node.id, orderName: node.orderName, status: node.status, requestStatus: node.requestStatus, assignedLocationId: node.assignedLocation.location?.id ?? null });
        }
        after = data.assignedFulfillmentOrders.pageInfo.hasNextPage ? data.assignedFulfillmentOrders.pageInfo.endCursor : null;
      } while (after);
      return found;
    },

    async fulfillmentOrder(id) {
      const data = await client.request<FulfillmentOrderDetailData>(FULFILLMENT_ORDER_DETAIL, { id });
      return data.fulfillmentOrder ? toFulfillmentOrderView(data.fulfillmentOrder) : null;
    },

    async acceptFulfillmentRequest(id, message) {
      const data = await client.request<FulfillmentOrderAcceptFulfillmentRequestData>(FULFILLMENT_ORDER_ACCEPT_FULFILLMENT_REQUEST, { id, message });
      return fulfillmentOrderOf("FulfillmentOrderAcceptFulfillmentRequest", data.fulfillmentOrderAcceptFulfillmentRequest, `accept ${label(id)}`);
    },

    async rejectFulfillmentRequest(id, reason, message) {
      const data = await client.request<FulfillmentOrderRejectFulfillmentRequestData>(FULFILLMENT_ORDER_REJECT_FULFILLMENT_REQUEST, { id, reason, message });
      return fulfillmentOrderOf("FulfillmentOrderRejectFulfillmentRequest", data.fulfillmentOrderRejectFulfillmentRequest, `reject ${label(id)}`);
    },

    async moveFulfillmentOrder(id, newLocationId, lines) {
      const data = await client.request<FulfillmentOrderMoveData>(FULFILLMENT_ORDER_MOVE, {
        id,
        newLocationId,
        fulfillmentOrderLineItems: lines?.length ? lines.map((l) => ({ id: l.fulfillmentOrderLineItemId, quantity: l.quantity })) : null,
      });
      const payload = payloadOf("FulfillmentOrderMove", data.fulfillmentOrderMove, `move ${label(id)}`);
      if (!payload.movedFulfillmentOrder) throw new ShopifyRefusedError("FulfillmentOrderMove", [{ field: null, message: "Shopify moved nothing." }], `move ${label(id)}`);
      const moved = change(payload.movedFulfillmentOrder);
      const original = payload.originalFulfillmentOrder;
      const whole = (node: FulfillmentOrderDetailNode | null) => (node && !node.lineItems.pageInfo.hasNextPage ? toFulfillmentOrderView(node) : null);
      return {
        moved,
        remaining: original && original.id !== moved.id ? change(original) : null,
        movedView: whole(payload.movedFulfillmentOrder),
        originalView: whole(original),
      };
    },

    async submitFulfillmentRequest(id, message) {
      const data = await client.request<FulfillmentOrderSubmitFulfillmentRequestData>(FULFILLMENT_ORDER_SUBMIT_FULFILLMENT_REQUEST, { id, message, notifyCustomer: true });
      const payload = payloadOf("FulfillmentOrderSubmitFulfillmentRequest", data.fulfillmentOrderSubmitFulfillmentRequest, `request fulfillment of ${label(id)}`);
      if (!payload.submittedFulfillmentOrder) {
        throw new ShopifyRefusedError("FulfillmentOrderSubmitFulfillmentRequest", [{ field: null, message: "Shopify submitted nothing." }], `request fulfillment of ${label(id)}`);
      }
      return change(payload.submittedFulfillmentOrder);
    },

    async acceptCancellationRequest(id, message) {
      const data = await client.request<FulfillmentOrderAcceptCancellationRequestData>(FULFILLMENT_ORDER_ACCEPT_CANCELLATION_REQUEST, { id, message });
      return fulfillmentOrderOf("FulfillmentOrderAcceptCancellationRequest", data.fulfillmentOrderAcceptCancellationRequest, `confirm the cancellation of ${label(id)}`);
    },

    async rejectCancellationRequest(id, message) {
      const data = await client.request<FulfillmentOrderRejectCancellationRequestData>(FULFILLMENT_ORDER_REJECT_CANCELLATION_REQUEST, { id, message });
      return fulfillmentOrderOf("FulfillmentOrderRejectCancellationRequest", data.fulfillmentOrderRejectCancellationRequest, `refuse the cancellation of ${label(id)}`);
    },

    async createFulfillment(input) {
      const data = await client.request<FulfillmentCreateData>(FULFILLMENT_CREATE, {
        fulfillment: {
          lineItemsByFulfillmentOrder: [
            { fulfillmentOrderId: input.fulfillmentOrderId, fulfillmentOrderLineItems: input.lines.map((l) => ({ id: l.fulfillmentOrderLineItemId, quantity: l.quantity })) },
          ],
          trackingInfo: { company: input.tracking.company, number: input.tracking.number, url: input.tracking.url },
          notifyCustomer: input.notifyCustomer,
        },
      });
      const payload = payloadOf("FulfillmentCreate", data.fulfillmentCreate, `mark ${label(input.fulfillmentOrderId)} fulfilled`);
      if (!payload.fulfillment) throw new ShopifyRefusedError("FulfillmentCreate", [{ field: null, message: "Shopify created no fulfillment." }], `mark ${label(input.fulfillmentOrderId)} fulfilled`);
      return { id: payload.fulfillment.id, name: payload.fulfillment.name };
    },

    async updateTracking(fulfillmentId, tracking, notifyCustomer) {
      const data = await client.request<FulfillmentTrackingInfoUpdateData>(FULFILLMENT_TRACKING_INFO_UPDATE, {
        fulfillmentId,
        trackingInfoInput: { company: tracking.company, number: tracking.number, url: tracking.url },
        notifyCustomer,
      });
      payloadOf("FulfillmentTrackingInfoUpdate", data.fulfillmentTrackingInfoUpdate, `update the tracking of fulfillment ${fulfillmentId.split("/").pop()}`);
    },

    async reportDelivered(fulfillmentId, deliveredAt) {
      const data = await client.request<FulfillmentEventCreateData>(FULFILLMENT_EVENT_CREATE, {
        fulfillmentEvent: { fulfillmentId, status: "DELIVERED", happenedAt: deliveredAt.toISOString() },
      });
      payloadOf("FulfillmentEventCreate", data.fulfillmentEventCreate, `mark fulfillment ${fulfillmentId.split("/").pop()} delivered`);
    },

    async fulfillmentDeliveredAt(fulfillmentId) {
      const data = await client.request<FulfillmentDeliveryData>(FULFILLMENT_DELIVERY, { id: fulfillmentId });
      const f = data.fulfillment;
      if (!f || f.displayStatus !== "DELIVERED") return null;
      return f.deliveredAt ? new Date(f.deliveredAt) : new Date(0);
    },

    async fulfillmentServices() {
      const data = await client.request<FulfillmentServicesData>(FULFILLMENT_SERVICES);
      return data.shop.fulfillmentServices.map((s) => ({ id: s.id, name: s.serviceName, callbackUrl: s.callbackUrl, locationId: s.location?.id ?? null }));
    },

    async createFulfillmentService({ name, callbackUrl, inventoryManagement, trackingSupport }) {
      const data = await client.request<FulfillmentServiceCreateData>(FULFILLMENT_SERVICE_CREATE, { name, callbackUrl, inventoryManagement, trackingSupport });
      const payload = data.fulfillmentServiceCreate;
      if (payload?.userErrors.some((e) => /taken/i.test(e.message) && (e.field ?? []).includes("name"))) throw new FulfillmentServiceNameTakenError(name);
      const result = payloadOf("FulfillmentServiceCreate", payload, `register ${name} as a fulfillment service`);
      const service = result.fulfillmentService;
      if (!service) throw new ShopifyRefusedError("FulfillmentServiceCreate", [{ field: null, message: "Shopify created no fulfillment service." }], `register ${name} as a fulfillment service`);
      return { id: service.id, name: service.serviceName, callbackUrl: service.callbackUrl, locationId: service.location?.id ?? null };
    },

    async deleteFulfillmentService(id, { destinationLocationId }) {
      const data = await client.request<FulfillmentServiceDeleteData>(FULFILLMENT_SERVICE_DELETE, {
        id,
        destinationLocationId: destinationLocationId ?? null,
        // Without a destination the stock records stay with the (deactivated) location: those
        // units are in the warehouse's building, not in one of the merchant's.
        inventoryAction: destinationLocationId ? "TRANSFER" : "KEEP",
      });
      const payload = data.fulfillmentServiceDelete;
      if (payload?.userErrors.some((e) => /could not be found|does not exist/i.test(e.message))) return false;
      payloadOf("FulfillmentServiceDelete", payload, `remove fulfillment service ${id.split("/").pop()}`);
      return true;
    },
  };
}

type GatewayFactory = (shop: string) => Promise<OrderFulfillmentGateway>;

const defaultFactory: GatewayFactory = async (shop) => orderFulfillmentGateway(await shopAdminClient(shop));
let factory: GatewayFactory = defaultFactory;

/** The shop's order gateway for background work (its offline session). */
export function orderGatewayFor(shop: string): Promise<OrderFulfillmentGateway> {
  return factory(shop);
}

/** Tests and benchmarks point the order side at a simulator; returns the previous factory. */
export function setOrderGatewayFactory(next: GatewayFactory | null): GatewayFactory {
  const previous = factory;
  factory = next ?? defaultFactory;
  return previous;
}
