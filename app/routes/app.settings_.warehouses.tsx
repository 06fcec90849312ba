// Settings > Warehouse connections: add, test and remove connections (each warehouse registered
// as a Shopify fulfillment service, and what removing does to open orders explained first), map
// each warehouse to the Shopify location whose stock it drives, and set its routing details
// (priority, markets, country). `settings_` keeps this page out of the Settings page's layout
// (which has no outlet) while its URL stays /app/settings/warehouses.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link as RemixLink, useFetcher, useLoaderData } from "@remix-run/react";
import { Modal, TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Divider,
  Form,
  FormLayout,
  InlineStack,
  Layout,
  List,
  Page,
  Select,
  Spinner,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { type RemovalConsequence, type RemovalSummary } from "../orders/fulfillment-service-removal";
import { formatDateTime, isMessageKey, useLocale, useT, type MessageKey, type Translate } from "../i18n";
import { requestCatalogMapping } from "../inventory/jobs.server";
import { shopTimeZone } from "../models/settings.server";
import {
  EMPTY_CONNECTION_FORM,
  FULFILLMENT_SERVICE_LOCATION,
  PROVIDER_CHOICES,
  validateNewConnection,
  type NewConnectionErrors,
  type NewConnectionField,
  type NewConnectionForm,
} from "../models/warehouse-connection";
import {
  addWarehouseConnection,
  checkWarehouseConnection,
  connectionNamesInUse,
  listWarehouseConnections,
  mapWarehouseLocation,
  mapWarehouseToFulfillmentService,
  removeWarehouseConnection,
  shopifyLocations,
  WarehouseSetupError,
  type ConnectionCheck,
  type ConnectionView,
  type ShopifyLocation,
  type WarehouseView,
} from "../models/warehouse-setup.server";
import { appConfig } from "../config.server";
import { forShop } from "../db/tenant.server";
import { validateWarehouseRouting, warehouseRoutingForm, type WarehouseRoutingErrors, type WarehouseRoutingField, type WarehouseRoutingForm } from "../models/warehouse-routing";
import { saveWarehouseRouting } from "../models/warehouse-routing.server";
import { FulfillmentServiceError, ShopifyRefusedError } from "../orders/errors";
import { fulfillmentServiceRemovalPreview } from "../orders/fulfillment-service.server";
import { orderFulfillmentGateway } from "../orders/shopify-gateway.server";
import { databaseRecorder } from "../observability/metrics.server";
import { createAdminClient } from "../shopify/admin-client.server";
import { ShopifyApiError } from "../shopify/errors";
import { authenticate } from "../shopify.server";

async function adminFor(request: Request) {
  const { session, admin } = await authenticate.admin(request);
  const client = createAdminClient({ shop: session.shop, graphql: admin.graphql as never, recorder: databaseRecorder(session.shop, "shopify") });
  return { shop: session.shop, client };
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, client } = await adminFor(request);
  const [connections, timeZone] = await Promise.all([listWarehouseConnections(shop), shopTimeZone(shop)]);
  let locations: ShopifyLocation[] = [];
  let locationsError: string | null = null;
  try {
    locations = await shopifyLocations(client);
  } catch (error) {
    if (!(error instanceof ShopifyApiError)) throw error;
    locationsError = error.message;
  }
  return { connections, locations, locationsError, timeZone };
};

type ActionError = { code: string; params: Record<string, string> };

type RemovalPreview = { warehouseName: string; summary: RemovalSummary | null; error: string | null };

/** What removing the connection does to each warehouse's open orders, read from Shopify now. */
async function removalPreviews(shop: string, connectionId: string, shopifyOrders: ReturnType<typeof orderFulfillmentGateway>): Promise<RemovalPreview[]> {
  const warehouses = await forShop(shop).warehouse.findMany({ where: { connectionId }, select: { id: true, name: true }, orderBy: [{ name: "asc" }] });
  const previews: RemovalPreview[] = [];
  for (const warehouse of warehouses) {
    try {
      previews.push({ warehouseName: warehouse.name, summary: await fulfillmentServiceRemovalPreview(shop, warehouse.id, shopifyOrders), error: null });
    } catch (error) {
      if (!(error instanceof ShopifyApiError || error instanceof ShopifyRefusedError || error instanceof FulfillmentServiceError)) throw error;
      previews.push({ warehouseName: warehouse.name, summary: null, error: error.message });
    }
  }
  return previews;
}

