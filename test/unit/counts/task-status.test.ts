import { describe, expect, it } from "vitest";
import { allowedActions, COUNT_TASK_STATUSES, CountTaskError, transition, type CountTaskAction, type CountTaskState, type CountTaskStatus, type CountTaskTransition } from "~/counts/task-status";
import { countVariances, type CountLineFigures } from "~/counts/variance";

const now = new Date("2025-03-14T09:00:00Z");
const task = (status: CountTaskStatus, kind: CountTaskState["kind"] = "rolling"): CountTaskState => ({ number: 12, status, kind });
const line = (figures: Partial<CountLineFigures> = {}): CountLineFigures => ({
  warehouseSku: "MUG-BLUE",
  bookQuantity: 20,
  movementSinceSnapshot: 0,
  countedQuantity: 20,
  unitCost: "4.00",
  ...figures,
});
const cleanVariances = countVariances([line()], { kind: "rolling" });

function moved(result: CountTaskTransition) {
  if (!result.ok) throw new Error(`expected the move to succeed: ${result.error.message}`);
  return result;
}
function refused(result: CountTaskTransition): CountTaskError {
  if (result.ok) throw new Error(`expected the move to be refused, it went to ${result.status}`);
  return result.error;
}

describe("the count task lifecycle", () => {
  it("walks draft -> assigned -> in progress -> submitted -> review -> approved -> posted", () => {
    const steps: [CountTaskStatus, CountTaskAction, CountTaskStatus][] = [
      ["draft", { type: "assign", assignee: "li.wei" }, "assigned"],
      ["assigned", { type: "start" }, "in_progress"],
      ["in_progress", { type: "submit", lines: [line()] }, "submitted"],
      ["submitted", { type: "start_review" }, "review"],
      ["review", { type: "approve", variances: cleanVariances }, "approved"],
      ["approved", { type: "post" }, "posted"],
    ];
    for (const [from, action, to] of steps) expect(moved(transition(task(from), action, "someone", now)).status).toBe(to);
  });

  it("a recount goes back to counting and is submitted again", () => {
    expect(moved(transition(task("review"), { type: "request_recount", note: "Recount MUG-BLUE" }, "reviewer", now)).status).toBe("recount");
    expect(moved(transition(task("recount"), { type: "start" }, "counter", now)).status).toBe("in_progress");
    expect(moved(transition(task("recount"), { type: "submit", lines: [line()] }, "counter", now)).status).toBe("submitted");
  });

  it("records who moved the task, from where to where, when, with the note", () => {
    const result = moved(transition(task("review"), { type: "request_recount", note: "  Shelf B-04 looks short ", lines: 2 }, "ana@shop.example", now));
    expect(result.event).toEqual({ fromStatus: "review", toStatus: "recount", actor: "ana@shop.example", at: now, note: { key: "to_recount", lines: 2, text: "Shelf B-04 looks short" } });
    // Without the lines, only the reviewer's words; nothing when they wrote nothing.
    expect(moved(transition(task("review"), { type: "request_recount", note: "Look again" }, "ana@shop.example", now)).event.note).toEqual({ key: "said", text: "Look again" });
    expect(moved(transition(task("review"), { type: "cancel", note: "  " }, "ana@shop.example", now)).event.note).toBeNull();
  });

  it("assigning names the counter; a count under way can be handed to someone else", () => {
    const first = moved(transition(task("draft"), { type: "assign", assignee: " li.wei " }, "manager", now));
    expect(first).toMatchObject({ status: "assigned", assignee: "li.wei", event: { note: { key: "assigned", assignee: "li.wei" } } });
    expect(moved(transition(task("in_progress"), { type: "assign", assignee: "sam" }, "manager", now)).status).toBe("in_progress");
    expect(refused(transition(task("draft"), { type: "assign", assignee: " " }, "manager", now)).code).toBe("missing_assignee");
  });

  it("a count cannot start before it is assigned", () => {
    expect(refused(transition(task("draft"), { type: "start" }, "x", now)).message).toBe("Count CC-12 is a draft and cannot be started");
  });

  it("a submitted count cannot be approved before it is reviewed", () => {
    expect(refused(transition(task("submitted"), { type: "approve", variances: cleanVariances }, "x", now)).code).toBe("not_allowed");
  });

  it("only an approved count can be posted", () => {
    for (const status of COUNT_TASK_STATUSES.filter((s) => s !== "approved")) {
      expect(transition(task(status), { type: "post" }, "system", now).ok).toBe(false);
    }
  });

  it("can be cancelled from any state before posted", () => {
    for (const status of COUNT_TASK_STATUSES.filter((s) => s !== "posted" && s !== "cancelled")) {
      expect(moved(transition(task(status), { type: "cancel", note: "Duplicate" }, "manager", now)).status).toBe("cancelled");
    }
  });

  it("a posted count can no longer be cancelled, in words a merchant understands", () => {
    const error = refused(transition(task("posted"), { type: "cancel" }, "manager", now));
    expect(error).toBeInstanceOf(CountTaskError);
    expect(error.message).toBe("Count CC-12 is posted and can no longer be cancelled");
    expect(error).toMatchObject({ code: "not_allowed", taskNumber: 12, status: "posted", action: "cancel" });
  });

  it("a cancelled count stays cancelled", () => {
    expect(refused(transition(task("cancelled"), { type: "start" }, "x", now)).message).toBe("Count CC-12 is cancelled and can no longer be started");
  });

  it("lists the actions each status accepts", () => {
    expect(allowedActions("review")).toEqual(["request_recount", "approve", "cancel"]);
    expect(allowedActions("posted")).toEqual([]);
  });
});

