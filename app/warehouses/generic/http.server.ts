// HTTP client for the generic warehouse protocol: bearer key, JSON, a timeout per attempt, and the
// retries the protocol asks clients for (429 after Retry-After; 500/502/503/504, network errors and
// timeouts with exponential backoff and jitter). Every failure ends as a WarehouseApiError worded
// for the merchant, and every call is reported once to the ApiCallRecorder.
import { setTimeout as delay } from "node:timers/promises";
import { retryDelayMs } from "../../jobs/backoff";
import { log } from "../../observability/logger.server";
import { type ApiCallRecorder, WarehouseApiError } from "../connector";
import { ProtocolShapeError, readProtocolError } from "./protocol";

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Backoff ceiling of the first retry; it doubles per retry up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A longer Retry-After is not waited out: the call fails as rate-limited for the caller to retry later. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 30_000 };
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface WarehouseHttpOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  recorder?: ApiCallRecorder;
  /** Waits between attempts; tests inject one to observe waits without spending them. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface WarehouseRequest {
  method: "GET" | "POST" | "DELETE";
  /** Path under the base URL, ids already encoded: "/v1/outbound-orders/ob_1/cancel". */
  path: string;
  /** The path with ids left as templates, so the recorder groups calls: "/v1/outbound-orders/{id}/cancel". */
  pathTemplate?: string;
  query?: Record<string, string | number | null | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * False when repeating the request after an unknown outcome (timeout, 5xx) could apply it twice;
   * such a request is retried only after a 429, which the protocol guarantees was not applied.
   */
  repeatable?: boolean;
  /** Overrides the policy's attempts for this call (a connection test should answer quickly). */
  maxAttempts?: number;
}

export interface WarehouseReply<T> {
  status: number;
  value: T;
}

export interface WarehouseHttpClient {
  /** Host (and port) of the warehouse, for messages: never the key, never a path. */
  readonly host: string;
  /** Sends the request; `read` turns the 2xx body into a value (a ProtocolShapeError fails the call). */
  send<T>(request: WarehouseRequest, read: (body: unknown) => T): Promise<WarehouseReply<T>>;
}

type Attempt<T> =
  | { kind: "ok"; status: number; value: T }
  | { kind: "failed"; error: WarehouseApiError; retry: "none" | "backoff" | "throttle"; waitMs?: number };

