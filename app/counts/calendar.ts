// Days and weeks for counts. Plans run on the shop's calendar day (the time zone in its settings),
// so a count planned for "today" in Shenzhen is not created at 08:00 local time; reports group by
// ISO week (Monday first) in UTC, so everyone reading a report sees the same weeks.
// Pure: the instant is always passed in, never read from a clock.

/** A calendar day, "2025-03-14". */
export type ShopDay = string;

const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The wall-clock time in the time zone, read as if it were UTC (milliseconds). */
function wallClock(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
}

function checkInstant(instant: Date): number {
  const time = instant.getTime();
  if (Number.isNaN(time)) throw new RangeError("not a valid date");
  return time;
}

/** Days since 1970-01-01 of a calendar day. */
export function dayNumber(day: ShopDay): number {
  const match = ISO_DAY.exec(day);
  const time = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== day) throw new RangeError(`"${day}" is not a calendar day (yyyy-mm-dd)`);
  return time / DAY_MS;
}

function dayFromNumber(days: number): ShopDay {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar day an instant falls on in the time zone. */
export function shopDay(instant: Date, timeZone = "UTC"): ShopDay {
  const time = checkInstant(instant);
  const wall = timeZone === "UTC" ? time : wallClock(time, timeZone);
  return new Date(wall).toISOString().slice(0, 10);
}

export function addDays(day: ShopDay, days: number): ShopDay {
  return dayFromNumber(dayNumber(day) + days);
}

/** Whole days from one calendar day to another (negative when `to` is earlier). */
export function daysBetween(from: ShopDay, to: ShopDay): number {
  return dayNumber(to) - dayNumber(from);
}

/** The instant a calendar day starts in the time zone (local midnight). */
export function startOfShopDay(day: ShopDay, timeZone = "UTC"): Date {
  const midnight = dayNumber(day) * DAY_MS;
  if (timeZone === "UTC") return new Date(midnight);
  // The offset at a first guess, then at the corrected instant (they differ across a DST change).
  const guess = midnight - (wallClock(midnight, timeZone) - midnight);
  return new Date(midnight - (wallClock(guess, timeZone) - guess));
}

export interface IsoWeek {
  /** "2025-W01" */
  week: string;
  /** The Monday that starts it. */
  monday: ShopDay;
}

/** The ISO 8601 week of a UTC calendar day: weeks start on Monday; week 1 holds the year's first Thursday. */
export function isoWeekOfDay(days: number): IsoWeek {
  const weekday = (((days + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday; Monday = 0
  const monday = days - weekday;
  const thursday = new Date((monday + 3) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((monday + 3 - Date.UTC(year, 0, 1) / DAY_MS) / 7) + 1;
  return { week: `${year}-W${String(week).padStart(2, "0")}`, monday: dayFromNumber(monday) };
}

/** The ISO week (UTC) an instant falls in. */
export function isoWeek(instant: Date): IsoWeek {
  return isoWeekOfDay(Math.floor(checkInstant(instant) / DAY_MS));
}
