// The life of a count task, and who moved it when.
//
//   draft -> assigned -> in_progress -> submitted -> review -> approved -> posted
//                            ^              ^          |
//                            |              |          v
//                            +---------- recount <-----+
//   The reviewer asks for a recount; the counter starts it (in progress again) or submits it
//   straight away. A count can be cancelled from any state before posted.
//
// `transition` decides; the caller writes the new status, the event and the timestamps, and
// carries out the effects (snapshot the book quantities, freeze or resume a warehouse's stock
// sync). A refused move comes back as a CountTaskError whose message a merchant can act on.
// Pure: no I/O, `now` is passed in.
import { countLabel, isFullCount, type CountKind } from "./count-kind";
import { saidNote, type CountNote } from "./count-note";
import { linesBlockingApproval, reviewUncounted, type CountLineFigures, type LineVariance } from "./variance";

export const COUNT_TASK_STATUSES = ["draft", "assigned", "in_progress", "submitted", "review", "recount", "approved", "posted", "cancelled"] as const;

export type CountTaskStatus = (typeof COUNT_TASK_STATUSES)[number];

export function isCountTaskStatus(value: string): value is CountTaskStatus {
  return (COUNT_TASK_STATUSES as readonly string[]).includes(value);
}

export interface CountTaskState {
  number: number;
  status: CountTaskStatus;
  kind: CountKind;
}

export type CountTaskAction =
  /** Give the count to a counter; a count already under way can be handed to someone else. */
  | { type: "assign"; assignee: string }
  /** Counting starts (or a recount starts). */
  | { type: "start" }
  /** The counter hands the count in; the lines show whether any was left uncounted. */
  | { type: "submit"; lines: readonly Pick<CountLineFigures, "warehouseSku" | "countedQuantity" | "recountQuantity">[] }
  | { type: "start_review" }
  /** `lines`: how many lines go back (said on the history with the reviewer's note). */
  | { type: "request_recount"; note?: string; lines?: number }
  /** The variances of every line, from countVariances(). */
  | { type: "approve"; variances: readonly LineVariance[]; note?: string }
  /** Every adjustment reached Shopify (and the warehouse where it can be adjusted). */
  | { type: "post" }
  | { type: "cancel"; note?: string };

export type CountTaskActionType = CountTaskAction["type"];

/** What the caller must do besides saving the status. */
export type CountTaskEffect =
  /** Record each line's book quantity and the instant (first start only). */
  | "snapshot_book_quantities"
  /** A full count: stop stock sync for the warehouse until the count is posted or cancelled. */
  | "freeze_warehouse_sync"
  | "resume_warehouse_sync";

export interface CountTaskEvent {
  fromStatus: CountTaskStatus;
  toStatus: CountTaskStatus;
  actor: string;
  at: Date;
  /** What the history says besides the move (see count-note.ts). */
  note: CountNote | null;
}

export interface CountTaskTimestamps {
  startedAt?: Date;
  submittedAt?: Date;
  approvedAt?: Date;
  postedAt?: Date;
}

export interface CountTaskMove {
  ok: true;
  status: CountTaskStatus;
  event: CountTaskEvent;
  /** Timestamps to set on the task. */
  timestamps: CountTaskTimestamps;
  /** The new assignee, on "assign". */
  assignee?: string;
  effects: CountTaskEffect[];
}

export type CountTaskErrorCode = "not_allowed" | "uncounted_lines" | "variance_needs_recount_or_note" | "missing_assignee";

export class CountTaskError extends Error {
  readonly code: CountTaskErrorCode;
  readonly taskNumber: number;
  readonly status: CountTaskStatus;
  readonly action: CountTaskActionType;
  /** SKUs of the lines at fault, for uncounted lines and unresolved variances. */
  readonly skus: string[];

  constructor(message: string, details: { code: CountTaskErrorCode; taskNumber: number; status: CountTaskStatus; action: CountTaskActionType; skus?: string[] }) {
    super(message);
    this.name = "CountTaskError";
    this.code = details.code;
    this.taskNumber = details.taskNumber;
    this.status = details.status;
    this.action = details.action;
    this.skus = details.skus ?? [];
  }
}

export type CountTaskTransition = CountTaskMove | { ok: false; error: CountTaskError };

// Where each action may be taken from.
const ALLOWED_FROM: Record<CountTaskActionType, readonly CountTaskStatus[]> = {
  assign: ["draft", "assigned", "in_progress", "recount"],
  start: ["assigned", "recount"],
  submit: ["in_progress", "recount"],
  start_review: ["submitted"],
  request_recount: ["review"],
  approve: ["review"],
  post: ["approved"],
  cancel: ["draft", "assigned", "in_progress", "submitted", "review", "recount", "approved"],
};

// Stock sync of the warehouse is frozen in these states of a full count.
const SYNC_FROZEN: readonly CountTaskStatus[] = ["in_progress", "submitted", "review", "recount", "approved"];

const STATUS_WORDS: Record<CountTaskStatus, string> = {
  draft: "a draft",
  assigned: "assigned",
  in_progress: "in progress",
  submitted: "submitted",
  review: "in review",
  recount: "waiting for a recount",
  approved: "approved",
  posted: "posted",
  cancelled: "cancelled",
};