function setupError(intent: string, error: unknown) {
  if (!(error instanceof WarehouseSetupError)) throw error;
  return data({ intent, error: { code: error.code, params: error.params } satisfies ActionError }, { status: 422 });
}

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, client } = await adminFor(request);
  const form = Object.fromEntries(await request.formData());
  const intent = String(form.intent ?? "");
  const connectionId = String(form.connectionId ?? "");
  // Connecting registers each warehouse as a Shopify fulfillment service; removing deletes them.
  const shopifyOrders = orderFulfillmentGateway(client);
  const setup = { appUrl: appConfig().appUrl, fulfillmentServices: shopifyOrders };
  try {
    switch (intent) {
      case "add": {
        const result = validateNewConnection(form, await connectionNamesInUse(shop));
        if (result.errors) return data({ intent, errors: result.errors }, { status: 422 });
        return { intent, check: await addWarehouseConnection(shop, result.values, setup) };
      }
      case "test":
        return { intent, check: await checkWarehouseConnection(shop, connectionId, setup) };
      case "remove":
        return { intent, removed: await removeWarehouseConnection(shop, connectionId, setup) };
      case "remap":
        await requestCatalogMapping(shop, connectionId || null);
        return { intent, queued: true };
      case "map-location": {
        const locationId = String(form.locationId ?? "") || null;
        if (locationId === FULFILLMENT_SERVICE_LOCATION) {
          await mapWarehouseToFulfillmentService(shop, String(form.warehouseId ?? ""), shopifyOrders, setup);
          return { intent, mapped: true };
        }
        await mapWarehouseLocation(shop, String(form.warehouseId ?? ""), locationId, locationId ? await shopifyLocations(client) : []);
        return { intent, mapped: true };
      }
      case "warehouse-routing": {
        const result = validateWarehouseRouting(form);
        if (result.errors) return data({ intent, routingErrors: result.errors }, { status: 422 });
        await saveWarehouseRouting(shop, String(form.warehouseId ?? ""), result.values);
        return { intent, routingSaved: true };
      }
      case "removal-preview":
        return { intent, previews: await removalPreviews(shop, connectionId, shopifyOrders) };
      default:
        return data({ intent, error: { code: "unknown_intent", params: {} } }, { status: 400 });
    }
  } catch (error) {
    return setupError(intent, error);
  }
};

function errorText(t: Translate, error: ActionError): string {
  const key = `warehouses.errors.${error.code}`;
  return isMessageKey(key) ? t(key, error.params) : t("warehouses.errors.unexpected");
}

function checkMessage(t: Translate, check: ConnectionCheck): { text: string; isError: boolean } {
  if (!check.ok) return { text: t("warehouses.test.failed", { error: check.error ?? "" }), isError: true };
  if (check.fulfillmentServiceError) return { text: t("warehouses.test.servicesFailed", { error: check.fulfillmentServiceError }), isError: true };
  return { text: t("warehouses.test.succeeded", { latency: check.latencyMs, count: check.warehouses }), isError: false };
}

const STATUS_TONE = { active: "success", paused: "attention", error: "critical" } as const;

function StatusBadge({ status }: { status: string }) {
  const t = useT();
  const key = `warehouses.status.${status}`;
  return <Badge tone={STATUS_TONE[status as keyof typeof STATUS_TONE]}>{isMessageKey(key) ? t(key) : status}</Badge>;
}

function providerName(t: Translate, provider: string): string {
  const key = `warehouses.provider.${provider}`;
  return isMessageKey(key) ? t(key) : provider;
}

