import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "./errors";

export const MAX_BODY_BYTES = 1_000_000;

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route<C> {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** OpenAPI path template, e.g. `/v1/outbound-orders/{id}/cancel`. */
  path: string;
  handler: (ctx: C, params: Record<string, string>) => Reply | Promise<Reply>;
}

export type RouteMatch<C> =
  | { kind: "found"; route: Route<C>; params: Record<string, string> }
  | { kind: "method_not_allowed"; allowed: string[] }
  | { kind: "not_found" };

export function matchRoute<C>(routes: readonly Route<C>[], method: string, pathname: string): RouteMatch<C> {
  const allowed: string[] = [];
  for (const route of routes) {
    const params = matchPath(route.path, pathname);
    if (!params) continue;
    if (route.method === method) return { kind: "found", route, params };
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { kind: "method_not_allowed", allowed } : { kind: "not_found" };
}

function matchPath(template: string, pathname: string): Record<string, string> | null {
  const want = template.split("/");
  const got = pathname.replace(/\/+$/, "").split("/");
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? "";
    const g = got[i] ?? "";
    if (w.startsWith("{") && w.endsWith("}")) {
      if (g === "") return null;
      params[w.slice(1, -1)] = decodeURIComponent(g);
    } else if (w !== g) {
      return null;
    }
  }
  return params;
}

export async function readRawBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, "payload_too_large", `Request bodies are limited to ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** `undefined` for an empty body; handlers that need one report the missing field themselves. */
export function parseJson(raw: string): unknown {
  if (raw.trim() === "") return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new ApiError(400, "invalid_json", `The request body is not valid JSON: ${detail}`, { field: "body" });
  }
}

export function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  const body = reply.body === undefined ? "" : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...(body ? { "content-type": "application/json; charset=utf-8" } : {}),
    "content-length": Buffer.byteLength(body),
    ...reply.headers,
  });
  res.end(body);
}

export function errorReply(error: ApiError, requestId: string): Reply {
  const { field, details, headers } = error.extra;
  return {
    status: error.status,
    headers,
    body: {
      error: {
        code: error.code,
        message: error.message,
        ...(field !== undefined ? { field } : {}),
        ...(details !== undefined ? { details } : {}),
        request_id: requestId,
      },
    },
  };
}
