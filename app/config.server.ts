// Configuration read from the environment, in one place, with errors that say what to set.
export interface AppConfig {
  apiKey: string;
  apiSecret: string;
  appUrl: string;
  scopes: string[];
  customShopDomains: string[];
}

// The scopes the brief needs; shopify.app.toml declares the same list. Product and variant
// metafields (the stock signal for ads) are written under write_products: Shopify has no separate
// metafield scope for resources the app can already write.
export const ACCESS_SCOPES = [
  "read_products",
  "write_products",
  "read_inventory",
  "write_inventory",
  "read_locations",
  "read_orders",
  "read_fulfillments",
  "write_fulfillments",
  "read_assigned_fulfillment_orders",
  "write_assigned_fulfillment_orders",
];

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set. Copy it from the app's page in the Partner Dashboard (see README.md).`);
  }
  return value;
}

export function appConfig(): AppConfig {
  return {
    apiKey: required("SHOPIFY_API_KEY"),
    apiSecret: required("SHOPIFY_API_SECRET"),
    appUrl: required("SHOPIFY_APP_URL"),
    scopes: process.env.SCOPES ? process.env.SCOPES.split(",").map((s) => s.trim()) : ACCESS_SCOPES,
    customShopDomains: (process.env.SHOP_CUSTOM_DOMAINS ?? "").split(",").map((s) => s.trim()).filter(Boolean),
  };
}

/** The webhook signing secret(s): the current app secret, and the previous one while it rotates. */
export function webhookSecrets(): string[] {
  return [required("SHOPIFY_API_SECRET"), process.env.SHOPIFY_API_SECRET_PREVIOUS].filter(
    (s): s is string => Boolean(s),
  );
}
