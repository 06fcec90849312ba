import { describe, expect, it } from "vitest";
import { supportedTimeZones, validateSettings, type SettingsForm } from "../../app/models/settings";

const valid: SettingsForm = {
  defaultSafetyStock: "2",
  accuracyTargetPercent: "99.5",
  countCadenceDaysA: "7",
  countCadenceDaysB: "30",
  countCadenceDaysC: "90",
  abcThresholdAPercent: "80",
  abcThresholdBPercent: "95",
  varianceThresholdUnits: "5",
  varianceThresholdValue: "50.00",
  timeZone: "Asia/Shanghai",
};

function errorsFor(changes: Partial<SettingsForm>) {
  const result = validateSettings({ ...valid, ...changes });
  return result.errors ?? {};
}

describe("validateSettings", () => {
  it("accepts valid settings and keeps decimals as exact strings", () => {
    expect(validateSettings(valid)).toEqual({
      values: {
        defaultSafetyStock: 2,
        accuracyTargetPercent: "99.5",
        countCadenceDaysA: 7,
        countCadenceDaysB: 30,
        countCadenceDaysC: 90,
        abcThresholdAPercent: 80,
        abcThresholdBPercent: 95,
        varianceThresholdUnits: 5,
        varianceThresholdValue: "50.00",
        timeZone: "Asia/Shanghai",
      },
    });
  });

  it("trims surrounding spaces", () => {
    expect(validateSettings({ ...valid, defaultSafetyStock: " 3 ", varianceThresholdValue: " 0.1 " }).values).toMatchObject({
      defaultSafetyStock: 3,
      varianceThresholdValue: "0.1",
    });
  });

  it("accepts the edges of every range", () => {
    const edges = {
      defaultSafetyStock: "0",
      accuracyTargetPercent: "50",
      countCadenceDaysA: "1",
      countCadenceDaysB: "1",
      countCadenceDaysC: "365",
      abcThresholdAPercent: "1",
      abcThresholdBPercent: "99",
      varianceThresholdUnits: "0",
      varianceThresholdValue: "0",
      timeZone: "UTC",
    };
    expect(validateSettings(edges).errors).toBeUndefined();
    expect(errorsFor({ accuracyTargetPercent: "100.00" })).toEqual({});
    expect(errorsFor({ defaultSafetyStock: "1000000" })).toEqual({});
  });

  it("every field is required", () => {
    const result = validateSettings({});
    expect(result.errors).toEqual(Object.fromEntries(Object.keys(valid).map((field) => [field, "settings.errors.required"])));
  });

  it("default safety stock must be a whole number of 0 or more", () => {
    expect(errorsFor({ defaultSafetyStock: "-1" })).toEqual({ defaultSafetyStock: "settings.errors.wholeNumber" });
    expect(errorsFor({ defaultSafetyStock: "2.5" })).toEqual({ defaultSafetyStock: "settings.errors.wholeNumber" });
    expect(errorsFor({ defaultSafetyStock: "two" })).toEqual({ defaultSafetyStock: "settings.errors.wholeNumber" });
    expect(errorsFor({ defaultSafetyStock: "1000001" })).toEqual({ defaultSafetyStock: "settings.errors.tooLarge" });
  });

  it("the accuracy target is a percentage from 50 to 100 with up to 2 decimals", () => {
    for (const bad of ["49.99", "100.01", "101", "99.555", "abc", "-60", "99,5"]) {
      expect(errorsFor({ accuracyTargetPercent: bad }), bad).toEqual({ accuracyTargetPercent: "settings.errors.accuracyTarget" });
    }
    expect(errorsFor({ accuracyTargetPercent: "99.95" })).toEqual({});
  });

  it("each count cadence is a whole number of days from 1 to 365", () => {
    expect(errorsFor({ countCadenceDaysA: "0" })).toEqual({ countCadenceDaysA: "settings.errors.cadenceDays" });
    expect(errorsFor({ countCadenceDaysC: "366" })).toEqual({ countCadenceDaysC: "settings.errors.cadenceDays" });
    expect(errorsFor({ countCadenceDaysB: "7.5" })).toEqual({ countCadenceDaysB: "settings.errors.cadenceDays" });
  });

  it("class B is not counted more often than class A, nor C more often than B", () => {
    expect(errorsFor({ countCadenceDaysA: "31" })).toEqual({ countCadenceDaysB: "settings.errors.cadenceBBeforeA" });
    expect(errorsFor({ countCadenceDaysC: "29" })).toEqual({ countCadenceDaysC: "settings.errors.cadenceCBeforeB" });
    expect(errorsFor({ countCadenceDaysA: "30", countCadenceDaysB: "30", countCadenceDaysC: "30" })).toEqual({});
  });

  it("ABC thresholds are whole percentages from 1 to 99", () => {
    expect(errorsFor({ abcThresholdAPercent: "0" })).toEqual({ abcThresholdAPercent: "settings.errors.abcThreshold" });
    expect(errorsFor({ abcThresholdBPercent: "100" })).toEqual({ abcThresholdBPercent: "settings.errors.abcThreshold" });
    expect(errorsFor({ abcThresholdAPercent: "80.5" })).toEqual({ abcThresholdAPercent: "settings.errors.abcThreshold" });
  });

  it("the class B threshold is above the class A threshold", () => {
    expect(errorsFor({ abcThresholdAPercent: "95", abcThresholdBPercent: "95" })).toEqual({
      abcThresholdBPercent: "settings.errors.abcOrder",
    });
    expect(errorsFor({ abcThresholdAPercent: "96" })).toEqual({ abcThresholdBPercent: "settings.errors.abcOrder" });
  });

  it("the variance threshold in units is a whole number of 0 or more", () => {
    expect(errorsFor({ varianceThresholdUnits: "-5" })).toEqual({ varianceThresholdUnits: "settings.errors.wholeNumber" });
    expect(errorsFor({ varianceThresholdUnits: "5000000" })).toEqual({ varianceThresholdUnits: "settings.errors.tooLarge" });
  });

  it("the variance threshold in money is 0 or more with at most 2 decimals", () => {
    for (const bad of ["-1", "10.001", "1e3", "ten", "1,000.00", "."]) {
      expect(errorsFor({ varianceThresholdValue: bad }), bad).toEqual({ varianceThresholdValue: "settings.errors.money" });
    }
    expect(errorsFor({ varianceThresholdValue: "1234567.89" })).toEqual({});
  });

  it("the time zone is one the runtime knows", () => {
    expect(errorsFor({ timeZone: "Mars/Olympus_Mons" })).toEqual({ timeZone: "settings.errors.timeZone" });
    expect(supportedTimeZones()[0]).toBe("UTC");
    expect(supportedTimeZones()).toContain("America/New_York");
  });

  it("reports every failing field at once", () => {
    expect(Object.keys(errorsFor({ defaultSafetyStock: "x", timeZone: "nowhere", varianceThresholdValue: "1.234" })).sort()).toEqual([
      "defaultSafetyStock",
      "timeZone",
      "varianceThresholdValue",
    ]);
  });
});
