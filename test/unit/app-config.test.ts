import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ACCESS_SCOPES } from "~/config.server";
import { WEBHOOK_TOPICS } from "~/webhooks/topics";
import { accessScopes, appToml, webhookSubscriptions } from "../helpers/app-toml";

const root = path.resolve(import.meta.dirname, "../..");
const toml = appToml();
const subscriptions = () => webhookSubscriptions(toml);

describe("shopify.app.toml", () => {
  it("uses Admin API version 2026-07 for webhooks", () => {
    expect(toml).toMatch(/\[webhooks\]\s*\napi_version = "2026-07"/);
  });

  it("subscribes to exactly the topics the app handles, each at its own route", () => {
    const subs = subscriptions();
    expect(subs.flatMap((s) => s.topics).sort()).toEqual([...WEBHOOK_TOPICS].sort());
    for (const sub of subs) {
      expect(sub.uri).toBe(`/webhooks/${sub.topics[0]}`);
      expect(sub.handledBy, `Handled by comment for ${sub.topics[0]}`).toBe(`/app/routes/webhooks.${sub.topics[0]!.replace("/", ".")}.tsx`);
      expect(existsSync(path.join(root, sub.handledBy!)), `${sub.handledBy} exists`).toBe(true);
    }
  });

  it("declares the three mandatory compliance topics as compliance_topics", () => {
    for (const topic of ["customers/data_request", "customers/redact", "shop/redact"]) {
      expect(toml).toContain(`compliance_topics = [ "${topic}" ]`);
    }
  });

  it("asks for the same scopes the app is configured with", () => {
    const scopes = accessScopes(toml);
    expect(scopes.sort()).toEqual([...ACCESS_SCOPES].sort());
    for (const needed of ["read_products", "write_inventory", "read_locations", "read_orders", "write_fulfillments", "write_assigned_fulfillment_orders"]) {
      expect(scopes).toContain(needed);
    }
  });
});
