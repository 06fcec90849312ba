// The one way TallySync calls the Shopify Admin GraphQL API: paced by the shop's leaky bucket,
// retried through Shopify outages without ever applying a write twice, and measured.
import { retryDelayMs, type BackoffPolicy } from "../jobs/backoff";
import { log } from "../observability/logger.server";
import { sandboxFetch, sandboxSimulatorUrl } from "../sandbox.server";
import { merchantMessage, ShopifyApiError, type GraphqlError, type ShopifyApiErrorCode } from "./errors";
import { operationName } from "./operations";
import { ThrottleModel, type ThrottleStatus } from "./throttle";

export const ADMIN_API_VERSION = "2026-07";

/** shopify-app-remix's `admin.graphql` (from authenticate.admin or unauthenticated.admin). */
export type AdminGraphql = (query: string, options?: { variables?: Record<string, unknown>; signal?: AbortSignal }) => Promise<Response>;

export interface ShopifyApiCall {
  integration: "shopify";
  shop: string;
  operation: string;
  outcome: "ok" | "error" | "throttled";
  latencyMs: number;
  /** Actual query cost in points, when Shopify reported it. */
  cost: number | null;
  /** Time spent waiting for the bucket (or a backoff) before this attempt. */
  throttleWaitMs: number;
  attempt: number;
}

/** Where each HTTP attempt is reported (the ApiCallMetric table, the health dashboard). */
export interface ApiCallRecorder {
  record(call: ShopifyApiCall): void;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

interface CommonOptions {
  shop: string;
  /** Used by the access-token transport; `admin.graphql` uses the app's configured version (shopify.server.ts). */
  apiVersion?: string;
  recorder?: ApiCallRecorder;
  /** Share one model per shop between clients: the bucket belongs to the app and shop. */
  throttle?: ThrottleModel;
  /** Retries after a 5xx, a lost connection or a timeout. */
  maxRetries?: number;
  /** Retries after THROTTLED; throttling is expected, so this budget is separate and larger. */
  maxThrottledRetries?: number;
  timeoutMs?: number;
  backoff?: BackoffPolicy;
  clock?: Clock;
}

export type AdminClientOptions = CommonOptions &
  ({ accessToken: string; fetch?: typeof globalThis.fetch; graphql?: undefined } | { graphql: AdminGraphql; accessToken?: undefined; fetch?: undefined });

export interface RequestOptions {
  /** Required by operations that declare $idempotencyKey; reused unchanged by every retry. */
  idempotencyKey?: string;
}

export interface AdminClient {
  readonly shop: string;
  readonly apiVersion: string;
  readonly throttle: ThrottleModel;
  /** Returns `data`; mutation userErrors are part of it, for the caller to handle. Throws ShopifyApiError. */
  request<TData>(operation: string, variables?: Record<string, unknown>, options?: RequestOptions): Promise<TData>;
}

interface CostExtension {
  requestedQueryCost?: number;
  actualQueryCost?: number | null;
  throttleStatus?: ThrottleStatus;
}

interface GraphqlBody {
  data?: Record<string, unknown> | null;
  errors?: GraphqlError[] | string | Record<string, unknown>;
  extensions?: { cost?: CostExtension };
}

type Exchange =
  | { kind: "response"; status: number; body: GraphqlBody | null; requestId: string | null }
  | { kind: "lost"; reason: "timeout" | "network"; error: unknown };

type Transport = (query: string, variables: Record<string, unknown>, signal: AbortSignal) => Promise<Exchange>;

const DEFAULTS = {
  maxRetries: 4,
  maxThrottledRetries: 20,
  timeoutMs: 30_000,
  backoff: { baseMs: 500, maxMs: 30_000 } satisfies BackoffPolicy,
};

/** Cost assumed for an operation not seen yet; mutations cost 10 (shopify.dev rate limits). */
const FIRST_CALL_ESTIMATE = { query: 100, mutation: 10 };

function parseBody(text: string): GraphqlBody | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === "object" ? (parsed as GraphqlBody) : null;
  } catch {
    return null;
  }
}

function lost(error: unknown, signal: AbortSignal): Exchange {
  return { kind: "lost", reason: signal.aborted ? "timeout" : "network", error };
}

function defaultFetch(): typeof globalThis.fetch {
  // Sandbox mode: no request for a *.myshopify.com shop may leave this machine.
  const simulator = sandboxSimulatorUrl();
  return simulator ? sandboxFetch(simulator) : globalThis.fetch;
}

function tokenTransport(shop: string, accessToken: string, apiVersion: string, fetchFn: typeof globalThis.fetch): Transport {
  const url = `https://${shop}/admin/api/${apiVersion}/graphql.json`;
  return async (query, variables, signal) => {
    try {
      const res = await fetchFn(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-Shopify-Access-Token": accessToken },
        body: JSON.stringify({ query, variables }),
        signal,
      });
      const text = await res.text();
      return { kind: "response", status: res.status, body: parseBody(text), requestId: res.headers.get("x-request-id") };
    } catch (error) {
      return lost(error, signal);
    }
  };
}

