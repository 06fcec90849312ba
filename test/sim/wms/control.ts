import type { AccountSeed, WarehouseAccount } from "./account";
import type { FaultConfig } from "./faults";
import type { Route } from "./http";
import type { RateLimiter } from "./rate-limit";
import { type AutoConfig, type AutoPilot, type Scenario, type ScenarioRunner, type SimAction, runAction } from "./scenarios";
import type { Simulation } from "./simulation";
import { arrayAt, objectAt, stringAt } from "./validate";

export interface ControlContext {
  sim: Simulation;
  auto: AutoPilot;
  scenarios: ScenarioRunner;
  rateLimit: RateLimiter;
  body: unknown;
  reset(): void;
}

/** Simulator-only endpoints for tests and the sandbox; not part of the protocol (see README.md). */
export const controlRoutes: readonly Route<ControlContext>[] = [
  { method: "GET", path: "/sim/health", handler: ({ sim }) => ({ status: 200, body: { ok: true, seed: sim.seed } }) },
  {
    method: "POST",
    path: "/sim/reset",
    handler: (ctx) => {
      ctx.reset();
      return { status: 204 };
    },
  },
  {
    method: "POST",
    path: "/sim/accounts",
    handler: ({ sim, body }) => {
      const input = objectAt(body, "body");
      arrayAt(input, "warehouses", "warehouses", { min: 1 });
      return { status: 201, body: describeAccount(sim.createAccount(input as unknown as AccountSeed)) };
    },
  },
  { method: "GET", path: "/sim/accounts/{account}", handler: ({ sim }, { account = "" }) => ({ status: 200, body: snapshot(sim.account(account)) }) },
  {
    method: "POST",
    path: "/sim/accounts/{account}/actions",
    handler: ({ sim, body }, { account = "" }) => {
      stringAt(objectAt(body, "body"), "action", "action");
      return { status: 200, body: { result: runAction(sim, sim.account(account), body as SimAction) ?? null } };
    },
  },
  {
    method: "POST",
    path: "/sim/scenarios",
    handler: ({ scenarios, body }) => {
      arrayAt(objectAt(body, "body"), "steps", "steps", { min: 1 });
      const run = scenarios.run(body as Scenario);
      return { status: 202, body: { name: run.scenario.name ?? null, steps: run.scenario.steps.length } };
    },
  },
  { method: "GET", path: "/sim/faults", handler: ({ sim }) => ({ status: 200, body: { faults: sim.faults.get(), stats: sim.faults.stats } }) },
  {
    method: "PUT",
    path: "/sim/faults",
    handler: ({ sim, body }) => {
      sim.faults.set(objectAt(body, "body") as FaultConfig);
      return { status: 200, body: { faults: sim.faults.get() } };
    },
  },
  { method: "GET", path: "/sim/auto", handler: ({ auto }) => ({ status: 200, body: auto.current() }) },
  { method: "PUT", path: "/sim/auto", handler: ({ auto, body }) => ({ status: 200, body: auto.configure(objectAt(body, "body") as Partial<AutoConfig>) }) },
  {
    method: "PUT",
    path: "/sim/rate-limit",
    handler: ({ rateLimit, body }) => {
      const input = objectAt(body, "body");
      const rps = input.requests_per_second;
      const burst = input.burst;
      rateLimit.configure(typeof rps === "number" && typeof burst === "number" ? { requestsPerSecond: rps, burst } : null);
      return { status: 200, body: { rate_limit: rateLimit.current() } };
    },
  },
  { method: "GET", path: "/sim/webhook-deliveries", handler: ({ sim }) => ({ status: 200, body: { data: sim.webhooks.deliveries() } }) },
];

function describeAccount(account: WarehouseAccount): unknown {
  return { id: account.id, name: account.name, api_key: account.apiKey, warehouses: [...account.warehouses.values()] };
}

function snapshot(account: WarehouseAccount): unknown {
  return {
    ...(describeAccount(account) as object),
    skus: [...account.skus.values()],
    inventory: account.levels(),
    orders: account.orders.list(),
    shipments: account.orders.shipments,
    returns: account.returns,
    sequence: account.currentSequence(),
  };
}
