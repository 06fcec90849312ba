// One fulfillment order, from Shopify's request to the warehouse order (and its cancellation).
//
//   read the fulfillment order from Shopify (never trust the notification's body: it only says "look")
//   -> request: route (./routing.ts) -> reject | wait | [reject-to-move, move] -> accept -> warehouse order
//      split: [reject-to-move] -> move each other warehouse's lines out (a fulfillment order of
//      their own, worked on as its own allocation) -> the lines that stay go on as above
//   -> cancellation request: cancel the warehouse order -> accept the cancellation, or refuse it if shipped
//
// Each step is recorded on the allocation before the next begins, and each is safe to repeat: a
// crash anywhere is finished by the next run, which reads Shopify's state again. The warehouse
// order's reference is the fulfillment order id, so a repeated create returns the first order.
// Records no later step depends on are written with the next one, in the same write (see
// `defer`): the routing of an order that stays where Shopify put it (a retry routes it again, or
// finds it accepted there), and the warehouse order's reference with the warehouse's answer to
// it (a retry finds the order at the warehouse: Shopify has accepted it by then).
import { forShop, type ShopDatabase } from "../db/tenant.server";
import { ShopifyApiError } from "../shopify/errors";
import { log } from "../observability/logger.server";
import { WarehouseApiError, type OutboundOrderLine, type OutboundOrderState } from "../warehouses/connector";
import { isSettled, waitingRetryDelayMs } from "./allocation-status";
import {
  claimFulfillmentOrderAllocation,
  findAllocation,
  orderRecordFor,
  recordAllocation,
  recordAllocationSteps,
  releaseAllocation,
  type AllocationChange,
  type AllocationState,
  type AllocationStep,
  type OrderedLine,
} from "./allocations.server";
import { ROUTED_WAREHOUSE_FIELDS, routedWarehouse, routingContext, type OwnReservation, type RoutedWarehouse, type RoutingContext } from "./candidates.server";
import type { OrderDeps } from "./deps";
import { warehouseSkusOf } from "./order-statements.server";
import { FulfillmentError, ShopifyRefusedError } from "./errors";
import { moveMessage, rejectionMessage, routingRecord, routingRequestFor, shipToAddress, shippingAddressProblem, type RoutingRecord } from "./fulfillment-request";
import { MAX_FULFILLMENT_ORDER_LINES, type FulfillmentOrderLine, type FulfillmentOrderView, type RejectionReason } from "./gateway";
import { requestFulfillmentOrder } from "./fulfillment-order-queue.server";
import { routeFulfillmentRequest, RoutingInputError, type RoutingDecision } from "./routing";
import { sentLinesText } from "./sent-lines";
import { changeReservations, moveReservations, refreshWarehouseLevels, reserveFulfillmentOrder, type MovedUnits } from "./stock-effects.server";

export type FulfillmentOrderOutcome =
  | "sent"
  | "accepted"
  | "waiting"
  | "rejected"
  | "cancelled"
  | "cancellation_rejected"
  | "busy"
  | "nothing_to_do"
  | "gone"
  | "error";

interface Run {
  shop: string;
  scoped: ShopDatabase;
  deps: OrderDeps;
  /** As last written, with the deferred changes applied. */
  allocation: AllocationState;
  fo: FulfillmentOrderView;
  /** The Shopify order's id, when the allocation is known to belong to the order of `fo`. */
  shopifyOrderId: string | null;
  /** The order's lines as this run found them (its first read), for telling a split's part. */
  orderedLines: OrderedLine[] | null;
  /** The order's reservations as routing read them, until anything in this run moves them. */
  reservations: OwnReservation[] | null;
  /** Changes decided but not written yet: they go with the next write (see `defer`). */
  pending: AllocationStep[];
  /** The lease was given up by the run's last write. */
  released: boolean;
}

/** Handles whatever Shopify asks of one fulfillment order now. Throws only what a retry may fix. */
export async function processFulfillmentOrder(shop: string, fulfillmentOrderId: string, deps: OrderDeps): Promise<FulfillmentOrderOutcome> {
  const scoped = forShop(shop, deps.db);
  const fo = await deps.shopify.fulfillmentOrder(fulfillmentOrderId);
  if (!fo) {
    const known = await findAllocation(scoped, shop, fulfillmentOrderId);
    if (known && !isSettled(known.status)) {
      await recordAllocation(scoped, shop, known, { status: "error", kind: "error", note: "Shopify no longer shows this fulfillment order to TallySync.", data: { lastError: "Shopify no longer shows this fulfillment order to TallySync (it may have been deleted, or the warehouse's fulfillment service removed)." } }, deps.now());
    }
    return "gone";
  }
  const order = await orderRecordFor(scoped, shop, fo);
  const claimed = await claimFulfillmentOrderAllocation(scoped, shop, fo, order.orderId, order.allocationId, deps.now());
  if (!claimed) return "busy";
  const mine = claimed.orderId === order.orderId;
  const run: Run = {
    shop,
    scoped,
    deps,
    fo,
    allocation: claimed,
    shopifyOrderId: mine ? fo.orderId : null,
    orderedLines: mine ? order.lines : null,
    reservations: null,
    pending: [],
    released: false,
  };
  try {
    return await dispatch(run);
  } catch (error) {
    return await failed(run, error);
  } finally {
    if (!run.released) {
      // A deferred change not written yet (a path that ended without another write) goes with the release.
      if (run.pending.length) await write(run, [], { release: true });
      else await releaseAllocation(scoped, shop, claimed.id);
    }
  }
}