describe("submission", () => {
  it("a count other than a full count cannot be submitted with uncounted lines, and says which", () => {
    const error = refused(
      transition(task("in_progress", "campaign"), { type: "submit", lines: [line(), line({ warehouseSku: "PLATE-1", countedQuantity: null })] }, "counter", now),
    );
    expect(error.code).toBe("uncounted_lines");
    expect(error.skus).toEqual(["PLATE-1"]);
    expect(error.message).toBe("Count CC-12 cannot be submitted: 1 line not counted yet (PLATE-1)");
  });

  it("names at most five uncounted SKUs and counts the rest", () => {
    const lines = Array.from({ length: 7 }, (_, i) => line({ warehouseSku: `SKU-${i + 1}`, countedQuantity: null }));
    expect(refused(transition(task("in_progress"), { type: "submit", lines }, "c", now)).message).toBe(
      "Count CC-12 cannot be submitted: 7 lines not counted yet (SKU-1, SKU-2, SKU-3, SKU-4, SKU-5 and 2 more)",
    );
  });

  it("a full count is submitted with uncounted lines counted as 0, and the event says how many", () => {
    const result = moved(transition(task("in_progress", "full"), { type: "submit", lines: [line({ countedQuantity: null }), line()] }, "c", now));
    expect(result.event.note).toEqual({ key: "counted_as_zero", lines: 1 });
    expect(result.timestamps).toEqual({ submittedAt: now });
  });
});