function WarehouseRoutingEditor({ warehouse, onDone }: { warehouse: WarehouseView; onDone: () => void }) {
  const t = useT();
  const shopify = useAppBridge();
  const fetcher = useFetcher<typeof action>();
  const [form, setForm] = useState<WarehouseRoutingForm>(() => warehouseRoutingForm(warehouse));
  const [errors, setErrors] = useState<WarehouseRoutingErrors>({});

  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    const result = fetcher.data;
    if ("routingErrors" in result && result.routingErrors) setErrors(result.routingErrors);
    else if ("error" in result && result.error) shopify.toast.show(errorText(t, result.error), { isError: true });
    else if ("routingSaved" in result) {
      shopify.toast.show(t("warehouses.routing.saved", { warehouse: warehouse.name }));
      onDone();
    }
  }, [fetcher.state, fetcher.data, shopify, t, warehouse.name, onDone]);

  const field = (name: WarehouseRoutingField) => ({
    value: form[name],
    onChange: (value: string) => {
      setForm((current) => ({ ...current, [name]: value }));
      setErrors(({ [name]: _fixed, ...rest }) => rest);
    },
    error: errors[name] ? t(errors[name] as MessageKey) : undefined,
    autoComplete: "off",
  });
  const save = () => fetcher.submit({ intent: "warehouse-routing", warehouseId: warehouse.id, ...form }, { method: "post" });

  return (
    <Box paddingBlockStart="200">
      <Form onSubmit={save}>
        <FormLayout>
          <FormLayout.Group condensed>
            <TextField {...field("priority")} label={t("warehouses.routing.priority")} helpText={t("warehouses.routing.priorityHelp")} inputMode="numeric" />
            <TextField {...field("countryCode")} label={t("warehouses.routing.country")} helpText={t("warehouses.routing.countryHelp")} maxLength={2} />
          </FormLayout.Group>
          <TextField {...field("regions")} label={t("warehouses.routing.regions")} helpText={t("warehouses.routing.regionsHelp")} />
          <InlineStack gap="200" align="end">
            <Button onClick={onDone} disabled={fetcher.state !== "idle"}>
              {t("warehouses.routing.cancel")}
            </Button>
            <Button variant="primary" submit loading={fetcher.state !== "idle"}>
              {t("warehouses.routing.save")}
            </Button>
          </InlineStack>
        </FormLayout>
      </Form>
    </Box>
  );
}

function WarehouseLocationRow({ warehouse, locations, locationsError }: { warehouse: WarehouseView; locations: ShopifyLocation[]; locationsError: string | null }) {
  const t = useT();
  const shopify = useAppBridge();
  const fetcher = useFetcher<typeof action>();
  const [value, setValue] = useState(warehouse.shopifyLocationId ?? "");
  const [editing, setEditing] = useState(false);
  useEffect(() => setValue(warehouse.shopifyLocationId ?? ""), [warehouse.shopifyLocationId]);

  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    if ("error" in fetcher.data && fetcher.data.error) {
      shopify.toast.show(errorText(t, fetcher.data.error), { isError: true });
      setValue(warehouse.shopifyLocationId ?? "");
    } else {
      shopify.toast.show(t("warehouses.location.saved", { warehouse: warehouse.name }));
    }
  }, [fetcher.state, fetcher.data, shopify, t, warehouse.name, warehouse.shopifyLocationId]);

  const known = locations.some((l) => l.id === warehouse.shopifyLocationId);
  const ownService = warehouse.fulfillmentServiceLocationId;
  const label = (l: ShopifyLocation) =>
    l.fulfillmentService ? t("warehouses.location.fulfillmentService", { name: l.name }) : l.name;
  const listed = locations.filter((l) => l.isActive || l.id === warehouse.shopifyLocationId);
  const options = [
    { label: t("warehouses.location.none"), value: "" },
    // The warehouse's own fulfillment-service location first: orders reach TallySync only there.
    ...(ownService ? listed.filter((l) => l.id === ownService) : [{ id: FULFILLMENT_SERVICE_LOCATION } as ShopifyLocation]).map((l) =>
      l.id === FULFILLMENT_SERVICE_LOCATION ? { label: t("warehouses.location.registerService"), value: FULFILLMENT_SERVICE_LOCATION } : { label: label(l), value: l.id },
    ),
    ...(warehouse.shopifyLocationId && !known ? [{ label: t("warehouses.location.missing"), value: warehouse.shopifyLocationId }] : []),
    ...listed.filter((l) => l.id !== ownService).map((l) => ({ label: label(l), value: l.id })),
  ];
  const onChange = (next: string) => {
    setValue(next);
    fetcher.submit({ intent: "map-location", warehouseId: warehouse.id, locationId: next }, { method: "post" });
  };
  const serviceNote = !ownService
    ? t("warehouses.service.notRegistered")
    : warehouse.shopifyLocationId === ownService
      ? t("warehouses.service.registered")
      : t("warehouses.service.elsewhere");
  const markets = warehouse.regions.includes("*") || warehouse.regions.length === 0 ? t("warehouses.routing.everywhere") : warehouse.regions.join(", ");
  return (
    <BlockStack gap="100">
      <InlineStack align="space-between" blockAlign="center" gap="400">
        <BlockStack gap="050">
          <Text as="p" variant="bodyMd" fontWeight="semibold">
            {warehouse.name}
          </Text>
          <Text as="p" variant="bodySm" tone="subdued">
            {warehouse.countryCode ? t("warehouses.warehouse.codeCountry", { code: warehouse.code, country: warehouse.countryCode }) : warehouse.code}
          </Text>
        </BlockStack>
        <Box minWidth="260px">
          <Select
            label={t("warehouses.location.label", { warehouse: warehouse.name })}
            labelHidden
            options={options}
            value={value}
            onChange={onChange}
            disabled={fetcher.state !== "idle" || Boolean(locationsError)}
          />
        </Box>
      </InlineStack>
      <Text as="p" variant="bodySm" tone={ownService && warehouse.shopifyLocationId === ownService ? "success" : "subdued"}>
        {serviceNote}
      </Text>
      <InlineStack gap="200" blockAlign="center">
        <Text as="p" variant="bodySm" tone="subdued">
          {t("warehouses.routing.summary", { priority: warehouse.priority, markets, country: warehouse.countryCode ?? t("warehouses.routing.noCountry") })}
        </Text>
        {!editing ? (
          <Button variant="plain" onClick={() => setEditing(true)}>
            {t("warehouses.routing.edit")}
          </Button>
        ) : null}
      </InlineStack>
      {editing ? <WarehouseRoutingEditor warehouse={warehouse} onDone={() => setEditing(false)} /> : null}
    </BlockStack>
  );
}

