// The shop's general settings as the merchant edits them, and the rules they must satisfy.
// Pure (no I/O) so the rules can be tested on their own; error messages are translation keys.
//
// Money and percentages with decimals stay strings from the form to Prisma's Decimal: checked
// by pattern and compared in whole hundredths, never through floating point.
import type { MessageKey } from "../i18n";

export const SETTINGS_FIELDS = [
  "defaultSafetyStock",
  "accuracyTargetPercent",
  "countCadenceDaysA",
  "countCadenceDaysB",
  "countCadenceDaysC",
  "abcThresholdAPercent",
  "abcThresholdBPercent",
  "varianceThresholdUnits",
  "varianceThresholdValue",
  "timeZone",
] as const;

export type SettingsField = (typeof SETTINGS_FIELDS)[number];

/** What the settings form shows and posts: every field as text. */
export type SettingsForm = Record<SettingsField, string>;

export interface ShopSettingsValues {
  defaultSafetyStock: number;
  /** Decimal as a string, e.g. "99.50" */
  accuracyTargetPercent: string;
  countCadenceDaysA: number;
  countCadenceDaysB: number;
  countCadenceDaysC: number;
  abcThresholdAPercent: number;
  abcThresholdBPercent: number;
  varianceThresholdUnits: number;
  /** Money as a string with at most 2 decimals, e.g. "50.00" */
  varianceThresholdValue: string;
  timeZone: string;
}

export type SettingsErrors = Partial<Record<SettingsField, MessageKey>>;

export type SettingsValidation = { values: ShopSettingsValues; errors?: undefined } | { errors: SettingsErrors; values?: undefined };

// Unit quantities are stored as 32-bit integers; a million is far above any sensible setting.
export const MAX_UNITS = 1_000_000;
const MAX_CADENCE_DAYS = 365;

const WHOLE_NUMBER = /^\d+$/;
const PERCENT_TWO_DECIMALS = /^(\d{1,3})(?:\.(\d{1,2}))?$/;
const MONEY = /^\d{1,12}(?:\.\d{1,2})?$/;

let timeZones: string[] | undefined;

/** IANA time zones the runtime knows, with UTC (which Intl leaves out of its list) first. */
export function supportedTimeZones(): string[] {
  timeZones ??= ["UTC", ...Intl.supportedValuesOf("timeZone").filter((zone) => zone !== "UTC")];
  return timeZones;
}

function text(input: Record<string, unknown>, field: SettingsField): string {
  const value = input[field];
  return typeof value === "string" ? value.trim() : typeof value === "number" ? String(value) : "";
}

/** Hundredths of a percent as an integer: "99.5" -> 9950. */
function hundredths(whole: string, fraction: string | undefined): number {
  return Number(whole) * 100 + Number((fraction ?? "").padEnd(2, "0"));
}

export function validateSettings(input: Record<string, unknown>): SettingsValidation {
  const errors: SettingsErrors = {};
  const ints: Partial<Record<SettingsField, number>> = {};

  const wholeNumber = (field: SettingsField, min: number, max: number, rangeError: MessageKey) => {
    const raw = text(input, field);
    if (raw === "") {
      errors[field] = "settings.errors.required";
    } else if (!WHOLE_NUMBER.test(raw)) {
      errors[field] = min === 0 ? "settings.errors.wholeNumber" : rangeError;
    } else {
      const value = Number(raw);
      if (value < min || value > max) errors[field] = rangeError;
      else ints[field] = value;
    }
  };

  wholeNumber("defaultSafetyStock", 0, MAX_UNITS, "settings.errors.tooLarge");
  wholeNumber("varianceThresholdUnits", 0, MAX_UNITS, "settings.errors.tooLarge");

  const accuracy = text(input, "accuracyTargetPercent");
  const accuracyMatch = PERCENT_TWO_DECIMALS.exec(accuracy);
  const accuracyHundredths = accuracyMatch ? hundredths(accuracyMatch[1]!, accuracyMatch[2]) : NaN;
  if (accuracy === "") {
    errors.accuracyTargetPercent = "settings.errors.required";
  } else if (!(accuracyHundredths >= 5000 && accuracyHundredths <= 10000)) {
    errors.accuracyTargetPercent = "settings.errors.accuracyTarget";
  }

  wholeNumber("countCadenceDaysA", 1, MAX_CADENCE_DAYS, "settings.errors.cadenceDays");
  wholeNumber("countCadenceDaysB", 1, MAX_CADENCE_DAYS, "settings.errors.cadenceDays");
  wholeNumber("countCadenceDaysC", 1, MAX_CADENCE_DAYS, "settings.errors.cadenceDays");
  const { countCadenceDaysA: a, countCadenceDaysB: b, countCadenceDaysC: c } = ints;
  if (a !== undefined && b !== undefined && b < a) errors.countCadenceDaysB = "settings.errors.cadenceBBeforeA";
  if (b !== undefined && c !== undefined && c < b) errors.countCadenceDaysC = "settings.errors.cadenceCBeforeB";

  // Cumulative shares of units sold: A < B < 100, so that class C is never empty by definition.
  wholeNumber("abcThresholdAPercent", 1, 99, "settings.errors.abcThreshold");
  wholeNumber("abcThresholdBPercent", 1, 99, "settings.errors.abcThreshold");
  const { abcThresholdAPercent: abcA, abcThresholdBPercent: abcB } = ints;
  if (abcA !== undefined && abcB !== undefined && abcB <= abcA) errors.abcThresholdBPercent = "settings.errors.abcOrder";

  const money = text(input, "varianceThresholdValue");
  if (money === "") errors.varianceThresholdValue = "settings.errors.required";
  else if (!MONEY.test(money)) errors.varianceThresholdValue = "settings.errors.money";

  const timeZone = text(input, "timeZone");
  if (timeZone === "") errors.timeZone = "settings.errors.required";
  else if (!supportedTimeZones().includes(timeZone)) errors.timeZone = "settings.errors.timeZone";

  if (Object.keys(errors).length > 0) return { errors };
  return {
    values: {
      defaultSafetyStock: ints.defaultSafetyStock!,
      accuracyTargetPercent: accuracy,
      countCadenceDaysA: ints.countCadenceDaysA!,
      countCadenceDaysB: ints.countCadenceDaysB!,
      countCadenceDaysC: ints.countCadenceDaysC!,
      abcThresholdAPercent: ints.abcThresholdAPercent!,
      abcThresholdBPercent: ints.abcThresholdBPercent!,
      varianceThresholdUnits: ints.varianceThresholdUnits!,
      varianceThresholdValue: money,
      timeZone,
    },
  };
}

export function settingsFormChanged(saved: SettingsForm, current: SettingsForm): boolean {
  return SETTINGS_FIELDS.some((field) => saved[field] !== current[field]);
}