async function dispatch(run: Run): Promise<FulfillmentOrderOutcome> {
  const { fo, allocation } = run;
  if (!fo.linesComplete && (fo.requestStatus === "SUBMITTED" || (fo.requestStatus === "ACCEPTED" && !allocation.warehouseOrderRef))) {
    throw new FulfillmentError(
      "order_too_large",
      `This order has more than ${MAX_FULFILLMENT_ORDER_LINES} lines; TallySync sends orders of up to ${MAX_FULFILLMENT_ORDER_LINES} lines to a warehouse. Fulfil it by hand, or split it in Shopify.`,
      false,
    );
  }
  switch (fo.requestStatus) {
    case "SUBMITTED":
      return handleRequest(run);
    case "ACCEPTED":
    case "CANCELLATION_REJECTED":
      // Accepted, but the warehouse order may not exist yet (a crash, a warehouse that was short).
      // In error with an order at the warehouse (the merchant's Retry): ask the warehouse again.
      if (allocation.warehouseOrderRef) return allocation.status === "error" ? recheckWarehouseOrder(run) : "nothing_to_do";
      return deliverTo(run, await warehouseForAllocation(run), null);
    case "REJECTED":
    case "UNSUBMITTED": {
      // Rejected only to be moved (or split), or moved and not yet requested again: finish the move.
      if (allocation.status === "requested" && allocation.warehouseId) {
        const split = splitPlanOf(allocation.routingReason);
        return split ? continueSplit(run, split) : deliverTo(run, await warehouseForAllocation(run), null);
      }
      // Moved here by a split and not requested from the warehouse (yet): the split decided where it goes.
      if (allocation.status === "requested" && !allocation.routingReason) {
        const part = await splitPartFor(run);
        if (part) return deliverSplitPart(run, part);
      }
      return "nothing_to_do";
    }
    case "CANCELLATION_REQUESTED":
      return handleCancellation(run);
    case "CANCELLATION_ACCEPTED":
      if (!isSettled(allocation.status) && allocation.cancelRequestedAt) {
        run.allocation = await record(run, { status: "cancelled", kind: "cancelled", note: "Cancellation confirmed in Shopify." });
        return "cancelled";
      }
      return "nothing_to_do";
    default:
      // Closed or cancelled in Shopify before it reached a warehouse (the merchant cancelled a waiting order).
      if ((fo.status === "CANCELLED" || fo.status === "CLOSED") && !isSettled(allocation.status) && !allocation.warehouseOrderRef) {
        run.allocation = await record(run, { status: "cancelled", kind: "cancelled", note: "Closed in Shopify before it reached a warehouse.", data: { nextAttemptAt: null, lastError: null } });
        return "cancelled";
      }
      return "nothing_to_do";
  }
}

/**
 * Records a change on the allocation, with the deferred ones before it. With `release` it is the
 * run's last write: the lease goes with it.
 */
async function record(run: Run, change: AllocationChange, options: { release?: boolean } = {}): Promise<AllocationState> {
  return write(run, [{ change, at: run.deps.now() }], options);
}

async function write(run: Run, steps: AllocationStep[], options: { release?: boolean } = {}): Promise<AllocationState> {
  const all = [...run.pending, ...steps];
  run.allocation = await recordAllocationSteps(run.scoped, run.shop, run.allocation, all, options);
  run.pending = [];
  if (options.release) run.released = true;
  return run.allocation;
}

/**
 * A change no crash recovery depends on: written with the run's next write instead of on its own.
 * The run goes on from the allocation as it will be; a failure writes it with the error, and the
 * end of the run with the release of the lease.
 */
function defer(run: Run, change: AllocationChange): void {
  run.pending.push({ change, at: run.deps.now() });
  run.allocation = { ...run.allocation, ...change.data, status: change.status ?? run.allocation.status };
}

/** A failure: permanent ones put the allocation in error (the merchant is told); the rest retry. */
async function failed(run: Run, error: unknown): Promise<FulfillmentOrderOutcome> {
  const message = error instanceof Error ? error.message : String(error);
  const permanent =
    (error instanceof FulfillmentError && !error.retryable) ||
    (error instanceof WarehouseApiError && !error.retryable) ||
    (error instanceof ShopifyApiError && !error.retryable);
  if (!permanent) {
    if (run.pending.length) await record(run, { data: { lastError: message.slice(0, 2_000) } });
    else await run.scoped.allocation.updateMany({ where: { id: run.allocation.id }, data: { lastError: message.slice(0, 2_000) } });
    throw error;
  }
  log.warn("A fulfillment order needs the merchant", { shop: run.shop, fulfillmentOrderId: run.fo.id, error: message });
  if (run.allocation.status !== "error" || run.allocation.lastError !== message) {
    await record(run, { status: "error", kind: "error", note: message, data: { lastError: message.slice(0, 2_000) } });
    await run.scoped.alert.create({
      data: { shop: run.shop, kind: "fulfillment_error", severity: "warning", message: `Order ${run.fo.orderName}: ${message}`, reference: `allocation:${run.allocation.id}` },
    });
  }
  return "error";
}

async function warehouseById(run: Run, warehouseId: string): Promise<RoutedWarehouse | null> {
  return routedWarehouse(await run.scoped.warehouse.findUnique({ where: { id: warehouseId }, select: ROUTED_WAREHOUSE_FIELDS }));
}

/** The warehouse the allocation went to, else the one at the location Shopify assigned. */
async function warehouseForAllocation(run: Run): Promise<RoutedWarehouse> {
  if (run.allocation.warehouseId) {
    const chosen = await warehouseById(run, run.allocation.warehouseId);
    if (chosen) return chosen;
  }
  const warehouse = run.fo.assignedLocationId
    ? routedWarehouse(
        await run.scoped.warehouse.findFirst({
          where: { OR: [{ shopifyLocationId: run.fo.assignedLocationId }, { fulfillmentServiceLocationId: run.fo.assignedLocationId }] },
          select: ROUTED_WAREHOUSE_FIELDS,
        }),
      )
    : null;
  if (!warehouse) {
    throw new FulfillmentError("not_found", "The warehouse this order was sent to is no longer connected to TallySync. Fulfil the order from another location in Shopify.", false);
  }
  return warehouse;
}

// ---------------------------------------------------------------------------------------------
// Fulfillment requests
// ---------------------------------------------------------------------------------------------

async function reject(run: Run, reason: RejectionReason, message: string, routingReason: string | null): Promise<FulfillmentOrderOutcome> {
  await run.deps.shopify.rejectFulfillmentRequest(run.fo.id, reason, message);
  await record(run, { status: "rejected", kind: "rejected", note: message, data: { routingReason, warehouseId: null, lastError: message, nextAttemptAt: null } }, { release: true });
  return "rejected";
}

