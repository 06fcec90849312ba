import { describe, expect, it } from "vitest";
import { summarizeFulfillmentServiceRemoval } from "~/orders/fulfillment-service-removal";

describe("what removing a warehouse's fulfillment service does to open orders", () => {
  it("with nothing open, only the stock figures are mentioned", () => {
    const summary = summarizeFulfillmentServiceRemoval({ warehouseName: "Los Angeles", destinationLocationName: null, openFulfillmentOrders: [] });
    expect(summary).toEqual({
      openOrders: 0,
      needsAttention: false,
      consequences: [{ code: "stock_left_at_location", warehouse: "Los Angeles" }],
      sentence: "Removing Los Angeles: Shopify keeps Los Angeles's last stock figures with the removed location.",
    });
  });

  it("orders the warehouse never received go back to the merchant; ones it holds or is cancelling need attention first", () => {
    const summary = summarizeFulfillmentServiceRemoval({
      warehouseName: "Los Angeles",
      destinationLocationName: "Main store",
      openFulfillmentOrders: [
        { id: "fo-1", orderName: "#1002", requestStatus: "SUBMITTED" },
        { id: "fo-2", orderName: "#1001", requestStatus: "UNSUBMITTED" },
        { id: "fo-3", orderName: "#1003", requestStatus: "ACCEPTED", allocationStatus: "sent" },
        { id: "fo-4", orderName: "#1004", requestStatus: "CANCELLATION_REQUESTED" },
      ],
    });
    expect(summary.needsAttention).toBe(true);
    expect(summary.openOrders).toBe(4);
    expect(summary.consequences).toEqual([
      { code: "orders_return_to_merchant", orders: ["#1001", "#1002"], destination: "Main store" },
      { code: "orders_still_at_warehouse", orders: ["#1003"], warehouse: "Los Angeles" },
      { code: "cancellations_unanswered", orders: ["#1004"], warehouse: "Los Angeles" },
      { code: "stock_moved", destination: "Main store" },
    ]);
    expect(summary.sentence).toBe(
      "Removing Los Angeles: #1001, #1002 have not reached the warehouse and will move to Main store; Los Angeles still has #1003 and may ship it, but tracking will no longer reach Shopify; the cancellation of #1004 will not reach Los Angeles; stock moves to Main store.",
    );
  });

  it("orders not yet sent are not a reason to wait", () => {
    const summary = summarizeFulfillmentServiceRemoval({ warehouseName: "Newark", destinationLocationName: null, openFulfillmentOrders: [{ id: "fo-1", orderName: "#7", requestStatus: "REJECTED" }] });
    expect(summary.needsAttention).toBe(false);
    expect(summary.consequences[0]).toEqual({ code: "orders_return_to_merchant", orders: ["#7"], destination: null });
  });
});
