import { describe, expect, it } from "vitest";
import { statusAfterDelivery } from "~/orders/deliveries.server";
import { MAX_TRACKING_NAMES, requestedFulfillmentNames } from "~/orders/tracking-callback.server";

describe("the allocation's status after a delivery", () => {
  it("becomes delivered only when it shipped in full and no other shipment is still on its way", () => {
    expect(statusAfterDelivery("shipped", 0)).toBe("delivered");
    expect(statusAfterDelivery("shipped", 1)).toBeNull();
    // part of the order is still in the warehouse
    expect(statusAfterDelivery("sent", 0)).toBeNull();
    // a cancelled or failed allocation keeps its status; the delivery is only on its timeline
    expect(statusAfterDelivery("cancelled", 0)).toBeNull();
    expect(statusAfterDelivery("error", 0)).toBeNull();
  });
});

describe("fetch_tracking_numbers' names", () => {
  it("reads Shopify's order_names[] and plain order_names, once each", () => {
    const url = new URL("https://app.example.com/fulfillment-service/w1/fetch_tracking_numbers.json?order_names%5B%5D=%231001.1&order_names%5B%5D=%231002.1&order_names=%231001.1,%20%231003.2&shop=demo.myshopify.com");
    expect(requestedFulfillmentNames(url)).toEqual(["#1001.1", "#1002.1", "#1003.2"]);
  });

  it("ignores empty names and caps how many are looked up", () => {
    expect(requestedFulfillmentNames(new URL("https://a.example/x?order_names[]=&order_names[]=%20"))).toEqual([]);
    const many = Array.from({ length: MAX_TRACKING_NAMES + 10 }, (_, i) => `order_names[]=%23${i}.1`).join("&");
    expect(requestedFulfillmentNames(new URL(`https://a.example/x?${many}`))).toHaveLength(MAX_TRACKING_NAMES);
  });
});
