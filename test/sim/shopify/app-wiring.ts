/**
 * Pointing @shopify/shopify-api (and so shopify-app-remix) at the simulator.
 *
 * shopify-api always builds `https://<shop>/admin/...` URLs (token exchange, refresh, GraphQL) and its
 * shop validator only accepts *.myshopify.com (or configured domainTransformations). The simulator speaks
 * plain HTTP on localhost, so the app keeps real-looking shop domains and swaps the fetch function the
 * library uses: `https://<shop>.myshopify.com/<path>` becomes `<simulatorUrl>/shops/<shop>.myshopify.com/<path>`.
 */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export function simulatorFetch(simulatorUrl: string, baseFetch: FetchLike = globalThis.fetch): FetchLike {
  const base = simulatorUrl.replace(/\/+$/, "");
  return (input, init) => {
    const raw = typeof input === "string" ? input : input instanceof URL ? input.toString() : input.url;
    const url = new URL(raw);
    if (url.protocol === "https:" && url.hostname.endsWith(".myshopify.com")) {
      const target = `${base}/shops/${url.hostname}${url.pathname}${url.search}`;
      return input instanceof Request ? baseFetch(new Request(target, input), init) : baseFetch(target, init);
    }
    return baseFetch(input, init);
  };
}

/**
 * Installs the rewrite into shopify-api's runtime. Call it after the platform adapter import
 * (`@shopify/shopify-app-remix/adapters/node` or `@shopify/shopify-api/adapters/node`), which sets the
 * default fetch, and before the first API client is created.
 */
export async function installSimulatorFetch(simulatorUrl: string): Promise<void> {
  const runtime = await import("@shopify/shopify-api/runtime");
  runtime.setAbstractFetchFunc(simulatorFetch(simulatorUrl) as Parameters<typeof runtime.setAbstractFetchFunc>[0]);
}
