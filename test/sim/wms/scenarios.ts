import type { WarehouseAccount } from "./account";
import { ApiError } from "./errors";
import type { FaultConfig } from "./faults";
import type { Simulation } from "./simulation";

/** What the warehouse floor can do; the same shapes drive scenarios, `/sim/.../actions` and tests. */
export type SimAction =
  | { action: "receive"; warehouse: string; sku: string; quantity: number; reference?: string }
  | { action: "damage"; warehouse: string; sku: string; quantity: number; reason?: string }
  | { action: "adjust"; warehouse: string; sku: string; delta: number; reason?: "cycle_count" | "found" | "lost" | "correction" | "other"; reference?: string }
  | { action: "acknowledge"; order: string }
  | { action: "pick"; order: string }
  | { action: "ship"; order: string; lines?: { sku: string; quantity: number }[]; carrier?: string; service?: string; tracking_number?: string }
  | { action: "update_tracking"; shipment: string; carrier?: string; tracking_number?: string; tracking_url?: string }
  | { action: "deliver"; shipment: string; delivered_at?: string }
  | { action: "exception"; order: string; code?: string; message?: string }
  | { action: "cancel"; order: string; reason?: string }
  | { action: "return"; warehouse: string; order?: string; rma?: string; lines: { sku: string; sellable: number; damaged: number }[] }
  | { action: "lose_webhook"; count?: number }
  | { action: "faults"; faults: FaultConfig }
  | { action: "expire_cursors" };

export type ScenarioStep = SimAction & {
  /** Wait before this step, counted from the previous step: "2s", "250ms", "1m" or milliseconds. */
  after?: string | number;
  /** Account to act on; defaults to the scenario's account. */
  account?: string;
};

export interface Scenario {
  name?: string;
  account?: string;
  steps: ScenarioStep[];
}

export interface StepResult {
  step: number;
  action: SimAction["action"];
  ok: boolean;
  result?: unknown;
  error?: string;
}

export function runAction(sim: Simulation, account: WarehouseAccount, action: SimAction): unknown {
  switch (action.action) {
    case "receive":
      account.receive(action.warehouse, action.sku, positive(action.quantity, "quantity"), action.reference ?? null);
      return account.level(action.warehouse, action.sku);
    case "damage":
      account.damage(action.warehouse, action.sku, positive(action.quantity, "quantity"), action.reason ?? null);
      return account.level(action.warehouse, action.sku);
    case "adjust": {
      const reference = action.reference ?? sim.nextId("sim-adj");
      account.adjust({ reference, reason: action.reason ?? "correction", note: null, lines: [{ sku: action.sku, warehouse: action.warehouse, delta: action.delta, bucket: "sellable" }] });
      return account.level(action.warehouse, action.sku);
    }
    case "acknowledge":
      return account.orders.acknowledge(action.order);
    case "pick":
      return account.orders.pick(action.order);
    case "ship":
      return account.orders.ship(action.order, action);
    case "update_tracking":
      return account.orders.updateTracking(action.shipment, action);
    case "deliver":
      if (typeof action.shipment !== "string" || action.shipment === "") throw new ApiError(400, "validation_error", "shipment must be a shipment id", { field: "shipment" });
      return account.orders.deliver(action.shipment, action.delivered_at);
    case "exception":
      return account.orders.raiseException(action.order, action.code ?? "warehouse_exception", action.message ?? "The warehouse flagged this order");
    case "cancel":
      return account.orders.cancel(action.order, action.reason ?? "Cancelled by the warehouse");
    case "return":
      return account.receiveReturn({ warehouse: action.warehouse, order: action.order ?? null, rma: action.rma ?? null, lines: action.lines });
    case "lose_webhook":
      sim.faults.dropNextWebhooks(action.count ?? 1);
      return null;
    case "faults":
      sim.faults.set(action.faults);
      return null;
    case "expire_cursors":
      account.expireMovementLog();
      return null;
    default: {
      const unknown: never = action;
      throw new ApiError(400, "validation_error", `Unknown simulator action ${JSON.stringify((unknown as { action?: unknown }).action)}`, { field: "action" });
    }
  }
}

function positive(value: number, field: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new ApiError(400, "validation_error", `${field} must be a positive integer`, { field });
  return value;
}

export function parseDuration(value: string | number | undefined): number {
  if (value === undefined) return 0;
  if (typeof value === "number") return value;
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m)$/.exec(value.trim());
  if (!match) throw new ApiError(400, "validation_error", `after must look like "250ms", "2s" or "1m", got ${JSON.stringify(value)}`, { field: "after" });
  const amount = Number(match[1]);
  return match[2] === "ms" ? amount : match[2] === "s" ? amount * 1000 : amount * 60_000;
}

