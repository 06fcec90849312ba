import crypto from "node:crypto";
import {
  execute,
  getArgumentValues,
  getNullableType,
  getVariableValues,
  GraphQLError,
  isInputObjectType,
  isListType,
  Kind,
  parse,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { SINGLE_QUERY_MAX_COST } from "./bucket";
import type { ShopifyCore } from "./core";
import { actualQueryCost, requestedQueryCost, type CostContext } from "./cost";
import { fieldResolver, typeResolver } from "./execution";
import { rootValue } from "./resolvers";
import type { ShopState } from "./state";
import type { Ctx } from "./views";

export const RATE_LIMIT_DOCS = "https://shopify.dev/api/usage/rate-limits";
/** Every input array of the Admin API takes at most 250 items. */
export const MAX_INPUT_ARRAY = 250;

/** Inputs that must carry `changeFromQuantity` (explicit null allowed) from 2026-04. */
const CAS_INPUT_TYPES = ["InventoryQuantityInput", "InventoryChangeInput", "InventoryMoveQuantityTerminalInput", "InventorySetQuantityInput"];

export interface GraphQLHttpResult {
  status: number;
  body: unknown;
}

interface ShopifyErrorJson {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

function locs(err: GraphQLError) {
  return err.locations?.map((l) => ({ line: l.line, column: l.column }));
}

/** Path of field names from the operation to a node, as graphql-ruby reports it (["query", "shop", "foo"]). */
function astPath(doc: DocumentNode, target: unknown): string[] | undefined {
  let found: string[] | undefined;
  visit(doc, {
    enter(node, _key, _parent, _path, ancestors) {
      if (found || node !== target) return;
      const names: string[] = [];
      for (const a of [...ancestors, node]) {
        if (!a || Array.isArray(a) || typeof a !== "object" || !("kind" in a)) continue;
        if (a.kind === Kind.OPERATION_DEFINITION) names.push(a.name ? `${a.operation} ${a.name.value}` : a.operation);
        else if (a.kind === Kind.FRAGMENT_DEFINITION) names.push(`fragment ${a.name.value}`);
        else if (a.kind === Kind.FIELD) names.push(a.name.value);
      }
      found = names;
    },
  });
  return found;
}

/** graphql-js validation messages re-worded the way Shopify's graphql-ruby server words them. */
export function shopifyValidationError(doc: DocumentNode, err: GraphQLError): ShopifyErrorJson {
  const m = err.message;
  const path = err.nodes?.[0] ? astPath(doc, err.nodes[0]) : undefined;
  const base = { locations: locs(err), ...(path ? { path } : {}) };
  let r: RegExpExecArray | null;
  if ((r = /^Cannot query field "(\w+)" on type "(\w+)"/.exec(m))) {
    return { message: `Field '${r[1]}' doesn't exist on type '${r[2]}'`, ...base, extensions: { code: "undefinedField", typeName: r[2], fieldName: r[1] } };
  }
  if ((r = /^Unknown argument "(\w+)" on field "(\w+)\.(\w+)"/.exec(m))) {
    return { message: `Field '${r[3]}' doesn't accept argument '${r[1]}'`, ...base, extensions: { code: "argumentNotAccepted", name: r[3], typeName: "Field", argumentName: r[1] } };
  }
  if ((r = /^Field "(\w+)" argument "(\w+)" of type "([^"]+)" is required/.exec(m))) {
    return { message: `Field '${r[1]}' is missing required arguments: ${r[2]}`, ...base, extensions: { code: "missingRequiredArguments", className: "Field", name: r[1], arguments: r[2] } };
  }
  if ((r = /^Field "(\w+)" of type "([^"]+)" must have a selection of subfields/.exec(m))) {
    const type = r[2]!.replace(/[[\]!]/g, "");
    return { message: `Field must have selections (field '${r[1]}' returns ${type} but has no selections. Did you mean '${r[1]} { ... }'?)`, ...base, extensions: { code: "selectionMismatch", nodeName: `field '${r[1]}'`, typeName: type } };
  }
  if ((r = /^Field "(\w+)" must not have a selection since type "([^"]+)" has no subfields/.exec(m))) {
    return { message: `Selections can't be made on scalars (field '${r[1]}' returns ${r[2]} but has selections [...])`, ...base, extensions: { code: "selectionMismatch", nodeName: `field '${r[1]}'`, typeName: r[2] } };
  }
  if ((r = /^Variable "\$(\w+)" of type "([^"]+)" used in position expecting type "([^"]+)"/.exec(m))) {
    return { message: `Type mismatch on variable $${r[1]} and argument (${r[2]} / ${r[3]})`, ...base, extensions: { code: "variableMismatch", variableName: r[1], typeName: r[2] } };
  }
  if ((r = /^Unknown type "(\w+)"/.exec(m))) {
    return { message: `${r[1]} isn't a defined input type`, ...base, extensions: { code: "variableRequiresValidType", typeName: r[1] } };
  }
  if ((r = /^Variable "\$(\w+)" is never used/.exec(m))) {
    return { message: `Variable $${r[1]} is declared by anonymous query but not used`, ...base, extensions: { code: "variableNotUsed", variableName: r[1] } };
  }
  if ((r = /^Variable "\$(\w+)" is not defined/.exec(m))) {
    return { message: `Variable $${r[1]} is used by anonymous query but not declared`, ...base, extensions: { code: "variableNotDefined", variableName: r[1] } };
  }
  if ((r = /^Unknown directive "@(\w+)"/.exec(m))) {
    return { message: `Directive @${r[1]} is not defined`, ...base, extensions: { code: "undefinedDirective", directiveName: r[1] } };
  }
  if ((r = /^Argument "(\w+)" has invalid value (.*)\.$/s.exec(m)) || (r = /^Expected value of type "([^"]+)", found (.*?)[;.]/s.exec(m))) {
    return { message: `Argument '${r[1]}' has an invalid value (${r[2]}).`, ...base, extensions: { code: "argumentLiteralsIncompatible", typeName: "Argument", argumentName: r[1] } };
  }
  return { message: m, ...base, extensions: { code: "validationError" } };
}

