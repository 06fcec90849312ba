// What the Shopify simulator keeps between requests to spend less CPU (argument checks and
// requested cost per checked document, flattened selections and type facts for the cost rules,
// resolved webhook URLs, payloads built only for subscribed topics, view fields built only when
// selected) answers exactly as working everything out again on each request did, also after the
// shop's state changed.
import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  isUnionType,
  Kind,
  parse,
  TypeInfo,
  valueFromASTUntyped,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import * as ops from "../../../app/shopify/operations";
import { actualQueryCost, requestedQueryCost, type CostContext } from "./cost";
import { argumentFields, checkArguments, costReadsVariables, MAX_INPUT_ARRAY } from "./graphql-handler";
import { fulfillmentPayload } from "./payloads";
import { loadAdminSchema } from "./schema";
import { SHOP, startFixture, type Fixture } from "./test-helpers";

// ---- the per-request computations as they were, to compare with ---------------------------------

const CAS_INPUT_TYPES = ["InventoryQuantityInput", "InventoryChangeInput", "InventoryMoveQuantityTerminalInput", "InventorySetQuantityInput"];

function checkArgumentsByVisit(schema: GraphQLSchema, doc: DocumentNode, variables: Record<string, unknown>, require2026: boolean) {
  const typeInfo = new TypeInfo(schema);
  let problem: { message: string; code: string; path: (string | number)[] } | null = null;
  const walkValue = (value: unknown, type: GraphQLInputType, path: (string | number)[]) => {
    if (problem || value === null || value === undefined) return;
    const t = getNullableType(type);
    if (isListType(t)) {
      if (Array.isArray(value)) {
        if (value.length > MAX_INPUT_ARRAY) {
          problem = { message: `The input array size of ${value.length} is greater than the maximum allowed of ${MAX_INPUT_ARRAY}.`, code: "MAX_INPUT_SIZE_EXCEEDED", path };
          return;
        }
        value.forEach((v, i) => walkValue(v, t.ofType as GraphQLInputType, [...path, i]));
      }
      return;
    }
    if (isInputObjectType(t) && typeof value === "object") {
      const obj = value as Record<string, unknown>;
      if (require2026 && CAS_INPUT_TYPES.includes(t.name) && !Object.prototype.hasOwnProperty.call(obj, "changeFromQuantity")) {
        problem = { message: `${t.name} must include the following argument: changeFromQuantity`, code: "INVALID_FIELD_ARGUMENTS", path };
        return;
      }
      for (const [name, field] of Object.entries(t.getFields())) walkValue(obj[name], field.type, [...path, name]);
    }
  };
  visit(
    doc,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        if (problem) return;
        const def = typeInfo.getFieldDef();
        if (!def || !node.arguments?.length) return;
        const args = getArgumentValues(def, node, variables);
        for (const argDef of def.args) walkValue(args[argDef.name], argDef.type, [node.name.value, argDef.name]);
      },
    }),
  );
  return problem;
}