async function handleRequest(run: Run): Promise<FulfillmentOrderOutcome> {
  const { fo, deps } = run;
  const addressProblem = shippingAddressProblem(fo.destination);
  if (addressProblem) return reject(run, "INCORRECT_ADDRESS", addressProblem, null);
  const request = routingRequestFor(fo);
  if (!request.lines.length) return "nothing_to_do";
  const resumed = await resumeSplit(run);
  if (resumed) return resumed;

  const context = await routingContext(run.shop, request, fo.orderId, deps.db);
  run.reservations = context.reservations;
  let decision: RoutingDecision;
  try {
    decision = routeFulfillmentRequest({ request, warehouses: context.candidates, rules: context.rules, options: context.options });
  } catch (error) {
    if (!(error instanceof RoutingInputError)) throw error;
    return reject(run, "OTHER", `TallySync could not route this order: ${error.message}`, null);
  }
  const routing = JSON.stringify(routingRecord(decision, context.names));

  if (decision.kind === "reject") return reject(run, "UNDELIVERABLE_DESTINATION", rejectionMessage(decision, context.names), routing);
  if (decision.kind === "wait") {
    const attempts = run.allocation.attempts + 1;
    const waitingAlready = run.allocation.status === "waiting";
    await record(
      run,
      {
        status: "waiting",
        // One timeline entry for the wait, not one per retry.
        ...(waitingAlready ? {} : { kind: "waiting" as const, note: routingRecord(decision, context.names).summary }),
        data: { routingReason: routing, attempts, nextAttemptAt: new Date(deps.now().getTime() + waitingRetryDelayMs(attempts)), lastError: null },
      },
      { release: true },
    );
    return "waiting";
  }
  if (decision.assignments.length > 1) return startSplit(run, decision, context);
  const warehouse = context.warehouses.get(decision.assignments[0]!.warehouseId)!;
  const routed: AllocationChange = {
    // Out of the waiting queue: an unfinished delivery from here is picked up by the poll's sweep.
    status: "requested",
    kind: "routed",
    note: routingRecord(decision, context.names).summary,
    data: { warehouseId: warehouse.id, routingReason: routing, assignedLocationId: fo.assignedLocationId, lastError: null, nextAttemptAt: null },
  };
  // Staying where Shopify put it, nothing changes in Shopify before the acceptance, which records
  // the routing with it: a run that dies before then leaves the request to be routed again, or
  // finds it accepted at this location. A move must be recorded first: it rejects the request.
  if (warehouse.locationId === fo.assignedLocationId) defer(run, routed);
  else await record(run, routed);
  return deliverTo(run, warehouse, moveMessage(warehouse.name, decision, context.names));
}

// ---------------------------------------------------------------------------------------------
// Splits: one fulfillment order shipped by several warehouses
// ---------------------------------------------------------------------------------------------
//
// The plan is recorded with the routing decision before Shopify is asked anything. Each other
// warehouse's lines are then moved out (fulfillmentOrderMove with fulfillmentOrderLineItems): they
// become a fulfillment order of their own at that warehouse's location, which is worked on as its
// own allocation, sent to its warehouse by the plan without being routed again. What stays is
// delivered like any routed order. A run after a crash reads the original's lines in Shopify to see
// which moves are done, so no line moves twice.

interface SplitLine {
  /** The fulfillment order line item. */
  id: string;
  lineItemId: string;
  inventoryItemId: string | null;
  /** Its unfulfilled units when the plan was made. */
  quantity: number;
}

interface SplitMove {
  warehouseId: string;
  locationId: string;
  lines: Array<{ id: string; quantity: number }>;
}

interface SplitPlan {
  /** Where Shopify had the fulfillment order. */
  from: string | null;
  /** The warehouse that ships what is not moved out. */
  stayWarehouseId: string;
  /** The message with the rejection that lets Shopify move the lines. */
  message: string;
  lines: SplitLine[];
  /** In the order they are made. */
  moves: SplitMove[];
}

type StoredRouting = Partial<RoutingRecord> & { split?: SplitPlan; splitFrom?: string };

function storedRouting(raw: string | null): StoredRouting | null {
  if (!raw) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === "object" ? (parsed as StoredRouting) : null;
  } catch {
    return null;
  }
}

function splitPlanOf(raw: string | null): SplitPlan | null {
  const plan = storedRouting(raw)?.split;
  return plan && Array.isArray(plan.lines) && Array.isArray(plan.moves) ? plan : null;
}

function movedUnits(plan: SplitPlan, move: SplitMove): MovedUnits[] {
  return move.lines.map((l) => {
    const line = plan.lines.find((p) => p.id === l.id);
    return { lineItemId: line?.lineItemId ?? "", inventoryItemId: line?.inventoryItemId ?? null, quantity: l.quantity };
  });
}

/** "1 line (2 units)". */
function partText(lines: ReadonlyArray<{ quantity: number }>): string {
  const units = lines.reduce((sum, l) => sum + l.quantity, 0);
  return `${lines.length} ${lines.length === 1 ? "line" : "lines"} (${units} ${units === 1 ? "unit" : "units"})`;
}

/** What the plan leaves in the original fulfillment order. */
function stayingLines(plan: SplitPlan): Array<{ id: string; quantity: number }> {
  return plan.lines
    .map((line) => ({ id: line.id, quantity: line.quantity - plan.moves.reduce((sum, m) => sum + m.lines.filter((l) => l.id === line.id).reduce((s, l) => s + l.quantity, 0), 0) }))
    .filter((line) => line.quantity > 0);
}

/**
 * The moves Shopify does not show done yet, judged by the original's unfulfilled units against the
 * plan (moves are made in order, each takes units out). Null when they match no point of the plan:
 * the fulfillment order was changed some other way.
 */
function pendingMoves(plan: SplitPlan, fo: FulfillmentOrderView): SplitMove[] | null {
  const left = new Map(fo.lines.map((l) => [l.id, l.remainingQuantity]));
  const taken = new Map(plan.lines.map((l) => [l.id, l.quantity - (left.get(l.id) ?? 0)]));
  if ([...taken.values()].some((n) => n < 0)) return null;
  if (fo.lines.some((l) => l.remainingQuantity > 0 && !taken.has(l.id))) return null;
  let done = 0;
  for (const move of plan.moves) {
    if (!move.lines.every((l) => (taken.get(l.id) ?? 0) >= l.quantity)) break;
    for (const l of move.lines) taken.set(l.id, taken.get(l.id)! - l.quantity);
    done++;
  }
  if ([...taken.values()].some((n) => n !== 0)) return null;
  return plan.moves.slice(done);
}

