// Where the App Bridge script comes from. Shopify serves it from its CDN; APP_BRIDGE_URL points it
// elsewhere (the offline admin-shell simulator), and then nothing should reach for the CDN.
export function appBridgeScriptUrl(): string | undefined {
  return process.env.APP_BRIDGE_URL || undefined;
}

/** True when pages may warm a connection to Shopify's CDN (it serves App Bridge). */
export function usesShopifyCdn(): boolean {
  return !appBridgeScriptUrl();
}