const ACTION_WORDS: Record<CountTaskActionType, string> = {
  assign: "assigned",
  start: "started",
  submit: "submitted",
  start_review: "reviewed",
  request_recount: "sent for a recount",
  approve: "approved",
  post: "posted",
  cancel: "cancelled",
};

function skuList(skus: readonly string[], shown = 5): string {
  const head = skus.slice(0, shown).join(", ");
  return skus.length > shown ? `${head} and ${skus.length - shown} more` : head;
}

function lines(count: number): string {
  return count === 1 ? "1 line" : `${count} lines`;
}

function refuse(task: CountTaskState, action: CountTaskActionType, code: CountTaskErrorCode, message: string, skus?: string[]): CountTaskTransition {
  return { ok: false, error: new CountTaskError(message, { code, taskNumber: task.number, status: task.status, action, skus }) };
}

function nextStatus(task: CountTaskState, action: CountTaskAction): CountTaskStatus {
  switch (action.type) {
    case "assign":
      return task.status === "draft" ? "assigned" : task.status;
    case "start":
      return "in_progress";
    case "submit":
      return "submitted";
    case "start_review":
      return "review";
    case "request_recount":
      return "recount";
    case "approve":
      return "approved";
    case "post":
      return "posted";
    case "cancel":
      return "cancelled";
  }
}

function blankToNull(note: string | undefined): string | null {
  return note != null && note.trim() !== "" ? note.trim() : null;
}

/** The actions a task in this status accepts (which buttons to show). */
export function allowedActions(status: CountTaskStatus): CountTaskActionType[] {
  return (Object.keys(ALLOWED_FROM) as CountTaskActionType[]).filter((action) => ALLOWED_FROM[action].includes(status));
}

/** Move a count task on by one action, or say in the merchant's words why it cannot move. */
export function transition(task: CountTaskState, action: CountTaskAction, actor: string, now: Date): CountTaskTransition {
  const label = countLabel(task.number);
  if (!ALLOWED_FROM[action.type].includes(task.status)) {
    const finished = task.status === "posted" || task.status === "cancelled";
    const verb = ACTION_WORDS[action.type];
    return refuse(task, action.type, "not_allowed", `Count ${label} is ${STATUS_WORDS[task.status]} and ${finished ? "can no longer be" : "cannot be"} ${verb}`);
  }

  let note: CountNote | null = null;
  switch (action.type) {
    case "assign": {
      const assignee = action.assignee.trim();
      if (assignee === "") return refuse(task, action.type, "missing_assignee", `Count ${label} needs someone to assign it to`);
      note = { key: "assigned", assignee };
      break;
    }
    case "submit": {
      const review = reviewUncounted(task.kind, action.lines);
      if (review.blocksSubmission) {
        const skus = review.lines.map((line) => line.warehouseSku);
        return refuse(task, action.type, "uncounted_lines", `Count ${label} cannot be submitted: ${lines(skus.length)} not counted yet (${skuList(skus)})`, skus);
      }
      if (review.lines.length > 0) note = { key: "counted_as_zero", lines: review.lines.length };
      break;
    }
    case "approve": {
      const blocking = linesBlockingApproval(action.variances);
      if (blocking.length > 0) {
        const unresolved = blocking.filter((variance) => variance.needsRecountOrNote).map((variance) => variance.line.warehouseSku);
        const uncounted = blocking.filter((variance) => !variance.needsRecountOrNote).map((variance) => variance.line.warehouseSku);
        const problems = [
          ...(unresolved.length > 0 ? [`${lines(unresolved.length)} need${unresolved.length === 1 ? "s" : ""} a recount or a note (${skuList(unresolved)})`] : []),
          ...(uncounted.length > 0 ? [`${lines(uncounted.length)} not counted (${skuList(uncounted)})`] : []),
        ];
        const code = unresolved.length > 0 ? "variance_needs_recount_or_note" : "uncounted_lines";
        return refuse(task, action.type, code, `Count ${label} cannot be approved: ${problems.join("; ")}`, [...unresolved, ...uncounted]);
      }
      note = saidNote(action.note);
      break;
    }
    case "request_recount":
      note = action.lines != null ? { key: "to_recount", lines: action.lines, text: blankToNull(action.note) } : saidNote(action.note);
      break;
    case "cancel":
      note = saidNote(action.note);
      break;
    default:
      break;
  }

  const toStatus = nextStatus(task, action);
  const timestamps: CountTaskTimestamps = {};
  const effects: CountTaskEffect[] = [];
  const full = isFullCount(task.kind);
  // A recount starts counting again on the same snapshot: the recount is compared through the
  // movements since then, so the book is snapshotted once, when counting first starts.
  if (action.type === "start" && task.status === "assigned") {
    timestamps.startedAt = now;
    effects.push("snapshot_book_quantities");
    if (full) effects.push("freeze_warehouse_sync");
  }
  if (action.type === "submit") timestamps.submittedAt = now;
  if (action.type === "approve") timestamps.approvedAt = now;
  if (action.type === "post") timestamps.postedAt = now;
  if (full && SYNC_FROZEN.includes(task.status) && !SYNC_FROZEN.includes(toStatus)) effects.push("resume_warehouse_sync");

  return {
    ok: true,
    status: toStatus,
    event: { fromStatus: task.status, toStatus, actor, at: now, note },
    timestamps,
    ...(action.type === "assign" ? { assignee: action.assignee.trim() } : {}),
    effects,
  };
}
