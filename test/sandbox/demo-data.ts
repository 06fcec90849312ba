// The demo merchant of the sandbox: a home-goods brand with two overseas warehouses from two
// 3PLs (PRODUCT.md's case to design for). Deterministic: the same seed gives the same catalog.

export interface DemoVariant {
  sku: string;
  barcode: string;
  title: string;
  price: string;
  unitCost: string;
}

export interface DemoProduct {
  title: string;
  productType: string;
  tags: string[];
  variants: DemoVariant[];
}

export interface DemoWarehouse {
  provider: "generic";
  connectionName: string;
  accountName: string;
  apiKey: string;
  code: string;
  name: string;
  countryCode: string;
  city: string;
  latitude: number;
  longitude: number;
  /** Share of the catalog this warehouse stocks (the rest it does not carry). */
  coverage: number;
  /** Routing: lower goes first, and the markets the 3PL reaches ("*" for everywhere). */
  priority: number;
  regions: string[];
}

export const DEMO_SHOP = "tallysync-demo.myshopify.com";

export const DEMO_WAREHOUSES: DemoWarehouse[] = [
  {
    provider: "generic",
    connectionName: "Pacific Fulfillment",
    accountName: "Harbor & Hearth (Pacific Fulfillment)",
    apiKey: "sk_sandbox_pacific_4f1c",
    code: "LAX1",
    name: "Los Angeles (Ontario, CA)",
    countryCode: "US",
    city: "Ontario",
    latitude: 34.06,
    longitude: -117.65,
    coverage: 0.9,
    priority: 1,
    regions: ["*"],
  },
  {
    provider: "generic",
    connectionName: "EuroBridge 3PL",
    accountName: "Harbor & Hearth (EuroBridge)",
    apiKey: "sk_sandbox_eurobridge_9a2d",
    code: "RTM1",
    name: "Rotterdam",
    countryCode: "NL",
    city: "Rotterdam",
    latitude: 51.89,
    longitude: 4.42,
    coverage: 0.6,
    priority: 1,
    // EuroBridge delivers within Europe only.
    regions: ["NL", "BE", "LU", "DE", "FR", "GB", "IE", "ES", "PT", "IT", "AT", "DK", "SE", "PL"],
  },
];

/** Small deterministic PRNG (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** EAN-13 with a valid check digit. */
export function ean13(twelveDigits: string): string {
  const digits = twelveDigits.padStart(12, "0").slice(-12);
  const sum = [...digits].reduce((acc, d, i) => acc + Number(d) * (i % 2 === 0 ? 1 : 3), 0);
  return digits + String((10 - (sum % 10)) % 10);
}

const FAMILIES: Array<{ type: string; code: string; names: string[]; variants: string[]; price: [number, number] }> = [
  { type: "Mugs", code: "MUG", names: ["Stoneware Mug", "Speckled Mug", "Tall Latte Mug", "Espresso Cup"], variants: ["Sand", "Sage", "Ink", "Clay"], price: [14, 28] },
  { type: "Bedding", code: "BED", names: ["Linen Duvet Cover", "Percale Sheet Set", "Waffle Blanket", "Cotton Pillowcase Pair"], variants: ["Twin", "Queen", "King"], price: [39, 189] },
  { type: "Lighting", code: "LMP", names: ["Oak Table Lamp", "Rattan Pendant", "Brass Floor Lamp", "Paper Lantern"], variants: ["Natural", "Black"], price: [45, 240] },
  { type: "Kitchen", code: "KIT", names: ["Cast Iron Skillet", "Olive Wood Board", "Glass Storage Jar", "Enamel Dutch Oven"], variants: ["S", "M", "L"], price: [18, 160] },
  { type: "Bath", code: "BTH", names: ["Turkish Towel", "Bath Mat", "Ceramic Soap Dish", "Waffle Robe"], variants: ["White", "Stone", "Rust"], price: [12, 95] },
  { type: "Decor", code: "DEC", names: ["Linen Cushion Cover", "Wool Throw", "Stoneware Vase", "Jute Rug"], variants: ["Ivory", "Moss", "Terracotta"], price: [22, 210] },
];

const SERIES = ["Harbor", "Hearth", "Dune", "Fjord", "Meadow", "Cove", "Ember", "Tide", "Grove", "Atlas"];

/** About 120 products and 330 SKUs. */
export function demoCatalog(seed = 7): DemoProduct[] {
  const rand = random(seed);
  const products: DemoProduct[] = [];
  let serial = 1;
  for (const family of FAMILIES) {
    for (const name of family.names) {
      for (const series of SERIES.slice(0, 5)) {
        const base = family.price[0] + rand() * (family.price[1] - family.price[0]);
        const variants = family.variants.map((variant, i) => {
          const price = (Math.round((base + i * 4) * 100) / 100).toFixed(2);
          const unitCost = (Math.round(Number(price) * (0.28 + rand() * 0.17) * 100) / 100).toFixed(2);
          const sku = `${family.code}-${series.slice(0, 3).toUpperCase()}${String(serial).padStart(3, "0")}-${variant.replace(/\s+/g, "").slice(0, 3).toUpperCase()}`;
          return { sku, barcode: ean13(`69${String(serial * 10 + i).padStart(10, "0")}`), title: variant, price, unitCost };
        });
        products.push({ title: `${series} ${name}`, productType: family.type, tags: [family.type.toLowerCase(), series.toLowerCase()], variants });
        serial++;
      }
    }
  }
  return products;
}

/** Opening sellable stock per SKU and warehouse; a few SKUs are low or out, as in real life. */
export function openingStock(products: DemoProduct[], warehouse: DemoWarehouse, seed = 11): Array<{ sku: string; sellable: number; damaged: number }> {
  const rand = random(seed + warehouse.code.charCodeAt(0));
  const rows: Array<{ sku: string; sellable: number; damaged: number }> = [];
  for (const product of products) {
    for (const variant of product.variants) {
      if (rand() > warehouse.coverage) continue;
      const roll = rand();
      const sellable = roll < 0.05 ? 0 : roll < 0.15 ? 1 + Math.floor(rand() * 4) : 10 + Math.floor(rand() * 240);
      rows.push({ sku: variant.sku, sellable, damaged: rand() < 0.1 ? 1 + Math.floor(rand() * 3) : 0 });
    }
  }
  return rows;
}
