// Words and numbers of the count pages in the merchant's language: refused actions by their code,
// who did something, a plan's schedule in a sentence, units, money and percentages.
import { countActor } from "../../counts/count-actor";
import { isMessageKey, type Locale, type MessageKey, type Translate } from "../../i18n";
import type { CountPlanSettings } from "../../counts/plan-settings";
import type { CountProblem } from "../../models/counts/count-problem";

function skuText(skus: readonly string[] | undefined, t: Translate): string {
  const list = skus ?? [];
  const shown = list.slice(0, 5).join(", ");
  return list.length > 5 ? t("counts.error.andMore", { skus: shown, count: list.length - 5 }) : shown;
}

/** A refused count action in the merchant's language; the English message when its code is unknown. */
export function countProblemText(problem: CountProblem, t: Translate): string {
  const key = `counts.error.${problem.code}`;
  if (!isMessageKey(key)) return problem.message;
  const statusKey = `counts.status.${problem.status ?? ""}`;
  const actionKey = `counts.action.${problem.action ?? ""}`;
  return t(key, {
    label: problem.label ?? "",
    status: isMessageKey(statusKey) ? t(statusKey) : problem.status ?? "",
    action: isMessageKey(actionKey) ? t(actionKey) : problem.action ?? "",
    skus: skuText(problem.skus, t),
    count: problem.skus?.length ?? 0,
    code: problem.scanned ?? "",
    warehouse: problem.warehouse ?? "",
  });
}

/** Who did something (an actor id, app/counts/count-actor.ts): "Staff member 12345", "TallySync", or the name given. */
export function actorText(actor: string, t: Translate): string {
  const who = countActor(actor);
  if (who.kind === "system") return t("counts.actor.system");
  if (who.kind === "staff") return t("counts.actor.staff", { id: who.userId });
  return who.name;
}

/** A CSV import row error in the merchant's language. */
export function sheetErrorText(error: { fileLine: number; code: string; message: string }, t: Translate): string {
  const key = `counts.csvError.${error.code}`;
  return isMessageKey(key) ? t(key, { line: error.fileLine }) : error.message;
}

export function formatUnits(value: number | null | undefined, locale: Locale): string {
  return value == null ? "—" : new Intl.NumberFormat(locale).format(value);
}

export function formatSignedUnits(value: number | null | undefined, locale: Locale): string {
  return value == null ? "—" : new Intl.NumberFormat(locale, { signDisplay: "exceptZero" }).format(value);
}

/** Money from exact decimal text; in the shop's currency when it is known. */
export function formatMoney(value: string | null | undefined, currency: string | null, locale: Locale, signed = false): string {
  if (value == null) return "—";
  const amount = Number(value);
  if (!Number.isFinite(amount)) return value;
  const sign = signed ? { signDisplay: "exceptZero" as const } : {};
  try {
    if (currency) return new Intl.NumberFormat(locale, { style: "currency", currency, ...sign }).format(amount);
  } catch {
    // an unknown currency code: plain number below
  }
  return new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2, ...sign }).format(amount);
}

/** "99.48%" from the report's percent text (already rounded down to two decimals). */
export function formatPercent(percent: string | null | undefined, locale: Locale): string {
  if (percent == null) return "—";
  return `${new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 2 }).format(Number(percent))}%`;
}

/** A day in the shop's time zone, e.g. "Jun 11, 2025". */
export function formatDay(value: Date | string, locale: Locale, timeZone: string): string {
  const date = typeof value === "string" ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00:00Z` : value) : value;
  const zone = typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) ? "UTC" : timeZone;
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: zone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(date);
  }
}

/** A moment in the shop's time zone with its time. */
export function formatMoment(value: Date | string, locale: Locale, timeZone: string): string {
  const date = typeof value === "string" ? new Date(value) : value;
  const options: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" };
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone: "UTC" }).format(date);
  }
}

/** What a plan does, in one sentence. */
export function planSummary(
  settings: CountPlanSettings | null,
  context: { abcCadence: { A: number; B: number; C: number }; locale: Locale; timeZone: string },
  t: Translate
): string {
  if (!settings) return t("counts.plans.unreadable");
  switch (settings.kind) {
    case "rolling":
      return t("counts.plans.summary.rolling", { days: settings.everyDays, lines: settings.dailyLines });
    case "abc": {
      const cadence = settings.cadenceDays ?? context.abcCadence;
      return t(settings.cadenceDays ? "counts.plans.summary.abc" : "counts.plans.summary.abcDefaults", { a: cadence.A, b: cadence.B, c: cadence.C });
    }
    case "full":
      return t("counts.plans.summary.full", { day: formatDay(settings.countOn, context.locale, context.timeZone) });
    case "campaign": {
      const due = formatMoment(settings.dueAt, context.locale, context.timeZone);
      const scope = settings.scope;
      const key: MessageKey =
        scope.by === "tag" ? "counts.plans.summary.campaignTag" : scope.by === "collection" ? "counts.plans.summary.campaignCollection" : "counts.plans.summary.campaignProducts";
      return t(key, {
        tag: scope.by === "tag" ? scope.tag : "",
        collection: scope.by === "collection" ? scope.collectionId.replace(/^gid:\/\/shopify\/Collection\//, "") : "",
        count: scope.by === "products" ? scope.productIds.length : 0,
        due,
      });
    }
    case "exception":
      return t("counts.plans.summary.exception", { units: settings.driftUnits ?? 5 });
  }
}