type LibraryError = {
  body?: { data?: Record<string, unknown> | null; extensions?: GraphqlBody["extensions"]; errors?: { graphQLErrors?: GraphqlError[] } };
  response?: { code?: number; body?: unknown };
};

/**
 * shopify-api throws instead of answering: GraphqlQueryError (HTTP 200 with `errors`; body keeps
 * data and extensions), HttpResponseError (`response.code`), or, through shopify-app-remix's
 * handleClientError, a Response carrying the upstream status. Anything else never got an answer.
 */
async function fromLibraryError(error: unknown, signal: AbortSignal): Promise<Exchange> {
  if (error instanceof Response) {
    return { kind: "response", status: error.status, body: parseBody(await error.text().catch(() => "")), requestId: error.headers.get("x-request-id") };
  }
  const e = error as LibraryError | null;
  const graphQLErrors = e?.body?.errors?.graphQLErrors;
  if (Array.isArray(graphQLErrors)) {
    return { kind: "response", status: 200, body: { data: e?.body?.data ?? null, errors: graphQLErrors, extensions: e?.body?.extensions }, requestId: null };
  }
  if (typeof e?.response?.code === "number") {
    const body = e.response.body && typeof e.response.body === "object" ? (e.response.body as GraphqlBody) : null;
    return { kind: "response", status: e.response.code, body, requestId: null };
  }
  return lost(error, signal);
}

function remixTransport(graphql: AdminGraphql): Transport {
  return async (query, variables, signal) => {
    try {
      const res = await graphql(query, { variables, signal });
      return { kind: "response", status: res.status, body: parseBody(await res.text()), requestId: res.headers.get("x-request-id") };
    } catch (error) {
      return fromLibraryError(error, signal);
    }
  };
}

type Verdict =
  | { kind: "ok"; data: Record<string, unknown> }
  | { kind: "throttled" }
  | { kind: "retry"; code: ShopifyApiErrorCode; detail: string }
  | { kind: "fail"; code: ShopifyApiErrorCode; detail: string; errors?: GraphqlError[] };

const HTTP_FAILURES: Record<number, ShopifyApiErrorCode> = { 401: "UNAUTHORIZED", 402: "PAYMENT_REQUIRED", 403: "FORBIDDEN", 404: "NOT_FOUND", 423: "LOCKED" };

function errorText(errors: GraphqlBody["errors"]): string {
  if (typeof errors === "string") return errors;
  if (Array.isArray(errors)) return errors.map((e) => e.message).join(" ");
  return errors ? JSON.stringify(errors) : "";
}

/** Userror codes that mean "the same request is still being processed": retry with the same key. */
function concurrentIdempotentRequest(data: Record<string, unknown>): boolean {
  return Object.values(data).some((payload) => {
    const userErrors = (payload as { userErrors?: { code?: string | null }[] } | null)?.userErrors;
    return Array.isArray(userErrors) && userErrors.some((e) => e.code === "IDEMPOTENCY_CONCURRENT_REQUEST");
  });
}

function judge(exchange: Exchange): Verdict {
  if (exchange.kind === "lost") {
    const detail = exchange.error instanceof Error ? exchange.error.message : String(exchange.error);
    return { kind: "retry", code: exchange.reason === "timeout" ? "TIMEOUT" : "NETWORK", detail };
  }
  const { status, body } = exchange;
  if (status === 429) return { kind: "throttled" };
  if (status >= 500) return { kind: "retry", code: "SERVER_ERROR", detail: `HTTP ${status}` };
  if (status !== 200) return { kind: "fail", code: HTTP_FAILURES[status] ?? "HTTP_ERROR", detail: errorText(body?.errors) || `HTTP ${status}` };
  if (!body) return { kind: "retry", code: "EMPTY_RESPONSE", detail: "an unreadable response" };
  if (body.errors) {
    if (!Array.isArray(body.errors)) return { kind: "fail", code: "GRAPHQL", detail: errorText(body.errors) };
    const codes = body.errors.map((e) => e.extensions?.code);
    if (codes.includes("THROTTLED")) return { kind: "throttled" };
    // Shopify's own failure: the write may or may not have happened; the same idempotency key makes a retry safe.
    if (codes.includes("INTERNAL_SERVER_ERROR")) return { kind: "retry", code: "SERVER_ERROR", detail: errorText(body.errors) };
    const code: ShopifyApiErrorCode = codes.includes("ACCESS_DENIED") ? "ACCESS_DENIED" : codes.includes("MAX_COST_EXCEEDED") ? "MAX_COST_EXCEEDED" : "GRAPHQL";
    return { kind: "fail", code, detail: errorText(body.errors), errors: body.errors };
  }
  if (!body.data) return { kind: "retry", code: "EMPTY_RESPONSE", detail: "a response without data" };
  if (concurrentIdempotentRequest(body.data)) return { kind: "retry", code: "SERVER_ERROR", detail: "the same request is still in progress" };
  return { kind: "ok", data: body.data };
}

