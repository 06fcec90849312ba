// Settings > Unmapped SKUs: warehouse SKUs no Shopify product is mapped to, Shopify products no
// warehouse SKU is mapped to, and mapping a warehouse SKU by hand. Everything the page shows is
// in its URL (filters, searches, pages, the SKU being mapped), so it survives a reload.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { Badge, BlockStack, Box, Button, Card, EmptySearchResult, IndexTable, InlineStack, Layout, Page, Select, Text, TextField, type IndexTableProps } from "@shopify/polaris";
import { useEffect, useState, type ReactNode } from "react";
import { isMessageKey, useLocale, useT, type Translate } from "../i18n";
import { pageNumberParam } from "../models/list-query";
import {
  mapManually,
  searchCatalog,
  SkuMappingError,
  unmap,
  unmappedLists,
  type UnmappedShopifyItem,
  type UnmappedWarehouseSku,
} from "../models/sku-mapping.server";
import { listWarehouseConnections } from "../models/warehouse-setup.server";
import { authenticate } from "../shopify.server";

/** The page's two lists and the URL parameters of each one's search and page. */
const LISTS = {
  warehouseSkus: { search: "wq", page: "wp" },
  shopifyItems: { search: "sq", page: "sp" },
} as const;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const params = new URL(request.url).searchParams;
  const connections = (await listWarehouseConnections(shop)).map(({ id, name }) => ({ id, name }));
  const connectionId = connections.some((c) => c.id === params.get("connection")) ? params.get("connection") : null;
  const lists = await unmappedLists(shop, {
    connectionId,
    warehouse: { search: params.get(LISTS.warehouseSkus.search) ?? "", page: pageNumberParam(params.get(LISTS.warehouseSkus.page)) },
    shopify: { search: params.get(LISTS.shopifyItems.search) ?? "", page: pageNumberParam(params.get(LISTS.shopifyItems.page)) },
  });
  const pickSku = params.get("pick");
  const pickConnection = params.get("pickConnection");
  const picking =
    pickSku && pickConnection && connections.some((c) => c.id === pickConnection)
      ? { warehouseSku: pickSku, connectionId: pickConnection, search: params.get("pq") ?? pickSku, results: await searchCatalog(shop, params.get("pq") ?? pickSku) }
      : null;
  return { connections, connectionId, ...lists, picking };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const connectionId = String(form.get("connectionId") ?? "");
  const warehouseSku = String(form.get("warehouseSku") ?? "");
  try {
    if (intent === "map") {
      await mapManually(session.shop, connectionId, warehouseSku, String(form.get("inventoryItemId") ?? ""));
      return { intent, warehouseSku };
    }
    if (intent === "unmap") return { intent, warehouseSku, unmapped: await unmap(session.shop, connectionId, warehouseSku) };
    return data({ intent, error: { code: "unknown_intent", params: {} as Record<string, string> } }, { status: 400 });
  } catch (error) {
    if (!(error instanceof SkuMappingError)) throw error;
    return data({ intent, error: { code: error.code, params: error.params } }, { status: 422 });
  }
};

function reasonText(t: Translate, reason: string | null): string {
  const key = `mapping.reason.${reason ?? "not_tried"}`;
  return isMessageKey(key) ? t(key) : "";
}

function itemTitle(t: Translate, item: UnmappedShopifyItem): string {
  const title = item.productTitle ?? t("mapping.untitled");
  return item.variantTitle && item.variantTitle !== "Default Title" ? `${title} - ${item.variantTitle}` : title;
}

/** A search box that writes its term into the URL (and goes back to page 1 of its list). */
function SearchField({ param, pageParamName, label, placeholder }: { param: string; pageParamName: string; label: string; placeholder: string }) {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const [value, setValue] = useState(params.get(param) ?? "");
  const apply = (term: string) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (term.trim()) next.set(param, term.trim());
      else next.delete(param);
      next.delete(pageParamName);
      return next;
    });
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        apply(value);
      }}
    >
      <TextField
        label={label}
        labelHidden
        placeholder={placeholder}
        value={value}
        onChange={setValue}
        clearButton
        onClearButtonClick={() => {
          setValue("");
          apply("");
        }}
        autoComplete="off"
        connectedRight={<Button submit>{t("mapping.search.button")}</Button>}
      />
    </form>
  );
}

