// Shopify webhooks answered straight from node:http, before Express and Remix.
//
// Through remix-serve a webhook cost about 8 ms of CPU, of which the intake itself was 2 ms: the
// rest was Express, the Fetch API request adapter and Remix's pipeline. At a live stream's 200
// deliveries a second that is more than a core, and acknowledgement latency grows without bound.
// The production server (app/server.mjs) hands every POST to /webhooks/<topic> here; the Remix
// routes for the same paths stay, for `remix vite:dev` and for tests that call them directly.
import type { IncomingMessage, ServerResponse } from "node:http";
import { log } from "../observability/logger.server";
import { receiveWarehouseWebhook } from "../warehouses/intake.server";
import { takeShopifyWebhook, type IntakeOptions } from "./intake.server";
import { isWebhookTopic, type WebhookTopic } from "./topics";

/** Larger bodies are refused: Shopify's largest payloads (orders with many lines) are far below. */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** The topic a path serves (/webhooks/orders/create -> orders/create), if it is one of ours. */
export function topicOfPath(pathname: string): string | null {
  const match = /^\/webhooks\/([a-z_]+\/[a-z_]+)\/?$/.exec(pathname);
  return match && isWebhookTopic(match[1]!) ? match[1]! : null;
}

function answer(res: ServerResponse, status: number, message: string) {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": Buffer.byteLength(message) });
  res.end(message);
}

/** The connection a warehouse webhook path names (/webhooks/warehouse/<connection id>). */
export function warehouseConnectionOfPath(pathname: string): string | null {
  return /^\/webhooks\/warehouse\/([A-Za-z0-9_-]{1,64})\/?$/.exec(pathname)?.[1] ?? null;
}

/**
 * Handles the request and returns true when it is a webhook, from Shopify or from a warehouse;
 * false leaves it to Remix.
 */
export function handleWebhook(req: IncomingMessage, res: ServerResponse, options: IntakeOptions = {}): boolean {
  if (req.method !== "POST") return false;
  const pathname = (req.url ?? "/").split("?")[0]!;
  const topic = topicOfPath(pathname);
  const connectionId = topic ? null : warehouseConnectionOfPath(pathname);
  if (!topic && !connectionId) return false;
  readBody(req, res, (rawBody) => {
    if (connectionId) {
      // Warehouse deliveries: the same intake as the Remix route, without Express and Remix.
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === "string") headers.set(name, value);
        else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      }
      const request = new Request(`http://internal${pathname}`, { method: "POST", headers, body: rawBody });
      receiveWarehouseWebhook(request, connectionId).then(
        async (response) => answer(res, response.status, await response.text()),
        (error: unknown) => {
          log.error("Warehouse webhook could not be stored; the warehouse will retry it", { connectionId, error });
          answer(res, 500, "Not stored; please retry.");
        },
      );
      return;
    }
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
    };
    takeShopifyWebhook({ method: "POST", rawBody, header }, topic as WebhookTopic, options).then(
      ({ status, message }) => answer(res, status, message),
      (error: unknown) => {
        log.error("Webhook could not be stored; Shopify will retry it", { topic, error });
        answer(res, 500, "Not stored; please retry.");
      },
    );
  });
  return true;
}

function readBody(req: IncomingMessage, res: ServerResponse, then: (rawBody: string) => void) {
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  req.on("data", (chunk: Buffer) => {
    if (refused) return;
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      refused = true;
      answer(res, 413, "The body is larger than a Shopify webhook can be.");
      req.resume();
      return;
    }
    chunks.push(chunk);
  });
  req.on("end", () => {
    if (!refused) then(Buffer.concat(chunks).toString("utf8"));
  });
  req.on("error", () => {
    if (!res.headersSent) answer(res, 400, "The request body could not be read.");
  });
}