/** cost.ts before its per-document and per-type memos. */
const referenceCost = (() => {
  type Data = Record<string, unknown> | null | undefined;
  const isConnectionType = (type: GraphQLNamedType) => {
    if (!isObjectType(type) || !type.name.endsWith("Connection")) return false;
    const fields = type.getFields();
    return "pageInfo" in fields && ("edges" in fields || "nodes" in fields);
  };
  const fieldsOf = (type: GraphQLNamedType): Record<string, GraphQLField<unknown, unknown>> => (isObjectType(type) || isInterfaceType(type) ? type.getFields() : {});
  const collectFields = (ctx: CostContext, selectionSet: SelectionSetNode, out: FieldNode[] = []): FieldNode[] => {
    for (const sel of selectionSet.selections) {
      if (sel.kind === Kind.FIELD) out.push(sel);
      else if (sel.kind === Kind.INLINE_FRAGMENT) collectFields(ctx, sel.selectionSet, out);
      else {
        const frag = ctx.fragments[sel.name.value];
        if (frag) collectFields(ctx, frag.selectionSet, out);
      }
    }
    return out;
  };
  const argValue = (ctx: CostContext, field: FieldNode, name: string) => {
    const arg = field.arguments?.find((a) => a.name.value === name);
    return arg ? valueFromASTUntyped(arg.value, ctx.variables) : undefined;
  };
  const lookupField = (ctx: CostContext, parent: GraphQLNamedType, name: string, type: GraphQLCompositeType | null) => {
    const direct = fieldsOf(parent)[name];
    if (direct) return direct;
    if (type && (isUnionType(type) || isInterfaceType(type))) {
      for (const member of ctx.schema.getPossibleTypes(type)) {
        const f = member.getFields()[name];
        if (f) return f;
      }
    }
    return undefined;
  };
  const selectionCost = (ctx: CostContext, parent: GraphQLNamedType, selectionSet: SelectionSetNode | undefined, data: Data, actual: boolean): number => {
    if (!selectionSet) return 0;
    let total = 0;
    for (const field of collectFields(ctx, selectionSet)) {
      const name = field.name.value;
      if (name.startsWith("__")) continue;
      const def = lookupField(ctx, parent, name, isObjectType(parent) ? null : (parent as GraphQLCompositeType));
      if (!def) continue;
      const key = field.alias?.value ?? name;
      const value = data ? data[key] : undefined;
      if (actual && data && (value === null || value === undefined)) continue;
      total += fieldCost(ctx, field, def, value, actual);
    }
    return total;
  };
  const fieldCost = (ctx: CostContext, field: FieldNode, def: GraphQLField<unknown, unknown>, value: unknown, actual: boolean): number => {
    const named = getNamedType(def.type);
    if (!isObjectType(named) && !isInterfaceType(named) && !isUnionType(named)) return 0;
    if (named.name === "PageInfo") return 0;
    if (isConnectionType(named)) return connectionCost(ctx, field, named, value as Data, actual);
    if (!actual) return 1 + selectionCost(ctx, named, field.selectionSet, undefined, false);
    const items = Array.isArray(value) ? value : [value];
    return 1 + items.reduce<number>((max, item) => Math.max(max, selectionCost(ctx, named, field.selectionSet, item as Data, true)), 0);
  };
  const connectionCost = (ctx: CostContext, field: FieldNode, type: GraphQLNamedType, value: Data, actual: boolean): number => {
    const sel = field.selectionSet;
    if (!sel) return 2;
    const connFields = fieldsOf(type);
    let perItem = 0;
    let actualTotal = 0;
    for (const sub of collectFields(ctx, sel)) {
      const key = sub.alias?.value ?? sub.name.value;
      const subValue = value ? (value[key] as unknown) : undefined;
      if (sub.name.value === "nodes" && connFields.nodes) {
        const nodeType = getNamedType(connFields.nodes.type);
        perItem = Math.max(perItem, 1 + selectionCost(ctx, nodeType, sub.selectionSet, undefined, false));
        if (actual && Array.isArray(subValue)) actualTotal = Math.max(actualTotal, subValue.reduce<number>((acc, n) => acc + 1 + selectionCost(ctx, nodeType, sub.selectionSet, n as Data, true), 0));
      } else if (sub.name.value === "edges" && connFields.edges && sub.selectionSet) {
        const edgeType = getNamedType(connFields.edges.type);
        const nodeField = fieldsOf(edgeType).node;
        if (!nodeField) continue;
        const nodeType = getNamedType(nodeField.type);
        for (const edgeSub of collectFields(ctx, sub.selectionSet)) {
          if (edgeSub.name.value !== "node") continue;
          const nodeKey = edgeSub.alias?.value ?? "node";
          perItem = Math.max(perItem, 1 + selectionCost(ctx, nodeType, edgeSub.selectionSet, undefined, false));
          if (actual && Array.isArray(subValue)) {
            actualTotal = Math.max(actualTotal, subValue.reduce<number>((acc, e) => acc + 1 + selectionCost(ctx, nodeType, edgeSub.selectionSet, (e as Record<string, unknown>)?.[nodeKey] as Data, true), 0));
          }
        }
      }
    }
    if (actual) return 2 + actualTotal;
    const first = argValue(ctx, field, "first");
    const last = argValue(ctx, field, "last");
    const multiplier = typeof first === "number" ? first : typeof last === "number" ? last : 0;
    return 2 + multiplier * perItem;
  };
  const rootCost = (ctx: CostContext, op: OperationDefinitionNode, data: Data, actual: boolean): number => {
    if (op.operation === "mutation") return collectFields(ctx, op.selectionSet).filter((f) => !f.name.value.startsWith("__")).length * 10;
    const root = op.operation === "query" ? ctx.schema.getQueryType() : ctx.schema.getSubscriptionType();
    if (!root) return 0;
    return selectionCost(ctx, root, op.selectionSet, data, actual);
  };
  return {
    requested: (ctx: CostContext, op: OperationDefinitionNode) => rootCost(ctx, op, undefined, false),
    actual: (ctx: CostContext, op: OperationDefinitionNode, data: Data) => (data === null || data === undefined ? (op.operation === "mutation" ? rootCost(ctx, op, undefined, false) : 0) : rootCost(ctx, op, data, true)),
  };
})();

