import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ACCESS_SCOPES } from "~/config.server";
import { WEBHOOK_TOPICS } from "~/webhooks/topics";

const root = path.resolve(import.meta.dirname, "../..");
const toml = readFileSync(path.join(root, "shopify.app.toml"), "utf8");

interface Subscription {
  topics: string[];
  uri: string;
  handledBy: string | undefined;
}

// Just enough TOML for [[webhooks.subscriptions]] blocks and their "# Handled by:" comments.
function subscriptions(): Subscription[] {
  const blocks = toml.split("[[webhooks.subscriptions]]").slice(1);
  const heads = toml.split("[[webhooks.subscriptions]]").slice(0, -1);
  return blocks.map((block, i) => {
    const topics = /(?:compliance_)?topics\s*=\s*\[([^\]]*)\]/.exec(block)?.[1] ?? "";
    const uri = /uri\s*=\s*"([^"]+)"/.exec(block)?.[1] ?? "";
    const handledBy = /# Handled by: (\S+)[^\n]*\s*$/.exec(heads[i]!)?.[1];
    return { topics: [...topics.matchAll(/"([^"]+)"/g)].map((m) => m[1]!), uri, handledBy };
  });
}

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
    const scopes = /scopes = "([^"]*)"/.exec(toml)?.[1]?.split(",") ?? [];
    expect(scopes.sort()).toEqual([...ACCESS_SCOPES].sort());
    for (const needed of ["read_products", "write_inventory", "read_locations", "read_orders", "write_fulfillments", "write_assigned_fulfillment_orders"]) {
      expect(scopes).toContain(needed);
    }
  });
});
