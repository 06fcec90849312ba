// Money in count variances and discrepancy reports: exact, never floating point.
//
// An amount is a bigint of millionths of the shop's currency unit. Unit costs arrive as decimal
// strings (Shopify's MoneyV2.amount, Prisma's Decimal#toString()), so "12.35" x 7 units and a sum of
// 100,000 of those are exact: 0.1 + 0.2 is 0.3 here. Six decimals leave room for costs below a
// cent and for three-decimal currencies. Amounts become decimal strings again only at the edge
// (Prisma Decimal, CSV, the page), via moneyText.

export type Money = bigint;

export const MONEY_DECIMALS = 6;
const ONE = 10n ** BigInt(MONEY_DECIMALS);
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** "12.5" -> 12_500_000n. Throws a RangeError on anything but a plain decimal number. */
export function parseMoney(text: string): Money {
  const trimmed = text.trim();
  const match = DECIMAL.exec(trimmed);
  const whole = match?.[2] ?? "";
  const fraction = match?.[3] ?? "";
  if (!match || (whole === "" && fraction === "")) throw new RangeError(`"${text}" is not an amount of money`);
  if (fraction.length > MONEY_DECIMALS && /[^0]/.test(fraction.slice(MONEY_DECIMALS))) {
    throw new RangeError(`${trimmed} has more than ${MONEY_DECIMALS} decimals and cannot be kept exact`);
  }
  const amount = BigInt(whole || "0") * ONE + BigInt(fraction.slice(0, MONEY_DECIMALS).padEnd(MONEY_DECIMALS, "0"));
  return match[1] === "-" ? -amount : amount;
}

/**
 * The exact decimal text of an amount, with at least two decimals and no trailing zeros beyond:
 * 12_500_000n -> "12.50", 125_000n -> "0.125", -3n * ONE -> "-3.00". Prisma's Decimal takes it as is.
 */
export function moneyText(amount: Money): string {
  const negative = amount < 0n;
  const magnitude = negative ? -amount : amount;
  const fraction = (magnitude % ONE).toString().padStart(MONEY_DECIMALS, "0").replace(/0+$/, "").padEnd(2, "0");
  return `${negative ? "-" : ""}${magnitude / ONE}.${fraction}`;
}

/** Units x unit cost, exact. */
export function moneyTimesUnits(unitCost: Money, units: number): Money {
  if (!Number.isInteger(units)) throw new RangeError(`units must be a whole number, got ${units}`);
  return unitCost * BigInt(units);
}

export function absMoney(amount: Money): Money {
  return amount < 0n ? -amount : amount;
}

// Fast exact sums for reports over many lines. Every amount that fits comfortably in a double's
// integer range (|micros| <= 2^52, i.e. up to 4.5 billion currency units) is added as a plain
// number, which is exact there and far faster than bigint; a running sum is moved into a bigint
// before it can leave that range. Larger amounts go straight to the bigint.
const SAFE_MICROS = 2 ** 52;
const DIGIT_SCALE = [1e6, 1e5, 1e4, 1e3, 1e2, 1e1, 1];

/** An amount in millionths: a number when it is a safe integer, else a bigint. */
export type MoneyAmount = number | bigint;

// Plain decimals of up to 9 whole digits and 6 decimals, read without a regex or a bigint; NaN
// for anything else (which parseMoney then reads, or refuses).
function quickMicros(text: string): number {
  const length = text.length;
  let index = 0;
  let negative = false;
  const first = text.charCodeAt(0);
  if (first === 45 || first === 43) {
    negative = first === 45;
    index = 1;
  }
  let whole = 0;
  let wholeDigits = 0;
  for (; index < length; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) break;
    whole = whole * 10 + digit;
    wholeDigits += 1;
  }
  let fraction = 0;
  let fractionDigits = 0;
  if (index < length && text.charCodeAt(index) === 46) {
    for (index += 1; index < length; index++) {
      const digit = text.charCodeAt(index) - 48;
      if (digit < 0 || digit > 9) return NaN;
      fraction = fraction * 10 + digit;
      fractionDigits += 1;
    }
  }
  if (index !== length || wholeDigits + fractionDigits === 0 || wholeDigits > 9 || fractionDigits > MONEY_DECIMALS) return NaN;
  const micros = whole * 1e6 + fraction * DIGIT_SCALE[fractionDigits]!;
  return negative ? -micros : micros;
}

/** parseMoney for hot loops: the same amount, as a number when it is small enough to add exactly. */
export function parseMoneyAmount(text: string): MoneyAmount {
  const quick = quickMicros(text);
  if (!Number.isNaN(quick)) return quick;
  const amount = parseMoney(text);
  return amount >= -SAFE_MICROS && amount <= SAFE_MICROS ? Number(amount) : amount;
}

/** An exact running total of money amounts. */
export class MoneySum {
  private small = 0;
  private large = 0n;

  add(amount: MoneyAmount): void {
    if (typeof amount === "bigint") {
      this.large += amount;
      return;
    }
    this.small += amount;
    if (this.small > SAFE_MICROS || this.small < -SAFE_MICROS) {
      this.large += BigInt(this.small);
      this.small = 0;
    }
  }

  get total(): Money {
    return this.large + BigInt(this.small);
  }
}
