// The kinds of count a plan or a task can be. Only a full count has rules of its own: a line
// nobody counted counts as 0, and the warehouse's stock sync is frozen while it runs.

export const COUNT_KINDS = ["rolling", "abc", "full", "campaign", "exception"] as const;

export type CountKind = (typeof COUNT_KINDS)[number];

export function isCountKind(value: string): value is CountKind {
  return (COUNT_KINDS as readonly string[]).includes(value);
}

/** The merchant-facing number of a count task: CC-1042. */
export function countLabel(taskNumber: number): string {
  return `CC-${taskNumber}`;
}

/** In a full count, a line nobody counted counts as 0 and stock sync for the warehouse is frozen. */
export function isFullCount(kind: CountKind): boolean {
  return kind === "full";
}