async function splitWarehouse(run: Run, warehouseId: string): Promise<RoutedWarehouse> {
  const warehouse = await warehouseById(run, warehouseId);
  if (!warehouse) {
    throw new FulfillmentError("not_found", "A warehouse TallySync was splitting this order to is no longer connected. Fulfil the rest of the order from another location in Shopify.", false);
  }
  return warehouse;
}

/** Routing split the order: record the plan, then carry it out. */
async function startSplit(run: Run, decision: Extract<RoutingDecision, { kind: "route" }>, context: RoutingContext): Promise<FulfillmentOrderOutcome> {
  const { fo } = run;
  const stay = decision.assignments.find((a) => a.locationId === fo.assignedLocationId) ?? decision.assignments[0]!;
  // Every part's items must be known at its warehouse before anything changes in Shopify.
  const lineOf = new Map(fo.lines.map((l) => [l.id, l]));
  for (const assignment of decision.assignments) {
    await mappedSkus(run, context.warehouses.get(assignment.warehouseId)!, assignment.lines.map((l) => lineOf.get(l.lineItemId)!));
  }
  const names = decision.assignments.map((a) => context.names[a.warehouseId] ?? a.warehouseId);
  const plan: SplitPlan = {
    from: fo.assignedLocationId,
    stayWarehouseId: stay.warehouseId,
    message: `TallySync is splitting this order between ${names.join(" and ")}. ${routingRecord(decision, context.names).summary}`,
    lines: fo.lines
      .filter((l) => l.remainingQuantity > 0)
      .map((l) => ({ id: l.id, lineItemId: l.lineItemId, inventoryItemId: l.inventoryItemId, quantity: l.remainingQuantity })),
    moves: decision.assignments
      .filter((a) => a !== stay)
      .map((a) => ({ warehouseId: a.warehouseId, locationId: a.locationId, lines: a.lines.map((l) => ({ id: l.lineItemId, quantity: l.quantity })) })),
  };
  const routing = routingRecord(decision, context.names);
  run.allocation = await record(run, {
    status: "requested",
    kind: "routed",
    note: routing.summary,
    data: { warehouseId: stay.warehouseId, routingReason: JSON.stringify({ ...routing, split: plan }), assignedLocationId: fo.assignedLocationId, lastError: null, nextAttemptAt: null },
  });
  return continueSplit(run, plan);
}

/** Carries out the moves Shopify does not show yet, then delivers what stays. Safe to repeat. */
async function continueSplit(run: Run, plan: SplitPlan): Promise<FulfillmentOrderOutcome> {
  const { deps } = run;
  const pending = pendingMoves(plan, run.fo);
  if (!pending) {
    throw new FulfillmentError(
      "shopify_refused",
      "This order's fulfillment order changed in Shopify while TallySync was splitting it between warehouses. Check where its items are assigned in Shopify, then retry the order.",
      false,
    );
  }
  const stay = await splitWarehouse(run, plan.stayWarehouseId);
  run.reservations = null; // the moves below change them: what routing read no longer holds
  const staying = stayingLines(plan);
  const one = staying.length === 1;
  const stayText = stay.locationId === plan.from ? `${partText(staying)} ${one ? "stays" : "stay"} at ${stay.name}` : `${partText(staying)} ${one ? "goes" : "go"} to ${stay.name}`;
  // A run that crashed after a move: set that move's reservations right (each change is idempotent).
  for (const move of plan.moves.slice(0, plan.moves.length - pending.length)) {
    await moveReservations(run.shop, run.fo, plan.from, move.locationId, deps, movedUnits(plan, move));
  }
  if (pending.length && run.fo.requestStatus === "SUBMITTED") {
    // A fulfillment service must reject a request before Shopify lets any of its lines move.
    await deps.shopify.rejectFulfillmentRequest(run.fo.id, "OTHER", plan.message);
    run.fo = await readAgain(run, run.fo.id);
  }
  for (const move of pending) {
    const warehouse = await splitWarehouse(run, move.warehouseId);
    const from = run.fo.assignedLocationId;
    const { moved, originalView } = await deps.shopify.moveFulfillmentOrder(
      run.fo.id,
      move.locationId,
      move.lines.map((l) => ({ fulfillmentOrderLineItemId: l.id, quantity: l.quantity })),
    );
    if (moved.id === run.fo.id) {
      throw new FulfillmentError("shopify_refused", `Shopify moved the whole order to ${warehouse.name} instead of some of its lines. Check the order in Shopify, then retry it.`, false);
    }
    run.fo = originalView?.id === run.fo.id ? originalView : await readAgain(run, run.fo.id);
    await moveReservations(run.shop, run.fo, from, move.locationId, deps, movedUnits(plan, move));
    run.allocation = await record(run, {
      kind: "moved",
      note: `Split: ${partText(move.lines)} to ${warehouse.name} (fulfillment order ${moved.id.split("/").pop()}), ${stayText}`,
    });
    // Its own allocation. Shopify's fulfillment request brings it too; one job per fulfillment order, one warehouse order per reference.
    await requestFulfillmentOrder(run.shop, moved.id);
  }
  return deliverTo(run, stay, plan.message);
}

interface SplitPart {
  plan: SplitPlan;
  move: SplitMove;
  routing: StoredRouting;
  originalFulfillmentOrderId: string;
}

