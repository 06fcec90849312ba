// Long id lists go to the database a slice at a time: SQLite refuses a statement with more bound
// parameters than it allows, and a flash sale can leave thousands of fulfillment orders waiting.
export const IN_LIST_LIMIT = 500;

export function inBatches<T>(items: readonly T[], size = IN_LIST_LIMIT): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}