function withIdempotencyKey(operation: string, name: string, variables: Record<string, unknown>, key: string | undefined): Record<string, unknown> {
  const declared = /\$idempotencyKey\b/.test(operation);
  if (declared && !key) throw new Error(`${name} needs an idempotency key: Shopify requires one on inventory mutations from 2026-04.`);
  if (!declared && key) throw new Error(`${name} does not declare $idempotencyKey, so the key would not be sent.`);
  return Object.freeze(key ? { ...variables, idempotencyKey: key } : { ...variables });
}

export function createAdminClient(options: AdminClientOptions): AdminClient {
  const shop = options.shop;
  const apiVersion = options.apiVersion ?? ADMIN_API_VERSION;
  const throttle = options.throttle ?? new ThrottleModel();
  const clock = options.clock ?? realClock;
  const maxRetries = options.maxRetries ?? DEFAULTS.maxRetries;
  const maxThrottledRetries = options.maxThrottledRetries ?? DEFAULTS.maxThrottledRetries;
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const backoff = options.backoff ?? DEFAULTS.backoff;
  const transport = options.graphql
    ? remixTransport(options.graphql)
    : tokenTransport(shop, options.accessToken, apiVersion, options.fetch ?? defaultFetch());
  /** requestedQueryCost last reported per operation name. */
  const lastCost = new Map<string, number>();

  const report = (call: Omit<ShopifyApiCall, "integration" | "shop">) => {
    if (!options.recorder) return;
    try {
      options.recorder.record({ integration: "shopify", shop, ...call });
    } catch (error) {
      log.warn("Could not record a Shopify API call", { shop, operation: call.operation, error });
    }
  };

  async function request<TData>(operation: string, variables: Record<string, unknown> = {}, requestOptions: RequestOptions = {}): Promise<TData> {
    const name = operationName(operation);
    const isMutation = /^\s*(?:#graphql\s*)?mutation\b/.test(operation);
    const sent = withIdempotencyKey(operation, name, variables, requestOptions.idempotencyKey);
    let failures = 0;
    let throttledTimes = 0;
    let backoffMs = 0;

    for (let attempt = 1; ; attempt++) {
      const estimate = lastCost.get(name) ?? (isMutation ? FIRST_CALL_ESTIMATE.mutation : FIRST_CALL_ESTIMATE.query);
      const waitMs = Math.max(throttle.waitMsFor(estimate, clock.now()), backoffMs);
      if (waitMs > 0) await clock.sleep(waitMs);
      backoffMs = 0;

      const started = clock.now();
      const exchange = await transport(operation, sent, AbortSignal.timeout(timeoutMs));
      const latencyMs = clock.now() - started;
      const cost = exchange.kind === "response" ? exchange.body?.extensions?.cost : undefined;
      if (typeof cost?.requestedQueryCost === "number") lastCost.set(name, cost.requestedQueryCost);
      throttle.record(cost?.throttleStatus, cost?.actualQueryCost ?? null, clock.now());

      const verdict = judge(exchange);
      const requestId = exchange.kind === "response" ? exchange.requestId : null;
      report({ operation: name, outcome: verdict.kind === "ok" ? "ok" : verdict.kind === "throttled" ? "throttled" : "error", latencyMs, cost: cost?.actualQueryCost ?? null, throttleWaitMs: waitMs, attempt });

      if (verdict.kind === "ok") return verdict.data as TData;
      if (verdict.kind === "fail") {
        const status = exchange.kind === "response" ? exchange.status : null;
        throw new ShopifyApiError(merchantMessage(verdict.code, shop, name, verdict.detail), { shop, operation: name, code: verdict.code, status, retryable: false, errors: verdict.errors, requestId, attempts: attempt });
      }
      if (verdict.kind === "throttled") {
        throttledTimes += 1;
        if (throttledTimes > maxThrottledRetries) {
          throw new ShopifyApiError(merchantMessage("THROTTLED", shop, name), { shop, operation: name, code: "THROTTLED", status: 200, retryable: true, requestId, attempts: attempt });
        }
        // The bucket model says how long; when it cannot (no status, or Shopify throttled anyway), back off.
        if (throttle.waitMsFor(lastCost.get(name) ?? estimate, clock.now()) === 0) backoffMs = retryDelayMs(throttledTimes + 1, backoff);
        continue;
      }
      failures += 1;
      if (failures > maxRetries) {
        const status = exchange.kind === "response" ? exchange.status : null;
        throw new ShopifyApiError(merchantMessage(verdict.code, shop, name, verdict.detail), { shop, operation: name, code: verdict.code, status, retryable: true, requestId, attempts: attempt });
      }
      log.info("Retrying a Shopify call", { shop, operation: name, attempt, reason: verdict.detail });
      backoffMs = retryDelayMs(failures + 1, backoff);
    }
  }

  return { shop, apiVersion, throttle, request };
}
