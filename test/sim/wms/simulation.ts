import { type AccountSeed, type SimContext, WarehouseAccount } from "./account";
import { ApiError } from "./errors";
import { FaultInjector } from "./faults";
import type { WebhookEvent, WebhookTopic } from "./protocol";
import { SeededRandom } from "./random";
import { type WebhookDeliveryOptions, WebhookDispatcher } from "./webhooks";

export interface SimulationOptions {
  seed?: number;
  retainMovements?: number;
  webhooks?: WebhookDeliveryOptions;
  now?: () => Date;
}

/** All accounts of the simulated WMS, plus the services they share (ids, RNG, faults, webhooks). */
export class Simulation {
  readonly random: SeededRandom;
  readonly faults: FaultInjector;
  readonly webhooks: WebhookDispatcher;
  readonly seed: number;
  private readonly accounts = new Map<string, WarehouseAccount>();
  private readonly counters = new Map<string, number>();
  private readonly listeners: ((account: WarehouseAccount, topic: WebhookTopic, data: unknown) => void)[] = [];
  private readonly ctx: SimContext;

  constructor(options: SimulationOptions = {}) {
    this.seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
    this.random = new SeededRandom(this.seed);
    this.faults = new FaultInjector(new SeededRandom(this.seed ^ 0x5bd1e995));
    const now = options.now ?? (() => new Date());
    this.webhooks = new WebhookDispatcher(this.faults, now, options.webhooks);
    this.ctx = {
      now,
      nextId: (prefix) => this.nextId(prefix),
      randomToken: (length) => this.random.chars("abcdefghijklmnopqrstuvwxyz0123456789", length),
      retainMovements: options.retainMovements ?? 10_000,
      emit: (accountId, topic, data) => this.emit(accountId, topic, data),
    };
  }

  createAccount(seed: AccountSeed): WarehouseAccount {
    if (seed.id && this.accounts.has(seed.id)) throw new ApiError(409, "invalid_state", `Account ${seed.id} already exists`);
    const account = WarehouseAccount.fromSeed(seed, this.ctx);
    if (this.byApiKey(account.apiKey)) throw new ApiError(409, "invalid_state", `API key of account ${account.id} is already in use`);
    this.accounts.set(account.id, account);
    return account;
  }

  account(id: string): WarehouseAccount {
    const account = this.accounts.get(id);
    if (!account) throw new ApiError(404, "not_found", `Simulator account ${id} does not exist`);
    return account;
  }

  allAccounts(): WarehouseAccount[] {
    return [...this.accounts.values()];
  }

  byApiKey(apiKey: string): WarehouseAccount | null {
    for (const account of this.accounts.values()) if (account.apiKey === apiKey) return account;
    return null;
  }

  clearAccounts(): void {
    this.accounts.clear();
  }

  /** Every warehouse event as it happens, subscribed to or not (the auto pilot delivers shipments from here). */
  onEvent(listener: (account: WarehouseAccount, topic: WebhookTopic, data: unknown) => void): void {
    this.listeners.push(listener);
  }

  nextId(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return `${prefix}_${String(n).padStart(6, "0")}`;
  }

  private emit(accountId: string, topic: WebhookTopic, data: unknown): void {
    const account = this.accounts.get(accountId);
    if (!account) return;
    for (const listener of this.listeners) listener(account, topic, data);
    if (account.subscriptions.size === 0) return;
    const event: WebhookEvent = { id: this.nextId("evt"), topic, occurred_at: this.ctx.now().toISOString(), data };
    this.webhooks.publish(account.subscriptions.values(), event, accountId);
  }
}
