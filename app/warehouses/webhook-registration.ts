// Connecting a warehouse that pushes webhooks means subscribing the app's callback URL and storing
// the secret it signs with. Not every provider can be subscribed through its API (some are set up
// in the vendor's dashboard), so this sits beside WarehouseConnector rather than inside it.
import type { WarehouseConnector, WarehouseEventTopic } from "./connector";

export interface WarehouseWebhookSubscription {
  id: string;
  url: string;
  topics: WarehouseEventTopic[];
}

export interface WebhookRegistration {
  /**
   * Subscribes `url` to `topics` (every topic by default) and returns the signing secret, which the
   * warehouse shows only once: store it with the connection's credentials.
   */
  registerWebhook(url: string, topics?: WarehouseEventTopic[]): Promise<WarehouseWebhookSubscription & { secret: string }>;
  listWebhooks(): Promise<WarehouseWebhookSubscription[]>;
  deleteWebhook(id: string): Promise<void>;
}

export function canRegisterWebhooks(connector: WarehouseConnector): connector is WarehouseConnector & WebhookRegistration {
  return "registerWebhook" in connector && typeof (connector as Partial<WebhookRegistration>).registerWebhook === "function";
}