/** The split this fulfillment order was moved out of: a plan of the same order with exactly its units at its location. */
async function splitPartFor(run: Run): Promise<SplitPart | null> {
  const { fo, allocation } = run;
  if (allocation.routingReason || allocation.warehouseId || !fo.assignedLocationId) return null;
  const unitsOf = (lines: ReadonlyArray<{ lineItemId: string; quantity: number }>) => {
    const units = new Map<string, number>();
    for (const l of lines) units.set(l.lineItemId, (units.get(l.lineItemId) ?? 0) + l.quantity);
    return units;
  };
  // Cheap first (this runs for every new request): a part lacks some of the order's units.
  const totals = unitsOf(fo.lines.map((l) => ({ lineItemId: l.lineItemId, quantity: l.totalQuantity })));
  // The order's lines as this run found them when it started, else read now.
  const ordered = run.orderedLines ?? (await run.scoped.orderLine.findMany({ where: { orderId: allocation.orderId }, select: { lineItemId: true, quantity: true } }));
  if (ordered.every((l) => (totals.get(l.lineItemId) ?? 0) >= l.quantity)) return null;
  const mine = unitsOf(fo.lines.filter((l) => l.remainingQuantity > 0).map((l) => ({ lineItemId: l.lineItemId, quantity: l.remainingQuantity })));
  const siblings = await run.scoped.allocation.findMany({
    where: { orderId: allocation.orderId, id: { not: allocation.id }, routingReason: { not: null } },
    select: { fulfillmentOrderId: true, routingReason: true },
  });
  for (const sibling of siblings) {
    const routing = storedRouting(sibling.routingReason);
    const plan = splitPlanOf(sibling.routingReason);
    if (!routing || !plan) continue;
    for (const move of plan.moves) {
      if (move.locationId !== fo.assignedLocationId) continue;
      const theirs = unitsOf(movedUnits(plan, move));
      if (theirs.size === mine.size && [...theirs].every(([id, quantity]) => mine.get(id) === quantity)) {
        return { plan, move, routing, originalFulfillmentOrderId: sibling.fulfillmentOrderId };
      }
    }
  }
  return null;
}

/** A part moved out by a split goes to the warehouse the split chose; it is not routed again. */
async function deliverSplitPart(run: Run, part: SplitPart): Promise<FulfillmentOrderOutcome> {
  const warehouse = await splitWarehouse(run, part.move.warehouseId);
  const { split: _plan, ...routing } = part.routing;
  const partRouting = { ...routing, warehouseIds: [warehouse.id], moveFrom: part.plan.from, splitFrom: part.originalFulfillmentOrderId };
  run.allocation = await record(run, {
    status: "requested",
    kind: "routed",
    note: `Split from fulfillment order ${part.originalFulfillmentOrderId.split("/").pop()}: ${partText(part.move.lines)} to ${warehouse.name}`,
    data: { warehouseId: warehouse.id, routingReason: JSON.stringify(partRouting), movedFromLocationId: part.plan.from, lastError: null, nextAttemptAt: null },
  });
  return deliverTo(run, warehouse, null);
}

/**
 * A request that belongs to a split: the original with moves already made (finished from Shopify's
 * state), or a part moved out by one (sent where the split chose). Null when routing should decide.
 */
async function resumeSplit(run: Run): Promise<FulfillmentOrderOutcome | null> {
  const { allocation } = run;
  if (allocation.status !== "requested") return null;
  const stored = storedRouting(allocation.routingReason);
  if (stored?.splitFrom && allocation.warehouseId) return deliverTo(run, await warehouseForAllocation(run), null);
  const plan = splitPlanOf(allocation.routingReason);
  if (plan) {
    const pending = pendingMoves(plan, run.fo);
    // Nothing moved yet: routing decides again, on the stock of now.
    return pending && pending.length < plan.moves.length ? continueSplit(run, plan) : null;
  }
  const part = await splitPartFor(run);
  return part ? deliverSplitPart(run, part) : null;
}

/** The warehouse SKUs of the fulfillment order's unfulfilled lines; a line with no mapped SKU stops it here, before Shopify is told yes. */
async function warehouseLines(run: Run, warehouse: RoutedWarehouse): Promise<OutboundOrderLine[]> {
  const open = run.fo.lines.filter((line) => line.remainingQuantity > 0);
  const skuOf = await mappedSkus(run, warehouse, open);
  return open.map((line) => ({ sku: skuOf.get(line.inventoryItemId!)!, quantity: line.remainingQuantity, externalLineReference: line.id }));
}

/** The warehouse SKU of each line's item; throws, naming them, when some have none at that warehouse. */
async function mappedSkus(run: Run, warehouse: RoutedWarehouse, open: readonly FulfillmentOrderLine[]): Promise<Map<string, string>> {
  const items = open.map((line) => line.inventoryItemId).filter((id): id is string => Boolean(id));
  const skuOf = await warehouseSkusOf(run.deps.db, run.shop, warehouse.connectionId, items);
  const missing = open.filter((line) => !line.inventoryItemId || !skuOf.has(line.inventoryItemId));
  if (missing.length) {
    const names = missing.map((line) => line.sku || line.inventoryItemId || line.id).join(", ");
    throw new FulfillmentError(
      "sku_not_mapped",
      `${missing.length === 1 ? "SKU" : "SKUs"} ${names} ${missing.length === 1 ? "is" : "are"} not mapped to a product at ${warehouse.connectionName}. Map ${missing.length === 1 ? "it" : "them"} in Settings > SKU mapping, then retry the order.`,
      false,
    );
  }
  return skuOf;
}

async function readAgain(run: Run, id: string): Promise<FulfillmentOrderView> {
  const fo = await run.deps.shopify.fulfillmentOrder(id);
  if (!fo) throw new FulfillmentError("not_found", "Shopify no longer shows this fulfillment order to TallySync.", true);
  return fo;
}

/**
 * Takes the fulfillment order to the warehouse from wherever it stands: moved to the warehouse's
 * location if it is elsewhere (a fulfillment service must reject a request before Shopify lets
 * the order move), requested there, accepted, and sent to the warehouse.
 */
