// The demo merchant's counts, as if TallySync had been counting for three months: plans of each
// kind, twelve weeks of posted counts whose accuracy climbs towards the 99.5% target (the brief's
// story: a 15% monthly variance brought under control), and today's work in every state (a count
// to start, one being counted, one to review, an overdue one, an exception raised by TallySync).
// Written with a few createMany calls so that `npm run sandbox` stays quick.
import { randomUUID } from "node:crypto";
import { Prisma } from "@prisma/client";
import { addDays, shopDay, startOfShopDay } from "../../app/counts/calendar";
import { countTaskKey } from "../../app/counts/scheduler";
import { planSettingsJson, type CountPlanSettings } from "../../app/counts/plan-settings";
import type { Database } from "../../app/db/client.server";
import { forShop } from "../../app/db/tenant.server";
import { nextDailyRun } from "../../app/models/counts/scheduler.server";
import { random } from "./demo-data";
import type { SeededItem, SeededWarehouse } from "./seed-app";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const COUNTERS = ["ana@harborhearth.example", "marco@eurobridge.example"];
const REVIEWER = "lena@harborhearth.example";

type Status = "draft" | "assigned" | "in_progress" | "review" | "posted";

interface Line {
  id: string;
  sku: string;
  item: SeededItem;
  book: number;
  bin: string;
  abcClass: "A" | "B" | "C";
  counted: number | null;
  variance: number | null;
  reason: string | null;
  note: string | null;
  countedAt: Date | null;
}

