import { describe, expect, it } from "vitest";
import "~/jobs/handlers.server";
import { SYNC_JOB } from "~/inventory/job-types";
import { oneRunPerShopTypes, registeredJobTypes } from "~/jobs/registry.server";

describe("job types whose runs of one shop never overlap", () => {
  it("are the stock sync only: two runs would plan the same Shopify writes from the same dirty positions", () => {
    expect(oneRunPerShopTypes()).toEqual([SYNC_JOB]);
    expect(registeredJobTypes()).toContain(SYNC_JOB);
  });
});