export function createWarehouseHttpClient(options: WarehouseHttpOptions): WarehouseHttpClient {
  const base = new URL(options.baseUrl);
  const root = base.href.replace(/\/+$/, "");
  const host = base.host;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const random = options.random ?? Math.random;

  function url(request: WarehouseRequest): string {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== null && value !== undefined) search.set(name, String(value));
    }
    const query = search.toString();
    return `${root}${request.path}${query ? `?${query}` : ""}`;
  }

  async function attempt<T>(request: WarehouseRequest, read: (body: unknown) => T): Promise<Attempt<T>> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const response = await fetch(url(request), {
        method: request.method,
        headers: {
          accept: "application/json",
          authorization: `Bearer ${options.apiKey}`,
          ...(request.body === undefined ? {} : { "content-type": "application/json" }),
          ...request.headers,
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: controller.signal,
      });
      status = response.status;
      retryAfter = response.headers.get("retry-after");
      // Still under the timer: a warehouse that sends headers and then stalls is a timeout too.
      text = await response.text();
    } catch (cause) {
      const error = controller.signal.aborted
        ? new WarehouseApiError(`The warehouse at ${host} did not answer within ${formatSeconds(timeoutMs)}.`, null, "timeout", true)
        : new WarehouseApiError(`Could not reach the warehouse at ${host}: ${networkProblem(cause)}.`, null, "unreachable", true);
      return { kind: "failed", error, retry: "backoff" };
    } finally {
      clearTimeout(timer);
    }

    const body = parseBody(text);
    if (status >= 200 && status < 300) {
      if (body === INVALID_JSON) {
        return { kind: "failed", error: unreadable(host, `${request.method} ${request.path} did not answer with JSON`, status), retry: "none" };
      }
      try {
        return { kind: "ok", status, value: read(body) };
      } catch (error) {
        if (!(error instanceof ProtocolShapeError)) throw error;
        return { kind: "failed", error: unreadable(host, `in its answer to ${request.method} ${request.pathTemplate ?? request.path}, ${error.message}`, status), retry: "none" };
      }
    }
    return failure(status, body, retryAfter);
  }

  function failure(status: number, body: unknown, retryAfter: string | null): Attempt<never> {
    const problem = readProtocolError(body);
    const code = problem?.code ?? null;
    if (status === 401) {
      return {
        kind: "failed",
        error: new WarehouseApiError("The warehouse refused the API key. Check the key in Settings > Warehouses.", 401, code ?? "unauthorized", false),
        retry: "none",
      };
    }
    if (status === 429) {
      const error = new WarehouseApiError(
        `The warehouse at ${host} is limiting how fast TallySync may call it (too many requests); calls go through again once its limit resets.`,
        429,
        code ?? "rate_limited",
        true,
      );
      return { kind: "failed", error, retry: "throttle", waitMs: retryAfterMs(retryAfter) ?? 1_000 };
    }
    const said = problem ? `: ${problem.message} (${problem.code}${problem.field ? `, field ${problem.field}` : ""})` : "";
    if (RETRIED_STATUSES.has(status)) {
      const error = new WarehouseApiError(`The warehouse at ${host} had a server error (HTTP ${status})${said}. It may be down or overloaded.`, status, code, true);
      return { kind: "failed", error, retry: "backoff", waitMs: retryAfterMs(retryAfter) ?? undefined };
    }
    if (!problem) {
      const error = new WarehouseApiError(
        `The warehouse at ${host} answered HTTP ${status} without a TallySync protocol error. Check the base URL in Settings > Warehouses.`,
        status,
        null,
        status >= 500,
      );
      return { kind: "failed", error, retry: "none" };
    }
    return { kind: "failed", error: new WarehouseApiError(`The warehouse at ${host} refused the request${said}.`, status, code, false), retry: "none" };
  }

  async function send<T>(request: WarehouseRequest, read: (body: unknown) => T): Promise<WarehouseReply<T>> {
    const operation = `${request.method} ${request.pathTemplate ?? request.path}`;
    const maxAttempts = Math.max(1, request.maxAttempts ?? policy.maxAttempts);
    const repeatable = request.repeatable ?? true;
    const started = performance.now();
    let throttleWaitMs = 0;
    const report = (outcome: "ok" | "error" | "throttled"): void => {
      options.recorder?.record({ operation, outcome, latencyMs: Math.round(performance.now() - started), throttleWaitMs });
    };

    for (let attemptNumber = 1; ; attemptNumber++) {
      const result = await attempt(request, read);
      if (result.kind === "ok") {
        report("ok");
        return { status: result.status, value: result.value };
      }
      const { error } = result;
      const wait = nextWait(result, attemptNumber);
      const canRetry =
        attemptNumber < maxAttempts &&
        wait !== null &&
        (result.retry === "throttle" || repeatable);
      if (!canRetry) {
        report(result.retry === "throttle" ? "throttled" : "error");
        log.warn("Warehouse call failed", { operation, host, attempts: attemptNumber, status: error.status, code: error.code, error: error.message });
        throw error;
      }
      log.info("Warehouse call will be retried", { operation, host, attempt: attemptNumber, status: error.status, code: error.code, waitMs: wait });
      if (result.retry === "throttle") throttleWaitMs += wait;
      await sleep(wait);
    }
  }

  /** Milliseconds to wait before the next attempt, or null when this failure is final. */
  function nextWait(result: Extract<Attempt<unknown>, { kind: "failed" }>, attemptNumber: number): number | null {
    if (result.retry === "none") return null;
    if (result.retry === "throttle") {
      const wait = result.waitMs ?? 1_000;
      return wait <= policy.maxRetryAfterMs ? wait : null;
    }
    const backoff = retryDelayMs(attemptNumber + 1, { baseMs: policy.baseDelayMs, maxMs: policy.maxDelayMs }, random);
    return Math.min(Math.max(backoff, result.waitMs ?? 0), policy.maxRetryAfterMs);
  }

  return { host, send };
}

const RETRIED_STATUSES = new Set([500, 502, 503, 504]);
const INVALID_JSON = Symbol("invalid json");

function parseBody(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return INVALID_JSON;
  }
}

function unreadable(host: string, problem: string, status: number): WarehouseApiError {
  return new WarehouseApiError(
    `The warehouse at ${host} sent an answer TallySync cannot read: ${problem}. Ask the warehouse to check its TallySync protocol implementation.`,
    status,
    "invalid_response",
    false,
  );
}

/** Retry-After is whole seconds in the protocol; an HTTP date is accepted as well. */
function retryAfterMs(header: string | null): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1_000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

function formatSeconds(ms: number): string {
  return ms >= 1_000 ? `${Math.round(ms / 1_000)} s` : `${ms} ms`;
}

/** Undici reports "fetch failed" and hides the reason in `cause.code`. */
function networkProblem(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = typeof cause === "object" && cause !== null && "code" in cause ? String((cause as { code: unknown }).code) : "";
  if (code === "ECONNREFUSED") return "the connection was refused (is the server running and the port right?)";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "the host name could not be found (check the base URL)";
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return "the connection was closed unexpectedly";
  if (code === "ETIMEDOUT" || code === "UND_ERR_CONNECT_TIMEOUT") return "the connection timed out";
  if (/CERT|SSL|TLS/i.test(code)) return "its TLS certificate was not accepted";
  return cause instanceof Error ? cause.message : String(cause);
}
