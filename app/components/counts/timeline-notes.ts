// The notes TallySync writes on a count's history (app/models/counts: "Assigned to lee", "3 lines to
// recount", "2 of 2 adjustment(s) posted to Shopify; warehouse adjusted"...) are stored in English;
// these are said again in the merchant's language. A note a person wrote, or one this does not
// know, is shown as it was written.
import { isMessageKey, type Translate } from "../../i18n";

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

/** A history note in the merchant's language, or as written. */
export function timelineNote(note: string, t: Translate): string {
  for (const [pattern, say] of RULES) {
    const match = pattern.exec(note);
    if (!match) continue;
    const said = say(match, t);
    if (said != null) return said;
  }
  return note;
}