function usePageParam(name: string) {
  const [, setParams] = useSearchParams();
  return (page: number) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      next.set(name, String(page));
      return next;
    });
}

/** One of the page's lists: its heading, its search box, and a table of one page of its rows. */
function ListCard({
  name,
  list,
  headings,
  children,
}: {
  name: keyof typeof LISTS;
  list: { rows: readonly unknown[]; total: number; page: number; pageCount: number };
  headings: IndexTableProps["headings"];
  children: ReactNode;
}) {
  const t = useT();
  const params = LISTS[name];
  const goTo = usePageParam(params.page);
  return (
    <Card padding="0">
      <Box padding="400">
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            {t(`mapping.${name}.heading`, { count: list.total })}
          </Text>
          <SearchField param={params.search} pageParamName={params.page} label={t(`mapping.${name}.search`)} placeholder={t(`mapping.${name}.search`)} />
        </BlockStack>
      </Box>
      <IndexTable
        resourceName={{ singular: t(`mapping.${name}.singular`), plural: t(`mapping.${name}.plural`) }}
        itemCount={list.rows.length}
        selectable={false}
        emptyState={<EmptySearchResult title={t(`mapping.${name}.empty`)} description={t(`mapping.${name}.emptyHelp`)} />}
        headings={headings}
        pagination={{
          hasPrevious: list.page > 1,
          hasNext: list.page < list.pageCount,
          onPrevious: () => goTo(list.page - 1),
          onNext: () => goTo(list.page + 1),
          label: t("mapping.pagination", { page: list.page, pages: list.pageCount, total: list.total }),
        }}
      >
        {children}
      </IndexTable>
    </Card>
  );
}

function WarehouseSkuRows({ rows }: { rows: UnmappedWarehouseSku[] }) {
  const t = useT();
  const locale = useLocale();
  const [, setParams] = useSearchParams();
  const numbers = new Intl.NumberFormat(locale);
  const pick = (row: UnmappedWarehouseSku) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      next.set("pick", row.warehouseSku);
      next.set("pickConnection", row.connectionId);
      next.delete("pq");
      return next;
    });
  return rows.map((row, index) => (
    <IndexTable.Row id={`${row.connectionId}:${row.warehouseSku}`} key={`${row.connectionId}:${row.warehouseSku}`} position={index}>
      <IndexTable.Cell>
        <Text as="span" variant="bodyMd" fontWeight="semibold">
          {row.warehouseSku}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>{row.barcode ?? "—"}</IndexTable.Cell>
      <IndexTable.Cell>{t("mapping.warehousesOf", { connection: row.connectionName, warehouses: row.warehouses.join(", ") })}</IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric>
          {numbers.format(row.sellable)}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Badge tone={row.reason && row.reason !== "no_match" ? "warning" : undefined}>{reasonText(t, row.reason)}</Badge>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Button size="slim" onClick={() => pick(row)}>
          {t("mapping.mapButton")}
        </Button>
      </IndexTable.Cell>
    </IndexTable.Row>
  ));
}