interface ArgProblem {
  message: string;
  code: string;
  path: (string | number)[];
}

/** A field with arguments and its definition, in the order a TypeInfo visit of the document meets them. */
interface ArgumentField {
  node: FieldNode;
  def: GraphQLField<unknown, unknown>;
  /** No variable in its arguments: their values never change (see argumentValuesOf). */
  literalOnly: boolean;
  literalArgs?: Record<string, unknown>;
}

/**
 * Every field of the document (all its operations and fragments) that has arguments and a known
 * definition, in document order: what checkArguments' visit with TypeInfo used to find on each
 * request. Depends only on the schema and the document, so it is found once per checked document.
 */
export function argumentFields(schema: GraphQLSchema, doc: DocumentNode): ArgumentField[] {
  const typeInfo = new TypeInfo(schema);
  const found: ArgumentField[] = [];
  visit(
    doc,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const def = typeInfo.getFieldDef();
        if (!def || !node.arguments?.length) return;
        found.push({ node, def, literalOnly: !hasVariable(node) });
      },
    }),
  );
  return found;
}

/** Walks one argument value for checkArguments; stops at the first problem (kept in `found`). */
function walkArgumentValue(found: { problem: ArgProblem | null }, require2026: boolean, value: unknown, type: GraphQLInputType, path: (string | number)[]): void {
  if (found.problem || value === null || value === undefined) return;
  const t = getNullableType(type);
  if (isListType(t)) {
    if (Array.isArray(value)) {
      if (value.length > MAX_INPUT_ARRAY) {
        found.problem = { message: `The input array size of ${value.length} is greater than the maximum allowed of ${MAX_INPUT_ARRAY}.`, code: "MAX_INPUT_SIZE_EXCEEDED", path };
        return;
      }
      value.forEach((v, i) => walkArgumentValue(found, require2026, v, t.ofType as GraphQLInputType, [...path, i]));
    }
    return;
  }
  if (isInputObjectType(t) && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (require2026 && CAS_INPUT_TYPES.includes(t.name) && !Object.prototype.hasOwnProperty.call(obj, "changeFromQuantity")) {
      found.problem = { message: `${t.name} must include the following argument: changeFromQuantity`, code: "INVALID_FIELD_ARGUMENTS", path };
      return;
    }
    for (const [name, field] of Object.entries(t.getFields())) walkArgumentValue(found, require2026, obj[name], field.type, [...path, name]);
  }
}

/**
 * A field's argument values. Without a variable anywhere in its arguments they are the same on
 * every request (literals only), so they are resolved once and kept on the field; with one they
 * are resolved from this request's variables. A resolution that throws is not kept (it throws
 * again next time, as before).
 */