function consequenceText(t: Translate, c: RemovalConsequence, warehouse: string): string {
  switch (c.code) {
    case "orders_return_to_merchant":
      return c.destination
        ? t("warehouses.remove.consequence.orders_return_to_destination", { orders: c.orders.join(", "), warehouse, destination: c.destination })
        : t("warehouses.remove.consequence.orders_return_to_merchant", { orders: c.orders.join(", "), warehouse });
    case "orders_still_at_warehouse":
      return t("warehouses.remove.consequence.orders_still_at_warehouse", { orders: c.orders.join(", "), warehouse: c.warehouse });
    case "cancellations_unanswered":
      return t("warehouses.remove.consequence.cancellations_unanswered", { orders: c.orders.join(", "), warehouse: c.warehouse });
    case "stock_moved":
      return t("warehouses.remove.consequence.stock_moved", { warehouse, destination: c.destination });
    case "stock_left_at_location":
      return t("warehouses.remove.consequence.stock_left_at_location", { warehouse: c.warehouse });
  }
}

/** The confirm dialog's account of each warehouse's open orders, read from Shopify when the dialog opens. */
function RemovalPreviewList({ previews, loading }: { previews: RemovalPreview[] | null; loading: boolean }) {
  const t = useT();
  if (loading || !previews) {
    return (
      <InlineStack gap="200" blockAlign="center">
        <Spinner size="small" />
        <Text as="span">{t("warehouses.remove.checking")}</Text>
      </InlineStack>
    );
  }
  return (
    <BlockStack gap="300">
      {previews.some((p) => p.summary?.needsAttention) ? (
        <Banner tone="warning">
          <p>{t("warehouses.remove.attention")}</p>
        </Banner>
      ) : null}
      {previews.map((preview) =>
        preview.error || !preview.summary ? (
          <Text as="p" key={preview.warehouseName} tone="critical">
            {t("warehouses.remove.previewFailed", { error: preview.error ?? "" })}
          </Text>
        ) : (
          <BlockStack key={preview.warehouseName} gap="100">
            <Text as="h3" variant="headingSm">
              {preview.warehouseName}
            </Text>
            <List type="bullet">
              {preview.summary.openOrders === 0 ? <List.Item>{t("warehouses.remove.noOpenOrders", { warehouse: preview.warehouseName })}</List.Item> : null}
              {preview.summary.consequences.map((c) => (
                <List.Item key={c.code}>{consequenceText(t, c, preview.warehouseName)}</List.Item>
              ))}
            </List>
          </BlockStack>
        ),
      )}
    </BlockStack>
  );
}

