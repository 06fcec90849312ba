// Small statistics helpers for the benchmarks.
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

export function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A catalog of n single-variant products with unique SKUs and barcodes. */
export function benchCatalog(n: number, prefix = "BENCH") {
  return Array.from({ length: n }, (_, i) => ({
    title: `${prefix} product ${i + 1}`,
    productType: "Bench",
    tags: ["bench"],
    variants: [
      {
        sku: `${prefix}-${String(i + 1).padStart(5, "0")}`,
        barcode: `2${String(i + 1).padStart(12, "0")}`,
        title: "Default",
        price: "10.00",
        unitCost: "4.00",
      },
    ],
  }));
}