function argumentValuesOf(field: ArgumentField, variables: Record<string, unknown>): Record<string, unknown> {
  if (field.literalArgs) return field.literalArgs;
  const args = getArgumentValues(field.def, field.node, variables);
  if (field.literalOnly) field.literalArgs = args;
  return args;
}

function hasVariable(node: FieldNode): boolean {
  let found = false;
  for (const arg of node.arguments ?? []) {
    visit(arg.value, {
      Variable() {
        found = true;
      },
    });
  }
  return found;
}

/** Static checks on resolved arguments: the 250-item input limit and 2026-04's mandatory changeFromQuantity. */
export function checkArguments(schema: GraphQLSchema, doc: DocumentNode, variables: Record<string, unknown>, require2026: boolean, fields: readonly ArgumentField[] = argumentFields(schema, doc)): ArgProblem | null {
  const found: { problem: ArgProblem | null } = { problem: null };
  for (const field of fields) {
    if (found.problem) break;
    const args = argumentValuesOf(field, variables);
    for (const argDef of field.def.args) walkArgumentValue(found, require2026, args[argDef.name], argDef.type, [field.node.name.value, argDef.name]);
  }
  return found.problem;
}

function costContext(schema: GraphQLSchema, doc: DocumentNode, variables: Record<string, unknown>, flattened?: CostContext["flattened"]): CostContext {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  return { schema, fragments, variables, flattened };
}

function parseVersion(version: string): number {
  const m = /^(\d{4})-(\d{2})$/.exec(version);
  return m ? Number(m[1]) * 100 + Number(m[2]) : version === "unstable" ? 999999 : 0;
}

interface CheckedDocument {
  doc: DocumentNode;
  validationErrors: readonly GraphQLError[];
  /** Found on first use (valid documents only): see argumentFields. */
  argumentFields?: ArgumentField[];
  /** Requested cost per operation, kept only when it cannot depend on variables (see costReadsVariables). */
  requestedCost?: Map<OperationDefinitionNode, number>;
  costReadsVariables?: boolean;
  /** The document's selection sets with fragments flattened, for the cost rules (cost.ts). */
  flattened?: CostContext["flattened"];
}

// An app sends the same few operation texts over and over (variables carry what changes), and
// parsing and validating a text against a schema always gives the same answer: each text is
// checked once per schema. Bounded, oldest text dropped first.
const checkedDocuments = new WeakMap<GraphQLSchema, Map<string, CheckedDocument>>();
const CHECKED_DOCUMENTS_KEPT = 500;

function checkedDocument(schema: GraphQLSchema, query: string): CheckedDocument {
  let texts = checkedDocuments.get(schema);
  if (!texts) checkedDocuments.set(schema, (texts = new Map()));
  const known = texts.get(query);
  if (known) return known;
  const doc = parse(query); // a syntax error throws and is not kept
  const checked = { doc, validationErrors: validate(schema, doc) };
  if (texts.size >= CHECKED_DOCUMENTS_KEPT) texts.delete(texts.keys().next().value!);
  texts.set(query, checked);
  return checked;
}

/**
 * The requested cost reads variables only through connections' `first` / `last` arguments
 * (cost.ts argValue). A document where no such argument holds a variable has one requested cost
 * per operation whatever the variables: it is computed once and kept with the checked document.
 */
export function costReadsVariables(doc: DocumentNode): boolean {
  let reads = false;
  visit(doc, {
    Argument(node) {
      if (node.name.value !== "first" && node.name.value !== "last") return;
      visit(node.value, {
        Variable() {
          reads = true;
        },
      });
    },
  });
  return reads;
}

function requestedCostOf(checked: CheckedDocument, cctx: CostContext, op: OperationDefinitionNode): number {
  checked.costReadsVariables ??= costReadsVariables(checked.doc);
  if (checked.costReadsVariables) return requestedQueryCost(cctx, op);
  const known = (checked.requestedCost ??= new Map()).get(op);
  if (known !== undefined) return known;
  const cost = requestedQueryCost(cctx, op);
  checked.requestedCost.set(op, cost);
  return cost;
}

