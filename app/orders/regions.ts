// A warehouse's regions as stored (Warehouse.regions): a JSON list of market codes. Pure.
import { ANY_MARKET, normalizeMarket } from "./markets";

/**
 * The markets a warehouse ships to. Codes are normalised and invalid ones dropped; a value that is
 * not a JSON list at all means the default, everywhere (the column's default is ["*"]).
 */
export function parseRegions(raw: string | null | undefined): { regions: string[]; readable: boolean } {
  try {
    const parsed: unknown = JSON.parse(raw ?? `["${ANY_MARKET}"]`);
    if (Array.isArray(parsed)) {
      return { regions: [...new Set(parsed.map((m) => (typeof m === "string" ? normalizeMarket(m) : null)).filter((m): m is string => m !== null))], readable: true };
    }
  } catch {
    // not JSON
  }
  return { regions: [ANY_MARKET], readable: false };
}

/** The column value for a list of markets (normalised, deduplicated; invalid codes dropped). */
export function formatRegions(markets: readonly string[]): string {
  return JSON.stringify([...new Set(markets.map((m) => normalizeMarket(m)).filter((m): m is string => m !== null))]);
}
