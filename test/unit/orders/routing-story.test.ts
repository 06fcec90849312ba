import { describe, expect, it } from "vitest";
import { catalogs, isMessageKey, translator } from "~/i18n";
import { ALLOCATION_EVENT_KINDS, ALLOCATION_STATUSES } from "~/orders/allocation-status";
import { describeReturnLedgerRow } from "~/orders/return-ledger";
import { routeFulfillmentRequest, type RoutingReason } from "~/orders/routing";
import { eventKindText, routingReasonText, routingShortReason, routingStory, statusText, type StoredRouting } from "~/orders/routing-story";

const en = translator("en");
const zh = translator("zh-CN");
const names = { lax: "Los Angeles", rtm: "Rotterdam", nj: "Newark" };

// One of every reason code the routing decision gives (a new code fails the exhaustive check below).
const EVERY_REASON: RoutingReason[] = [
  { code: "warehouse_inactive", warehouseId: "nj" },
  { code: "region_not_served", warehouseId: "rtm", market: "US-OR" },
  { code: "market_not_allowed", warehouseId: "nj", market: "US-OR", ruleIndex: 0 },
  { code: "excluded_market", warehouseId: "nj", market: "US", ruleIndex: 2 },
  { code: "insufficient_stock", warehouseId: "nj", inventoryItemId: "gid://shopify/InventoryItem/9", sku: null, needed: 3, available: 1 },
  { code: "chosen_only_option", warehouseId: "lax" },
  { code: "chosen_preferred", warehouseId: "lax", overWarehouseId: "nj", ruleIndex: 1, market: "US-CA" },
  { code: "chosen_priority", warehouseId: "lax", overWarehouseId: "nj", priority: 1, overPriority: 2 },
  { code: "tie_break_proximity", warehouseId: "rtm", overWarehouseId: "lax", basis: "country", km: null, overKm: null },
  { code: "tie_break_proximity", warehouseId: "lax", overWarehouseId: "nj", basis: "distance", km: 120, overKm: 3900 },
  { code: "tie_break_proximity", warehouseId: "lax", overWarehouseId: "nj", basis: "distance", km: 120, overKm: null },
  { code: "tie_break_assigned_location", warehouseId: "lax", overWarehouseId: "nj" },
  { code: "tie_break_id", warehouseId: "lax", overWarehouseId: "nj" },
  { code: "kept_one_shipment", warehouseId: "lax", overWarehouseIds: ["nj", "rtm"] },
  { code: "split_fewest_shipments", shipments: 2, warehouseIds: ["lax", "nj"] },
  { code: "split_not_allowed", shipmentsNeeded: 2 },
  { code: "too_many_shipments", shipmentsNeeded: 3, maxShipments: 2 },
  { code: "stock_short", inventoryItemId: "gid://shopify/InventoryItem/9", sku: "MUG-BLUE", needed: 3, available: 1 },
  { code: "no_warehouse_serves_market", market: "JP" },
];

describe("routing reasons in the merchant's words", () => {
  it("every reason code reads as a sentence in English and in Chinese, with the warehouses' names and no placeholder left", () => {
    for (const reason of EVERY_REASON) {
      for (const t of [en, zh]) {
        const text = routingReasonText(reason, names, t);
        expect(text, reason.code).toBeTruthy();
        expect(text, reason.code).not.toMatch(/\{\w+\}/);
        expect(text, reason.code).not.toMatch(/\b(lax|nj|rtm)\b/);
      }
    }
    expect(routingReasonText(EVERY_REASON[7]!, names, en)).toBe("Los Angeles has priority 1, ahead of Newark (priority 2)");
    expect(routingReasonText(EVERY_REASON[8]!, names, zh)).toBe("Rotterdam 与 Los Angeles 优先级相同；Rotterdam 位于目的地国家");
    expect(routingReasonText(EVERY_REASON[4]!, names, en)).toBe("Newark has 1 of the 3 units of #9");
    expect(routingReasonText(EVERY_REASON[3]!, names, en), "rules are numbered from 1, as Settings shows them").toBe("Newark is excluded for US (routing rule 3)");
  });

  it("tells what decided first, then who was passed over for stock, then who may not ship there", () => {
    const decision = routeFulfillmentRequest({
      request: { fulfillmentOrderId: "fo1", assignedLocationId: "L-nj", destination: { countryCode: "US", provinceCode: "OR" }, lines: [{ lineItemId: "l1", inventoryItemId: "i1", sku: "MUG", quantity: 2 }] },
      warehouses: [
        { id: "nj", name: "Newark", locationId: "L-nj", priority: 1, active: true, regions: ["*"], available: { i1: 1 } },
        { id: "lax", name: "Los Angeles", locationId: "L-lax", priority: 2, active: true, regions: ["*"], available: { i1: 5 } },
        { id: "rtm", name: "Rotterdam", locationId: "L-rtm", priority: 1, active: true, regions: ["NL"], available: { i1: 9 } },
      ],
    });
    const stored: StoredRouting = { kind: decision.kind, reasons: decision.reasons, warehouseIds: ["lax"], moveFrom: "L-nj", summary: "" };
    const story = routingStory(stored, names, en);
    expect(story.headline).toBe("Moved to Los Angeles");
    expect(story.deciding).toEqual(["Los Angeles is the only warehouse that can ship the whole order"]);
    expect(story.passedOver).toEqual(["Newark has 1 of the 2 units of MUG"]);
    expect(story.refused).toEqual(["Rotterdam does not ship to US-OR"]);
    expect(routingShortReason(stored, names, en)).toBe("Los Angeles is the only warehouse that can ship the whole order");
  });

  it("a record with a code this version does not know still says something: its stored sentence", () => {
    const stored = { kind: "route", reasons: [{ code: "from_the_future", warehouseId: "lax" } as unknown as RoutingReason], warehouseIds: ["lax"], moveFrom: null, summary: "Ship from Los Angeles: reasons." } satisfies StoredRouting;
    expect(routingStory(stored, names, zh)).toMatchObject({ headline: "已发往 Los Angeles", deciding: ["Ship from Los Angeles: reasons."] });
  });
});

describe("statuses and timeline events", () => {
  it("every allocation status and timeline event kind has a label in both languages", () => {
    for (const status of ALLOCATION_STATUSES) {
      expect(isMessageKey(`orders.status.${status}`), status).toBe(true);
      expect(statusText(status, zh)).not.toBe(status);
    }
    for (const kind of ALLOCATION_EVENT_KINDS) {
      expect(isMessageKey(`orders.event.${kind}`), kind).toBe(true);
      expect(eventKindText(kind, zh)).not.toBe(kind);
    }
    expect(eventKindText("something_new", en)).toBe("something_new");
    expect(Object.keys(catalogs["zh-CN"])).toContain("orders.event.retried");
  });

  it("a return's ledger rows read as what happened", () => {
    expect(describeReturnLedgerRow({ quantityName: "returned_sellable", source: "warehouse_webhook", after: 3 }, en)).toBe("Return received: 3 units back in stock, by webhook");
    expect(describeReturnLedgerRow({ quantityName: "returned_damaged", source: "warehouse_poll", after: 1 }, zh)).toBe("收到退货：1 件损坏（轮询）");
    expect(describeReturnLedgerRow({ quantityName: "warehouse_sellable", source: "warehouse_poll", after: 1 }, en)).toBeNull();
  });
});