export async function handleGraphQL(core: ShopifyCore, schema: GraphQLSchema, shop: ShopState, apiVersion: string, rawBody: string): Promise<GraphQLHttpResult> {
  let body: { query?: unknown; variables?: unknown; operationName?: unknown };
  try {
    body = JSON.parse(rawBody || "{}");
  } catch {
    return { status: 400, body: { errors: { query: "Required parameter missing or invalid" } } };
  }
  if (typeof body.query !== "string" || !body.query.trim()) return { status: 400, body: { errors: { query: "Required parameter missing or invalid" } } };

  let checked: CheckedDocument;
  try {
    checked = checkedDocument(schema, body.query);
  } catch (err) {
    const e = err as GraphQLError;
    return { status: 200, body: { errors: [{ message: e.message.replace(/^Syntax Error: /, "syntax error, "), locations: locs(e) }] } };
  }
  const { doc, validationErrors } = checked;
  if (validationErrors.length) return { status: 200, body: { errors: validationErrors.map((e) => shopifyValidationError(doc, e)) } };

  const operations = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const opName = typeof body.operationName === "string" ? body.operationName : undefined;
  const op = opName ? operations.find((o) => o.name?.value === opName) : operations.length === 1 ? operations[0] : undefined;
  if (!op) {
    return { status: 200, body: { errors: [{ message: opName ? `No operation named "${opName}"` : "An operation name is required", extensions: { code: "OPERATION_NOT_FOUND" } }] } };
  }
  const rawVariables = body.variables && typeof body.variables === "object" ? (body.variables as Record<string, unknown>) : {};
  const coerced = getVariableValues(schema, op.variableDefinitions ?? [], rawVariables, { maxErrors: 10 });
  if (coerced.errors) {
    return {
      status: 200,
      body: {
        errors: coerced.errors.map((e) => {
          const name = /Variable "\$(\w+)"/.exec(e.message)?.[1] ?? "";
          const def = op.variableDefinitions?.find((d) => d.variable.name.value === name);
          const typeStr = def ? (def.type.loc ? body.query!.toString().slice(def.type.loc.start, def.type.loc.end) : "") : "";
          return {
            message: `Variable $${name} of type ${typeStr} was provided invalid value`,
            locations: locs(e),
            extensions: { code: "INVALID_VARIABLE", value: rawVariables[name] ?? null, problems: [{ path: [], explanation: e.message }] },
          };
        }),
      },
    };
  }
  const variables = coerced.coerced;

  const cctx = costContext(schema, doc, variables, (checked.flattened ??= new WeakMap()));
  const requested = requestedCostOf(checked, cctx, op);
  if (requested > SINGLE_QUERY_MAX_COST) {
    return {
      status: 200,
      body: {
        errors: [
          {
            message: `Query cost is ${requested}, which exceeds the single query max cost limit (${SINGLE_QUERY_MAX_COST}).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n`,
            extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: SINGLE_QUERY_MAX_COST, documentation: RATE_LIMIT_DOCS },
          },
        ],
        extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: shop.bucket.status() } },
      },
    };
  }
  if (core.faults.take("apiThrottle") || !shop.bucket.tryTake(requested)) {
    return {
      status: 200,
      body: {
        errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: RATE_LIMIT_DOCS } }],
        extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: shop.bucket.status() } },
      },
    };
  }

  const version = parseVersion(apiVersion);
  const inventory2026 = version >= 202604;
  const argProblem = checkArguments(schema, doc, variables, inventory2026, (checked.argumentFields ??= argumentFields(schema, doc)));
  if (argProblem) {
    shop.bucket.refund(requested);
    return {
      status: 200,
      body: {
        errors: [{ message: argProblem.message, path: argProblem.path.map(String), extensions: { code: argProblem.code } }],
        extensions: { cost: { requestedQueryCost: requested, actualQueryCost: 0, throttleStatus: shop.bucket.status() } },
      },
    };
  }

  const ctx: Ctx = { core, shop, apiVersion, inventory2026, bulk: false };
  const result = await execute({ schema, document: doc, rootValue, contextValue: ctx, variableValues: variables, operationName: op.name?.value, fieldResolver, typeResolver });
  const actual = actualQueryCost(cctx, op, result.data as Record<string, unknown> | null | undefined);
  shop.bucket.refund(requested - actual);
  const errors = result.errors?.map((e) => {
    const json = e.toJSON() as ShopifyErrorJson;
    return { message: json.message, locations: json.locations, path: json.path, ...(json.extensions && Object.keys(json.extensions).length ? { extensions: json.extensions } : {}) };
  });
  return {
    status: 200,
    body: {
      ...(errors?.length ? { errors } : {}),
      data: result.data ?? null,
      extensions: { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: shop.bucket.status() } },
    },
  };
}

export function requestId(): string {
  return crypto.randomUUID();
}
