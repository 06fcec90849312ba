// Small statistics helpers for the benchmarks.
import { readdirSync, readFileSync } from "node:fs";
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

/**
 * CPU seconds (user + system) used so far by a process and everything it started (npm start ->
 * node), read from /proc. Linux only; 0 elsewhere.
 */
export function processTreeCpuSeconds(rootPid: number | undefined): number {
  if (!rootPid) return 0;
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return 0;
  }
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const name of entries) {
    try {
      const text = readFileSync(`/proc/${name}/stat`, "utf8");
      // The command name is in parentheses and may hold spaces: fields start after the last ")".
      const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
      stats.set(Number(name), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // gone meanwhile
    }
  }
  const inTree = new Set([rootPid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, stat] of stats) {
      if (!inTree.has(pid) && inTree.has(stat.ppid)) {
        inTree.add(pid);
        grew = true;
      }
    }
  }
  let ticks = 0;
  for (const pid of inTree) ticks += stats.get(pid)?.ticks ?? 0;
  return ticks / 100;
}
