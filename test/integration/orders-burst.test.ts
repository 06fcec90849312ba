// A flash sale leaves thousands of fulfillment requests unanswered at once, and Shopify lists them
// all on every notification: the safety net reads them in slices (SQLite refuses a statement with
// too many parameters) and queues work only for the requests nobody is seeing to yet.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { forShop } from "~/db/tenant.server";
import type { OrderDeps } from "~/orders/deps";
import type { FulfillmentOrderSummary, OrderFulfillmentGateway } from "~/orders/gateway";
import { FULFILLMENT_ORDER_JOB } from "~/orders/job-types";
import { pollOrders } from "~/orders/jobs.server";

const shop = "orders-burst.myshopify.com";

function depsListing(requests: FulfillmentOrderSummary[]): OrderDeps {
  const shopify = {
    async assignedFulfillmentOrders({ status }: { status?: string }) {
      return status === "FULFILLMENT_REQUESTED" ? requests : [];
    },
  } as unknown as OrderFulfillmentGateway;
  return {
    db,
    shopify,
    connectorFor: async () => {
      throw new Error("no warehouse is called here");
    },
    now: () => new Date(),
    stockChanged: async () => {},
    stockArrived: async () => {},
  };
}

describe("a burst of fulfillment requests", () => {
  it("thousands of waiting requests are each queued once, and listing them again queues nothing more", async () => {
    const requests = Array.from({ length: 2_400 }, (_, i) => ({
      id: `gid://shopify/FulfillmentOrder/${900_000 + i}`,
      orderName: `#${5_000 + i}`,
      status: "OPEN",
      requestStatus: "SUBMITTED",
      assignedLocationId: "gid://shopify/Location/1",
    }));
    const first = await pollOrders(shop, depsListing(requests));
    expect(first.requests).toBe(2_400);
    expect(await forShop(shop).job.count({ where: { type: FULFILLMENT_ORDER_JOB, status: "queued" } })).toBe(2_400);

    const again = await pollOrders(shop, depsListing(requests));
    expect(again.requests).toBe(0);
    expect(await forShop(shop).job.count({ where: { type: FULFILLMENT_ORDER_JOB } })).toBe(2_400);
  }, 120_000);
});