function ConnectionCard({ connection, locations, locationsError, timeZone }: { connection: ConnectionView; locations: ShopifyLocation[]; locationsError: string | null; timeZone: string }) {
  const t = useT();
  const locale = useLocale();
  const shopify = useAppBridge();
  const fetcher = useFetcher<typeof action>();
  const preview = useFetcher<typeof action>();
  const removeModalId = `remove-connection-${connection.id}`;
  const busyWith = fetcher.state !== "idle" ? fetcher.formData?.get("intent") : null;

  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    const result = fetcher.data;
    if ("error" in result && result.error) shopify.toast.show(errorText(t, result.error), { isError: true });
    else if ("check" in result && result.check) {
      const message = checkMessage(t, result.check);
      shopify.toast.show(message.text, { isError: message.isError });
    } else if ("removed" in result) shopify.toast.show(t("warehouses.remove.done", { name: connection.name }));
    else if ("queued" in result) shopify.toast.show(t("mapping.remap.queued"));
  }, [fetcher.state, fetcher.data, shopify, t, connection.name]);

  const submit = (intent: string) => fetcher.submit({ intent, connectionId: connection.id }, { method: "post" });
  const remove = () => {
    shopify.modal.hide(removeModalId);
    submit("remove");
  };
  // The dialog opens at once and tells what happens to open orders as soon as Shopify has said.
  const confirmRemoval = () => {
    shopify.modal.show(removeModalId);
    preview.submit({ intent: "removal-preview", connectionId: connection.id }, { method: "post" });
  };
  const previews = preview.data && "previews" in preview.data ? (preview.data.previews as RemovalPreview[]) : null;

  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="start" gap="400">
          <BlockStack gap="100">
            <InlineStack gap="200" blockAlign="center">
              <Text as="h2" variant="headingMd">
                {connection.name}
              </Text>
              <StatusBadge status={connection.status} />
            </InlineStack>
            <Text as="p" variant="bodySm" tone="subdued">
              {providerName(t, connection.provider)}
            </Text>
            <Text as="p" variant="bodySm" tone="subdued">
              {connection.lastTestedAt
                ? t("warehouses.test.last", {
                    time: formatDateTime(connection.lastTestedAt, locale, timeZone),
                    latency: connection.lastTestLatencyMs ?? 0,
                  })
                : t("warehouses.test.never")}
            </Text>
          </BlockStack>
          <InlineStack gap="200">
            <Button onClick={() => submit("test")} loading={busyWith === "test"}>
              {t("warehouses.test.button")}
            </Button>
            <Button tone="critical" variant="secondary" onClick={confirmRemoval} loading={busyWith === "remove"}>
              {t("warehouses.remove.button")}
            </Button>
          </InlineStack>
        </InlineStack>
        {connection.lastError ? (
          <Banner tone="critical" title={t("warehouses.test.errorTitle")}>
            <p>{connection.lastError}</p>
          </Banner>
        ) : null}
        <Divider />
        <BlockStack gap="300">
          <Text as="h3" variant="headingSm">
            {t("warehouses.warehouse.heading")}
          </Text>
          {connection.warehouses.length === 0 ? (
            <Text as="p" variant="bodyMd" tone="subdued">
              {t("warehouses.warehouse.none")}
            </Text>
          ) : (
            connection.warehouses.map((warehouse) => (
              <WarehouseLocationRow key={warehouse.id} warehouse={warehouse} locations={locations} locationsError={locationsError} />
            ))
          )}
        </BlockStack>
        <Divider />
        <InlineStack align="space-between" blockAlign="center" gap="400">
          <Text as="p" variant="bodyMd">
            {t("mapping.summary", { mapped: connection.mappedSkus, unmapped: connection.unmappedSkus })}
          </Text>
          <InlineStack gap="200">
            <RemixLink to={`/app/settings/mapping?connection=${encodeURIComponent(connection.id)}`}>{t("mapping.openList")}</RemixLink>
            <Button onClick={() => submit("remap")} loading={busyWith === "remap"}>
              {t("mapping.remap.button")}
            </Button>
          </InlineStack>
        </InlineStack>
      </BlockStack>
      <Modal id={removeModalId}>
        <Box padding="400">
          <BlockStack gap="300">
            <p>{t("warehouses.remove.body", { name: connection.name })}</p>
            <RemovalPreviewList previews={previews} loading={preview.state !== "idle"} />
            <p>{t("warehouses.remove.shopifyUntouched")}</p>
          </BlockStack>
        </Box>
        <TitleBar title={t("warehouses.remove.title", { name: connection.name })}>
          <button variant="primary" tone="critical" onClick={remove}>
            {t("warehouses.remove.confirm")}
          </button>
          <button onClick={() => shopify.modal.hide(removeModalId)}>{t("warehouses.remove.cancel")}</button>
        </TitleBar>
      </Modal>
    </Card>
  );
}

