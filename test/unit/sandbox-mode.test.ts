import { describe, expect, it } from "vitest";
import { sandboxFetch, sandboxSimulatorUrl } from "~/sandbox.server";

describe("sandbox mode", () => {
  it("is off unless the simulator URL is set", () => {
    expect(sandboxSimulatorUrl({})).toBeNull();
  });

  it("cannot be pointed at anything but this machine", () => {
    expect(() => sandboxSimulatorUrl({ TALLYSYNC_SANDBOX_SHOPIFY_URL: "https://admin.shopify.com" })).toThrow(/only runs against a simulator on this machine/);
    expect(() => sandboxSimulatorUrl({ TALLYSYNC_SANDBOX_SHOPIFY_URL: "http://10.0.0.5:8081" })).toThrow(/localhost/);
    expect(sandboxSimulatorUrl({ TALLYSYNC_SANDBOX_SHOPIFY_URL: "http://127.0.0.1:8081" })?.port).toBe("8081");
  });

  it("sends every request for a shop to the simulator, so no real shop is reached", async () => {
    const seen: string[] = [];
    const fetch = sandboxFetch(new URL("http://127.0.0.1:8081"), (async (input: string | URL | Request) => {
      seen.push(typeof input === "string" ? input : input instanceof URL ? input.toString() : input.url);
      return new Response("{}");
    }) as typeof globalThis.fetch);
    await fetch("https://real-store.myshopify.com/admin/oauth/access_token", { method: "POST" });
    await fetch(new Request("https://real-store.myshopify.com/admin/api/2026-07/graphql.json?x=1", { method: "POST", body: "{}" }));
    await fetch("http://127.0.0.1:4010/v1/warehouses");
    expect(seen).toEqual([
      "http://127.0.0.1:8081/shops/real-store.myshopify.com/admin/oauth/access_token",
      "http://127.0.0.1:8081/shops/real-store.myshopify.com/admin/api/2026-07/graphql.json?x=1",
      "http://127.0.0.1:4010/v1/warehouses",
    ]);
  });
});

describe("sandbox document headers", () => {
  const policy = "frame-ancestors https://shop.myshopify.com https://admin.shopify.com;";
  const cdn = '<https://cdn.shopify.com/shopifycloud/app-bridge.js>; rel="preload"; as="script";';

  it("let the simulator's admin shell frame the app and preload the local App Bridge", async () => {
    const { adaptDocumentHeadersForSandbox } = await import("~/sandbox.server");
    const headers = new Headers({ "Content-Security-Policy": policy, Link: cdn });
    adaptDocumentHeadersForSandbox(headers, { TALLYSYNC_SANDBOX_SHOPIFY_URL: "http://127.0.0.1:8081", APP_BRIDGE_URL: "http://127.0.0.1:8081/cdn/app-bridge.js" });
    expect(headers.get("Content-Security-Policy")).toBe(
      "frame-ancestors https://shop.myshopify.com https://admin.shopify.com http://127.0.0.1:8081 http://localhost:8081;",
    );
    expect(headers.get("Link")).toBe('<http://127.0.0.1:8081/cdn/app-bridge.js>; rel="preload"; as="script";');
  });

  it("are left exactly as Shopify wants them outside sandbox mode", async () => {
    const { adaptDocumentHeadersForSandbox } = await import("~/sandbox.server");
    const headers = new Headers({ "Content-Security-Policy": policy, Link: cdn });
    adaptDocumentHeadersForSandbox(headers, {});
    expect(headers.get("Content-Security-Policy")).toBe(policy);
    expect(headers.get("Link")).toBe(cdn);
  });
});
