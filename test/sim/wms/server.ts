import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { AccountSeed, WarehouseAccount } from "./account";
import { type ApiContext, apiRoutes, headerValue } from "./api";
import { type ControlContext, controlRoutes } from "./control";
import { ApiError } from "./errors";
import type { FaultConfig, FaultInjector } from "./faults";
import { type Reply, type Route, errorReply, matchRoute, parseJson, readRawBody, send } from "./http";
import type { Shipment } from "./protocol";
import { DEFAULT_RATE_LIMIT, type RateLimitConfig, RateLimiter } from "./rate-limit";
import { type AutoConfig, AutoPilot, ScenarioRunner, type SimAction, runAction } from "./scenarios";
import { Simulation } from "./simulation";
import type { WebhookDeliveryOptions, WebhookDispatcher } from "./webhooks";

export interface WmsSimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Same seed, same API keys, secrets, tracking numbers and probabilistic faults. */
  seed?: number;
  /** Per-account token bucket; `false` turns it off. Default 10 req/s, burst 20. */
  rateLimit?: RateLimitConfig | false;
  auto?: Partial<AutoConfig>;
  webhooks?: WebhookDeliveryOptions;
  faults?: FaultConfig;
  /** Movements kept per account for /v1/inventory/changes; older cursors get 410. */
  retainMovements?: number;
  accounts?: AccountSeed[];
  now?: () => Date;
}

export interface RouteInfo {
  method: string;
  path: string;
}

export interface WmsSimulator {
  url: string;
  port: number;
  seed: number;
  createAccount(seed: AccountSeed): WarehouseAccount;
  account(id: string): WarehouseAccount;
  accounts(): WarehouseAccount[];
  /** Runs one warehouse-floor action (receive, damage, ship, return, ...) on an account. */
  act(accountId: string, action: SimAction): unknown;
  faults: FaultInjector;
  rateLimit: RateLimiter;
  webhooks: WebhookDispatcher;
  scenarios: ScenarioRunner;
  auto: AutoPilot;
  routes: { api: readonly RouteInfo[]; control: readonly RouteInfo[] };
  /** Forgets accounts, faults, scenarios and pending auto actions; webhook history is kept. */
  reset(): void;
  stop(): Promise<void>;
}

