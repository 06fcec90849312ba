import {
  getNamedType,
  isObjectType,
  isInterfaceType,
  isUnionType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  Kind,
  valueFromASTUntyped,
} from "graphql";

/**
 * Calculated query cost, as documented at shopify.dev/docs/api/usage/rate-limits:
 * scalars and enums 0, objects 1, connections 2 + (first|last) x the cost of one item,
 * interfaces/unions like objects, every mutation field 10.
 */
export const MUTATION_FIELD_COST = 10;
export const CONNECTION_BASE_COST = 2;

export interface CostContext {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  /**
   * Flattened selection sets of this context's document, kept from one request to the next by
   * whoever owns the document (graphql-handler.ts keeps one per checked document): flattening
   * depends only on the selection set and the document's fragments.
   */
  flattened?: WeakMap<SelectionSetNode, FieldNode[]>;
}

type Data = Record<string, unknown> | null | undefined;

export function isConnectionType(type: GraphQLNamedType): boolean {
  if (!isObjectType(type) || !type.name.endsWith("Connection")) return false;
  const fields = type.getFields();
  return "pageInfo" in fields && ("edges" in fields || "nodes" in fields);
}

/** What the cost rules ask of a named type; a schema's types never change, so it is worked out once per type. */
interface TypeFacts {
  object: boolean;
  /** Object, interface or union: costs 1 (unless PageInfo). */
  composite: boolean;
  connection: boolean;
  fields: Record<string, GraphQLField<unknown, unknown>>;
}

const typeFacts = new WeakMap<GraphQLNamedType, TypeFacts>();
const NO_FIELDS: Record<string, GraphQLField<unknown, unknown>> = Object.freeze({}) as Record<string, GraphQLField<unknown, unknown>>;

function factsOf(type: GraphQLNamedType): TypeFacts {
  let facts = typeFacts.get(type);
  if (!facts) {
    const object = isObjectType(type);
    const withFields = object || isInterfaceType(type);
    facts = {
      object,
      composite: withFields || isUnionType(type),
      connection: isConnectionType(type),
      fields: withFields ? (type as GraphQLObjectType).getFields() : NO_FIELDS,
    };
    typeFacts.set(type, facts);
  }
  return facts;
}

/** getNamedType(field.type), once per field definition. */
const namedTypes = new WeakMap<GraphQLField<unknown, unknown>, GraphQLNamedType>();
function namedTypeOf(def: GraphQLField<unknown, unknown>): GraphQLNamedType {
  let named = namedTypes.get(def);
  if (!named) {
    named = getNamedType(def.type);
    namedTypes.set(def, named);
  }
  return named;
}

function fieldsOf(type: GraphQLNamedType): Record<string, GraphQLField<unknown, unknown>> {
  return factsOf(type).fields;
}

/** Flattens fragments into field nodes; fields of inline fragments on other types are kept (cost is an upper bound). */
function collectFields(ctx: CostContext, selectionSet: SelectionSetNode): readonly FieldNode[] {
  if (!ctx.flattened) return flatten(ctx, selectionSet, []);
  let fields = ctx.flattened.get(selectionSet);
  if (!fields) {
    fields = flatten(ctx, selectionSet, []);
    ctx.flattened.set(selectionSet, fields);
  }
  return fields;
}

function flatten(ctx: CostContext, selectionSet: SelectionSetNode, out: FieldNode[]): FieldNode[] {
  for (const sel of selectionSet.selections) {
    if (sel.kind === Kind.FIELD) out.push(sel);
    else if (sel.kind === Kind.INLINE_FRAGMENT) flatten(ctx, sel.selectionSet, out);
    else {
      const frag = ctx.fragments[sel.name.value];
      if (frag) flatten(ctx, frag.selectionSet, out);
    }
  }
  return out;
}

function argValue(ctx: CostContext, field: FieldNode, name: string): unknown {
  const arg = field.arguments?.find((a) => a.name.value === name);
  return arg ? valueFromASTUntyped(arg.value, ctx.variables) : undefined;
}

function lookupField(ctx: CostContext, parent: GraphQLNamedType, name: string, type: GraphQLCompositeType | null) {
  const direct = fieldsOf(parent)[name];
  if (direct) return direct;
  // Fields selected inside inline fragments on a union/interface member.
  if (type && (isUnionType(type) || isInterfaceType(type))) {
    for (const member of ctx.schema.getPossibleTypes(type)) {
      const f = member.getFields()[name];
      if (f) return f;
    }
  }
  return undefined;
}