function contextFor(schema: GraphQLSchema, doc: DocumentNode, variables: Record<string, unknown>, flattened?: CostContext["flattened"]): CostContext {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  return { schema, fragments, variables, flattened };
}

const operationsOf = (doc: DocumentNode) => doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);

// ---- a live simulator ----------------------------------------------------------------------------

let fx: Fixture;
let serviceLocation = "";
beforeAll(async () => {
  fx = await startFixture();
  const res = await gql(`mutation($url: URL!) { fulfillmentServiceCreate(name: "Cache 3PL", callbackUrl: $url, inventoryManagement: true) { fulfillmentService { location { id } } } }`, { url: `${fx.receiver.url}/fs/cache` });
  serviceLocation = res.body.data.fulfillmentServiceCreate.fulfillmentService.location.id;
});
afterAll(() => fx.close());
beforeEach(() => {
  fx.sim.faults.reset();
  fx.sim.state.setPlan(fx.sim.shop(SHOP), "enterprise");
});

async function post(body: Record<string, unknown>, version = "2026-07") {
  const res = await fetch(fx.sim.graphqlUrl(SHOP, version), { method: "POST", headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": fx.token }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}
const gql = (query: string, variables: Record<string, unknown> = {}, version?: string) => post({ query, variables }, version);

const itemId = () => fx.items[0]!.inventoryItemId;

describe("argument checks found once per document", () => {
  const schema = loadAdminSchema();
  const quantities = (n: number, withChangeFrom = true) =>
    Array.from({ length: n }, (_, i) => ({ inventoryItemId: `gid://shopify/InventoryItem/${i + 1}`, locationId: "gid://shopify/Location/1", quantity: i, ...(withChangeFrom ? { changeFromQuantity: null } : {}) }));
  const literalList = (n: number) => `[${Array.from({ length: n }, (_, i) => `{ inventoryItemId: "gid://shopify/InventoryItem/${i + 1}", locationId: "gid://shopify/Location/1", quantity: ${i} }`).join(", ")}]`;
  const documents = [
    ops.INVENTORY_SET_QUANTITIES,
    ops.INVENTORY_ADJUST_QUANTITIES,
    ops.FULFILLMENT_ORDER_DETAIL,
    ops.FULFILLMENT_ORDER_MOVE,
    `mutation Literal { inventorySetQuantities(input: { name: "available", reason: "correction", quantities: ${literalList(251)} }) { userErrors { message } } }`,
    `mutation Small { inventorySetQuantities(input: { name: "available", reason: "correction", quantities: ${literalList(2)} }) { userErrors { message } } }`,
    `query Two($first: Int!) { orders(first: $first) { nodes { id lineItems(first: 5) { nodes { id } } } } }
     query Other { locations(first: 3) { nodes { id } } }
     fragment F on Order { fulfillmentOrders(first: 2) { nodes { id } } }`,
  ];
  const variableSets: Record<string, unknown>[] = [
    { input: { name: "available", reason: "correction", quantities: quantities(2) }, idempotencyKey: "a" },
    { input: { name: "available", reason: "correction", quantities: quantities(251) }, idempotencyKey: "b" },
    { input: { name: "available", reason: "correction", quantities: quantities(3, false) }, idempotencyKey: "c" },
    { input: { name: "available", reason: "correction", changes: [{ inventoryItemId: "gid://shopify/InventoryItem/1", locationId: "gid://shopify/Location/1", delta: 1 }] }, idempotencyKey: "d" },
    { id: "gid://shopify/FulfillmentOrder/1", newLocationId: "gid://shopify/Location/2", fulfillmentOrderLineItems: Array.from({ length: 260 }, (_, i) => ({ id: `gid://shopify/FulfillmentOrderLineItem/${i}`, quantity: 1 })) },
    { id: "gid://shopify/FulfillmentOrder/1", newLocationId: "gid://shopify/Location/2" },
    { first: 5 },
  ];

  test.each(documents.map((d, i) => [i, d] as const))("document %i: the kept field list and literal arguments find what the visit found, request after request", (_i, text) => {
    const doc = parse(text);
    const kept = argumentFields(schema, doc);
    // Several rounds: the first fills the literal-argument cache, the later ones read from it.
    for (let round = 0; round < 3; round++) {
      for (const variables of variableSets) {
        for (const require2026 of [true, false]) {
          const expected = (() => {
            try {
              return { problem: checkArgumentsByVisit(schema, doc, variables, require2026) };
            } catch (e) {
              return { threw: (e as Error).message };
            }
          })();
          const actual = (() => {
            try {
              return { problem: checkArguments(schema, doc, variables, require2026, kept) };
            } catch (e) {
              return { threw: (e as Error).message };
            }
          })();
          expect(actual).toEqual(expected);
        }
      }
    }
  });

  test("the same text with other variables is checked against those variables", async () => {
    const set = (n: number, key: string, withChangeFrom = true) => ({
      input: { name: "available", reason: "correction", referenceDocumentUri: "gid://tallysync/Test/1", quantities: Array.from({ length: n }, () => ({ inventoryItemId: itemId(), locationId: fx.locationId, quantity: 7, ...(withChangeFrom ? { changeFromQuantity: null } : {}) })) },
      idempotencyKey: key,
    });
    const tooMany = await gql(ops.INVENTORY_SET_QUANTITIES, set(251, `many-${Date.now()}`));
    expect(tooMany.body.errors[0].extensions.code).toBe("MAX_INPUT_SIZE_EXCEEDED");
    const fine = await gql(ops.INVENTORY_SET_QUANTITIES, set(1, `one-${Date.now()}`));
    expect(fine.body.errors).toBeUndefined();
    expect(fine.body.data.inventorySetQuantities.userErrors).toEqual([]);
    const missing = await gql(ops.INVENTORY_SET_QUANTITIES, set(1, `miss-${Date.now()}`, false));
    expect(missing.body.errors[0]).toMatchObject({ message: "InventoryQuantityInput must include the following argument: changeFromQuantity", extensions: { code: "INVALID_FIELD_ARGUMENTS" } });
    // An older API version does not require changeFromQuantity: same text, same kept fields.
    const older = await gql(ops.INVENTORY_SET_QUANTITIES, set(1, `old-${Date.now()}`, false), "2025-10");
    expect(older.body.errors).toBeUndefined();
  });
});

describe("cost rules with kept flattened selections and type facts", () => {
  const schema = loadAdminSchema();
  const texts = Object.entries(ops)
    .filter(([, v]) => typeof v === "string" && /^\s*#graphql\s*\n\s*(query|mutation)\b/.test(v))
    .map(([name, v]) => [name, v as string] as const);

  test("the app's operations are all covered", () => {
    expect(texts.length).toBeGreaterThan(10);
  });

  test.each(texts)("%s: requested cost as before, with and without the kept selections", (_name, text) => {
    const doc = parse(text);
    const flattened = new WeakMap<SelectionSetNode, FieldNode[]>();
    for (const variables of [{}, { first: 10 }, { first: 250 }, { first: 1, after: "x" }]) {
      for (const op of operationsOf(doc)) {
        const expected = referenceCost.requested(contextFor(schema, doc, variables), op);
        expect(requestedQueryCost(contextFor(schema, doc, variables), op)).toBe(expected);
        expect(requestedQueryCost(contextFor(schema, doc, variables, flattened), op)).toBe(expected);
        expect(requestedQueryCost(contextFor(schema, doc, variables, flattened), op)).toBe(expected);
      }
    }
  });

  test("actual cost follows the data as the shop changes, as before", async () => {
    const text = `query Orders($first: Int!) { orders(first: $first) { edges { node { id fulfillmentOrders(first: 3) { nodes { id lineItems(first: 5) { nodes { id } } } } } } pageInfo { hasNextPage } } shop { name } }`;
    const doc = parse(text);
    const op = operationsOf(doc)[0]!;
    const flattened = new WeakMap<SelectionSetNode, FieldNode[]>();
    const seen = new Set<number>();
    for (let i = 0; i < 3; i++) {
      fx.sim.setLevel(SHOP, itemId(), fx.locationId, { available: 100 });
      fx.sim.placeOrder(SHOP, { lines: [{ sku: "SKU-A", quantity: 1 }] });
      const res = await gql(text, { first: 5 + i });
      const variables = { first: 5 + i };
      expect(res.body.extensions.cost.requestedQueryCost).toBe(referenceCost.requested(contextFor(schema, doc, variables), op));
      const expectedActual = referenceCost.actual(contextFor(schema, doc, variables), op, res.body.data);
      expect(res.body.extensions.cost.actualQueryCost).toBe(expectedActual);
      expect(actualQueryCost(contextFor(schema, doc, variables, flattened), op, res.body.data)).toBe(expectedActual);
      seen.add(expectedActual);
    }
    expect(seen.size).toBeGreaterThan(1);
  });
});

describe("requested cost kept per checked document", () => {
  const schema = loadAdminSchema();

  test("only documents whose first/last hold no variable keep one requested cost", () => {
    expect(costReadsVariables(parse(`{ orders(first: 5) { nodes { id } } }`))).toBe(false);
    expect(costReadsVariables(parse(`query($n: Int) { orders(first: $n) { nodes { id } } }`))).toBe(true);
    expect(costReadsVariables(parse(`query($n: Int) { orders(last: $n) { nodes { id } } }`))).toBe(true);
    expect(costReadsVariables(parse(`query($q: String) { orders(first: 5, query: $q) { nodes { id } } }`))).toBe(false);
    expect(costReadsVariables(parse(`query($n: Int) { ...F } fragment F on QueryRoot { orders(first: $n) { nodes { id } } }`))).toBe(true);
  });

  test("answers carry the requested cost worked out for the request, text after text", async () => {
    const cases: { query: string; operationName?: string; variables: Record<string, unknown> }[] = [
      { query: `query Fixed { orders(first: 7) { nodes { id } } }`, variables: {} },
      { query: `query ByVar($n: Int!) { orders(first: $n) { nodes { id } } }`, variables: { n: 3 } },
      { query: `query ByVar($n: Int!) { orders(first: $n) { nodes { id } } }`, variables: { n: 40 } },
      { query: `query A { orders(first: 2) { nodes { id } } } query B { locations(first: 9) { nodes { id name } } }`, operationName: "A", variables: {} },
      { query: `query A { orders(first: 2) { nodes { id } } } query B { locations(first: 9) { nodes { id name } } }`, operationName: "B", variables: {} },
      { query: ops.FULFILLMENT_ORDER_DETAIL, variables: { id: "gid://shopify/FulfillmentOrder/1" } },
    ];
    for (let round = 0; round < 2; round++) {
      for (const c of cases) {
        const res = await post(c);
        const doc = parse(c.query);
        const op = operationsOf(doc).find((o) => !c.operationName || o.name?.value === c.operationName)!;
        expect(res.body.extensions.cost.requestedQueryCost).toBe(referenceCost.requested(contextFor(schema, doc, c.variables), op));
      }
    }
  });
});

describe("webhooks", () => {
  test("app-relative URIs follow the app URL when it changes", () => {
    const core = fx.sim.state;
    const before = core.app.appUrl;
    try {
      for (const appUrl of [before, "http://127.0.0.1:1/base", "http://127.0.0.1:2/base/", before]) {
        core.app.appUrl = appUrl;
        for (const uri of ["/webhooks", "webhooks/x", "https://elsewhere.example/hook", "?a=1"]) {
          const expected = /^https?:\/\//i.test(uri) ? uri : new URL(uri, appUrl.endsWith("/") ? appUrl : `${appUrl}/`).toString();
          expect(core.resolveAppUrl(uri)).toBe(expected);
          expect(core.resolveAppUrl(uri)).toBe(expected);
        }
      }
    } finally {
      core.app.appUrl = before;
    }
  });

  test("a subscribed topic's body is the payload of the moment; topics nobody subscribed to send nothing", async () => {
    await gql(`mutation($uri: String!) { webhookSubscriptionCreate(topic: FULFILLMENTS_CREATE, webhookSubscription: { uri: $uri }) { userErrors { message } } }`, { uri: `${fx.receiver.url}/hooks/fulfillments` });
    fx.sim.setLevel(SHOP, itemId(), fx.locationId, { available: 100 });
    const placed = fx.sim.placeOrder(SHOP, { lines: [{ sku: "SKU-A", quantity: 2 }] });
    expect(placed.ok).toBe(true);
    if (!placed.ok) return;
    const from = fx.sim.webhooks.log.length;
    const res = await gql(`mutation($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { fulfillment { id } userErrors { message } } }`, {
      f: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: `gid://shopify/FulfillmentOrder/${placed.fulfillmentOrders[0]!.id}` }], trackingInfo: { number: "1Z999", company: "UPS" } },
    });
    expect(res.body.data.fulfillmentCreate.userErrors).toEqual([]);
    const fulfillmentId = Number(res.body.data.fulfillmentCreate.fulfillment.id.split("/").pop());
    const shop = fx.sim.shop(SHOP);
    const entries = fx.sim.webhooks.log.slice(from);
    const created = entries.filter((d) => d.topic === "fulfillments/create");
    expect(created).toHaveLength(1);
    expect(created[0]!.body).toBe(JSON.stringify(fulfillmentPayload(shop, shop.fulfillments.get(fulfillmentId)!)));
    expect(created[0]!.payload).toEqual(fulfillmentPayload(shop, shop.fulfillments.get(fulfillmentId)!));
    // The fixture's app subscribes to neither: nothing is queued for them.
    expect(entries.filter((d) => d.topic === "orders/fulfilled" || d.topic === "orders/updated")).toEqual([]);
    const [hook] = await fx.receiver.waitFor(1, 5000, (r) => r.path === "/hooks/fulfillments");
    expect(hook!.rawBody).toBe(created[0]!.body);
  });
});

describe("view fields built only when selected", () => {
  const ORDER_FIELDS = `id displayFulfillmentStatus fulfillable subtotalLineItemsQuantity currentSubtotalLineItemsQuantity
    subtotalPriceSet { shopMoney { amount currencyCode } } totalPriceSet { shopMoney { amount } } currentTotalPriceSet { shopMoney { amount } }
    currentSubtotalPriceSet { presentmentMoney { amount } } totalTaxSet { shopMoney { amount } } totalDiscountsSet { shopMoney { amount } }
    totalShippingPriceSet { shopMoney { amount } } originalTotalPriceSet { shopMoney { amount } } totalWeight
    shippingAddress { name address1 city countryCodeV2 formatted formattedArea } billingAddress { id } displayAddress { id }
    customer { displayName email } statusPageUrl
    lineItems(first: 5) { nodes { originalUnitPriceSet { shopMoney { amount } } originalTotalSet { shopMoney { amount } } unfulfilledOriginalTotalSet { shopMoney { amount } } unfulfilledDiscountedTotalSet { shopMoney { amount } } totalDiscountSet { shopMoney { amount } } } }`;

  test("order fields read the order as it is at each request", async () => {
    fx.sim.setLevel(SHOP, fx.items[1]!.inventoryItemId, serviceLocation, { available: 50 });
    fx.sim.setLevel(SHOP, itemId(), fx.locationId, { available: 0 });
    fx.sim.setLevel(SHOP, fx.items[1]!.inventoryItemId, fx.locationId, { available: 0 });
    const placed = fx.sim.placeOrder(SHOP, { lines: [{ sku: "SKU-B", quantity: 3 }], shippingAddress: { firstName: "Ada", lastName: "L", address1: "1 Way", city: "Paris", countryCode: "FR" } });
    expect(placed.ok).toBe(true);
    if (!placed.ok) return;
    const orderGid = `gid://shopify/Order/${placed.order.id}`;
    const foGid = `gid://shopify/FulfillmentOrder/${placed.fulfillmentOrders[0]!.id}`;
    const read = async () => (await gql(`query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`, { id: orderGid })).body.data.order;

    const open = await read();
    expect(open).toMatchObject({
      displayFulfillmentStatus: "UNFULFILLED",
      fulfillable: true,
      subtotalLineItemsQuantity: 3,
      currentSubtotalLineItemsQuantity: 3,
      subtotalPriceSet: { shopMoney: { amount: "30.00", currencyCode: "USD" } },
      totalPriceSet: { shopMoney: { amount: "30.00" } },
      currentTotalPriceSet: { shopMoney: { amount: "30.00" } },
      currentSubtotalPriceSet: { presentmentMoney: { amount: "30.00" } },
      totalTaxSet: { shopMoney: { amount: "0.00" } },
      originalTotalPriceSet: { shopMoney: { amount: "30.00" } },
      totalWeight: "1500",
      shippingAddress: { name: "Ada L", address1: "1 Way", city: "Paris", countryCodeV2: "FR", formatted: ["1 Way", "Paris"], formattedArea: "Paris" },
      billingAddress: { id: `gid://shopify/MailingAddress/${placed.order.id + 2}` },
      displayAddress: { id: `gid://shopify/MailingAddress/${placed.order.id + 1}` },
      customer: { displayName: "Bob Buyer", email: "buyer@example.com" },
      statusPageUrl: `https://${SHOP}/${fx.sim.shop(SHOP).id}/orders/${placed.order.id}/authenticate`,
      lineItems: { nodes: [{ originalUnitPriceSet: { shopMoney: { amount: "10.00" } }, originalTotalSet: { shopMoney: { amount: "30.00" } }, unfulfilledOriginalTotalSet: { shopMoney: { amount: "30.00" } }, unfulfilledDiscountedTotalSet: { shopMoney: { amount: "30.00" } }, totalDiscountSet: { shopMoney: { amount: "0.00" } } }] },
    });

    // Accepted: in progress. Then shipped in full: fulfilled, nothing left to fulfil.
    const accepted = await gql(`mutation($id: ID!) { fulfillmentOrderAcceptFulfillmentRequest(id: $id) { fulfillmentOrder { status supportedActions { action } order { displayFulfillmentStatus } } userErrors { message } } }`, { id: foGid });
    expect(accepted.body.data.fulfillmentOrderAcceptFulfillmentRequest).toEqual({
      fulfillmentOrder: { status: "IN_PROGRESS", supportedActions: [{ action: "REQUEST_CANCELLATION" }], order: { displayFulfillmentStatus: "IN_PROGRESS" } },
      userErrors: [],
    });
    expect((await read()).displayFulfillmentStatus).toBe("IN_PROGRESS");
    await gql(`mutation($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { userErrors { message } } }`, { f: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: foGid }] } });
    const shipped = await read();
    expect(shipped).toMatchObject({
      displayFulfillmentStatus: "FULFILLED",
      fulfillable: false,
      lineItems: { nodes: [{ unfulfilledOriginalTotalSet: { shopMoney: { amount: "0.00" } }, unfulfilledDiscountedTotalSet: { shopMoney: { amount: "0.00" } }, originalTotalSet: { shopMoney: { amount: "30.00" } } }] },
    });
  });

  test("a mutation's payload shows the state after it, and the state before it where Shopify shows that", async () => {
    fx.sim.setLevel(SHOP, fx.items[1]!.inventoryItemId, serviceLocation, { available: 50 });
    fx.sim.shop(SHOP).autoRequestFulfillment = false;
    try {
      const placed = fx.sim.placeOrder(SHOP, { lines: [{ sku: "SKU-B", quantity: 1 }] });
      expect(placed.ok).toBe(true);
      if (!placed.ok) return;
      const foGid = `gid://shopify/FulfillmentOrder/${placed.fulfillmentOrders[0]!.id}`;
      // Two root fields: the first one's selection is resolved before the second runs.
      const res = await gql(
        `mutation($id: ID!) {
          first: fulfillmentOrderSubmitFulfillmentRequest(id: $id) {
            originalFulfillmentOrder { requestStatus supportedActions { action } assignedLocation { name location { id address { city formatted } } } }
            submittedFulfillmentOrder { requestStatus supportedActions { action } order { displayFulfillmentStatus } }
          }
          second: fulfillmentOrderAcceptFulfillmentRequest(id: $id) { fulfillmentOrder { status supportedActions { action } order { displayFulfillmentStatus } } }
        }`,
        { id: foGid },
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.first.originalFulfillmentOrder).toMatchObject({ requestStatus: "UNSUBMITTED", supportedActions: [{ action: "REQUEST_FULFILLMENT" }, { action: "MOVE" }, { action: "HOLD" }] });
      expect(res.body.data.first.originalFulfillmentOrder.assignedLocation).toEqual({
        name: "Cache 3PL",
        location: { id: serviceLocation, address: { city: "Ottawa", formatted: ["1 Main St", "Ottawa ON K1A 0B1", "Canada"] } },
      });
      expect(res.body.data.first.submittedFulfillmentOrder).toEqual({ requestStatus: "SUBMITTED", supportedActions: [{ action: "CANCEL_FULFILLMENT_ORDER" }], order: { displayFulfillmentStatus: "UNFULFILLED" } });
      expect(res.body.data.second.fulfillmentOrder).toEqual({ status: "IN_PROGRESS", supportedActions: [{ action: "REQUEST_CANCELLATION" }], order: { displayFulfillmentStatus: "IN_PROGRESS" } });
    } finally {
      fx.sim.shop(SHOP).autoRequestFulfillment = true;
    }
  });
});
