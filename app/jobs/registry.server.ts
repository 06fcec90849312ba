import type { JobHandler } from "./types";

const handlers = new Map<string, JobHandler>();

/** Register the handler for a job type; job modules call this at import time. */
export function defineJob(type: string, handler: JobHandler): void {
  handlers.set(type, handler);
}

export function jobHandler(type: string): JobHandler | undefined {
  return handlers.get(type);
}

export function registeredJobTypes(): string[] {
  return [...handlers.keys()].sort();
}
