import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseYamlSubset } from "./mini-yaml";

// Checks simulator traffic against docs/warehouse-protocol.openapi.yaml: the status must be
// documented for the operation and the JSON body must satisfy the documented schema. This keeps the
// document and the simulator from drifting apart.

export const SPEC_PATH = fileURLToPath(new URL("../../../docs/warehouse-protocol.openapi.yaml", import.meta.url));

type Json = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: string;
  info: Json & { description: string };
  paths: Record<string, Record<string, Json>>;
  webhooks: Record<string, Record<string, Json>>;
  components: Json & { schemas: Record<string, Json> };
}

let cached: OpenApiDocument | null = null;

export function loadSpec(): OpenApiDocument {
  cached ??= parseYamlSubset(readFileSync(SPEC_PATH, "utf8")) as OpenApiDocument;
  return cached;
}

export function resolveRef(spec: unknown, ref: string): unknown {
  if (!ref.startsWith("#/")) throw new Error(`only local $refs are supported: ${ref}`);
  let node: unknown = spec;
  for (const raw of ref.slice(2).split("/")) {
    const part = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, part)) throw new Error(`unresolved $ref ${ref}`);
    node = (node as Json)[part];
  }
  return node;
}

function deref(spec: OpenApiDocument, node: unknown): Json {
  let current = node as Json;
  while (typeof current?.$ref === "string") current = resolveRef(spec, current.$ref) as Json;
  return current;
}

/** The documented path template that a concrete request path falls under. */
export function findPathTemplate(spec: OpenApiDocument, pathname: string): string | null {
  for (const template of Object.keys(spec.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
    if (pattern.test(pathname)) return template;
  }
  return null;
}

/** Returns problems (empty when the response matches the document). */
export function checkResponse(method: string, pathname: string, status: number, body: unknown): string[] {
  const spec = loadSpec();
  const template = findPathTemplate(spec, pathname);
  if (!template) return [`${pathname} is not a documented path`];
  const operation = spec.paths[template]?.[method.toLowerCase()] as Json | undefined;
  if (!operation) return [`${method} ${template} is not documented`];
  const responses = (operation.responses as Json | undefined) ?? {};
  const response = responses[String(status)] ?? responses[`${String(status)[0]}XX`];
  if (!response) return [`${method} ${template} does not document status ${status}`];
  const schema = (deref(spec, response).content as Json | undefined)?.["application/json"] as Json | undefined;
  if (!schema?.schema) return body === undefined || body === null ? [] : [`${method} ${template} ${status} documents no body`];
  return validateSchema(spec, schema.schema, body, "$");
}

export function checkWebhookBody(topic: string, body: unknown): string[] {
  const spec = loadSpec();
  const operation = spec.webhooks[topic]?.post as Json | undefined;
  if (!operation) return [`webhook ${topic} is not documented`];
  const content = deref(spec, operation.requestBody).content as Json;
  const media = content["application/json"] as Json;
  return validateSchema(spec, media.schema, body, "$");
}

/** A JSON Schema (2020-12) subset: the keywords the protocol document uses. */
export function validateSchema(spec: OpenApiDocument, rawSchema: unknown, value: unknown, path: string): string[] {
  const schema = deref(spec, rawSchema);
  const problems: string[] = [];
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => hasType(value, t))) return [`${path}: expected ${types.join(" | ")}, got ${JSON.stringify(value)}`];
  }
  if (schema.const !== undefined && value !== schema.const) problems.push(`${path}: expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) problems.push(`${path}: ${JSON.stringify(value)} is not one of ${schema.enum.join(", ")}`);
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) problems.push(`${path}: ${value} < minimum ${schema.minimum}`);
    if (typeof schema.maximum === "number" && value > schema.maximum) problems.push(`${path}: ${value} > maximum ${schema.maximum}`);
  }
  if (typeof value === "string") {
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern).test(value)) problems.push(`${path}: ${value} does not match ${schema.pattern}`);
    if (typeof schema.minLength === "number" && value.length < schema.minLength) problems.push(`${path}: shorter than ${schema.minLength}`);
    if (typeof schema.maxLength === "number" && value.length > schema.maxLength) problems.push(`${path}: longer than ${schema.maxLength}`);
    if (schema.format === "date-time" && Number.isNaN(Date.parse(value))) problems.push(`${path}: ${value} is not a date-time`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) problems.push(`${path}: fewer than ${schema.minItems} items`);
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) problems.push(`${path}: more than ${schema.maxItems} items`);
    if (schema.items) value.forEach((item, i) => problems.push(...validateSchema(spec, schema.items, item, `${path}[${i}]`)));
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const obj = value as Json;
    for (const key of (schema.required as string[] | undefined) ?? []) {
      if (!Object.hasOwn(obj, key)) problems.push(`${path}: missing required ${key}`);
    }
    const properties = (schema.properties as Json | undefined) ?? {};
    for (const [key, child] of Object.entries(obj)) {
      if (Object.hasOwn(properties, key)) problems.push(...validateSchema(spec, properties[key], child, `${path}.${key}`));
      else if (schema.additionalProperties === false) problems.push(`${path}: unexpected property ${key}`);
    }
  }
  for (const sub of (schema.allOf as unknown[] | undefined) ?? []) problems.push(...validateSchema(spec, sub, value, path));
  if (Array.isArray(schema.oneOf)) {
    const passing = schema.oneOf.filter((sub) => validateSchema(spec, sub, value, path).length === 0).length;
    if (passing !== 1) problems.push(`${path}: matches ${passing} of the oneOf schemas, expected exactly 1`);
  }
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some((sub) => validateSchema(spec, sub, value, path).length === 0)) {
    problems.push(`${path}: matches none of the anyOf schemas`);
  }
  return problems;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "null":
      return value === null;
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number";
    case "array":
      return Array.isArray(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    default:
      return typeof value === type;
  }
}