async function deliverTo(run: Run, warehouse: RoutedWarehouse, moveText: string | null): Promise<FulfillmentOrderOutcome> {
  const { deps } = run;
  const lines = await warehouseLines(run, warehouse);

  /** The lines moveReservations has just reserved at the warehouse. */
  let reservedByMove: string | null = null;
  if (run.fo.assignedLocationId !== warehouse.locationId) {
    const from = run.fo.assignedLocationId;
    if (run.fo.requestStatus === "SUBMITTED") {
      await deps.shopify.rejectFulfillmentRequest(run.fo.id, "OTHER", moveText ?? `TallySync is sending this order to ${warehouse.name} instead.`);
    }
    const { moved, movedView } = await deps.shopify.moveFulfillmentOrder(run.fo.id, warehouse.locationId);
    run.allocation = await record(run, {
      kind: "moved",
      note: `Moved to ${warehouse.name}`,
      data: { fulfillmentOrderId: moved.id, movedFromLocationId: from },
    });
    run.fo = movedView?.id === moved.id ? movedView : await readAgain(run, moved.id);
    run.reservations = null; // moved on: what routing read of them no longer holds
    await moveReservations(run.shop, run.fo, from, warehouse.locationId, deps);
    reservedByMove = reservedLinesKey(run.fo);
  }
  if (run.fo.requestStatus === "UNSUBMITTED" || run.fo.requestStatus === "REJECTED") {
    // Shopify requests fulfillment from the new location itself when the shop does so automatically.
    await deps.shopify.submitFulfillmentRequest(run.fo.id, `Routed to ${warehouse.name} by TallySync`);
    run.fo = await readAgain(run, run.fo.id);
  }
  const reservedHere = await reserveAt(run, warehouse, reservedByMove);

  let justAccepted = false;
  if (run.fo.requestStatus === "SUBMITTED") {
    try {
      await deps.shopify.acceptFulfillmentRequest(run.fo.id, `Sent to ${warehouse.name}`);
    } catch (error) {
      // Accepted before a crash: Shopify refuses to accept twice, and the order is ours all the same.
      if (!(error instanceof ShopifyRefusedError) || (await readAgain(run, run.fo.id)).requestStatus !== "ACCEPTED") throw error;
    }
    justAccepted = true;
    // Written before the warehouse is asked: a run that dies after this finds the allocation accepted.
    await record(run, { status: "accepted", kind: "accepted", note: `Accepted for ${warehouse.name}`, data: { warehouseId: warehouse.id } });
  } else if (run.fo.requestStatus !== "ACCEPTED" && run.fo.requestStatus !== "CANCELLATION_REJECTED") {
    throw new FulfillmentError("shopify_refused", `The fulfillment order is ${run.fo.requestStatus.toLowerCase().replace(/_/g, " ")} in Shopify, so it cannot be sent to ${warehouse.name}.`, true);
  } else if (run.allocation.status !== "accepted") {
    await record(run, { status: "accepted", data: { warehouseId: warehouse.id } });
  }
  return sendToWarehouse(run, warehouse, lines, justAccepted, reservedHere);
}

/** What reserveFulfillmentOrder reserves of a fulfillment order: its unfulfilled lines with an item. */
function reservedLinesKey(fo: FulfillmentOrderView): string {
  return JSON.stringify(fo.lines.filter((l) => l.remainingQuantity > 0 && l.inventoryItemId).map((l) => [l.lineItemId, l.inventoryItemId, l.remainingQuantity]));
}

/**
 * Reserves the fulfillment order's unfulfilled units at the warehouse (reserveFulfillmentOrder),
 * leaving out what would change nothing: the lines moveReservations has just reserved there, and
 * those whose reservation there, as routing read it, already has that quantity or is no longer
 * active (reserveOrderLines leaves both alone). Returns true when the order is known to have an
 * active reservation at the warehouse now, null when the run does not know.
 */
async function reserveAt(run: Run, warehouse: RoutedWarehouse, reservedByMove: string | null): Promise<true | null> {
  if (reservedByMove !== null && reservedByMove === reservedLinesKey(run.fo)) return null;
  const known = run.reservations;
  if (!known) {
    await reserveFulfillmentOrder(run.shop, run.fo, warehouse.locationId, run.deps);
    return null;
  }
  const open = run.fo.lines.filter((line) => line.remainingQuantity > 0 && line.inventoryItemId);
  const at = (line: FulfillmentOrderLine) => known.find((r) => r.lineItemId === line.lineItemId && r.warehouseId === warehouse.id);
  const needed = open.filter((line) => {
    const reservation = at(line);
    return !reservation || (reservation.status === "active" && reservation.quantity !== line.remainingQuantity);
  });
  if (needed.length) await reserveFulfillmentOrder(run.shop, { ...run.fo, lines: needed }, warehouse.locationId, run.deps);
  // A line with no reservation there has an active one now; one that had an active one keeps it.
  return open.some((line) => {
    const reservation = at(line);
    return !reservation || reservation.status === "active";
  })
    ? true
    : null;
}

async function sendToWarehouse(run: Run, warehouse: RoutedWarehouse, lines: OutboundOrderLine[], justAccepted: boolean, reservedHere: true | null): Promise<FulfillmentOrderOutcome> {
  const { deps, fo } = run;
  const connector = await deps.connectorFor(run.shop, warehouse.connectionId);
  // A retry looks for the order first: a crash after the warehouse created it must not create another.
  let order: (OutboundOrderState & { created?: boolean }) | null = justAccepted ? null : await connector.findOutboundOrder(fo.id);
  if (!order) {
    try {
      order = await connector.createOutboundOrder({
        externalReference: fo.id,
        warehouseCode: warehouse.externalCode,
        orderNumber: fo.orderName,
        lines,
        shipTo: shipToAddress(fo.destination!),
      });
    } catch (error) {
      if (error instanceof WarehouseApiError && error.code === "insufficient_stock") return warehouseShort(run, warehouse, lines, error);
      if (error instanceof WarehouseApiError && !error.retryable) {
        throw new FulfillmentError("warehouse_refused", `${warehouse.name} refused the order: ${error.message}`, false);
      }
      throw error;
    }
  }
  if (order.status === "cancelled" && order.created !== true) {
    throw new FulfillmentError(
      "warehouse_refused",
      `${warehouse.name} already holds a cancelled order for this fulfillment order (${order.id}) and takes one order per reference, so it cannot be sent again. Fulfil it from another location in Shopify.`,
      false,
    );
  }
  // Written with the warehouse's answer (warehouseOrderChanged), in one write that also ends the
  // run's lease. A run that dies before it: Shopify has the order accepted, so the retry looks the
  // warehouse order up (never creates it again) and records both; a failure records it with the error.
  defer(run, {
    status: "sent",
    kind: "sent",
    note: `${warehouse.name} order ${order.id}${order.created === false ? " (already there; not created again)" : ""}`,
    // warehouseOrderChanged raises the warehouse status (and tells the timeline) from here.
    data: {
      warehouseOrderRef: order.id,
      sentLines: sentLinesText({ orderId: fo.orderId, fulfillmentOrderId: fo.id, lines: fo.lines }),
      warehouseOrderStatus: laterStatus(run.allocation.warehouseOrderStatus, "received"),
      lastError: null,
      nextAttemptAt: null,
    },
  });
  await warehouseOrderChangedInRun(run, warehouse, order, reservedHere);
  return "sent";
}

