// Markets: where an order ships to, as routing rules and warehouse regions name them.
//
//   "US"     a country (ISO 3166-1 alpha-2)
//   "US-CA"  a subdivision of a country (ISO 3166-2), matched only when the destination's province is known
//   "*"      everywhere
//
// Shopify gives a shipping address's province as "CA" (province_code) with the country apart;
// we join them into "US-CA" so that a province code is never mistaken for a country ("CA" is also
// Canada). Pure: no I/O.

export const ANY_MARKET = "*";

const MARKET_CODE = /^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$/;
const COUNTRY_CODE = /^[A-Z]{2}$/;

/** The market code in canonical form ("us-ca " -> "US-CA"), or null when it is not one. */
export function normalizeMarket(raw: string): string | null {
  const code = raw.trim().toUpperCase();
  if (code === ANY_MARKET) return code;
  return MARKET_CODE.test(code) ? code : null;
}

export function isCountryCode(raw: string): boolean {
  return COUNTRY_CODE.test(raw.trim().toUpperCase());
}

export interface DestinationMarket {
  /** "US" */
  country: string;
  /** "US-CA", or null when the province is unknown or does not belong to the country. */
  region: string | null;
}

export function destinationMarket(countryCode: string, provinceCode?: string | null): DestinationMarket {
  const country = countryCode.trim().toUpperCase();
  const province = provinceCode?.trim().toUpperCase() || null;
  if (province == null) return { country, region: null };
  if (!province.includes("-")) return { country, region: `${country}-${province}` };
  return { country, region: province.startsWith(`${country}-`) ? province : null };
}

/** The most specific name of the destination: "US-CA", else "US". */
export function marketLabel(destination: DestinationMarket): string {
  return destination.region ?? destination.country;
}

/** Whether a market code (a region of a warehouse, or a rule's market) takes in the destination. */
export function marketCovers(market: string, destination: DestinationMarket): boolean {
  const code = market.trim().toUpperCase();
  if (code === ANY_MARKET) return true;
  if (code.includes("-")) return code === destination.region;
  return code === destination.country;
}

/** Whether every destination in `inner` is also in `outer` ("US-CA" is within "US"; all are within "*"). */
export function marketWithin(inner: string, outer: string): boolean {
  if (outer === ANY_MARKET) return true;
  if (inner === ANY_MARKET) return false;
  return inner === outer || (!outer.includes("-") && inner.startsWith(`${outer}-`));
}
