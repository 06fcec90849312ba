import type { JobHandler } from "./types";

export interface JobTypeOptions {
  /**
   * A shop's runs of this type never overlap: one that is due waits while another of the same shop
   * runs (a run that reads the shop's state and writes what it planned from it, like the stock
   * sync, would otherwise race a second run over the same rows).
   */
  oneRunPerShop?: boolean;
}

const handlers = new Map<string, JobHandler>();
const oneRunPerShop = new Set<string>();

/** Register the handler for a job type; job modules call this at import time. */
export function defineJob(type: string, handler: JobHandler, options: JobTypeOptions = {}): void {
  handlers.set(type, handler);
  if (options.oneRunPerShop) oneRunPerShop.add(type);
  else oneRunPerShop.delete(type);
}

export function jobHandler(type: string): JobHandler | undefined {
  return handlers.get(type);
}

export function registeredJobTypes(): string[] {
  return [...handlers.keys()].sort();
}

/** The job types whose runs of one shop never overlap (JobTypeOptions.oneRunPerShop), sorted. */
export function oneRunPerShopTypes(): string[] {
  return [...oneRunPerShop].sort();
}