/** warehouseOrderChanged as the run's last step: its write carries the run's deferred changes and ends the lease. */
async function warehouseOrderChangedInRun(run: Run, warehouse: RoutedWarehouse, order: OutboundOrderState, reservedHere: true | null): Promise<void> {
  run.allocation = await warehouseOrderChanged(run.scoped, run.shop, run.allocation, warehouse, order, run.deps, {
    before: run.pending,
    release: true,
    shopifyOrderId: run.shopifyOrderId,
    reservedHere,
  });
  run.pending = [];
  run.released = true;
}

/** The warehouse had less than our positions said: read its levels, keep the order accepted, send it again later. */
async function warehouseShort(run: Run, warehouse: RoutedWarehouse, lines: OutboundOrderLine[], error: WarehouseApiError): Promise<FulfillmentOrderOutcome> {
  await refreshWarehouseLevels(run.shop, warehouse, lines.map((l) => l.sku), `wms-order-refused:${run.fo.id}`, run.deps);
  const attempts = run.allocation.attempts + 1;
  const message = `${warehouse.name} had too little stock when the order arrived (${error.message}). TallySync sends it again when stock arrives.`;
  await record(
    run,
    {
      status: "accepted",
      ...(run.allocation.lastError === message ? {} : { kind: "waiting" as const, note: message }),
      data: { lastError: message, attempts, nextAttemptAt: new Date(run.deps.now().getTime() + waitingRetryDelayMs(attempts)) },
    },
    { release: true },
  );
  return "accepted";
}

/**
 * An order in error that the warehouse holds (on hold there, or a failure after it was sent): the
 * warehouse's own state decides. Back in progress there: the order is back on track. Gone there
 * (lost, or deleted by hand): it is sent again under the same reference. Still on hold or
 * cancelled there: it stays in error, with the warehouse's reason.
 */
async function recheckWarehouseOrder(run: Run): Promise<FulfillmentOrderOutcome> {
  const warehouse = await warehouseForAllocation(run);
  const connector = await run.deps.connectorFor(run.shop, warehouse.connectionId);
  const order = await connector.findOutboundOrder(run.fo.id);
  if (!order) {
    await record(run, { data: { warehouseOrderRef: null, warehouseOrderStatus: null } });
    return sendToWarehouse(run, warehouse, await warehouseLines(run, warehouse), true, null);
  }
  if (order.status === "exception" || order.status === "cancelled") return "error";
  defer(run, {
    status: "sent",
    kind: "sent",
    note: `${warehouse.name} order ${order.id} is in progress again (${order.status.replace(/_/g, " ")})`,
    data: { lastError: null, warehouseOrderStatus: laterStatus(null, order.status) },
  });
  await warehouseOrderChangedInRun(run, warehouse, order, null);
  return "sent";
}

// ---------------------------------------------------------------------------------------------
// The warehouse's side of the order (its answer to the create, and its events)
// ---------------------------------------------------------------------------------------------

const ACKNOWLEDGED = new Set(["acknowledged", "picking", "partially_shipped", "shipped"]);
const PROGRESS = ["received", "acknowledged", "picking", "partially_shipped", "shipped"];

/** The further along of two warehouse statuses of the normal lifecycle (a late event never moves it back). */
function laterStatus(current: string | null, next: string): string {
  if (current === null) return next;
  return PROGRESS.indexOf(next) > PROGRESS.indexOf(current) ? next : current;
}

/**
 * Whether a warehouse order status says nothing new: a step of the normal lifecycle the allocation
 * has already recorded (the acknowledgement TallySync took from the create answer, coming again
 * as the warehouse's event). Such an event needs no work, and no lease on the allocation.
 */
export function warehouseStatusAlreadyRecorded(recorded: string | null, reported: string): boolean {
  if (recorded === null || !PROGRESS.includes(reported) || !PROGRESS.includes(recorded)) return false;
  return PROGRESS.indexOf(recorded) >= PROGRESS.indexOf(reported);
}

/**
 * The warehouse order's status moved on. Acknowledged: the warehouse moved the units from sellable
 * to reserved, so its levels are read again and the order's reservations acknowledged (in that
 * order, so Shopify never sees those units twice). Cancelled or in exception on the warehouse's own
 * initiative: the merchant is told.
 */
export interface WarehouseOrderChangeOptions {
  /** Changes of the allocation decided before this one and not written yet: written with it, before it. */
  before?: readonly AllocationStep[];
  /** The write is the caller's last while it holds the allocation's lease: it gives the lease up. */
  release?: boolean;
  /** The Shopify order's id, when the caller knows it belongs to the allocation (else it is read). */
  shopifyOrderId?: string | null;
  /** The caller has just made sure the order has an active reservation at the warehouse. */
  reservedHere?: true | null;
}

