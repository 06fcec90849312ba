import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildSchema, type GraphQLSchema } from "graphql";

const SCHEMA_FILE = "admin_schema_unstable_2025-09-17.graphql";

/**
 * The 2026 inventory changes that the 2025-09 SDL predates (Shopify changelog, 2026-01 / 2026-04):
 * `changeFromQuantity` on every quantity input, the `@idempotent` directive, and the new userError codes.
 */
export const SCHEMA_2026_EXTENSIONS = /* GraphQL */ `
directive @idempotent(key: String!) on FIELD

extend input InventoryQuantityInput { changeFromQuantity: Int }
extend input InventoryChangeInput { changeFromQuantity: Int }
extend input InventoryMoveQuantityTerminalInput { changeFromQuantity: Int }
extend input InventorySetQuantityInput { changeFromQuantity: Int }

extend enum InventorySetQuantitiesUserErrorCode {
  CHANGE_FROM_QUANTITY_STALE IDEMPOTENCY_CONCURRENT_REQUEST IDEMPOTENCY_KEY_PARAMETER_MISMATCH IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED
}
extend enum InventoryAdjustQuantitiesUserErrorCode {
  CHANGE_FROM_QUANTITY_STALE IDEMPOTENCY_CONCURRENT_REQUEST IDEMPOTENCY_KEY_PARAMETER_MISMATCH IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED SERVICE_UNAVAILABLE
}
extend enum InventoryMoveQuantitiesUserErrorCode {
  CHANGE_FROM_QUANTITY_STALE IDEMPOTENCY_CONCURRENT_REQUEST IDEMPOTENCY_KEY_PARAMETER_MISMATCH IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED SERVICE_UNAVAILABLE
}
extend enum InventorySetOnHandQuantitiesUserErrorCode {
  CHANGE_FROM_QUANTITY_STALE IDEMPOTENCY_CONCURRENT_REQUEST IDEMPOTENCY_KEY_PARAMETER_MISMATCH IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED SERVICE_UNAVAILABLE
}
`;

/** Candidate locations of ../shared/shopify next to the checkout (repo root is three levels up). */
export function resolveSchemaPath(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const repoRoot = path.resolve(here, "../../..");
  const candidates = [
    process.env.SHOPIFY_ADMIN_SCHEMA_PATH,
    path.resolve(repoRoot, "../shared/shopify", SCHEMA_FILE),
    path.resolve(process.cwd(), "../shared/shopify", SCHEMA_FILE),
  ].filter((p): p is string => Boolean(p));
  for (const candidate of candidates) {
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`Shopify Admin schema not found; looked in: ${candidates.join(", ")}`);
}

let cached: GraphQLSchema | undefined;

/** Builds the Admin schema once per process (the SDL is ~3 MB, about 0.5 s to build). */
export function loadAdminSchema(): GraphQLSchema {
  if (cached) return cached;
  const sdl = fs.readFileSync(resolveSchemaPath(), "utf8");
  // The dump is Shopify's own and known to be valid; skipping SDL validation saves seconds.
  cached = buildSchema(`${sdl}\n${SCHEMA_2026_EXTENSIONS}`, { assumeValidSDL: true });
  return cached;
}
