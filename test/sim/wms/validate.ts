import { invalid } from "./errors";

// Request validation: each check names the offending field with its JSON path, so a 400 tells the
// integrator exactly what to fix (`lines[2].quantity must be a positive integer`).

export type JsonObject = Record<string, unknown>;

export function objectAt(value: unknown, path: string): JsonObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalid(path, value === undefined ? "is required" : "must be a JSON object");
  }
  return value as JsonObject;
}

export function stringAt(obj: JsonObject, key: string, path: string, max = 255): string {
  const value = obj[key];
  if (value === undefined || value === null) throw invalid(path, "is required");
  if (typeof value !== "string" || value.trim() === "") throw invalid(path, "must be a non-empty string");
  if (value.length > max) throw invalid(path, `must be at most ${max} characters`);
  return value;
}

export function optionalStringAt(obj: JsonObject, key: string, path: string, max = 255): string | null {
  if (obj[key] === undefined || obj[key] === null) return null;
  return stringAt(obj, key, path, max);
}

export function integerAt(obj: JsonObject, key: string, path: string, opts: { min?: number; max?: number } = {}): number {
  const value = obj[key];
  if (value === undefined || value === null) throw invalid(path, "is required");
  if (typeof value !== "number" || !Number.isSafeInteger(value)) throw invalid(path, "must be an integer");
  if (opts.min !== undefined && value < opts.min) throw invalid(path, opts.min === 1 ? "must be a positive integer" : `must be at least ${opts.min}`);
  if (opts.max !== undefined && value > opts.max) throw invalid(path, `must be at most ${opts.max}`);
  return value;
}

export function arrayAt(obj: JsonObject, key: string, path: string, opts: { min?: number; max?: number } = {}): unknown[] {
  const value = obj[key];
  if (value === undefined || value === null) throw invalid(path, "is required");
  if (!Array.isArray(value)) throw invalid(path, "must be an array");
  if (opts.min !== undefined && value.length < opts.min) throw invalid(path, `must have at least ${opts.min} item${opts.min === 1 ? "" : "s"}`);
  if (opts.max !== undefined && value.length > opts.max) throw invalid(path, `must have at most ${opts.max} items`);
  return value;
}

export function oneOfAt<T extends string>(obj: JsonObject, key: string, path: string, allowed: readonly T[]): T {
  const value = stringAt(obj, key, path);
  if (!(allowed as readonly string[]).includes(value)) throw invalid(path, `must be one of ${allowed.join(", ")}`);
  return value as T;
}

export function queryInteger(query: URLSearchParams, key: string, fallback: number, min: number, max: number): number {
  const raw = query.get(key);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw)) throw invalid(key, "must be an integer");
  const value = Number(raw);
  if (value < min || value > max) throw invalid(key, `must be between ${min} and ${max}`);
  return value;
}