function MapByHandCard({ picking }: { picking: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["picking"]> }) {
  const t = useT();
  const shopify = useAppBridge();
  const fetcher = useFetcher<typeof action>();
  const [, setParams] = useSearchParams();
  const close = () =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      for (const name of ["pick", "pickConnection", "pq"]) next.delete(name);
      return next;
    });

  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    const result = fetcher.data;
    if ("error" in result && result.error) {
      const key = `mapping.errors.${result.error.code}`;
      shopify.toast.show(isMessageKey(key) ? t(key, result.error.params) : t("warehouses.errors.unexpected"), { isError: true });
    } else {
      shopify.toast.show(t("mapping.mapped", { sku: picking.warehouseSku }));
      close();
    }
    // close() only touches the URL; it is stable enough for this effect.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.state, fetcher.data]);

  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("mapping.pick.heading", { sku: picking.warehouseSku })}
          </Text>
          <Button variant="plain" onClick={close}>
            {t("mapping.pick.close")}
          </Button>
        </InlineStack>
        <SearchField param="pq" pageParamName="pq-page" label={t("mapping.pick.search")} placeholder={t("mapping.pick.search")} />
        {picking.results.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("mapping.pick.none")}
          </Text>
        ) : (
          picking.results.map((item) => (
            <InlineStack key={item.inventoryItemId} align="space-between" blockAlign="center" gap="300">
              <BlockStack gap="050">
                <Text as="p" variant="bodyMd" fontWeight="semibold">
                  {itemTitle(t, item)}
                </Text>
                <Text as="p" variant="bodySm" tone="subdued">
                  {t("mapping.pick.itemKeys", { sku: item.sku ?? t("mapping.noSku"), barcode: item.barcode ?? "—" })}
                </Text>
              </BlockStack>
              <Button
                size="slim"
                variant="primary"
                loading={fetcher.state !== "idle" && fetcher.formData?.get("inventoryItemId") === item.inventoryItemId}
                onClick={() =>
                  fetcher.submit(
                    { intent: "map", connectionId: picking.connectionId, warehouseSku: picking.warehouseSku, inventoryItemId: item.inventoryItemId },
                    { method: "post" },
                  )
                }
              >
                {t("mapping.pick.choose")}
              </Button>
            </InlineStack>
          ))
        )}
      </BlockStack>
    </Card>
  );
}

export default function UnmappedSkus() {
  const { connections, connectionId, warehouseSkus, shopifyItems, picking } = useLoaderData<typeof loader>();
  const t = useT();
  const [, setParams] = useSearchParams();
  const chooseConnection = (id: string) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (id) next.set("connection", id);
      else next.delete("connection");
      for (const name of [LISTS.warehouseSkus.page, LISTS.shopifyItems.page, "pick", "pickConnection", "pq"]) next.delete(name);
      return next;
    });

  return (
    <Page>
      <TitleBar title={t("mapping.title")}>
        <a variant="breadcrumb" href="/app/settings/warehouses">
          {t("warehouses.title")}
        </a>
      </TitleBar>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="p" variant="bodyMd">
                  {t("mapping.intro")}
                </Text>
                <Select
                  label={t("mapping.connectionFilter")}
                  options={[{ label: t("mapping.allConnections"), value: "" }, ...connections.map((c) => ({ label: c.name, value: c.id }))]}
                  value={connectionId ?? ""}
                  onChange={chooseConnection}
                />
              </BlockStack>
            </Card>
            {picking ? <MapByHandCard key={`${picking.connectionId}:${picking.warehouseSku}`} picking={picking} /> : null}
            <ListCard
              name="warehouseSkus"
              list={warehouseSkus}
              headings={[
                { title: t("mapping.column.warehouseSku") },
                { title: t("mapping.column.barcode") },
                { title: t("mapping.column.warehouses") },
                { title: t("mapping.column.sellable"), alignment: "end" },
                { title: t("mapping.column.reason") },
                { title: t("mapping.column.action") },
              ]}
            >
              <WarehouseSkuRows rows={warehouseSkus.rows} />
            </ListCard>
            <ListCard name="shopifyItems" list={shopifyItems} headings={[{ title: t("mapping.column.product") }, { title: t("mapping.column.sku") }, { title: t("mapping.column.barcode") }]}>
              {shopifyItems.rows.map((row, index) => (
                <IndexTable.Row id={row.inventoryItemId} key={row.inventoryItemId} position={index}>
                  <IndexTable.Cell>{itemTitle(t, row)}</IndexTable.Cell>
                  <IndexTable.Cell>{row.sku ?? t("mapping.noSku")}</IndexTable.Cell>
                  <IndexTable.Cell>{row.barcode ?? "—"}</IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </ListCard>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
