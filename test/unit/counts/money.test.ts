import { describe, expect, it } from "vitest";
import { absMoney, moneyText, moneyTimesUnits, MoneySum, parseMoney, parseMoneyAmount } from "~/counts/money";

describe("money in counts is exact", () => {
  it("reads decimal strings as Shopify and Prisma write them", () => {
    expect(parseMoney("12.5")).toBe(12_500_000n);
    expect(parseMoney("0.125")).toBe(125_000n);
    expect(parseMoney("-3")).toBe(-3_000_000n);
    expect(parseMoney(" 7.00 ")).toBe(7_000_000n);
    expect(parseMoney(".5")).toBe(500_000n);
  });

  it("refuses what is not an amount, and decimals it cannot keep", () => {
    expect(() => parseMoney("")).toThrow(RangeError);
    expect(() => parseMoney("12,50")).toThrow(/not an amount/);
    expect(() => parseMoney("1e3")).toThrow(/not an amount/);
    expect(() => parseMoney("0.0000001")).toThrow(/more than 6 decimals/);
    expect(parseMoney("0.10000000")).toBe(100_000n);
  });

  it("adds a tenth and two tenths to exactly three tenths", () => {
    expect(moneyText(parseMoney("0.1") + parseMoney("0.2"))).toBe("0.30");
  });

  it("writes at least two decimals and no more than needed", () => {
    expect(moneyText(12_500_000n)).toBe("12.50");
    expect(moneyText(125_000n)).toBe("0.125");
    expect(moneyText(-3_000_000n)).toBe("-3.00");
    expect(moneyText(-500_000n)).toBe("-0.50");
    expect(moneyText(0n)).toBe("0.00");
  });

  it("multiplies a unit cost by whole units only", () => {
    expect(moneyText(moneyTimesUnits(parseMoney("19.99"), -7))).toBe("-139.93");
    expect(() => moneyTimesUnits(1n, 1.5)).toThrow(/whole number/);
    expect(absMoney(-5n)).toBe(5n);
  });
});

describe("fast exact sums for reports", () => {
  it("reads the same amount as parseMoney, whatever the spelling", () => {
    for (const text of ["0", "-0.01", "12.5", "+3", ".5", "999999999.999999", "1234567890.12", " 7.25 ", "0.10000000", "-98765432109876.5"]) {
      expect(BigInt(parseMoneyAmount(text)), text).toBe(parseMoney(text));
    }
  });

  it("refuses what parseMoney refuses", () => {
    for (const text of ["", "-", ".", "1.2.3", "12,50", "1e3", "0.0000001", "abc"]) expect(() => parseMoneyAmount(text), text).toThrow(RangeError);
  });

  it("keeps amounts too large for a double's integers as bigints", () => {
    expect(typeof parseMoneyAmount("12.50")).toBe("number");
    expect(parseMoneyAmount("98765432109876.5")).toBe(98_765_432_109_876_500_000n);
  });

  it("sums exactly past the range where doubles lose whole numbers", () => {
    const sum = new MoneySum();
    const big = parseMoneyAmount("999999999.999999"); // about 2^50 millionths
    for (let i = 0; i < 10_000; i++) sum.add(big);
    sum.add(parseMoneyAmount("0.000001"));
    sum.add(parseMoneyAmount("-98765432109876.5"));
    expect(moneyText(sum.total)).toBe(moneyText(parseMoney("999999999.999999") * 10_000n + 1n - parseMoney("98765432109876.5")));
  });

  it("a tenth added ten thousand times is exactly a thousand", () => {
    const sum = new MoneySum();
    for (let i = 0; i < 10_000; i++) sum.add(parseMoneyAmount("0.1"));
    expect(moneyText(sum.total)).toBe("1000.00");
  });
});