describe("approval", () => {
  const rules = { kind: "rolling", thresholds: { units: 5, value: "50.00" } } as const;

  it("a variance over the threshold cannot be approved without a recount or a note", () => {
    const variances = countVariances([line(), line({ warehouseSku: "VASE-9", countedQuantity: 3 })], rules);
    const error = refused(transition(task("review"), { type: "approve", variances }, "reviewer", now));
    expect(error.code).toBe("variance_needs_recount_or_note");
    expect(error.skus).toEqual(["VASE-9"]);
    expect(error.message).toBe("Count CC-12 cannot be approved: 1 line needs a recount or a note (VASE-9)");
  });

  it("a line never counted outside a full count cannot be approved either, and the message says so", () => {
    const variances = countVariances([line({ warehouseSku: "VASE-9", countedQuantity: 3 }), line({ warehouseSku: "PLATE-1", countedQuantity: null })], rules);
    const error = refused(transition(task("review"), { type: "approve", variances }, "reviewer", now));
    expect(error.message).toBe("Count CC-12 cannot be approved: 1 line needs a recount or a note (VASE-9); 1 line not counted (PLATE-1)");
    expect(error.skus).toEqual(["VASE-9", "PLATE-1"]);
    const onlyUncounted = countVariances([line({ warehouseSku: "PLATE-1", countedQuantity: null })], rules);
    expect(refused(transition(task("review"), { type: "approve", variances: onlyUncounted }, "reviewer", now)).code).toBe("uncounted_lines");
  });

  it("the same variance with a note is approved", () => {
    const variances = countVariances([line({ countedQuantity: 3, note: "Water damage", reason: "damaged" })], rules);
    expect(moved(transition(task("review"), { type: "approve", variances }, "reviewer", now)).status).toBe("approved");
  });

  it("the same variance confirmed by two matching counts is approved", () => {
    const variances = countVariances([line({ countedQuantity: 3, recountQuantity: 3 })], rules);
    expect(moved(transition(task("review"), { type: "approve", variances }, "reviewer", now)).status).toBe("approved");
  });

  it("stamps the approval time", () => {
    expect(moved(transition(task("review"), { type: "approve", variances: cleanVariances }, "r", now)).timestamps).toEqual({ approvedAt: now });
  });
});

describe("effects the caller carries out", () => {
  it("the book is snapshotted when counting first starts, not again on a recount", () => {
    expect(moved(transition(task("assigned"), { type: "start" }, "c", now))).toMatchObject({ effects: ["snapshot_book_quantities"], timestamps: { startedAt: now } });
    expect(moved(transition(task("recount"), { type: "start" }, "c", now))).toMatchObject({ effects: [], timestamps: {} });
  });

  it("a full count freezes its warehouse's stock sync when counting starts", () => {
    expect(moved(transition(task("assigned", "full"), { type: "start" }, "c", now)).effects).toEqual(["snapshot_book_quantities", "freeze_warehouse_sync"]);
  });

  it("sync stays frozen through submission, review, recount and approval", () => {
    const steps: [CountTaskStatus, CountTaskAction][] = [
      ["in_progress", { type: "submit", lines: [line()] }],
      ["submitted", { type: "start_review" }],
      ["review", { type: "request_recount" }],
      ["recount", { type: "start" }],
      ["review", { type: "approve", variances: cleanVariances }],
    ];
    for (const [from, action] of steps) expect(moved(transition(task(from, "full"), action, "c", now)).effects).toEqual([]);
  });

  it("posting a full count resumes its warehouse's stock sync", () => {
    expect(moved(transition(task("approved", "full"), { type: "post" }, "system", now))).toMatchObject({ effects: ["resume_warehouse_sync"], timestamps: { postedAt: now } });
  });

  it("cancelling a full count under way resumes sync; cancelling one not started has nothing to resume", () => {
    expect(moved(transition(task("review", "full"), { type: "cancel" }, "m", now)).effects).toEqual(["resume_warehouse_sync"]);
    expect(moved(transition(task("assigned", "full"), { type: "cancel" }, "m", now)).effects).toEqual([]);
  });

  it("other counts never touch stock sync", () => {
    expect(moved(transition(task("assigned", "campaign"), { type: "start" }, "c", now)).effects).toEqual(["snapshot_book_quantities"]);
    expect(moved(transition(task("approved", "campaign"), { type: "post" }, "c", now)).effects).toEqual([]);
    expect(moved(transition(task("in_progress", "rolling"), { type: "cancel" }, "c", now)).effects).toEqual([]);
  });
});
