// The count jobs: the scheduler (daily per shop, and on demand) and the posting of an approved
// count. Registered by importing this module (app/jobs/handlers.server.ts).
import { defineJob } from "../../jobs/registry.server";
import { PermanentJobError } from "../../jobs/types";
import { isShopInstalled } from "../shop.server";
import { postCountTask } from "./posting.server";
import { COUNT_SCHEDULER_JOB, runCountScheduler, scheduleDailyCountRun } from "./scheduler.server";
import { COUNT_POSTING_JOB } from "./tasks.server";

defineJob(COUNT_SCHEDULER_JOB, async (payload, { shop }) => {
  const { run } = (payload ?? {}) as { run?: string };
  if (run !== "daily" && run !== "now") throw new PermanentJobError(`Job payload has no scheduler run (daily or now), got ${String(run)}.`);
  // An uninstalled shop ends the daily chain: nothing is queued again.
  if (!(await isShopInstalled(shop))) return;
  try {
    await runCountScheduler(shop);
  } finally {
    if (run === "daily") await scheduleDailyCountRun(shop);
  }
});

defineJob(COUNT_POSTING_JOB, async (payload, { shop }) => {
  const { taskId } = (payload ?? {}) as { taskId?: string };
  if (!taskId) throw new PermanentJobError("Job payload has no taskId.");
  const progress = await postCountTask(shop, taskId);
  if (progress.status === "posting" || progress.status === "waiting") {
    throw new Error(`Count ${progress.label} is not fully posted yet (${progress.shopify.pending} adjustment(s) waiting for Shopify); trying again.`);
  }
});