export async function seedCountHistory(
  db: Database,
  shop: string,
  input: { items: SeededItem[]; warehouses: SeededWarehouse[]; warehouseIds: string[]; timeZone: string; now: Date }
) {
  const { items, warehouses, warehouseIds, timeZone, now } = input;
  const scoped = forShop(shop, db);
  const rand = random(5);
  const bySku = new Map(items.map((item) => [item.sku, item]));
  const stockOf = warehouses.map((w) => w.stock.filter((row) => bySku.has(row.sku)));
  const today = shopDay(now, timeZone);
  const tomorrowRun = nextDailyRun(now, timeZone);

  // Plans: they run again at the next daily run (today's counts are below).
  const nextQuarter = (() => {
    const d = new Date(now);
    const month = Math.floor(d.getUTCMonth() / 3) * 3 + 3;
    return new Date(Date.UTC(d.getUTCFullYear() + Math.floor(month / 12), month % 12, 1)).toISOString().slice(0, 10);
  })();
  const planDefs: Array<{ name: string; warehouse: number | null; settings: CountPlanSettings }> = [
    { name: `Daily cycle count (${warehouses[0]!.warehouse.code})`, warehouse: 0, settings: { kind: "rolling", everyDays: 30, dailyLines: 25 } },
    { name: `Daily cycle count (${warehouses[1]?.warehouse.code ?? "RTM1"})`, warehouse: 1, settings: { kind: "rolling", everyDays: 45, dailyLines: 12 } },
    { name: "Fast sellers by velocity (ABC)", warehouse: null, settings: { kind: "abc" } },
    { name: `Quarterly full count (${warehouses[1]?.warehouse.code ?? "RTM1"})`, warehouse: 1, settings: { kind: "full", countOn: nextQuarter } },
    {
      name: "Live stream: winter bedding",
      warehouse: 0,
      settings: { kind: "campaign", scope: { by: "tag", tag: "bedding" }, dueAt: new Date(startOfShopDay(addDays(today, 2), timeZone).getTime() + 10 * HOUR) },
    },
  ];
  const planIds = planDefs.map(() => randomUUID());
  await scoped.countPlan.createMany({
    data: planDefs.map((plan, i) => ({
      id: planIds[i]!,
      shop,
      name: plan.name,
      kind: plan.settings.kind,
      warehouseId: plan.warehouse == null ? null : warehouseIds[plan.warehouse] ?? null,
      settings: planSettingsJson(plan.settings),
      // A campaign plan makes its count once (the count under way below) and is then switched off.
      active: plan.settings.kind !== "campaign",
      nextRunAt: plan.settings.kind === "campaign" ? null : tomorrowRun,
      createdAt: new Date(now.getTime() - 95 * DAY),
    })),
  });

  const tasks: Prisma.CountTaskCreateManyInput[] = [];
  const lines: Prisma.CountLineCreateManyInput[] = [];
  const events: Prisma.CountTaskEventCreateManyInput[] = [];
  const adjustments: Prisma.CountAdjustmentCreateManyInput[] = [];
  let number = 1001;
  const cursor = warehouses.map(() => 0);

  const classOf = (sku: string): "A" | "B" | "C" => {
    const n = [...sku].reduce((sum, ch) => sum + ch.charCodeAt(0), 0) % 10;
    return n < 2 ? "A" : n < 5 ? "B" : "C";
  };
  const pickLines = (w: number, count: number, filter?: (sku: string) => boolean): Line[] => {
    const stock = stockOf[w] ?? [];
    const picked: Line[] = [];
    for (let tries = 0; picked.length < count && tries < stock.length * 2; tries++) {
      const row = stock[cursor[w]! % stock.length]!;
      cursor[w]! += 1;
      if (filter && !filter(row.sku)) continue;
      if (picked.some((line) => line.sku === row.sku)) continue;
      const aisle = String(1 + (cursor[w]! % 14)).padStart(2, "0");
      picked.push({
        id: randomUUID(),
        sku: row.sku,
        item: bySku.get(row.sku)!,
        book: row.sellable,
        bin: `${w === 0 ? "A" : "R"}-${aisle}-${1 + (cursor[w]! % 5)}`,
        abcClass: classOf(row.sku),
        counted: null,
        variance: null,
        reason: null,
        note: null,
        countedAt: null,
      });
    }
    return picked;
  };
  const varied = (line: Line, variance: number, at: Date) => {
    line.variance = variance;
    line.counted = Math.max(0, line.book + variance);
    line.variance = line.counted - line.book;
    line.countedAt = at;
    if (line.variance < 0) line.reason = rand() < 0.45 ? "damaged" : rand() < 0.7 ? "lost" : "mis_keyed";
    else if (line.variance > 0) line.reason = rand() < 0.75 ? "found" : "mis_keyed";
    if (line.reason === "damaged" && rand() < 0.6) line.note = "Crushed cartons found during the count, set aside for return";
    if (line.reason === "found" && rand() < 0.5) line.note = "Found in the overflow bin";
  };

  const addTask = (spec: {
    status: Status;
    kind: string;
    warehouse: number;
    planId: string | null;
    at: Date;
    due: Date | null;
    lines: Line[];
    assignee?: string | null;
    scheduleKey?: string | null;
    createdBy?: string;
    note?: string;
    /** When the book was snapshotted, if not when counting started (see the open counts below). */
    snapshotAt?: Date;
  }) => {
    const id = randomUUID();
    const counter = spec.assignee ?? COUNTERS[spec.warehouse] ?? COUNTERS[0]!;
    const at = spec.at;
    const reached = (status: Status) =>
      ["draft", "assigned", "in_progress", "review", "posted"].indexOf(spec.status) >= ["draft", "assigned", "in_progress", "review", "posted"].indexOf(status);
    const started = reached("in_progress") ? new Date(at.getTime() + 30 * 60_000) : null;
    const submitted = reached("review") ? new Date(at.getTime() + 3 * HOUR) : null;
    const approved = reached("posted") ? new Date(at.getTime() + 5 * HOUR) : null;
    tasks.push({
      id,
      shop,
      number: number++,
      status: spec.status,
      kind: spec.kind,
      warehouseId: warehouseIds[spec.warehouse]!,
      planId: spec.planId,
      blind: true,
      assignee: reached("assigned") ? counter : null,
      dueAt: spec.due,
      startedAt: started,
      submittedAt: submitted,
      approvedAt: approved,
      postedAt: approved ? new Date(approved.getTime() + 60_000) : null,
      createdBy: spec.createdBy ?? "system",
      scheduleKey: spec.scheduleKey ?? null,
      createdAt: at,
    });
    for (const line of spec.lines) {
      const cost = new Prisma.Decimal(line.item.unitCost);
      lines.push({
        id: line.id,
        shop,
        taskId: id,
        inventoryItemId: line.item.inventoryItemId,
        warehouseSku: line.sku,
        bin: line.bin,
        abcClass: line.abcClass,
        bookQuantity: started ? line.book : null,
        snapshotAt: started ? spec.snapshotAt ?? started : null,
        countedQuantity: line.counted,
        countedAt: line.countedAt,
        countedBy: line.countedAt ? counter : null,
        varianceUnits: reached("review") ? line.variance : null,
        unitCost: started ? cost : null,
        varianceValue: reached("review") && line.variance != null ? cost.mul(line.variance) : null,
        reason: line.reason,
        note: line.note,
      });
      if (spec.status === "posted" && line.variance) {
        adjustments.push({
          shop,
          taskId: id,
          lineId: line.id,
          warehouseId: warehouseIds[spec.warehouse]!,
          inventoryItemId: line.item.inventoryItemId,
          delta: line.variance,
          idempotencyKey: `tallysync-count-${id}-${line.id}`,
          shopifyStatus: "posted",
          shopifyPostedAt: approved,
          shopifyDelta: line.variance,
          warehouseStatus: "posted",
          warehousePostedAt: approved,
        });
      }
    }
    const event = (fromStatus: string | null, toStatus: string, actor: string, when: Date, note: string | null = null) =>
      events.push({ shop, taskId: id, actor, fromStatus, toStatus, at: when, note });
    event(null, "draft", spec.createdBy ?? "system", at, spec.note ?? `${spec.lines.length} lines to count`);
    if (reached("assigned")) event("draft", "assigned", REVIEWER, new Date(at.getTime() + 10 * 60_000), `Assigned to ${counter}`);
    if (started) event("assigned", "in_progress", counter, started);
    if (submitted) {
      event("in_progress", "submitted", counter, submitted);
      event("submitted", "review", REVIEWER, new Date(submitted.getTime() + 30 * 60_000));
    }
    if (approved) {
      event("review", "approved", REVIEWER, approved);
      const changed = spec.lines.filter((line) => line.variance).length;
      event("approved", "posted", "system", new Date(approved.getTime() + 60_000));
      event("posted", "posted", "system", new Date(approved.getTime() + 60_000), `${changed} of ${changed} adjustment(s) posted to Shopify; warehouse adjusted`);
    }
    return id;
  };

  // Twelve weeks of posted counts. The share of lines found off falls from about 9% to under 1%.
  for (let week = 12; week >= 1; week--) {
    const errorRate = 0.006 + (0.085 * (week - 1)) / 11;
    const monday = startOfShopDay(addDays(today, -week * 7), timeZone);
    const days = [
      { warehouse: 0, offset: 0, size: 22, plan: 0 },
      { warehouse: 1, offset: 1, size: 12, plan: 1 },
      { warehouse: 0, offset: 2, size: 22, plan: 0 },
      { warehouse: 0, offset: 4, size: 22, plan: 0 },
      { warehouse: 1, offset: 3, size: 12, plan: 1 },
      ...(week % 2 === 0 ? [{ warehouse: 0, offset: 3, size: 14, plan: 2 }] : []),
    ];
    for (const day of days) {
      if (!warehouseIds[day.warehouse]) continue;
      const at = new Date(monday.getTime() + day.offset * DAY + 8 * HOUR);
      if (at.getTime() > now.getTime() - DAY) continue;
      const abc = day.plan === 2;
      const picked = pickLines(day.warehouse, day.size, abc ? (sku) => classOf(sku) === "A" : undefined);
      for (const [i, line] of picked.entries()) {
        const countedAt = new Date(at.getTime() + HOUR + i * 4 * 60_000);
        if (rand() < errorRate) varied(line, (rand() < 0.68 ? -1 : 1) * (1 + Math.floor(rand() * (rand() < 0.15 ? 9 : 3))), countedAt);
        else {
          line.counted = line.book;
          line.variance = 0;
          line.countedAt = countedAt;
        }
      }
      addTask({
        status: "posted",
        kind: abc ? "abc" : "rolling",
        warehouse: day.warehouse,
        planId: planIds[day.plan]!,
        at,
        due: new Date(at.getTime() + 16 * HOUR),
        lines: picked,
      });
    }
  }

  // Today's work, in every state. The counts under way are snapshotted and counted at `now`: the
  // warehouses' first stock reads land in the ledger stamped with the simulators' start, just
  // before, and would otherwise be taken for movements during these counts.
  const endOfToday = new Date(startOfShopDay(addDays(today, 1), timeZone).getTime() - 60_000);
  const startOfToday = startOfShopDay(today, timeZone);
  const yesterday = new Date(startOfToday.getTime() - 16 * HOUR);

  // This morning's cycle count, handed in and waiting for review: one line over the threshold needs a recount or a note.
  const review = pickLines(0, 18);
  review.forEach((line) => {
    line.counted = line.book;
    line.variance = 0;
    line.countedAt = now;
  });
  if (review.length >= 3) {
    const big = review.find((line) => line.book >= 12) ?? review[0]!;
    varied(big, -7, big.countedAt!);
    big.reason = null;
    big.note = null;
    const small = review.find((line) => line !== big)!;
    varied(small, -1, small.countedAt!);
    const found = review.find((line) => line !== big && line !== small)!;
    varied(found, 2, found.countedAt!);
    found.reason = "found";
    found.note = "Two units were behind the next SKU's carton";
  }
  const morning = new Date(now.getTime() - 4 * HOUR);
  addTask({
    status: "review",
    kind: "rolling",
    warehouse: 0,
    planId: planIds[0]!,
    at: morning,
    due: endOfToday,
    lines: review,
    snapshotAt: now,
    scheduleKey: countTaskKey(planIds[0]!, shopDay(yesterday, timeZone), warehouseIds[0]!),
  });

  // Before the live stream: bedding counted now, blind, partly done.
  const bedding = pickLines(0, 14, (sku) => sku.startsWith("BED-"));
  bedding.slice(0, 8).forEach((line, i) => {
    line.counted = line.book - (i === 3 ? 1 : 0);
    line.variance = line.counted - line.book;
    line.countedAt = now;
  });
  addTask({
    status: "in_progress",
    kind: "campaign",
    warehouse: 0,
    planId: planIds[4]!,
    at: new Date(now.getTime() - 90 * 60_000),
    due: new Date(endOfToday.getTime() + 11 * HOUR),
    lines: bedding,
    snapshotAt: now,
    scheduleKey: countTaskKey(planIds[4]!, today, warehouseIds[0]!),
  });

  // Today's cycle counts, one to start at each warehouse.
  addTask({
    status: "draft",
    kind: "rolling",
    warehouse: 0,
    planId: planIds[0]!,
    at: new Date(startOfToday.getTime() + 5 * 60_000),
    due: endOfToday,
    lines: pickLines(0, 25),
    scheduleKey: countTaskKey(planIds[0]!, today, warehouseIds[0]!),
  });
  if (warehouseIds[1]) {
    addTask({
      status: "assigned",
      kind: "rolling",
      warehouse: 1,
      planId: planIds[1]!,
      at: new Date(startOfToday.getTime() + 5 * 60_000),
      due: endOfToday,
      lines: pickLines(1, 12),
      scheduleKey: countTaskKey(planIds[1]!, today, warehouseIds[1]!),
    });
    // Class A at Rotterdam, two days late.
    const late = new Date(startOfToday.getTime() - 3 * DAY + 5 * 60_000);
    addTask({
      status: "assigned",
      kind: "abc",
      warehouse: 1,
      planId: planIds[2]!,
      at: late,
      due: new Date(late.getTime() + 16 * HOUR),
      lines: pickLines(1, 8, (sku) => classOf(sku) === "A"),
      scheduleKey: countTaskKey(planIds[2]!, shopDay(late, timeZone), warehouseIds[1]!),
    });
  }
  // Raised by TallySync: the warehouse reports damaged units of these SKUs.
  const damaged = (warehouses[0]?.stock ?? [])
    .filter((row) => row.damaged > 0 && bySku.has(row.sku))
    .slice(0, 3)
    .map((row) => row.sku);
  const exception = pickLines(0, damaged.length, (sku) => damaged.includes(sku));
  if (exception.length) {
    addTask({
      status: "draft",
      kind: "exception",
      warehouse: 0,
      planId: null,
      at: new Date(startOfToday.getTime() + 6 * 60_000),
      due: endOfToday,
      lines: exception,
      note: `Raised by TallySync. ${exception.length} lines. ${exception.map((line) => `${line.sku}: the warehouse holds damaged units`).join(". ")}`,
    });
  }

  await scoped.countTask.createMany({ data: tasks });
  for (let i = 0; i < lines.length; i += 500) await scoped.countLine.createMany({ data: lines.slice(i, i + 500) });
  for (let i = 0; i < events.length; i += 500) await scoped.countTaskEvent.createMany({ data: events.slice(i, i + 500) });
  for (let i = 0; i < adjustments.length; i += 500) await scoped.countAdjustment.createMany({ data: adjustments.slice(i, i + 500) });
}
