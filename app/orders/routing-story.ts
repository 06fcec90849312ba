// The routing decision and the timeline in the merchant's words, in their language: each reason
// code of ./routing.ts and each event kind of ./allocation-status.ts to a translated sentence.
// Pure: the caller passes `t` and the warehouses' names.
import type { MessageKey, Translate } from "../i18n";
import { ALLOCATION_EVENT_KINDS, ALLOCATION_STATUSES, type AllocationEventKind, type AllocationStatus } from "./allocation-status";
import type { RoutingReason, RoutingReasonCode } from "./routing";

export interface StoredRouting {
  kind: "route" | "wait" | "reject";
  reasons: readonly RoutingReason[];
  warehouseIds: readonly string[];
  moveFrom: string | null;
  summary: string;
}

const REFUSALS: ReadonlySet<RoutingReasonCode> = new Set(["warehouse_inactive", "region_not_served", "market_not_allowed", "excluded_market"]);

type Names = Readonly<Record<string, string>>;

function nameOf(names: Names, id: string): string {
  return names[id] ?? id;
}

function itemOf(reason: { sku: string | null; inventoryItemId: string }): string {
  return reason.sku ?? `#${reason.inventoryItemId.split("/").pop()}`;
}

/** Routing rule numbers as the Settings page shows them (1-based). */
function ruleNumber(index: number): number {
  return index + 1;
}

/** One reason as a sentence; null for a code this version does not know (a newer record). */
export function routingReasonText(reason: RoutingReason, names: Names, t: Translate): string | null {
  const warehouse = "warehouseId" in reason ? nameOf(names, reason.warehouseId) : "";
  const other = "overWarehouseId" in reason ? nameOf(names, reason.overWarehouseId) : "";
  switch (reason.code) {
    case "warehouse_inactive":
      return t("orders.reason.warehouse_inactive", { warehouse });
    case "region_not_served":
      return t("orders.reason.region_not_served", { warehouse, market: reason.market });
    case "market_not_allowed":
      return t("orders.reason.market_not_allowed", { warehouse, market: reason.market, rule: ruleNumber(reason.ruleIndex) });
    case "excluded_market":
      return t("orders.reason.excluded_market", { warehouse, market: reason.market, rule: ruleNumber(reason.ruleIndex) });
    case "insufficient_stock":
      return t("orders.reason.insufficient_stock", { warehouse, item: itemOf(reason), needed: reason.needed, available: reason.available });
    case "chosen_only_option":
      return t("orders.reason.chosen_only_option", { warehouse });
    case "chosen_preferred":
      return t("orders.reason.chosen_preferred", { warehouse, other, market: reason.market, rule: ruleNumber(reason.ruleIndex) });
    case "chosen_priority":
      return t("orders.reason.chosen_priority", { warehouse, other, priority: reason.priority, otherPriority: reason.overPriority });
    case "tie_break_proximity":
      if (reason.basis === "country") return t("orders.reason.tie_break_proximity_country", { warehouse, other });
      if (reason.km !== null && reason.overKm !== null) return t("orders.reason.tie_break_proximity_distance", { warehouse, other, km: reason.km, otherKm: reason.overKm });
      return t("orders.reason.tie_break_proximity_known", { warehouse, other, km: reason.km ?? 0 });
    case "tie_break_assigned_location":
      return t("orders.reason.tie_break_assigned_location", { warehouse, other });
    case "tie_break_id":
      return t("orders.reason.tie_break_id", { warehouse, other });
    case "kept_one_shipment":
      return t("orders.reason.kept_one_shipment", { warehouse, others: reason.overWarehouseIds.map((id) => nameOf(names, id)).join(", ") });
    case "split_fewest_shipments":
      return t("orders.reason.split_fewest_shipments", { count: reason.shipments, warehouses: reason.warehouseIds.map((id) => nameOf(names, id)).join(", ") });
    case "split_not_allowed":
      return t("orders.reason.split_not_allowed", { count: reason.shipmentsNeeded });
    case "too_many_shipments":
      return t("orders.reason.too_many_shipments", { count: reason.shipmentsNeeded, max: reason.maxShipments });
    case "stock_short":
      return t("orders.reason.stock_short", { item: itemOf(reason), needed: reason.needed, available: reason.available });
    case "no_warehouse_serves_market":
      return t("orders.reason.no_warehouse_serves_market", { market: reason.market });
    default:
      return null;
  }
}

export interface RoutingStory {
  /** "Sent to Los Angeles", "Waiting for stock", "Rejected: no warehouse can ship it". */
  headline: string;
  /** What decided it, most important first. */
  deciding: string[];
  /** Warehouses passed over for stock, and warehouses that may not ship there. */
  passedOver: string[];
  refused: string[];
}

/** The decision told in order: what decided, then who was passed over and who could not ship there at all. */
export function routingStory(routing: StoredRouting, names: Names, t: Translate): RoutingStory {
  const text = (reasons: readonly RoutingReason[]) => reasons.map((r) => routingReasonText(r, names, t)).filter((s): s is string => s !== null);
  const refused = routing.reasons.filter((r) => REFUSALS.has(r.code));
  const passedOver = routing.reasons.filter((r) => r.code === "insufficient_stock");
  const deciding = routing.reasons.filter((r) => !REFUSALS.has(r.code) && r.code !== "insufficient_stock");
  const decidingText = text(deciding);
  const warehouses = routing.warehouseIds.map((id) => nameOf(names, id)).join(", ");
  const headline =
    routing.kind === "route"
      ? routing.warehouseIds.length > 1
        ? t("orders.routing.splitBetween", { warehouses })
        : routing.moveFrom
          ? t("orders.routing.movedTo", { warehouses })
          : t("orders.routing.sentTo", { warehouses })
      : routing.kind === "wait"
        ? t("orders.routing.waiting")
        : t("orders.routing.rejected");
  return {
    headline,
    // A record from a newer version with codes this page does not know still says something.
    deciding: decidingText.length || !routing.summary ? decidingText : [routing.summary],
    passedOver: text(passedOver),
    refused: text(refused),
  };
}

/** The one reason a list row has room for. */
export function routingShortReason(routing: StoredRouting, names: Names, t: Translate): string | null {
  const story = routingStory(routing, names, t);
  return story.deciding[0] ?? story.refused[0] ?? story.passedOver[0] ?? null;
}

const EVENT_KEYS = Object.fromEntries(ALLOCATION_EVENT_KINDS.map((kind) => [kind, `orders.event.${kind}`])) as Record<AllocationEventKind, MessageKey>;
const STATUS_KEYS = Object.fromEntries(ALLOCATION_STATUSES.map((status) => [status, `orders.status.${status}`])) as Record<AllocationStatus, MessageKey>;

/** A timeline event's kind in words ("Sent to the warehouse"). */
export function eventKindText(kind: string, t: Translate): string {
  const key = (EVENT_KEYS as Record<string, MessageKey | undefined>)[kind];
  return key ? t(key) : kind;
}

/** An allocation status in words ("Waiting for stock"). */
export function statusText(status: string, t: Translate): string {
  const key = (STATUS_KEYS as Record<string, MessageKey | undefined>)[status];
  return key ? t(key) : status;
}
