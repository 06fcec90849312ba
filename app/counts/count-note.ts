// What TallySync writes on a count's history (CountTaskEvent.note): a message and its values, not a
// sentence, so that the timeline says it in the language of whoever reads it. Stored in the note
// column as a small JSON object marked with its version ({"v":1,"key":...}); rows written before
// notes were structured hold an English sentence, and any text that is not such an object is read
// back as it was written. Words a person typed (an approval or a cancellation note) are kept as
// they were typed, inside the same structure. Pure.
/** What posting did at the warehouse, for the "posted" note. */
export type WarehouseAdjustmentOutcome = "adjusted" | "nothing_to_adjust" | "not_supported" | "not_adjusted";

export type CountNote =
  /** A count made by hand: its lines. */
  | { key: "to_count"; lines: number }
  /** Made by a plan: the plan's name, its lines, and what the plan warned about (English, from the rules). */
  | { key: "planned"; plan: string; lines: number; details: string[] }
  /** Raised by TallySync (exception counts): its lines and why each was raised (English, from the rules). */
  | { key: "raised"; lines: number; details: string[] }
  | { key: "assigned"; assignee: string }
  /** A full count handed in with lines nobody counted. */
  | { key: "counted_as_zero"; lines: number }
  /** Lines sent back, with the reviewer's words if any. */
  | { key: "to_recount"; lines: number; text: string | null }
  | { key: "posted"; posted: number; total: number; warehouse: WarehouseAdjustmentOutcome }
  /** A count sheet (a file, or the warehouse's own count) imported. */
  | { key: "imported"; counts: number; skipped: number; file: string | null; warehouse: string | null }
  /** A line's reason and note set (both null: cleared). */
  | { key: "line_reason"; sku: string; reason: string | null; note: string | null }
  /** Words a person wrote, shown as written. */
  | { key: "said"; text: string };

export type CountNoteKey = CountNote["key"];

/** A note as the timeline reads it: structured, or the text of an older row (or of anything unknown). */
export type CountEventNote = CountNote | string;

const VERSION = 1;
/** Longest text kept from a person or a file name; the rest is cut (as notes always were). */
export const NOTE_TEXT_LIMIT = 2_000;
const MAX_DETAILS = 21;

const OUTCOMES: readonly WarehouseAdjustmentOutcome[] = ["adjusted", "nothing_to_adjust", "not_supported", "not_adjusted"];

function clipText(text: string): string {
  return text.length > NOTE_TEXT_LIMIT ? `${text.slice(0, NOTE_TEXT_LIMIT - 3)}...` : text;
}

/** The note with its texts cut to length (so the stored JSON stays whole). */
function clipped(note: CountNote): CountNote {
  switch (note.key) {
    case "planned":
      return { ...note, plan: clipText(note.plan), details: note.details.slice(0, MAX_DETAILS).map(clipText) };
    case "raised":
      return { ...note, details: note.details.slice(0, MAX_DETAILS).map(clipText) };
    case "assigned":
      return { ...note, assignee: clipText(note.assignee) };
    case "to_recount":
      return { ...note, text: note.text == null ? null : clipText(note.text) };
    case "imported":
      return { ...note, file: note.file == null ? null : clipText(note.file), warehouse: note.warehouse == null ? null : clipText(note.warehouse) };
    case "line_reason":
      return { ...note, sku: clipText(note.sku), note: note.note == null ? null : clipText(note.note) };
    case "said":
      return { ...note, text: clipText(note.text) };
    default:
      return note;
  }
}

/** The note as stored in CountTaskEvent.note. */
export function storeCountNote(note: CountNote | null): string | null {
  if (note == null) return null;
  return JSON.stringify({ v: VERSION, ...clipped(note) });
}

/** A person's words as a note, or none when they wrote nothing. */
export function saidNote(text: string | null | undefined): CountNote | null {
  const trimmed = text?.trim() ?? "";
  return trimmed === "" ? null : { key: "said", text: trimmed };
}

const isText = (value: unknown): value is string => typeof value === "string";
const isTextOrNull = (value: unknown): value is string | null => value === null || typeof value === "string";
const isCount = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value) && value >= 0;
const isTexts = (value: unknown): value is string[] => Array.isArray(value) && value.every(isText);

/** The structured note of a stored object, or null when it is not one this version knows. */
function structured(value: Record<string, unknown>): CountNote | null {
  const v = value;
  switch (v.key) {
    case "to_count":
      return isCount(v.lines) ? { key: "to_count", lines: v.lines } : null;
    case "planned":
      return isText(v.plan) && isCount(v.lines) && isTexts(v.details) ? { key: "planned", plan: v.plan, lines: v.lines, details: v.details } : null;
    case "raised":
      return isCount(v.lines) && isTexts(v.details) ? { key: "raised", lines: v.lines, details: v.details } : null;
    case "assigned":
      return isText(v.assignee) ? { key: "assigned", assignee: v.assignee } : null;
    case "counted_as_zero":
      return isCount(v.lines) ? { key: "counted_as_zero", lines: v.lines } : null;
    case "to_recount":
      return isCount(v.lines) && isTextOrNull(v.text) ? { key: "to_recount", lines: v.lines, text: v.text } : null;
    case "posted":
      return isCount(v.posted) && isCount(v.total) && OUTCOMES.includes(v.warehouse as WarehouseAdjustmentOutcome)
        ? { key: "posted", posted: v.posted, total: v.total, warehouse: v.warehouse as WarehouseAdjustmentOutcome }
        : null;
    case "imported":
      return isCount(v.counts) && isCount(v.skipped) && isTextOrNull(v.file) && isTextOrNull(v.warehouse)
        ? { key: "imported", counts: v.counts, skipped: v.skipped, file: v.file, warehouse: v.warehouse }
        : null;
    case "line_reason":
      return isText(v.sku) && isTextOrNull(v.reason) && isTextOrNull(v.note) ? { key: "line_reason", sku: v.sku, reason: v.reason, note: v.note } : null;
    case "said":
      return isText(v.text) ? { key: "said", text: v.text } : null;
    default:
      return null;
  }
}

/** A stored note read back: structured when TallySync wrote it so, else the text as it was stored. */
export function readCountNote(stored: string | null): CountEventNote | null {
  if (stored == null) return null;
  if (!stored.startsWith(`{"v":${VERSION},`)) return stored;
  try {
    const value: unknown = JSON.parse(stored);
    if (value && typeof value === "object" && !Array.isArray(value) && (value as { v?: unknown }).v === VERSION) {
      return structured(value as Record<string, unknown>) ?? stored;
    }
  } catch {
    // not JSON after all: a sentence that happens to start like one
  }
  return stored;
}
