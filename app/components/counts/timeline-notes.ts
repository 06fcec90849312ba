// The notes on a count's history in the reader's language. TallySync stores its notes as a message
// and its values (app/counts/count-note.ts), said here; a person's words are shown as written.
// Older rows hold English sentences ("Assigned to lee", "3 lines to recount", "2 of 2 adjustment(s)
// posted to Shopify; warehouse adjusted"...): those this knows are said again, any other text is
// shown as it was written.
import type { CountEventNote, CountNote, WarehouseAdjustmentOutcome } from "../../counts/count-note";
import { isMessageKey, type MessageKey, type Translate } from "../../i18n";
import { actorText } from "./count-text";

const WAREHOUSE_OUTCOME: Record<string, string> = {
  "warehouse adjusted": "counts.timeline.note.warehouseAdjusted",
  "nothing to adjust": "counts.timeline.note.nothingToAdjust",
  "warehouse not adjusted (its API cannot)": "counts.timeline.note.warehouseCannot",
  "warehouse not adjusted": "counts.timeline.note.warehouseNotAdjusted",
};

type Rule = [RegExp, (match: RegExpExecArray, t: Translate) => string | null];

const RULES: Rule[] = [
  [/^Assigned to (.+)$/s, (m, t) => t("counts.timeline.note.assigned", { who: m[1]! })],
  [/^(\d+) lines? to count$/, (m, t) => t("counts.timeline.note.toCount", { count: Number(m[1]) })],
  [/^(?:(.*) - )?(\d+) lines? to recount$/s, (m, t) => [m[1], t("counts.timeline.note.toRecount", { count: Number(m[2]) })].filter(Boolean).join(" · ")],
  [/^(\d+) lines? not counted, counted as 0$/, (m, t) => t("counts.timeline.note.countedAsZero", { count: Number(m[1]) })],
  [
    /^(\d+) of (\d+) adjustment\(s\) posted to Shopify; (.+)$/,
    (m, t) => {
      const outcome = WAREHOUSE_OUTCOME[m[3]!];
      if (!outcome || !isMessageKey(outcome)) return null;
      return t("counts.timeline.note.posted", { done: Number(m[1]), total: Number(m[2]), outcome: t(outcome) });
    },
  ],
  [/^Planned by "(.+)"\. (\d+) lines?(?:\. (.*))?$/s, (m, t) => [t("counts.timeline.note.planned", { plan: m[1]!, count: Number(m[2]) }), m[3]].filter(Boolean).join(" ")],
  [/^Raised by TallySync\. (\d+) lines?(?:\. (.*))?$/s, (m, t) => [t("counts.timeline.note.raised", { count: Number(m[1]) }), m[2]].filter(Boolean).join(" ")],
  [
    /^Imported (\d+) count\(s\) from (.+?)(?:; (\d+) bad row\(s\) skipped)?$/s,
    (m, t) => t(m[3] ? "counts.timeline.note.importedSkipped" : "counts.timeline.note.imported", { count: Number(m[1]), file: m[2]!, skipped: Number(m[3] ?? 0) }),
  ],
  [/^(\S+): reason and note cleared$/, (m, t) => t("counts.timeline.note.reasonCleared", { sku: m[1]! })],
  [
    /^(\S+): (?:reason (\w+))?(?:, )?(?:note "(.*)")?$/s,
    (m, t) => {
      if (!m[2] && m[3] == null) return null;
      const reasonKey = `counts.reason.${m[2] ?? ""}`;
      const reason = m[2] ? (isMessageKey(reasonKey) ? t(reasonKey) : m[2]) : null;
      const parts = [reason ? t("counts.timeline.note.reason", { reason }) : null, m[3] != null ? t("counts.timeline.note.note", { note: m[3] }) : null].filter(Boolean);
      return `${m[1]}: ${parts.join(t("counts.timeline.note.separator"))}`;
    },
  ],
];

const OUTCOME_KEY: Record<WarehouseAdjustmentOutcome, MessageKey> = {
  adjusted: "counts.timeline.note.warehouseAdjusted",
  nothing_to_adjust: "counts.timeline.note.nothingToAdjust",
  not_supported: "counts.timeline.note.warehouseCannot",
  not_adjusted: "counts.timeline.note.warehouseNotAdjusted",
};

function withDetails(sentence: string, details: readonly string[]): string {
  return [sentence, ...details.map((detail) => `${detail}.`)].join(" ");
}

function reasonText(reason: string, t: Translate): string {
  const key = `counts.reason.${reason}`;
  return isMessageKey(key) ? t(key) : reason;
}

/** A note TallySync stored, in the reader's language. */
function structuredNote(note: CountNote, t: Translate): string {
  switch (note.key) {
    case "to_count":
      return t("counts.timeline.note.toCount", { count: note.lines });
    case "planned":
      return withDetails(t("counts.timeline.note.planned", { plan: note.plan, count: note.lines }), note.details);
    case "raised":
      return withDetails(t("counts.timeline.note.raised", { count: note.lines }), note.details);
    case "assigned":
      return t("counts.timeline.note.assigned", { who: actorText(note.assignee, t) });
    case "counted_as_zero":
      return t("counts.timeline.note.countedAsZero", { count: note.lines });
    case "to_recount":
      return [note.text, t("counts.timeline.note.toRecount", { count: note.lines })].filter(Boolean).join(" · ");
    case "posted":
      return t("counts.timeline.note.posted", { done: note.posted, total: note.total, outcome: t(OUTCOME_KEY[note.warehouse]) });
    case "imported": {
      const vars = { count: note.counts, skipped: note.skipped };
      if (note.warehouse != null) return t(note.skipped ? "counts.timeline.note.importedWarehouseSkipped" : "counts.timeline.note.importedWarehouse", { ...vars, warehouse: note.warehouse });
      const file = note.file ?? t("counts.timeline.note.aCsvFile");
      return t(note.skipped ? "counts.timeline.note.importedSkipped" : "counts.timeline.note.imported", { ...vars, file });
    }
    case "line_reason": {
      if (note.reason == null && note.note == null) return t("counts.timeline.note.reasonCleared", { sku: note.sku });
      const parts = [
        note.reason != null ? t("counts.timeline.note.reason", { reason: reasonText(note.reason, t) }) : null,
        note.note != null ? t("counts.timeline.note.note", { note: note.note }) : null,
      ].filter(Boolean);
      return t("counts.timeline.note.line", { sku: note.sku, said: parts.join(t("counts.timeline.note.separator")) });
    }
    case "said":
      return note.text;
  }
}

/** A history note in the reader's language, or as written. */
export function timelineNote(note: CountEventNote, t: Translate): string {
  if (typeof note !== "string") return structuredNote(note, t);
  for (const [pattern, say] of RULES) {
    const match = pattern.exec(note);
    if (!match) continue;
    const said = say(match, t);
    if (said != null) return said;
  }
  return note;
}