export async function startWmsSimulator(options: WmsSimulatorOptions = {}): Promise<WmsSimulator> {
  const sim = new Simulation({ seed: options.seed, retainMovements: options.retainMovements, webhooks: options.webhooks, now: options.now });
  const rateLimit = new RateLimiter(options.rateLimit === false ? null : (options.rateLimit ?? DEFAULT_RATE_LIMIT));
  const auto = new AutoPilot(options.auto);
  const scenarios = new ScenarioRunner(sim);
  sim.onEvent((account, topic, data) => {
    if (topic === "shipment.created") auto.onShipped(account, (data as Shipment).id);
  });
  if (options.faults) sim.faults.set(options.faults);
  for (const seed of options.accounts ?? []) sim.createAccount(seed);

  const reset = (): void => {
    scenarios.cancelAll();
    auto.stop();
    sim.faults.clear();
    sim.clearAccounts();
    rateLimit.configure(rateLimit.current());
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      send(res, errorReply(new ApiError(500, "internal_error", error instanceof Error ? error.message : String(error)), "unknown"));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = sim.nextId("req");
    const url = new URL(req.url ?? "/", "http://simulator.invalid");
    const method = req.method ?? "GET";
    res.setHeader("x-request-id", requestId);
    try {
      if (url.pathname.startsWith("/sim/")) {
        const raw = await readRawBody(req);
        const ctx: ControlContext = { sim, auto, scenarios, rateLimit, body: parseJson(raw), reset };
        send(res, await dispatch(controlRoutes, method, url.pathname, ctx));
        return;
      }
      const reply = await handleApi(req, url, method, requestId);
      if (reply) send(res, reply);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      send(res, errorReply(error, requestId));
    }
  }

  /** Returns null when a hang fault swallows the request. */
  async function handleApi(req: IncomingMessage, url: URL, method: string, requestId: string): Promise<Reply | null> {
    const raw = await readRawBody(req);
    const latency = sim.faults.latencyMs();
    if (latency > 0) await sleep(latency);
    const fault = sim.faults.forRequest(method, url.pathname);
    // A hung request is never answered; stop() closes its connection.
    if (fault.kind === "hang") return null;
    if (fault.kind === "too_many_requests") throw rateLimited(fault.retryAfterSeconds, "Injected rate limit");
    if (fault.kind === "server_error") {
      const code = fault.status === 500 ? "internal_error" : "service_unavailable";
      throw new ApiError(fault.status, code, "Injected server error; retry with backoff");
    }

    const match = matchRoute(apiRoutes, method, url.pathname);
    if (match.kind === "not_found") throw new ApiError(404, "not_found", `No endpoint ${method} ${url.pathname}`);
    if (match.kind === "method_not_allowed") {
      throw new ApiError(405, "method_not_allowed", `${method} is not allowed on ${url.pathname}`, { headers: { allow: match.allowed.join(", ") } });
    }

    const account = authenticate(headerValue(req.headers, "authorization"));
    const decision = rateLimit.take(account.id);
    const limit = rateLimit.current();
    const limitHeaders: Record<string, string> = limit
      ? { "x-ratelimit-limit": String(limit.requestsPerSecond), "x-ratelimit-burst": String(limit.burst), "x-ratelimit-remaining": String(decision.remaining) }
      : {};
    if (!decision.allowed) throw rateLimited(decision.retryAfterSeconds, `Rate limit of ${limit?.requestsPerSecond} requests/s (burst ${limit?.burst}) exceeded for this account`, limitHeaders);

    const ctx: ApiContext = {
      account,
      query: url.searchParams,
      headers: req.headers,
      body: parseJson(raw),
      acknowledgeOnCreate: () => auto.acknowledgeOnCreate(),
      onOrderCreated: (acct, orderId) => auto.onOrderCreated(acct, orderId),
      newWebhookSecret: () => `whsec_${sim.random.chars("abcdefghijklmnopqrstuvwxyz0123456789", 32)}`,
    };
    let reply: Reply;
    try {
      reply = await match.route.handler(ctx, match.params);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      reply = errorReply(error, requestId);
    }
    return { ...reply, headers: { ...limitHeaders, ...reply.headers } };
  }

  function authenticate(header: string | null): WarehouseAccount {
    const token = /^Bearer\s+(\S+)$/i.exec(header ?? "")?.[1];
    const account = token ? sim.byApiKey(token) : null;
    if (!account) {
      throw new ApiError(401, "unauthorized", header ? "The API key is not valid" : "Send the API key as Authorization: Bearer <api key>", {
        headers: { "www-authenticate": 'Bearer realm="tallysync-wms"' },
      });
    }
    return account;
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? "127.0.0.1";

  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    seed: sim.seed,
    createAccount: (seed) => sim.createAccount(seed),
    account: (id) => sim.account(id),
    accounts: () => sim.allAccounts(),
    act: (accountId, action) => runAction(sim, sim.account(accountId), action),
    faults: sim.faults,
    rateLimit,
    webhooks: sim.webhooks,
    scenarios,
    auto,
    routes: { api: apiRoutes.map(routeInfo), control: controlRoutes.map(routeInfo) },
    reset,
    stop: async () => {
      reset();
      sim.webhooks.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function rateLimited(retryAfterSeconds: number, message: string, headers: Record<string, string> = {}): ApiError {
  return new ApiError(429, "rate_limited", `${message}; retry after ${retryAfterSeconds} s`, {
    headers: { ...headers, "retry-after": String(retryAfterSeconds) },
    details: { retry_after_seconds: retryAfterSeconds },
  });
}

async function dispatch<C>(routes: readonly Route<C>[], method: string, pathname: string, ctx: C): Promise<Reply> {
  const match = matchRoute(routes, method, pathname);
  if (match.kind === "not_found") throw new ApiError(404, "not_found", `No endpoint ${method} ${pathname}`);
  if (match.kind === "method_not_allowed") {
    throw new ApiError(405, "method_not_allowed", `${method} is not allowed on ${pathname}`, { headers: { allow: match.allowed.join(", ") } });
  }
  return match.route.handler(ctx, match.params);
}

function routeInfo<C>({ method, path }: Route<C>): RouteInfo {
  return { method, path };
}
