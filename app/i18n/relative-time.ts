// "3 minutes ago", "2 小时前": a past moment relative to the time the page's data was taken (not
// the browser's clock, so the server's render and the browser's hydration say the same).
import type { Locale } from "./index";

const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 30],
  ["month", 12],
];

export function relativeTime(iso: string, nowIso: string, locale: Locale): string {
  let amount = Math.round((new Date(iso).getTime() - new Date(nowIso).getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  for (const [unit, size] of STEPS) {
    if (Math.abs(amount) < size) return format.format(amount, unit);
    amount = Math.round(amount / size);
  }
  return format.format(amount, "year");
}

/** A duration in milliseconds as "850 ms", "2.4 s" or "3.1 min", in the locale's digits. */
export function formatDuration(ms: number, locale: Locale): string {
  const number = (value: number, digits: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
  if (ms < 1000) return `${number(ms, 0)} ms`;
  if (ms < 60_000) return `${number(ms / 1000, 1)} s`;
  if (ms < 3_600_000) return `${number(ms / 60_000, 1)} min`;
  return `${number(ms / 3_600_000, 1)} h`;
}
