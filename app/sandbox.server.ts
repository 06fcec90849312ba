// Sandbox mode: the app talks to the local Shopify simulator instead of Shopify.
//
// shopify-api builds every Shopify URL as https://<shop>/admin/... (token exchange, refresh,
// GraphQL). In sandbox mode the fetch it uses rewrites every such request to the simulator, so
// nothing can reach a real shop: the mode refuses to start unless the simulator is on this
// machine, and while it is on, no request to *.myshopify.com leaves the machine.
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

type Fetch = typeof globalThis.fetch;
type Environment = Record<string, string | undefined>;

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export class SandboxConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SandboxConfigurationError";
  }
}

export function sandboxSimulatorUrl(env: Environment = process.env): URL | null {
  const raw = env.TALLYSYNC_SANDBOX_SHOPIFY_URL;
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SandboxConfigurationError(`TALLYSYNC_SANDBOX_SHOPIFY_URL is not a URL: ${raw}`);
  }
  if (!LOOPBACK.has(url.hostname)) {
    throw new SandboxConfigurationError(
      `Sandbox mode only runs against a simulator on this machine (localhost), not ${url.hostname}.`,
    );
  }
  return url;
}

/** A fetch that sends https://<shop>.myshopify.com/<path> to <simulator>/shops/<shop>.myshopify.com/<path>. */
export function sandboxFetch(simulator: URL, base: Fetch = globalThis.fetch): Fetch {
  const root = simulator.toString().replace(/\/+$/, "");
  return ((input: string | URL | Request, init?: RequestInit) => {
    const raw = typeof input === "string" ? input : input instanceof URL ? input.toString() : input.url;
    const url = new URL(raw);
    if (url.hostname.endsWith(".myshopify.com") || url.hostname.endsWith(".shopify.com")) {
      const target = `${root}/shops/${url.hostname}${url.pathname}${url.search}`;
      return input instanceof Request ? base(new Request(target, input), init) : base(target, init);
    }
    return base(input, init);
  }) as Fetch;
}

/** Call after the shopify-api platform adapter import, which sets the default fetch. */
export function installSandboxFetch(env: Environment = process.env): boolean {
  const simulator = sandboxSimulatorUrl(env);
  if (!simulator) return false;
  setAbstractFetchFunc(sandboxFetch(simulator) as Parameters<typeof setAbstractFetchFunc>[0]);
  return true;
}

/**
 * Document headers in sandbox mode. shopify-app-remix only lets the Shopify admin frame the app
 * (CSP frame-ancestors) and preloads App Bridge from Shopify's CDN; in sandbox mode the admin is
 * the simulator's shell on this machine and App Bridge comes from APP_BRIDGE_URL.
 */
export function adaptDocumentHeadersForSandbox(headers: Headers, env: Environment = process.env): void {
  const simulator = sandboxSimulatorUrl(env);
  if (!simulator) return;
  const origins = [simulator.origin, simulator.origin.replace("127.0.0.1", "localhost")];
  const policy = headers.get("Content-Security-Policy");
  headers.set(
    "Content-Security-Policy",
    policy
      ? policy.replace(/frame-ancestors ([^;]*)/, (_, list: string) => `frame-ancestors ${list} ${origins.join(" ")}`)
      : `frame-ancestors ${origins.join(" ")};`,
  );
  const link = headers.get("Link");
  if (link?.includes("cdn.shopify.com")) {
    if (env.APP_BRIDGE_URL) headers.set("Link", `<${env.APP_BRIDGE_URL}>; rel="preload"; as="script";`);
    else headers.delete("Link");
  }
}