export async function warehouseOrderChanged(
  scoped: ShopDatabase,
  shop: string,
  allocation: AllocationState,
  warehouse: RoutedWarehouse,
  order: OutboundOrderState,
  deps: OrderDeps,
  options: WarehouseOrderChangeOptions = {},
): Promise<AllocationState> {
  const now = deps.now();
  const known = options.shopifyOrderId ? { shopifyOrderId: options.shopifyOrderId, name: null } : null;
  const shopifyOrder: { shopifyOrderId: string; name: string | null } =
    known ?? (await scoped.order.findUnique({ where: { id: allocation.orderId }, select: { shopifyOrderId: true, name: true } }))!;
  // The order's name is for the merchant's messages, on the rare paths that have one.
  const orderName = async () => shopifyOrder.name ?? (await scoped.order.findUnique({ where: { id: allocation.orderId }, select: { name: true } }))!.name;
  const before = options.before ?? [];
  const finish = async (change: AllocationChange | null): Promise<AllocationState> => {
    const steps = change ? [...before, { change, at: now }] : [...before];
    if (!steps.length && !options.release) return allocation;
    return recordAllocationSteps(scoped, shop, allocation, steps, { release: options.release });
  };
  if (ACKNOWLEDGED.has(order.status)) {
    const already = options.reservedHere ?? (await scoped.reservation.count({ where: { orderId: shopifyOrder.shopifyOrderId, warehouseId: warehouse.id, status: "active" } }));
    if (already) {
      await refreshWarehouseLevels(shop, warehouse, order.lines.map((l) => l.sku), `wms-order:${order.id}`, deps);
      await changeReservations(shop, shopifyOrder.shopifyOrderId, "acknowledged", warehouse.id, deps);
    }
    const first = allocation.warehouseOrderStatus === null || allocation.warehouseOrderStatus === "received";
    return finish({
      ...(first ? { kind: "acknowledged" as const, note: `${warehouse.name} accepted the order and reserved its stock` } : {}),
      data: { warehouseOrderStatus: laterStatus(allocation.warehouseOrderStatus, order.status) },
    });
  }
  if (order.status === "exception") {
    const reason = order.exception ? `${order.exception.message} (${order.exception.code})` : "no reason given";
    const message = `${warehouse.name} put ${await orderName()} on hold: ${reason}. Resolve it with the warehouse.`;
    if (allocation.warehouseOrderStatus === "exception" && allocation.lastError === message) return finish(null);
    await scoped.alert.create({ data: { shop, kind: "warehouse_order_exception", severity: "warning", message, reference: `allocation:${allocation.id}` }, select: { id: true } });
    return finish({ status: "error", kind: "warehouse_exception", note: message, data: { warehouseOrderStatus: "exception", lastError: message } });
  }
  if (order.status === "cancelled") {
    // Ours (a cancellation Shopify asked for) is recorded by handleCancellation.
    if (allocation.cancelRequestedAt || allocation.status === "cancelled") {
      return finish({ data: { warehouseOrderStatus: "cancelled" } });
    }
    const reason = order.exception ? `: ${order.exception.message}` : "";
    const message = `${warehouse.name} cancelled ${await orderName()}${reason}. It will not ship from there; fulfil it from another location or cancel it in Shopify.`;
    await changeReservations(shop, shopifyOrder.shopifyOrderId, "cancelled", warehouse.id, deps);
    await refreshWarehouseLevels(shop, warehouse, order.lines.map((l) => l.sku), `wms-order:${order.id}`, deps);
    await deps.stockArrived(shop);
    await scoped.alert.create({ data: { shop, kind: "warehouse_order_cancelled", severity: "critical", message, reference: `allocation:${allocation.id}` }, select: { id: true } });
    return finish({ status: "error", kind: "warehouse_cancelled", note: message, data: { warehouseOrderStatus: "cancelled", lastError: message } });
  }
  const status = laterStatus(allocation.warehouseOrderStatus, order.status);
  return finish(allocation.warehouseOrderStatus !== status ? { data: { warehouseOrderStatus: status } } : null);
}

// ---------------------------------------------------------------------------------------------
// Cancellation requests
// ---------------------------------------------------------------------------------------------

async function handleCancellation(run: Run): Promise<FulfillmentOrderOutcome> {
  const { deps, fo } = run;
  let warehouse: RoutedWarehouse | null = null;
  try {
    warehouse = await warehouseForAllocation(run);
  } catch (error) {
    // No warehouse of ours has it any more: nothing to cancel there, Shopify may cancel.
    if (!(error instanceof FulfillmentError)) throw error;
  }
  if (!run.allocation.cancelRequestedAt) {
    run.allocation = await record(run, {
      kind: "cancellation_requested",
      note: fo.cancellationMessage ? `Shopify asked to cancel: ${fo.cancellationMessage}` : "Shopify asked to cancel",
      data: { cancelRequestedAt: deps.now() },
    });
  }
  // The warehouse first, then Shopify: a crash in between repeats a cancel the warehouse answers 200 to.
  const result = warehouse ? await (await deps.connectorFor(run.shop, warehouse.connectionId)).cancelOutboundOrder(fo.id) : { cancelled: false, reason: "not_found" as const };
  if (result.cancelled || result.reason === "not_found") {
    await deps.shopify.acceptCancellationRequest(fo.id, warehouse ? `Cancelled at ${warehouse.name}` : "Cancelled");
    if (warehouse) {
      await changeReservations(run.shop, fo.orderId, "cancelled", warehouse.id, deps, fo.lines.map((l) => l.lineItemId));
      const skus = await warehouseSkus(run, warehouse);
      if (result.cancelled) await refreshWarehouseLevels(run.shop, warehouse, skus, `wms-order-cancelled:${fo.id}`, deps);
      await deps.stockArrived(run.shop);
    }
    run.allocation = await record(run, {
      status: "cancelled",
      kind: "cancelled",
      note: warehouse ? (result.cancelled ? `Cancelled at ${warehouse.name}` : `${warehouse.name} had no order for it; cancellation confirmed`) : "Cancellation confirmed",
      data: { warehouseOrderStatus: result.cancelled ? "cancelled" : run.allocation.warehouseOrderStatus, lastError: null, nextAttemptAt: null },
    });
    return "cancelled";
  }
  const shipments = await run.scoped.shipment.findMany({ where: { allocationId: run.allocation.id }, select: { trackingNumber: true } });
  const tracking = shipments.map((s) => s.trackingNumber).filter(Boolean);
  const message = `${warehouse!.name} has already shipped this order${tracking.length ? ` (tracking ${tracking.join(", ")})` : ""}, so it can no longer be cancelled. Arrange a return with the customer instead.`;
  await deps.shopify.rejectCancellationRequest(fo.id, message);
  run.allocation = await record(run, { kind: "cancellation_rejected", note: message, data: { cancelRequestedAt: null } });
  return "cancellation_rejected";
}

async function warehouseSkus(run: Run, warehouse: RoutedWarehouse): Promise<string[]> {
  const items = run.fo.lines.map((l) => l.inventoryItemId).filter((id): id is string => Boolean(id));
  const mappings = await run.scoped.skuMapping.findMany({ where: { connectionId: warehouse.connectionId, inventoryItemId: { in: items } }, select: { warehouseSku: true } });
  return mappings.map((m) => m.warehouseSku);
}