/** Cost of one object selection (the object itself counts 1 unless it is free). */
function selectionCost(ctx: CostContext, parent: GraphQLNamedType, selectionSet: SelectionSetNode | undefined, data: Data, actual: boolean): number {
  if (!selectionSet) return 0;
  let total = 0;
  for (const field of collectFields(ctx, selectionSet)) {
    const name = field.name.value;
    if (name.startsWith("__")) continue;
    const def = lookupField(ctx, parent, name, factsOf(parent).object ? null : (parent as GraphQLCompositeType));
    if (!def) continue;
    const key = field.alias?.value ?? name;
    const value = data ? data[key] : undefined;
    if (actual && data && (value === null || value === undefined)) continue;
    total += fieldCost(ctx, field, def, value, actual);
  }
  return total;
}

function fieldCost(ctx: CostContext, field: FieldNode, def: GraphQLField<unknown, unknown>, value: unknown, actual: boolean): number {
  const named = namedTypeOf(def);
  const facts = factsOf(named);
  if (!facts.composite) return 0;
  if (named.name === "PageInfo") return 0;
  if (facts.connection) return connectionCost(ctx, field, named, value as Data, actual);
  if (!actual) return 1 + selectionCost(ctx, named, field.selectionSet, undefined, false);
  // Plain lists (not connections) cost like one object: 1 plus the dearest element's selection.
  const items = Array.isArray(value) ? value : [value];
  return 1 + items.reduce<number>((max, item) => Math.max(max, selectionCost(ctx, named, field.selectionSet, item as Data, true)), 0);
}

function connectionCost(ctx: CostContext, field: FieldNode, type: GraphQLNamedType, value: Data, actual: boolean): number {
  const sel = field.selectionSet;
  if (!sel) return CONNECTION_BASE_COST;
  const connFields = fieldsOf(type);
  let perItem = 0;
  let actualTotal = 0;
  for (const sub of collectFields(ctx, sel)) {
    const key = sub.alias?.value ?? sub.name.value;
    const subValue = value ? (value[key] as unknown) : undefined;
    if (sub.name.value === "nodes" && connFields.nodes) {
      const nodeType = namedTypeOf(connFields.nodes);
      perItem = Math.max(perItem, 1 + selectionCost(ctx, nodeType, sub.selectionSet, undefined, false));
      if (actual && Array.isArray(subValue)) {
        actualTotal = Math.max(actualTotal, subValue.reduce<number>((acc, n) => acc + 1 + selectionCost(ctx, nodeType, sub.selectionSet, n as Data, true), 0));
      }
    } else if (sub.name.value === "edges" && connFields.edges && sub.selectionSet) {
      const edgeType = namedTypeOf(connFields.edges);
      const nodeField = fieldsOf(edgeType).node;
      if (!nodeField) continue;
      const nodeType = namedTypeOf(nodeField);
      for (const edgeSub of collectFields(ctx, sub.selectionSet)) {
        if (edgeSub.name.value !== "node") continue;
        const nodeKey = edgeSub.alias?.value ?? "node";
        perItem = Math.max(perItem, 1 + selectionCost(ctx, nodeType, edgeSub.selectionSet, undefined, false));
        if (actual && Array.isArray(subValue)) {
          actualTotal = Math.max(
            actualTotal,
            subValue.reduce<number>((acc, e) => acc + 1 + selectionCost(ctx, nodeType, edgeSub.selectionSet, (e as Record<string, unknown>)?.[nodeKey] as Data, true), 0),
          );
        }
      }
    }
  }
  if (actual) return CONNECTION_BASE_COST + actualTotal;
  const first = argValue(ctx, field, "first");
  const last = argValue(ctx, field, "last");
  const multiplier = typeof first === "number" ? first : typeof last === "number" ? last : 0;
  return CONNECTION_BASE_COST + multiplier * perItem;
}

function rootCost(ctx: CostContext, op: OperationDefinitionNode, data: Data, actual: boolean): number {
  if (op.operation === "mutation") {
    return collectFields(ctx, op.selectionSet).filter((f) => !f.name.value.startsWith("__")).length * MUTATION_FIELD_COST;
  }
  const root = op.operation === "query" ? ctx.schema.getQueryType() : ctx.schema.getSubscriptionType();
  if (!root) return 0;
  return selectionCost(ctx, root, op.selectionSet, data, actual);
}

export function requestedQueryCost(ctx: CostContext, op: OperationDefinitionNode): number {
  return rootCost(ctx, op, undefined, false);
}

/** Cost of what was actually returned: connections count the items present in the response. */
export function actualQueryCost(ctx: CostContext, op: OperationDefinitionNode, data: Data): number {
  if (data === null || data === undefined) return op.operation === "mutation" ? rootCost(ctx, op, undefined, false) : 0;
  return rootCost(ctx, op, data, true);
}
