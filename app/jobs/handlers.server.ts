// Importing this module registers every job handler. Add each new job module here.
import "../webhooks/process.server";
import "../inventory/jobs.server";
import "../inventory/mapping-jobs.server";
import "../inventory/reconcile-jobs.server";
import "../orders/jobs.server";
import "../models/counts/jobs.server";
