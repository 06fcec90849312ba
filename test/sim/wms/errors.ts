import type { ErrorCode } from "./protocol";

/** An error that becomes a protocol error response: `{"error":{"code","message",...}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly extra: { field?: string; details?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function invalid(field: string, message: string): ApiError {
  return new ApiError(400, "validation_error", `${field} ${message}`, { field });
}

export function notFound(what: string): ApiError {
  return new ApiError(404, "not_found", `${what} was not found`);
}