function AddConnectionCard() {
  const t = useT();
  const shopify = useAppBridge();
  const fetcher = useFetcher<typeof action>();
  const [form, setForm] = useState<NewConnectionForm>(EMPTY_CONNECTION_FORM);
  const [errors, setErrors] = useState<NewConnectionErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const saving = fetcher.state !== "idle";

  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    const result = fetcher.data;
    if ("errors" in result && result.errors) {
      setErrors(result.errors);
      shopify.toast.show(t("warehouses.add.fixErrors"), { isError: true });
    } else if ("check" in result && result.check) {
      if (result.check.ok) {
        setForm(EMPTY_CONNECTION_FORM);
        setFailure(null);
        shopify.toast.show(t("warehouses.add.connected", { count: result.check.warehouses }));
      } else {
        setFailure(result.check.error);
      }
    }
  }, [fetcher.state, fetcher.data, shopify, t]);

  const field = (name: NewConnectionField) => ({
    value: form[name],
    onChange: (value: string) => {
      setForm((current) => ({ ...current, [name]: value }));
      setErrors(({ [name]: _fixed, ...rest }) => rest);
    },
    error: errors[name] ? t(errors[name] as MessageKey) : undefined,
    name,
    autoComplete: "off",
  });
  const save = () => fetcher.submit({ intent: "add", ...form }, { method: "post" });
  const providerOptions = PROVIDER_CHOICES.map(({ provider, available }) => ({
    label: available ? providerName(t, provider) : t("warehouses.provider.comingSoon", { name: providerName(t, provider) }),
    value: provider,
    disabled: !available,
  }));

  return (
    <Card>
      <Form onSubmit={save}>
        <FormLayout>
          <Text as="h2" variant="headingMd">
            {t("warehouses.add.heading")}
          </Text>
          {failure ? (
            <Banner tone="critical" title={t("warehouses.add.failedTitle")} onDismiss={() => setFailure(null)}>
              <p>{failure}</p>
              <p>{t("warehouses.add.failedHelp")}</p>
            </Banner>
          ) : null}
          <Select {...field("provider")} label={t("warehouses.add.provider")} options={providerOptions} />
          <TextField {...field("name")} label={t("warehouses.add.name")} helpText={t("warehouses.add.nameHelp")} />
          <TextField {...field("baseUrl")} label={t("warehouses.add.baseUrl")} helpText={t("warehouses.add.baseUrlHelp")} type="url" placeholder="https://wms.example.com" />
          <TextField {...field("apiKey")} label={t("warehouses.add.apiKey")} helpText={t("warehouses.add.apiKeyHelp")} type="password" />
          <InlineStack align="end">
            <Button variant="primary" submit loading={saving}>
              {t("warehouses.add.submit")}
            </Button>
          </InlineStack>
        </FormLayout>
      </Form>
    </Card>
  );
}

export default function WarehouseConnections() {
  const { connections, locations, locationsError, timeZone } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <Page>
      <TitleBar title={t("warehouses.title")}>
        <a variant="breadcrumb" href="/app/settings">
          {t("nav.settings")}
        </a>
      </TitleBar>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {locationsError ? (
              <Banner tone="warning" title={t("warehouses.location.unavailable")}>
                <p>{locationsError}</p>
              </Banner>
            ) : null}
            {connections.length === 0 ? (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    {t("warehouses.empty.heading")}
                  </Text>
                  <Text as="p" variant="bodyMd">
                    {t("warehouses.empty.body")}
                  </Text>
                </BlockStack>
              </Card>
            ) : (
              connections.map((connection) => (
                <ConnectionCard key={connection.id} connection={connection} locations={locations} locationsError={locationsError} timeZone={timeZone} />
              ))
            )}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <AddConnectionCard />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