export class ScenarioRun {
  readonly results: StepResult[] = [];
  readonly done: Promise<StepResult[]>;
  private position = 0;
  private timer: NodeJS.Timeout | null = null;
  private cancelled = false;
  private finish: (results: StepResult[]) => void = () => undefined;

  constructor(
    private readonly sim: Simulation,
    readonly scenario: Scenario,
    readonly manual: boolean,
  ) {
    this.done = new Promise((resolve) => (this.finish = resolve));
    for (const step of scenario.steps) parseDuration(step.after);
    if (!manual) this.schedule();
  }

  get finished(): boolean {
    return this.cancelled || this.position >= this.scenario.steps.length;
  }

  /** Runs the next step now, whatever its `after`: for tests that step through a story. */
  next(): StepResult | null {
    if (this.finished) return null;
    const index = this.position++;
    const step = this.scenario.steps[index];
    if (!step) return null;
    const { after: _after, account: accountId, ...action } = step;
    let result: StepResult;
    try {
      const account = this.sim.account(accountId ?? this.scenario.account ?? this.defaultAccount());
      result = { step: index, action: action.action, ok: true, result: runAction(this.sim, account, action as SimAction) };
    } catch (error) {
      result = { step: index, action: action.action, ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    this.results.push(result);
    if (this.finished) this.finish(this.results);
    return result;
  }

  cancel(): void {
    this.cancelled = true;
    if (this.timer) clearTimeout(this.timer);
    this.finish(this.results);
  }

  private schedule(): void {
    const step = this.scenario.steps[this.position];
    if (!step || this.cancelled) {
      this.finish(this.results);
      return;
    }
    this.timer = setTimeout(() => {
      this.next();
      this.schedule();
    }, parseDuration(step.after));
  }

  private defaultAccount(): string {
    const [first, ...rest] = this.sim.allAccounts();
    if (!first || rest.length > 0) throw new Error("The scenario must name an account when the simulator has several (or none)");
    return first.id;
  }
}

export class ScenarioRunner {
  private readonly runs: ScenarioRun[] = [];

  constructor(private readonly sim: Simulation) {}

  /** Starts a scenario on real timers, or with `{ manual: true }` steps only run when `next()` is called. */
  run(scenario: Scenario, options: { manual?: boolean } = {}): ScenarioRun {
    const run = new ScenarioRun(this.sim, scenario, options.manual ?? false);
    this.runs.push(run);
    return run;
  }

  cancelAll(): void {
    for (const run of this.runs) run.cancel();
    this.runs.length = 0;
  }
}

export interface AutoConfig {
  /** 0 acknowledges inside the create request; null leaves orders in `received` until told. */
  acknowledgeAfterMs: number | null;
  pickAfterMs: number | null;
  shipAfterMs: number | null;
  /** Counted from each shipment (however it shipped), not from the order; null never delivers on its own. */
  deliverAfterMs: number | null;
}

export const DEFAULT_AUTO: AutoConfig = { acknowledgeAfterMs: 0, pickAfterMs: null, shipAfterMs: null, deliverAfterMs: null };

/**
 * Moves new orders along on timers, like a busy warehouse floor; delays count from order creation,
 * except `deliverAfterMs`, which counts from each shipment.
 */
export class AutoPilot {
  private config: AutoConfig;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(config: Partial<AutoConfig> = {}) {
    this.config = { ...DEFAULT_AUTO, ...config };
  }

  configure(config: Partial<AutoConfig>): AutoConfig {
    this.config = { ...this.config, ...config };
    return this.current();
  }

  current(): AutoConfig {
    return { ...this.config };
  }

  acknowledgeOnCreate(): boolean {
    return this.config.acknowledgeAfterMs === 0;
  }

  onOrderCreated(account: WarehouseAccount, orderId: string): void {
    const { acknowledgeAfterMs, pickAfterMs, shipAfterMs } = this.config;
    if (acknowledgeAfterMs !== null && acknowledgeAfterMs > 0) this.later(acknowledgeAfterMs, () => account.orders.acknowledge(orderId));
    if (pickAfterMs !== null) this.later(pickAfterMs, () => account.orders.pick(orderId));
    if (shipAfterMs !== null) this.later(shipAfterMs, () => account.orders.ship(orderId));
  }

  /** Called for every new shipment; the delay is the one configured when the shipment left. */
  onShipped(account: WarehouseAccount, shipmentId: string): void {
    const { deliverAfterMs } = this.config;
    if (deliverAfterMs !== null) this.later(deliverAfterMs, () => account.orders.deliver(shipmentId));
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      try {
        run();
      } catch (error) {
        // The order moved on meanwhile (cancelled, shipped by hand, exception): nothing left to do.
        if (!(error instanceof ApiError)) throw error;
      }
    }, ms);
    this.timers.add(timer);
  }
}
