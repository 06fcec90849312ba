import { Kind, parse, validate, type OperationDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import { OPERATION_PURPOSE, OPERATIONS, operationName } from "~/shopify/operations";
import * as operationsModule from "~/shopify/operations";
import { loadAdminSchema } from "../../sim/shopify/schema";

// The guard: every GraphQL operation the app sends is valid against the Admin schema (2025-09
// unstable SDL plus the 2026 inventory changes), the same schema the simulator judges requests by.
const schema = loadAdminSchema();

/** Every exported `#graphql` string, whether or not someone remembered to list it in OPERATIONS. */
const exportedDocuments = Object.values(operationsModule as Record<string, unknown>).filter(
  (value): value is string => typeof value === "string" && value.trimStart().startsWith("#graphql"),
);

describe("GraphQL operations the app sends", () => {
  it("lists every exported operation", () => {
    expect(new Set(Object.values(OPERATIONS))).toEqual(new Set(exportedDocuments));
  });

  it.each(Object.entries(OPERATIONS))("%s parses and validates against the 2026 Admin schema", (name, document) => {
    const ast = parse(document);
    const operations = ast.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    expect(operations).toHaveLength(1);
    expect(operations[0]!.name?.value).toBe(name);
    expect(operationName(document)).toBe(name);
    expect(validate(schema, ast).map((e) => e.message)).toEqual([]);
  });

  it("inventory mutations carry an idempotency key and compare-and-swap quantities", () => {
    for (const document of [OPERATIONS.InventorySetQuantities, OPERATIONS.InventoryAdjustQuantities]) {
      expect(document).toMatch(/@idempotent\(key: \$idempotencyKey\)/);
      expect(document).toMatch(/\$idempotencyKey: String!/);
      expect(document).toMatch(/userErrors \{ code field message \}/);
    }
  });

  it("every operation has a purpose a merchant can read in an error", () => {
    const sent = Object.keys(OPERATIONS).filter((name) => name !== "CatalogBulk");
    expect(sent.filter((name) => !OPERATION_PURPOSE[name])).toEqual([]);
  });

  it("the schema check would catch a wrong field name", () => {
    const errors = validate(schema, parse(`query Bad { shop { name currency } }`));
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('Cannot query field "currency"')]);
  });
});
